"""Validation inside an Oxigraph store: the compiled shapes (:mod:`.shacl_sparql`) run there.

:func:`validate_store` checks a ``pyoxigraph.Store`` (the build's store, or one made from
files by :func:`store_from_files`) against polgraph's shapes and gives the same
:class:`~polgraph.graphs.validate.ValidationReport` as the pyshacl path
(:func:`polgraph.graphs.validate.validate`), in seconds instead of hours for a large corpus.
With ``focus``, only those focus nodes are checked (the incremental build).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from polgraph.graphs.mint import mint
from polgraph.graphs.shacl_sparql import (
    Check,
    Result,
    class_closure,
    compile_shapes,
    oxigraph_term,
    rdflib_term,
    result_of,
    run_checks,
    solutions,
)
from polgraph.graphs.validate import (
    _POSITION,
    ValidationReport,
    Violation,
    _path_name,
    _shape_name,
    fact_context,
    load_files,
    readable_format,
    short,
)
from polgraph.graphs.vocab import SH, SKOS

_SUBCLASS_PAIRS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?sub ?super WHERE { ?sub rdfs:subClassOf ?super }
"""


class StoreView:
    """The few read methods of an rdflib Graph that :func:`fact_context` uses, over a store's
    union of graphs."""

    def __init__(self, store: pyoxigraph.Store) -> None:
        self.store = store

    def _quads(self, subject, predicate, obj):
        return self.store.quads_for_pattern(
            None if subject is None else oxigraph_term(subject),
            None if predicate is None else oxigraph_term(predicate),
            None if obj is None else oxigraph_term(obj),
            None)

    def value(self, subject: Node | None = None, predicate: Node | None = None,
              object: Node | None = None) -> Node | None:  # noqa: A002 (rdflib's name)
        """One value of the missing position (the smallest, for a stable report)."""
        found = []
        for quad in self._quads(subject, predicate, object):
            found.append(quad.object if subject is not None and object is None else quad.subject)
        if not found:
            return None
        return rdflib_term(min(found, key=str))

    def __contains__(self, triple: tuple) -> bool:
        return next(iter(self._quads(*triple)), None) is not None


@functools.lru_cache(maxsize=4)
def _checks(pairs: frozenset[tuple[URIRef, URIRef]]) -> tuple[list[Check], Graph]:
    from polgraph.ontology import shapes_graph

    shapes = shapes_graph()
    return compile_shapes(shapes, class_closure(pairs)), shapes


def store_checks(store: pyoxigraph.Store) -> list[Check]:
    """The compiled shapes, with the class hierarchy of the ontology and of the store."""
    from polgraph.ontology import ontology_graph

    pairs = {(s, o) for s, o in ontology_graph().subject_objects(RDFS.subClassOf)
             if isinstance(s, URIRef) and isinstance(o, URIRef)}
    for row in store.query(_SUBCLASS_PAIRS, use_default_graph_as_union=True):
        sub, sup = row["sub"], row["super"]
        if isinstance(sub, pyoxigraph.NamedNode) and isinstance(sup, pyoxigraph.NamedNode):
            pairs.add((URIRef(sub.value), URIRef(sup.value)))
    return _checks(frozenset(pairs))[0]


def validate_store(store: pyoxigraph.Store, focus: Iterable[str] | None = None,
                   progress: Callable[[int], object] | None = None, *, workers: int = 1,
                   location: Path | str | None = None) -> ValidationReport:
    """Check the store's union graph against the shapes; only ``focus`` IRIs if given.

    ``progress(n)`` is told of each check done (there are about two hundred). A whole-store
    check of an on-disk store (``location``, its folder) can share the checks among
    ``workers`` processes, each opening the store read-only; nothing may write to the store
    meanwhile."""
    from polgraph.ontology import shapes_graph

    shapes = shapes_graph()
    checks = store_checks(store)
    nodes = None
    if focus is not None:
        nodes = sorted({iri for iri in focus if not iri.startswith("_:")})
    view = StoreView(store)
    results = []
    if workers > 1 and nodes is None and location is not None:
        found_all = _run_in_processes(location, checks, workers, progress)
    else:
        found_all = run_checks(store, checks, nodes, progress=progress)
    for found in found_all:
        article, sentence = fact_context(view, found.focus)
        label = view.value(found.focus, RDFS.label) or view.value(found.focus, SKOS.prefLabel)
        results.append(Violation(
            shape=_shape_name(found.shape, shapes),
            message=found.message,
            severity=str(found.severity).rsplit("#", 1)[-1],
            focus_node=f"_:{found.focus}" if not isinstance(found.focus, URIRef)
            else str(found.focus),
            focus_label=str(label) if label is not None else None,
            path=_path_name(found.path, shapes),
            value=short(found.value),
            article=article,
            sentence=sentence,
            component=short(found.component),
        ))
    results = sorted(set(results), key=lambda v: (v.shape, v.focus_node, v.path or "",
                                                   v.value or "", v.message))
    violations = [v for v in results if v.severity == "Violation"]
    return ValidationReport(conforms=not violations, violations=violations,
                            warnings=[v for v in results if v.severity != "Violation"],
                            graph=report_graph(found_all, shapes, conforms=not violations))


#: Checks per task sent to a validation process.
_CHECKS_PER_TASK = 8


def _run_in_processes(location: Path | str, checks: list[Check], workers: int,
                      progress: Callable[[int], object] | None) -> list[Result]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # The slowest checks first would balance better, but their cost is unknown in advance;
    # interleaving spreads the SHACL-SPARQL checks (the costly ones) over the tasks.
    order = list(range(len(checks)))
    tasks = [order[i::-(-len(order) // _CHECKS_PER_TASK)]
             for i in range(-(-len(order) // _CHECKS_PER_TASK))]
    results: list[Result] = []
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for task, rows in zip(tasks, pool.map(_check_part, [str(location)] * len(tasks), tasks),
                              strict=True):
            results.extend(result_of(checks[index], bindings) for index, bindings in rows)
            if progress is not None:
                progress(len(task))
    return results


def _check_part(location: str, indices: list[int]) -> list[tuple[int, dict]]:
    """Run some of the checks in a read-only view of the store (in a worker process)."""
    store = pyoxigraph.Store.read_only(location)
    checks = store_checks(store)
    return [(index, bindings) for index in indices
            for bindings in solutions(store, checks[index])]


def report_graph(results: list[Result], shapes: Graph, conforms: bool) -> Graph:
    """A SHACL validation report (``sh:ValidationReport``) of the results, as pyshacl writes
    one: each result with its focus node, severity, source shape and component, path (a
    complex path copied from the shapes), value and message."""
    graph = Graph()
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(conforms)))
    ordered = sorted(results, key=lambda r: (str(r.shape), str(r.focus), str(r.component),
                                             str(r.value), r.message))
    for number, found in enumerate(ordered):
        node = BNode(f"result{number}")
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, found.focus))
        graph.add((node, SH.resultSeverity, found.severity))
        graph.add((node, SH.sourceShape, found.shape))
        graph.add((node, SH.sourceConstraintComponent, found.component))
        if found.message:
            graph.add((node, SH.resultMessage, Literal(found.message)))
        if found.value is not None:
            graph.add((node, SH.value, found.value))
        if found.path is not None:
            graph.add((node, SH.resultPath, found.path))
            _copy_blank(shapes, found.path, graph)
    return graph


def _copy_blank(source: Graph, node: Node, target: Graph) -> None:
    """Copy the triples below a blank node (a SHACL path, an RDF list) into ``target``."""
    todo = [node]
    seen = set()
    while todo:
        current = todo.pop()
        if not isinstance(current, BNode) or current in seen:
            continue
        seen.add(current)
        for predicate, obj in source.predicate_objects(current):
            target.add((current, predicate, obj))
            todo.append(obj)


def store_from_files(paths: Iterable[Path | str]) -> pyoxigraph.Store:
    """An in-memory store with the files and the ontology, read as ``polgraph validate``
    reads them (see :func:`polgraph.graphs.validate.load_files`): N-Quads and TriG are
    bulk-loaded, hand-written Turtle goes through the curation step."""
    from polgraph.errors import TurtleError
    from polgraph.ontology import ontology_graph

    store = pyoxigraph.Store()
    ontology = pyoxigraph.NamedNode(str(mint("graph", "ontology")))
    store.extend(pyoxigraph.Quad(oxigraph_term(s), oxigraph_term(p), oxigraph_term(o), ontology)
                 for s, p, o in ontology_graph())
    small = []
    for path in map(Path, paths):
        fmt = readable_format(path)
        if fmt in (pyoxigraph.RdfFormat.N_QUADS, pyoxigraph.RdfFormat.TRIG):
            try:
                store.bulk_load(path=str(path), format=fmt)
            except SyntaxError as err:
                reason = _POSITION.sub("", err.msg or str(err)).strip()
                raise TurtleError(str(path), reason, err.lineno, err.offset) from None
            except (OSError, ValueError) as err:
                raise TurtleError(str(path), str(err)) from None
        else:
            small.append(path)
    if small:
        dataset = load_files(small)
        store.extend(
            pyoxigraph.Quad(oxigraph_term(s), oxigraph_term(p), oxigraph_term(o), _graph(g))
            for s, p, o, g in dataset.quads((None, None, None, None)))
    return store


def _graph(name: Node | None):
    if name is None or str(name) == str(DATASET_DEFAULT_GRAPH_ID):
        return pyoxigraph.DefaultGraph()
    return oxigraph_term(name)


def validate_files_in_store(paths: Iterable[Path | str],
                            progress: Callable[[int], object] | None = None
                            ) -> ValidationReport:
    """Validate files with the compiled shapes (see :func:`store_from_files`)."""
    return validate_store(store_from_files(paths), progress=progress)


def check_count() -> int:
    """How many checks a validation runs (for a progress bar)."""
    return len(store_checks(pyoxigraph.Store()))

"""SHACL validation of a polgraph dataset, with a report that leads back to the article.

:func:`validate` runs pyshacl with the package's shapes (``polgraph/ontology/shapes.ttl``)
and ontology plus upper-vocabulary axioms as ``ont_graph``, inference switched off,
SHACL-AF on, warnings allowed. Each result becomes a :class:`Violation` that names the shape,
the node, its label and, for an extracted fact, the article and sentence it comes from.
:func:`validate_files` reads Turtle, TriG, N-Quads or N-Triples files first, with the position
of any syntax error.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from polgraph.errors import TurtleError, UsageError
from polgraph.graphs.mint import mint
from polgraph.graphs.vocab import OA, POL, PREFIXES, SH, bind_prefixes

#: The namespace of polgraph's shapes (for short names in reports).
POLSH = "https://w3id.org/polgraph/shapes#"

#: File suffix → format, for :func:`validate_files`.
FORMATS: dict[str, pyoxigraph.RdfFormat] = {
    ".ttl": pyoxigraph.RdfFormat.TURTLE,
    ".turtle": pyoxigraph.RdfFormat.TURTLE,
    ".trig": pyoxigraph.RdfFormat.TRIG,
    ".nq": pyoxigraph.RdfFormat.N_QUADS,
    ".nt": pyoxigraph.RdfFormat.N_TRIPLES,
}

_SHORT_NAMES: list[tuple[str, str]] = sorted(
    [(str(namespace), prefix) for prefix, namespace in PREFIXES.items()] + [(POLSH, "polsh")],
    key=lambda item: -len(item[0]),
)
_MAX_VALUE = 120
#: One validation at a time: :func:`_prepared_queries` patches rdflib while it runs.
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which rule (shape), what is wrong, where, and which sentence says so.

    ``focus_node`` is the IRI of the offending node (``_:id`` for a blank node); ``path``
    and ``value`` are short (prefixed) forms; ``article`` is the ``pol:articleId`` and
    ``sentence`` the ``pol:sentence`` of the node's evidence, when it has some.
    """

    shape: str
    message: str
    severity: str
    focus_node: str
    focus_label: str | None = None
    path: str | None = None
    value: str | None = None
    article: str | None = None
    sentence: str | None = None
    component: str | None = None


@dataclass
class ValidationReport:
    """The outcome of a validation: ``conforms`` is False when there is any violation.

    ``violations`` are the results of severity sh:Violation, ``warnings`` the others
    (sh:Warning, sh:Info), which do not stop a dataset from conforming.
    """

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    warnings: list[Violation] = field(default_factory=list)
    graph: Graph = field(default_factory=Graph, repr=False)

    @property
    def results(self) -> list[Violation]:
        """Violations, then warnings."""
        return [*self.violations, *self.warnings]

    def as_text(self) -> str:
        """A readable report, grouped by shape: node, label, article and sentence."""
        return render_text(self)

    def as_turtle(self) -> str:
        """The pyshacl report graph (sh:ValidationReport) in Turtle."""
        bind_prefixes(self.graph)
        self.graph.bind("polsh", POLSH)
        return self.graph.serialize(format="turtle")

    def as_json(self) -> str:
        """``{"conforms": …, "violations": […], "warnings": […]}``, each result a flat object."""
        data = {
            "conforms": self.conforms,
            "violations": [asdict(v) for v in self.violations],
            "warnings": [asdict(v) for v in self.warnings],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# -- validation -------------------------------------------------------------------------------


def validate(data: Graph | Dataset) -> ValidationReport:
    """Validate a graph or dataset (all named graphs together) against polgraph's shapes."""
    import pyshacl

    from polgraph.ontology import ontology_graph, shapes_graph

    union = union_graph(data)
    shapes = Graph()
    shapes += shapes_graph()  # pyshacl adds a few triples to the graph it is given
    with _LOCK, _prepared_queries():
        conforms, report_graph, _ = pyshacl.validate(
            union,
            shacl_graph=shapes,
            ont_graph=ontology_graph(),
            inference="none",
            advanced=True,
            allow_warnings=True,
            inplace=True,
        )
    top = report_graph.value(predicate=RDF.type, object=SH.ValidationReport)
    results = [_violation(report_graph, result, union, shapes)
               for result in report_graph.objects(top, SH.result)]
    results.sort(key=lambda v: (v.shape, v.focus_node, v.path or "", v.value or "", v.message))
    return ValidationReport(
        conforms=bool(conforms),
        violations=[v for v in results if v.severity == "Violation"],
        warnings=[v for v in results if v.severity != "Violation"],
        graph=report_graph,
    )


def union_graph(data: Graph | Dataset) -> Graph:
    """A new plain graph with the triples of every graph of ``data`` (the default view)."""
    union = Graph()
    bind_prefixes(union)
    if isinstance(data, Dataset):
        union += ((s, p, o) for s, p, o, _ in data.quads((None, None, None, None)))
    else:
        union += data
    return union


@contextlib.contextmanager
def _prepared_queries() -> Iterator[None]:
    """Prepare each SHACL-SPARQL query once, with its triple patterns in the written order.

    pyshacl hands rdflib the query text for every focus node and rdflib parses it again each
    time: tens of milliseconds per node, minutes for a corpus (pitfall P11). rdflib also sorts
    the triple patterns of a group by how many variables they have, without knowing that
    ``$this`` is bound, so a pattern far from the focus node can run first over the whole
    graph. The shapes' queries are written in the order to evaluate them (from ``$this``
    outwards); while this is active, rdflib's SPARQL processor prepares each query text once,
    in that order, and reuses it. The answers are the same; only the evaluation order differs.
    """
    from rdflib.plugins.sparql import algebra, processor

    original = processor.SPARQLProcessor.query
    prepared: dict[tuple, object] = {}

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((initNs or {}).items())))
            if key not in prepared:
                reorder = algebra.reorderTriples
                algebra.reorderTriples = list
                try:
                    parsed = processor.parseQuery(strOrQuery)
                    prepared[key] = processor.translateQuery(parsed, base, initNs)
                finally:
                    algebra.reorderTriples = reorder
            strOrQuery = prepared[key]
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original


# -- the report -------------------------------------------------------------------------------


def short(node: Node | None) -> str | None:
    """A short form for a report: a prefixed name, a truncated literal, ``_:id``."""
    if node is None:
        return None
    if isinstance(node, URIRef):
        text = str(node)
        for namespace, prefix in _SHORT_NAMES:
            if text.startswith(namespace) and len(text) > len(namespace):
                return f"{prefix}:{text[len(namespace):]}"
        return f"<{text}>"
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        lexical = str(node)
        if len(lexical) > _MAX_VALUE:
            lexical = lexical[: _MAX_VALUE - 1] + "…"
        quoted = json.dumps(lexical, ensure_ascii=False)
        if node.language:
            return f"{quoted}@{node.language}"
        if node.datatype and node.datatype != XSD.string:
            return f"{quoted}^^{short(node.datatype)}"
        return quoted
    return str(node)


def _violation(report: Graph, result: Node, data: Graph, shapes: Graph) -> Violation:
    focus = report.value(result, SH.focusNode)
    severity = report.value(result, SH.resultSeverity)
    messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
    article, sentence = fact_context(data, focus)
    label = data.value(focus, RDFS.label) or data.value(focus, SKOS.prefLabel)
    return Violation(
        shape=_shape_name(report.value(result, SH.sourceShape), shapes),
        message=messages[0] if messages else "",
        severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
        focus_node=f"_:{focus}" if isinstance(focus, BNode) else str(focus),
        focus_label=str(label) if label is not None else None,
        path=_path_name(report.value(result, SH.resultPath), report),
        value=short(report.value(result, SH.value)),
        article=article,
        sentence=sentence,
        component=short(report.value(result, SH.sourceConstraintComponent)),
    )


def _shape_name(shape: Node | None, shapes: Graph) -> str:
    """The shape's name; for an unnamed property shape, the node shape that holds it."""
    seen = set()
    while isinstance(shape, BNode) and shape not in seen:
        seen.add(shape)
        parent = next(shapes.subjects(SH.property, shape), None)
        if parent is None:
            break
        shape = parent
    return short(shape) or "?"


def _path_name(path: Node | None, graph: Graph) -> str | None:
    """A SHACL path in SPARQL syntax: ``pol:a``, ``^pol:a``, ``(pol:a / pol:b)``, ``(a | b)``."""
    if path is None or not isinstance(path, BNode):
        return short(path)
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{_path_name(inverse, graph)}"
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        names = (_path_name(p, graph) or "?" for p in Collection(graph, alternatives))
        return "(" + " | ".join(names) + ")"
    for key, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = graph.value(path, key)
        if inner is not None:
            return f"{_path_name(inner, graph)}{mark}"
    if graph.value(path, RDF.first) is not None:
        return "(" + " / ".join(_path_name(p, graph) or "?" for p in Collection(graph, path)) + ")"
    return short(path)


def fact_context(data: Graph, node: Node | None) -> tuple[str | None, str | None]:
    """The article id and evidence sentence of a node: a fact, its evidence or a selector.

    A fact's evidence gives both (``pol:evidence`` → ``pol:sentence``, ``oa:hasSource`` →
    ``pol:articleId``); an evidence node or a selector goes up to its evidence; an article,
    an extraction or a curated fact reported in an article gives the article only.
    """
    if node is None or isinstance(node, Literal):
        return None, None
    evidence = data.value(node, POL.evidence)
    if evidence is None and (
        (node, RDF.type, POL.Evidence) in data or data.value(node, OA.hasSelector) is not None
    ):
        evidence = node
    if evidence is None:
        evidence = data.value(predicate=OA.hasSelector, object=node)
    sentence = data.value(evidence, POL.sentence) if evidence is not None else None
    article = None
    if evidence is not None:
        article = data.value(evidence, OA.hasSource)
    if article is None:
        article = data.value(node, POL.reportedIn)
    if article is None and (node, RDF.type, POL.Article) in data:
        article = node
    if article is None:
        article = data.value(node, PROV.used)
    article_id = data.value(article, POL.articleId) if article is not None else None
    if article is not None and article_id is None:
        article_id = short(article)
    return (
        str(article_id) if article_id is not None else None,
        str(sentence) if sentence is not None else None,
    )


def render_text(report: ValidationReport) -> str:
    """The report as text: a summary line, then each shape with its message and results.

    Each result names the node (and its label), the offending value (with the path, for a
    property), and the article and sentence the node comes from.
    """
    if not report.results:
        return "Conforms: no violations.\n"
    groups: dict[tuple[str, str], list[Violation]] = defaultdict(list)
    for result in report.results:
        groups[(result.severity, result.shape)].append(result)
    head = "Conforms" if report.conforms else "Does not conform"
    lines = [f"{head}: {_count(len(report.violations), 'violation')}, "
             f"{_count(len(report.warnings), 'warning')}."]
    for severity, shape in sorted(groups, key=lambda key: (key[0] != "Violation", key[1])):
        items = groups[(severity, shape)]
        lines += ["", f"{shape} ({severity}, {len(items)})"]
        shared = len({item.message for item in items}) == 1
        if shared:
            lines.append(f"  {items[0].message}")
        for item in items:
            node = item.focus_node
            if not node.startswith("_:"):
                node = short(URIRef(node)) or node
            if item.focus_label:
                node += f" ({json.dumps(item.focus_label, ensure_ascii=False)})"
            if item.path:
                node += f"  {item.path}" + (f": {item.value}" if item.value else "")
            elif item.value and item.value != node:
                node += f"  value: {item.value}"
            lines.append(f"  - {node}")
            if not shared:
                lines.append(f"    {item.message}")
            if item.article:
                where = f"    article {item.article}"
                if item.sentence:
                    where += f": {json.dumps(item.sentence, ensure_ascii=False)}"
                lines.append(where)
    return "\n".join(lines) + "\n"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


# -- files ------------------------------------------------------------------------------------

_POSITION = re.compile(
    r"^Parser error (?:at line \d+ (?:between columns \d+ and \d+|column \d+)"
    r"|between line \d+ column \d+ and line \d+ column \d+): "
)


def load_files(paths: Iterable[Path | str]) -> Dataset:
    """Read RDF files into one dataset; a syntax error raises :class:`TurtleError`.

    TriG and N-Quads keep their named graphs. A Turtle file is taken as hand-written, the way
    ``polgraph build`` takes it: its triples go to ``id:graph/hand/{stem}``, which is a
    ``pol:CuratedGraph`` with ``dcterms:source`` the file name, and each typed subject that has
    neither ``pol:evidence`` nor ``pol:curatedIn`` gets ``pol:curatedIn`` that graph.
    N-Triples go to the default graph.
    """
    dataset = Dataset()
    bind_prefixes(dataset)
    for number, path in enumerate(paths):
        path = Path(path)
        fmt = readable_format(path)
        hand = mint("graph", "hand", path.stem) if fmt == pyoxigraph.RdfFormat.TURTLE else None
        _read(path, fmt, dataset, f"f{number}", hand)
        if hand is not None:
            _curate(dataset.graph(hand), path.name)
    return dataset


def readable_format(path: Path) -> pyoxigraph.RdfFormat:
    """The RDF format of a file to validate, by its suffix; a clear error if it has none of
    :data:`FORMATS` or does not exist."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise UsageError(f"{path}: cannot read this format (known: {known})")
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    return fmt


def validate_files(paths: Iterable[Path | str]) -> ValidationReport:
    """Validate Turtle, TriG, N-Quads or N-Triples files together (see :func:`load_files`)."""
    return validate(load_files(paths))


def _read(path: Path, fmt: pyoxigraph.RdfFormat, dataset: Dataset, prefix: str,
          graph: URIRef | None) -> None:
    blanks: dict[str, BNode] = {}
    graphs: dict[object, Graph] = {}

    def term(node):
        if isinstance(node, pyoxigraph.NamedNode):
            return URIRef(node.value)
        if isinstance(node, pyoxigraph.BlankNode):
            if node.value not in blanks:
                blanks[node.value] = BNode(f"{prefix}x{node.value}")
            return blanks[node.value]
        if isinstance(node, pyoxigraph.Literal):
            if node.language:
                return Literal(node.value, lang=node.language)
            datatype = node.datatype.value
            if datatype == str(XSD.string):
                return Literal(node.value)
            return Literal(node.value, datatype=URIRef(datatype))
        raise TurtleError(str(path), "RDF 1.2 triple terms are not supported")

    def context(name) -> Graph:
        key = graph if graph is not None else name
        if key not in graphs:
            if isinstance(key, pyoxigraph.NamedNode):
                graphs[key] = dataset.graph(URIRef(key.value))
            elif isinstance(key, URIRef):
                graphs[key] = dataset.graph(key)
            else:
                graphs[key] = dataset.default_graph
        return graphs[key]

    try:
        quads = [
            (term(q.subject), term(q.predicate), term(q.object), context(q.graph_name))
            for q in pyoxigraph.parse(path=str(path), format=fmt)
        ]
    except SyntaxError as err:
        reason = _POSITION.sub("", err.msg or str(err)).strip()
        raise TurtleError(str(path), reason, err.lineno, err.offset) from None
    except (OSError, ValueError) as err:
        raise TurtleError(str(path), str(err)) from None
    dataset.addN(quads)


def _curate(graph: Graph, name: str) -> None:
    """Mark a hand-written graph's typed subjects as curated in it, as the build does."""
    node = graph.identifier
    typed = set(graph.subjects(RDF.type, None))
    for subject in typed:
        if (subject, POL.evidence, None) in graph or (subject, POL.curatedIn, None) in graph:
            continue
        graph.add((subject, POL.curatedIn, node))
    graph.add((node, RDF.type, POL.CuratedGraph))
    graph.add((node, DCTERMS.source, Literal(name)))

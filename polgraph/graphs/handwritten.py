"""Hand-written Turtle: the curated graphs, and the gazetteer extraction gets from them.

Each hand-written file becomes one named graph, ``id:graph/hand/{file stem}``
(docs/graph-model.md): the package's base graphs (``polgraph/graphs/hand/*.ttl``), the
corpus metadata beside the articles, and any ``--hand`` folder. A broken file is reported
with its name, line and column (:class:`~polgraph.errors.TurtleError`).

>>> hand = load_hand_files(base_hand_files())              # doctest: +SKIP
>>> entries = gazetteer_entries(hand)                      # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import pyoxigraph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from polgraph.errors import TurtleError
from polgraph.extract.gazetteer import GazetteerEntry
from polgraph.graphs.mint import mint
from polgraph.graphs.vocab import POL, bind_prefixes

#: The internal query that lists the entities of the curated graphs.
GAZETTEER_QUERY = "internal/gazetteer"

_OXIGRAPH_LOCATION = re.compile(r"^Parser error [^:]*:\s*")


@dataclass(frozen=True, eq=False)
class HandGraph:
    """One hand-written file: its named graph's IRI, where it came from, its triples.

    ``graph.identifier`` is ``iri``.
    """

    iri: URIRef
    path: Path
    graph: Graph


def base_hand_files() -> list[Path]:
    """The curated graphs shipped with polgraph (``polgraph/graphs/hand/*.ttl``), sorted."""
    folder = files("polgraph.graphs").joinpath("hand")
    return sorted(
        Path(str(entry)) for entry in folder.iterdir()
        if entry.name.endswith(".ttl") and entry.is_file()
    )


def hand_files_in(folder: Path | str) -> list[Path]:
    """The ``*.ttl`` files of a folder (not its sub-folders), sorted by name."""
    return sorted(path for path in Path(folder).glob("*.ttl") if path.is_file())


def graph_iri(path: Path | str) -> URIRef:
    """The named graph of a hand-written file: ``id:graph/hand/{file stem}``."""
    return mint("graph", "hand", Path(path).stem)


def load_hand_file(path: Path | str) -> HandGraph:
    """Parse one Turtle file; raise :class:`TurtleError` (file:line:column) when it is broken."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise TurtleError(str(path), f"cannot read the file: {err.strerror or err}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        before = data[: err.start].decode("utf-8")
        line, column = _position(before, len(before))
        raise TurtleError(str(path), "not UTF-8 text", line, column) from None
    base = path.resolve().as_uri()
    _check_syntax(path, data, base)
    iri = graph_iri(path)
    graph = Graph(identifier=iri)
    bind_prefixes(graph)
    try:
        graph.parse(data=text, format="turtle", publicID=base)
    except Exception as err:  # rdflib's BadSyntax, or anything its parser raises
        raise _rdflib_error(path, err) from None
    return HandGraph(iri=iri, path=path, graph=graph)


def load_hand_files(paths: Iterable[Path | str]) -> list[HandGraph]:
    """Parse hand-written Turtle files, in the order given."""
    return [load_hand_file(path) for path in paths]


def curate(hand: HandGraph) -> Graph:
    """The named graph of a hand-written file as the builder stores it.

    Adds ``<graph> a pol:CuratedGraph ; dcterms:source "file name"`` and, for every typed
    subject of the file, ``?s pol:curatedIn <graph>``. The input is left as it is.
    """
    graph = Graph(identifier=hand.iri)
    bind_prefixes(graph)
    for triple in hand.graph:
        graph.add(triple)
    graph.add((hand.iri, RDF.type, POL.CuratedGraph))
    graph.add((hand.iri, DCTERMS.source, Literal(hand.path.name)))
    for subject in set(hand.graph.subjects(RDF.type, None)):
        graph.add((subject, POL.curatedIn, hand.iri))
    return graph


def gazetteer_entries(graphs: Iterable[HandGraph | Graph]) -> list[GazetteerEntry]:
    """Every typed, labelled entity of the graphs as plain data for extraction.

    The kind comes from the entity's class (the table in docs/graph-model.md; the most
    specific class wins), the name from ``rdfs:label``, the aliases from ``skos:altLabel``
    and ``within`` from ``pol:containedIn`` or ``pol:partyBodyOf``. Sorted by kind, name
    and IRI.
    """
    from polgraph.queries import load_query, run_query

    union = Graph()
    for item in graphs:
        union += item.graph if isinstance(item, HandGraph) else item
    rows = run_query(load_query(GAZETTEER_QUERY), union).rows
    found: dict[str, dict] = {}
    for row in rows:
        iri = row["entity"]
        if iri is None or iri.startswith("_:"):
            continue
        entry = found.setdefault(
            iri, {"rank": None, "kind": None, "labels": set(), "aliases": set(), "within": set()}
        )
        rank = int(row["rank"])
        if entry["rank"] is None or rank < entry["rank"]:
            entry["rank"], entry["kind"] = rank, row["kind"]
        entry["labels"].add(row["label"])
        if row.get("alias"):
            entry["aliases"].add(row["alias"])
        if row.get("within"):
            entry["within"].add(row["within"])
    entries = []
    for iri, entry in found.items():
        name = min(entry["labels"])
        aliases = tuple(sorted((entry["aliases"] | entry["labels"]) - {name}))
        within = min(entry["within"]) if entry["within"] else None
        entries.append(GazetteerEntry(name, entry["kind"], iri, aliases, within))
    return sorted(entries, key=lambda e: (e.kind, e.name, e.iri))


# -- errors ------------------------------------------------------------------------------------
def _check_syntax(path: Path, data: bytes, base: str) -> None:
    """Parse with Oxigraph first: strict, and its errors give an exact line and column."""
    try:
        for _ in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE, base_iri=base):
            pass
    except SyntaxError as err:
        reason = _OXIGRAPH_LOCATION.sub("", err.msg or str(err)) or "invalid Turtle"
        raise TurtleError(str(path), reason, err.lineno, err.offset) from None


def _rdflib_error(path: Path, err: Exception) -> TurtleError:
    """A TurtleError from what rdflib raised: its BadSyntax keeps the text and the index."""
    data, index = getattr(err, "_str", None), getattr(err, "_i", None)
    reason = getattr(err, "_why", None) or str(err) or type(err).__name__
    if isinstance(data, bytes) and isinstance(index, int):
        # BadSyntax stores the text UTF-8 encoded, but the index counts characters.
        line, column = _position(data.decode("utf-8", errors="replace"), index)
        return TurtleError(str(path), reason, line, column)
    return TurtleError(str(path), reason)


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a character index."""
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1

"""The build's TriG, Turtle and JSON-LD files, put together from per-graph pieces.

Each sorted N-Quads file of the build (the fixed graphs, each article graph, the resolution
graph) is serialised once per format by Oxigraph, without its prefix header; a piece of an
article graph is cached beside its N-Quads under the article's hash, so a rebuild serialises
only new and changed articles and the files are a concatenation, in the build's order. The
same inputs give the same bytes, whether the pieces were cached or not.

* ``graph.trig``: one block per named graph.
* ``graph.jsonld``: an array of ``{"@id": graph, "@graph": [...]}`` objects, one per graph
  (Oxigraph's form for a dataset).
* ``graph.ttl``: the union of the graphs as Turtle, written graph after graph: a triple that
  several graphs state (a party's type and label) comes once per graph, and a node described
  in several graphs has one paragraph in each. Turtle readers merge them; the triples are the
  union's. (Sorting the union into one paragraph per node would cost a pass over the whole
  graph on every rebuild: ``polgraph query`` or the store give a node's description whole.)
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph

from polgraph.graphs.export import prefixes, write_atomic

#: The formats, their file names and Oxigraph formats.
FORMATS = {"trig": pyoxigraph.RdfFormat.TRIG, "ttl": pyoxigraph.RdfFormat.TURTLE,
           "jsonld": pyoxigraph.RdfFormat.JSON_LD}
#: Part of the cached pieces' names: change it when the pieces' form changes.
PIECE_VERSION = "x1"


def piece_kind(fmt: str) -> str:
    """The cache file kind of one format's piece (``export-x1.trig``)."""
    return f"export-{PIECE_VERSION}.{fmt}"


def header() -> str:
    """The prefix declarations of the TriG and Turtle files, sorted."""
    return "".join(f"@prefix {name}: <{namespace}> .\n"
                   for name, namespace in sorted(prefixes().items()))


def pieces(nquads: Path) -> dict[str, bytes]:
    """One N-Quads file as a piece of each format (graphs in order of their IRIs)."""
    quads = list(pyoxigraph.parse(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS))
    quads.sort(key=lambda quad: str(quad.graph_name))  # stable: sorted lines within a graph
    found = {}
    for fmt, rdf_format in FORMATS.items():
        if fmt == "ttl":
            data = pyoxigraph.serialize((quad.triple for quad in quads), format=rdf_format,
                                        prefixes=prefixes())
        elif fmt == "trig":
            data = pyoxigraph.serialize(quads, format=rdf_format, prefixes=prefixes())
        else:
            data = pyoxigraph.serialize(quads, format=rdf_format)
        found[fmt] = _body(fmt, data or b"")
    return found


def _body(fmt: str, data: bytes) -> bytes:
    """A serialisation without what the whole file has once: prefixes, JSON's brackets."""
    if fmt == "jsonld":
        text = data.strip()
        if not text:
            return b""
        if not (text.startswith(b"[") and text.endswith(b"]")):
            raise ValueError("unexpected JSON-LD from Oxigraph: not an array")
        return text[1:-1].strip()
    lines = data.split(b"\n")
    start = 0
    while start < len(lines) and lines[start].startswith(b"@prefix "):
        start += 1
    body = b"\n".join(lines[start:]).strip(b"\n")
    return body + b"\n" if body else b""


class PieceSource:
    """Where each N-Quads file's pieces come from: the cache, or made now (and cached)."""

    def __init__(self, nquads: Path, cached: dict[str, Path] | None = None) -> None:
        self.nquads = nquads
        self.cached = cached or {}
        self._made: dict[str, bytes] | None = None

    def piece(self, fmt: str) -> bytes:
        path = self.cached.get(fmt)
        if path is not None and path.is_file():
            return path.read_bytes()
        if self._made is None:
            self._made = pieces(self.nquads)
            for kind, target in self.cached.items():
                write_atomic(target, self._made[kind])
        return self._made[fmt]

    def release(self) -> None:
        """Forget the pieces made (they are in the cache and the files)."""
        self._made = None


def write_exports(out: Path, sources: Iterable[PieceSource],
                  formats: Iterable[str] = tuple(FORMATS)) -> None:
    """``graph.trig``, ``graph.ttl`` and ``graph.jsonld`` in ``out`` from the sources' pieces,
    each written to a temporary file and renamed into place."""
    formats = list(formats)
    temporaries = {fmt: out / f".graph.{fmt}.tmp" for fmt in formats}
    handles = {fmt: temporaries[fmt].open("wb") for fmt in formats}
    try:
        first = {fmt: True for fmt in formats}
        for fmt in formats:
            handles[fmt].write(b"[" if fmt == "jsonld" else header().encode("utf-8"))
        for source in sources:
            for fmt in formats:
                piece = source.piece(fmt)
                if not piece:
                    continue
                if fmt == "jsonld":
                    handles[fmt].write(b"" if first[fmt] else b",\n")
                else:
                    handles[fmt].write(b"\n")
                first[fmt] = False
                handles[fmt].write(piece)
            source.release()  # a corpus's pieces would not fit in memory together
        for fmt in formats:
            if fmt == "jsonld":
                handles[fmt].write(b"]\n")
            handles[fmt].close()
            os.replace(temporaries[fmt], out / f"graph.{fmt}")
    finally:
        for fmt in formats:
            handles[fmt].close()
            temporaries[fmt].unlink(missing_ok=True)

"""Writing the dataset: sorted N-Quads (byte-for-byte reproducible), TriG, Turtle, JSON-LD.

Every file is written to a temporary file beside its target and renamed into place, so a
failed or interrupted build never leaves a half-written output.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph
from rdflib import Graph

from polgraph.graphs.vocab import PREFIXES


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def nquads_lines(graph: Graph) -> list[str]:
    """The N-Quads lines of one rdflib named graph (unsorted, no trailing newline).

    Lines end at line feeds only: a literal may hold other line separators (U+2028, U+0085,
    form feed), which N-Triples writes as they are. (Article graphs are written without
    rdflib: :func:`polgraph.graphs.rdf.article_nquads`.)
    """
    name = f"<{graph.identifier}>"
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = []
    for line in text.split("\n"):
        line = line.strip()
        if line.endswith(" ."):
            lines.append(f"{line[:-2]} {name} .")
    return lines


def sorted_nquads(lines: Iterable[str]) -> bytes:
    """Sorted, de-duplicated N-Quads: the same input gives the same bytes."""
    unique = sorted(set(lines))
    return ("\n".join(unique) + "\n").encode("utf-8") if unique else b""


def prefixes() -> dict[str, str]:
    return {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def write_exports(store: pyoxigraph.Store, out: Path, formats: Iterable[str]) -> list[Path]:
    """TriG, Turtle (the union of all graphs) and JSON-LD from the built store."""
    written = []
    for fmt in formats:
        if fmt == "trig":
            data = store.dump(format=pyoxigraph.RdfFormat.TRIG, prefixes=prefixes())
            target = out / "graph.trig"
        elif fmt == "ttl":
            triples = store.query(
                "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True
            )
            data = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE,
                                        prefixes=prefixes())
            target = out / "graph.ttl"
        elif fmt == "jsonld":
            data = store.dump(format=pyoxigraph.RdfFormat.JSON_LD)
            target = out / "graph.jsonld"
        else:
            raise ValueError(f"unknown export format {fmt!r}")
        write_atomic(target, data)
        written.append(target)
    return written

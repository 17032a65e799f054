"""polgraph's ontology and SHACL shapes, shipped inside the package.

``polgraph.ttl`` holds the classes, properties and SKOS concepts of docs/graph-model.md;
``alignments.ttl`` the trimmed upper-vocabulary axioms validation needs (pitfall P2 of
research/ontology.md); ``shapes.ttl`` the SHACL shapes. Each is parsed once and cached:
treat the graphs you get as read-only.
"""

from __future__ import annotations

import functools
from importlib.resources import files

from rdflib import Graph

from polgraph.graphs.vocab import bind_prefixes

ONTOLOGY_FILES = ("polgraph.ttl", "alignments.ttl")
SHAPES_FILE = "shapes.ttl"


def read_text(name: str) -> str:
    """The text of one of the package's ontology files."""
    return files("polgraph.ontology").joinpath(name).read_text(encoding="utf-8")


def _parse(*names: str) -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    for name in names:
        graph.parse(data=read_text(name), format="turtle")
    return graph


@functools.lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology (polgraph.ttl) with the upper-vocabulary axioms (alignments.ttl)."""
    return _parse(*ONTOLOGY_FILES)


@functools.lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The SHACL shapes (shapes.ttl)."""
    return _parse(SHAPES_FILE)

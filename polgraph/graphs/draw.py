"""``polgraph draw``: the entity view of a build, narrowed, as a page or a graph file.

:mod:`polgraph.graphs.view` turns the graph into a networkx network with the draw queries;
this module narrows it (article, types, neighbourhood of a focus) and writes it: an offline
HTML page (:mod:`polgraph.graphs.page`), GraphML or GEXF for Gephi and Cytoscape, or
networkx node-link JSON.

The narrowing is done in the store, not on the whole view: ``--articles`` binds the queries
to those articles; ``--types`` fetches whole only the kinds of facts whose edges can join
two wanted types; ``--focus`` finds its nodes among the entities whose name contains it,
then fetches the facts around them a hop at a time. What is drawn is what narrowing the
whole view would give (:func:`~polgraph.graphs.view.select_types`, then
:func:`~polgraph.graphs.view.neighbourhood`), which is applied last to the small view.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from polgraph.errors import UsageError
from polgraph.graphs.page import READABLE_NODES, write_page
from polgraph.graphs.view import Views, parse_types, select_types

FORMATS = ("html", "graphml", "gexf", "json")
SUFFIXES = {"html": ".html", "graphml": ".graphml", "gexf": ".gexf", "json": ".json"}
MAX_FOCUS_MATCHES = 20

__all__ = ["FORMATS", "READABLE_NODES", "DrawOptions", "Drawing", "draw_build", "draw_view",
           "write_graph"]


@dataclass(frozen=True)
class DrawOptions:
    """What to draw: all of it by default."""

    focus: str | None = None  #: a name, alias or IRI: draw its neighbourhood only
    hops: int = 1  #: the neighbourhood's radius, in edges
    types: Sequence[str] | None = None  #: node types to keep (see view.NODE_TYPES)
    articles: Sequence[str] | None = None  #: article ids: only the facts they report
    statements_as_nodes: bool = False  #: statements as nodes instead of edges


@dataclass
class Drawing:
    """A drawn network and how it was narrowed."""

    graph: nx.MultiDiGraph
    #: nodes of the whole view, before types and focus; None when the view was narrowed in
    #: the store (the whole view was never built)
    total_nodes: int | None
    centres: list[str] = field(default_factory=list)  #: the nodes --focus matched

    @property
    def too_big(self) -> bool:
        """Whether the page has more nodes than a reader can take in."""
        return self.graph.number_of_nodes() > READABLE_NODES


def draw_view(source: Any, options: DrawOptions = DrawOptions()) -> Drawing:
    """The narrowed entity view of ``source`` (a pyoxigraph Store, rdflib dataset or
    endpoint URL). Raises :class:`UsageError` for an unknown type or article, a negative
    ``hops``, or a focus that matches nothing."""
    if options.hops < 0:
        raise UsageError(f"--hops must be 0 or more, not {options.hops}")
    types = parse_types(options.types) if options.types is not None else None
    views = Views(source, statements_as_nodes=options.statements_as_nodes,
                  articles=options.articles)
    if options.focus is None:
        if types is None:
            graph = views.view()
            return Drawing(graph, graph.number_of_nodes())
        return Drawing(select_types(views.view(types=types), types), None)
    centres, around = views.centres(options.focus, types)
    if not centres:
        among = f" among the types {', '.join(types)}" if types is not None else ""
        raise UsageError(f"--focus {options.focus!r} matches no node{among}: give a name, "
                         "an alias or an IRI (id:person/… works) of a drawn node")
    if len(centres) > MAX_FOCUS_MATCHES:
        names = "; ".join(around.nodes[c]["label"] for c in centres[:8])
        raise UsageError(f"--focus {options.focus!r} matches {len(centres)} nodes ({names}; "
                         "…): give a fuller name or an IRI")
    graph = views.neighbourhood_view(centres, options.hops, types)
    return Drawing(graph, None, centres)


def write_graph(graph: nx.MultiDiGraph, path: Path, fmt: str = "html",
                title: str = "polgraph network") -> Path:
    """Write ``graph`` as ``fmt``: ``html`` (the offline page), ``graphml``, ``gexf`` or
    ``json`` (networkx node-link data)."""
    path = Path(path)
    if fmt == "html":
        return write_page(graph, path, title)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        nx.write_graphml(graph, path)
    elif fmt == "gexf":
        nx.write_gexf(graph, path)
    elif fmt == "json":
        data = nx.node_link_data(graph, edges="edges")
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        raise UsageError(f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}")
    return path


def draw_build(build_dir: Path, out: Path | None = None, fmt: str = "html",
               options: DrawOptions = DrawOptions()) -> tuple[Drawing, Path]:
    """Draw the build in ``build_dir`` to ``out`` (default ``BUILD/network.<fmt>``)."""
    from polgraph.graphs.store import open_store

    store = open_store(Path(build_dir))
    drawing = draw_view(store, options)
    out = Path(out) if out is not None else Path(build_dir) / f"network{SUFFIXES[fmt]}"
    title = f"polgraph: {Path(build_dir).resolve().name}"
    if options.focus:
        title += f", around {options.focus}"
    return drawing, write_graph(drawing.graph, out, fmt, title)

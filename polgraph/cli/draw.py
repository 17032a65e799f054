"""``polgraph draw``."""

from __future__ import annotations

from pathlib import Path

import click

from polgraph.cli import cli
from polgraph.cli._common import build_option, default_build_dir, handle_errors


def _split(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


@cli.command()
@build_option
@click.option("--out", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="File to write [default: BUILD/network.html, or .graphml, .gexf, .json].")
@click.option("--focus", metavar="NAME|IRI", default=None,
              help="Draw only the neighbourhood of this node: a name, an alias or an IRI "
                   "(id:person/… works).")
@click.option("--hops", type=int, default=1, show_default=True,
              help="With --focus: how many edges away from it to draw.")
@click.option("--types", metavar="T,...", default=None,
              help="Only these node types: person, party, council, organisation, media, "
                   "ward, constituency, place, event, statement (plurals work too).")
@click.option("--articles", metavar="A,...", default=None,
              help="Only the facts these articles report (article ids); curated facts are "
                   "then left out.")
@click.option("--statements-as-nodes", is_flag=True,
              help="Draw each statement as a node (speaker → statement → what it is about) "
                   "instead of an edge.")
@click.option("--format", "fmt", type=click.Choice(["html", "graphml", "gexf", "json"]),
              default=None,
              help="html: the page; graphml or gexf: for Gephi, Cytoscape, yEd; json: networkx "
                   "node-link data [default: from --out's suffix, else html].")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors and warnings.")
@handle_errors
def draw(build_dir: Path | None, out: Path | None, focus: str | None, hops: int,
         types: str | None, articles: str | None, statements_as_nodes: bool, fmt: str | None,
         quiet: bool) -> None:
    """Draw who is connected to whom, and why, as a page to open in a browser.

    Nodes are people, parties, councils, organisations, wards, constituencies, places and
    events; edges are memberships (labelled with the role), statements (speaker → what the
    statement is about, labelled with the quote's opening), election results (party → area)
    and events. Hover for a summary, click for the quotes and the articles they come from;
    the search box finds a node, the legend filters by type. The page works offline.

    On a large graph, narrow the drawing: --focus, --types and --articles are done in the
    store, so only that part of the graph is read (--focus reads a hop at a time).

    \b
    Examples:
        polgraph draw                                  # build/ -> build/network.html
        polgraph draw --focus "Ken Livingstone" --hops 2 --out ken.html
        polgraph draw --types person,party --articles bury-2016-local-elections
        polgraph draw --format graphml --out network.graphml   # for Gephi
    """
    from polgraph.graphs.draw import SUFFIXES, DrawOptions, draw_build

    if fmt is None:
        suffix = out.suffix.lower() if out is not None else ".html"
        fmt = next((f for f, s in SUFFIXES.items() if s == suffix), "html")
    options = DrawOptions(focus=focus, hops=hops, types=_split(types),
                          articles=_split(articles), statements_as_nodes=statements_as_nodes)
    drawing, path = draw_build(build_dir or default_build_dir(), out, fmt, options)
    graph = drawing.graph
    if drawing.too_big and fmt == "html":
        click.echo(f"Warning: {graph.number_of_nodes()} nodes is more than a page can show "
                   "readably; try --focus NAME --hops 2, or --types person,party.", err=True)
    if not quiet:
        around = ""
        if drawing.centres:
            names = ", ".join(graph.nodes[c]["label"] for c in drawing.centres[:5])
            around = f" within {hops} hop{'s' if hops != 1 else ''} of {names}"
        whole = (f" (of {drawing.total_nodes} nodes in the graph)"
                 if drawing.total_nodes is not None else "")
        click.echo(f"Wrote {path}: {graph.number_of_nodes()} nodes, "
                   f"{graph.number_of_edges()} edges{around}{whole}.")

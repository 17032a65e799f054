"""The network page: a networkx entity view → a pyvis network → one self-contained, offline,
safe HTML file.

* **pyvis is the model**: :func:`pyvis_network` builds a :class:`pyvis.network.Network`
  whose ``nodes`` and ``edges`` are lists of dicts in pyvis's own format (``id``, ``label``,
  ``shape``, ``group``, ``value``; ``from``, ``to``, ``width``…, plus the details the page
  shows under ``d``) and whose vis-network options are set through pyvis
  (``force_atlas_2based``, ``toggle_stabilization``, ``set_edge_smooth``,
  ``toggle_hide_edges_on_drag``, ``inherit_edge_colors``, ``options.layout``…). The page
  carries exactly ``Network.get_network_data()``: its nodes, edges and options JSON.
* **Fast**: the node and edge lists are filled in one pass, straight into ``net.nodes`` and
  ``net.edges`` (with ``node_ids`` and ``node_map`` kept consistent), instead of through
  pyvis's ``add_node``/``add_edge``, which look for duplicates in a list (quadratic):
  10,000 nodes and 30,000 edges render in about a second.
* **Offline**: pyvis's own templates are not used (they load vis-network and bootstrap from
  a CDN or a ``lib/`` folder, render without autoescaping, and make HTML tooltips out of
  strings). polgraph renders its own template (``assets/page.html``) with vis-network
  (``assets/vis-network.min.js``, 9.1.13 from the npm registry, Apache-2.0 OR MIT) and the
  page's own script and style inlined; the page loads nothing from any host, and its
  Content-Security-Policy forbids it to.
* **Safe**: the graph travels as JSON in a ``<script type="application/json">`` element with
  ``<``, ``>`` and ``&`` written as ``\\u003c``…, so article text cannot close the element;
  the page script puts text into the document with ``textContent`` only (tooltips and the
  details panel are built from DOM nodes, never HTML strings; no node or edge has a pyvis
  ``title``); the policy allows only the page's own inline scripts (by hash), so an injected
  ``<script>`` or ``onerror`` would not run even if it reached the document.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections import Counter
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import networkx as nx
from markupsafe import Markup

from polgraph import __version__
from polgraph.graphs.view import NODE_TYPES, opening

if TYPE_CHECKING:
    from pyvis.network import Network

#: Colour, vis-network shape and legend glyph of each node type.
TYPE_STYLES: dict[str, tuple[str, str, str]] = {
    "person": ("#4e79a7", "dot", "\u25cf"),
    "party": ("#e15759", "diamond", "\u25c6"),
    "council": ("#f28e2b", "square", "\u25a0"),
    "organisation": ("#76b7b2", "triangle", "\u25b2"),
    "media": ("#b07aa1", "triangleDown", "\u25bc"),
    "ward": ("#59a14f", "hexagon", "\u2b22"),
    "constituency": ("#2f7d6d", "hexagon", "\u2b22"),
    "place": ("#9c755f", "star", "\u2605"),
    "event": ("#edc948", "box", "\u25ac"),
    "statement": ("#bab0ac", "ellipse", "\u2b2d"),
}
#: Colour and dashes of each edge kind, in legend order.
KIND_STYLES: dict[str, tuple[str, bool]] = {
    "membership": ("#4e79a7", False),
    "post": ("#59a14f", False),
    "statement": ("#f28e2b", False),
    "result": ("#e15759", False),
    "event": ("#b8a22e", False),
    "link": ("#9d9d9d", True),
}
#: Labels on the canvas are cut to this length; the tooltip has the whole label.
LABEL_CHARS = 48
#: Above this many nodes the page is hard to read; draw suggests --focus or --types.
READABLE_NODES = 2000
#: The page's title when none is given.
TITLE = "polgraph network"

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
            "\u2029": "\\u2029"}


def script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` survives, so
    ``</script>`` or ``<!--`` in the data cannot end or change the element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in _ESCAPES.items():
        text = text.replace(char, escape)
    return text


@cache
def asset(name: str) -> str:
    """The text of a file in ``polgraph/graphs/assets``."""
    return resources.files("polgraph.graphs").joinpath("assets", name).read_text("utf-8")


def _inline_script(text: str) -> str:
    lowered = text.lower()
    if "</script" in lowered or "<!--" in lowered:  # would end or alter the element
        raise ValueError("script cannot be inlined: it contains </script or <!--")
    return text


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _node_details(data: dict[str, Any]) -> dict[str, Any]:
    details = {k: v for k, v in data.items() if k not in ("label", "aliases") and v != ""}
    details["aliases"] = [a for a in (data.get("aliases") or "").split("; ") if a]
    return details


def _edge_details(data: dict[str, Any]) -> dict[str, Any]:
    details = {k: v for k, v in data.items() if k != "label" and v != ""}
    for key in ("quotes", "records"):
        if key in details:
            details[key] = json.loads(details[key])
    return details


def _short(label: Any) -> str:
    return opening(str(label), LABEL_CHARS)


def _with_label(details: dict[str, Any], label: Any) -> dict[str, Any]:
    """Details carry the whole label only when the canvas label is cut."""
    if _short(label) != str(label):
        details["label"] = str(label)
    return details


def stabilization_iterations(nodes: int) -> int:
    """How many physics steps vis-network may take to settle ``nodes`` nodes before the
    page shows them (fewer for big networks, whose every step costs more)."""
    return max(100, min(1000, 200_000 // max(nodes, 1)))


def configure(net: Network) -> Network:
    """Set the vis-network options of ``net`` (after its nodes are in) through pyvis:
    colour and shape by class (groups), size by mentions (scaling), arrows, and physics that
    settles, after which the page turns it off."""
    from pyvis.options import Layout

    nodes = len(net.nodes)
    big = nodes > READABLE_NODES
    options = net.options
    # Physics: ForceAtlas2 (pyvis's defaults for the rest are vis-network's), stabilized.
    net.force_atlas_2based(gravity=-60, spring_length=110, overlap=0.1)
    net.toggle_physics(True)
    net.toggle_stabilization(True)
    stabilization = options.physics.stabilization
    stabilization.iterations = stabilization_iterations(nodes)
    stabilization.updateInterval = 25
    stabilization.fit = True
    options.physics.minVelocity = 1
    # Edges: each has its kind's colour; curved unless there are too many to draw smoothly.
    net.inherit_edge_colors(False)
    net.set_edge_smooth("continuous")
    options.edges.smooth.enabled = not big
    options.edges.arrows = {"to": {"enabled": True, "scaleFactor": 0.5}}
    options.edges.font = {"size": 10, "align": "middle", "color": "#444444", "strokeWidth": 3}
    options.edges.selectionWidth = 2
    # Layout: repeatable; vis-network's improved (Kamada-Kawai) start only for small networks.
    options.layout = Layout(randomSeed=7, improvedLayout=nodes <= 300)
    options.layout.hierarchical.enabled = False  # pyvis's Layout turns it on
    # Interaction: hover drives polgraph's own tooltips; big networks drop edges while moving.
    net.toggle_hide_edges_on_drag(big)
    net.toggle_hide_nodes_on_drag(False)
    net.toggle_drag_nodes(True)
    interaction = options.interaction
    interaction.hideEdgesOnZoom = big
    interaction.hover = True
    interaction.tooltipDelay = 100
    interaction.multiselect = False
    # Nodes: colour and shape by class, size by number of mentions.
    options.groups = {t: {"shape": shape,
                          "color": {"background": colour, "border": "#555555",
                                    "highlight": {"background": colour, "border": "#000000"}}}
                      for t, (colour, shape, _) in TYPE_STYLES.items()}
    options.nodes = {"borderWidth": 1, "font": {"size": 13},
                     "scaling": {"min": 8, "max": 40,
                                 "label": {"enabled": True, "min": 12, "max": 20,
                                           "drawThreshold": 6}}}
    return net


def pyvis_network(graph: nx.MultiDiGraph, title: str = TITLE) -> Network:
    """The pyvis network of ``graph``: nodes (integer ids) and edges filled in one pass, in
    pyvis's format, without pyvis's quadratic ``add_node``; options set by :func:`configure`.
    """
    from pyvis.network import Network  # here: pyvis imports IPython, which takes a while

    net = Network(directed=True, heading=title, cdn_resources="in_line")
    index: dict[Any, int] = {}
    nodes = net.nodes
    for i, (key, data) in enumerate(graph.nodes(data=True)):
        index[key] = i
        node_type = data.get("type", "organisation")
        shape = TYPE_STYLES[node_type][1] if node_type in TYPE_STYLES else "dot"
        nodes.append({"id": i, "label": _short(data.get("label", key)), "shape": shape,
                      "group": node_type, "value": data.get("mentions", 0),
                      "d": _with_label(_node_details(data), data.get("label", key))})
    net.node_ids = list(range(len(nodes)))
    net.node_map = dict(zip(net.node_ids, nodes, strict=True))
    edges = net.edges
    parallel: dict[tuple[int, int], int] = {}
    for i, (a, b, data) in enumerate(graph.edges(data=True)):
        kind = data.get("kind", "link")
        colour, dashes = KIND_STYLES.get(kind, ("#999999", False))
        count = int(data.get("count", 1))
        edge = {"id": i, "from": index[a], "to": index[b],
                "label": _short(data.get("label", "")), "kind": kind,
                "color": {"color": colour, "highlight": colour, "hover": colour},
                "dashes": dashes or bool(data.get("contradicted")),
                "width": 1 + math.log2(count),
                "d": _with_label(_edge_details(data), data.get("label", ""))}
        pair = (min(edge["from"], edge["to"]), max(edge["from"], edge["to"]))
        nth = parallel[pair] = parallel.get(pair, -1) + 1
        if nth:  # bend parallel edges apart, alternately to either side
            edge["smooth"] = {"enabled": True, "type": "curvedCW" if nth % 2 else "curvedCCW",
                              "roundness": 0.25 * ((nth + 1) // 2)}
        edges.append(edge)
    return configure(net)


def page_data(source: nx.MultiDiGraph | Network) -> dict[str, Any]:
    """What the page script reads: the nodes, edges and options of the pyvis network of
    ``source`` (a graph, or a network from :func:`pyvis_network`), the legend and how long
    to let the physics run at most."""
    net = pyvis_network(source) if isinstance(source, nx.Graph) else source
    nodes, edges, _, _, _, options = net.get_network_data()
    type_counts = dict.fromkeys(NODE_TYPES, 0) | Counter(n["group"] for n in nodes)
    kind_counts = dict.fromkeys(KIND_STYLES, 0) | Counter(e["kind"] for e in edges)
    types = [{"name": t, "label": t, "count": n, "color": TYPE_STYLES[t][0],
              "glyph": TYPE_STYLES[t][2]} for t, n in type_counts.items() if n]
    kinds = [{"name": k, "label": k, "count": n, "color": KIND_STYLES[k][0],
              "dashes": KIND_STYLES[k][1]} for k, n in kind_counts.items() if n]
    return {"nodes": nodes, "edges": edges, "types": types, "kinds": kinds,
            "options": json.loads(options),
            "settle_ms": 20_000 + 3 * len(nodes) + len(edges)}


def render_page(graph: nx.MultiDiGraph, title: str = TITLE) -> str:
    """The HTML page of ``graph``: its pyvis network in polgraph's own template; one file,
    no request to any host, every text escaped."""
    net = pyvis_network(graph, title)
    vis_js = _inline_script(asset("vis-network.min.js"))
    page_js = _inline_script(asset("page.js"))
    csp = "; ".join((
        "default-src 'none'",
        f"script-src {_csp_hash(vis_js)} {_csp_hash(page_js)}",
        "style-src 'unsafe-inline'",
        "img-src data: blob:",
        "font-src data:",
        "connect-src 'none'",
        "form-action 'none'",
        "base-uri 'none'",
    ))
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True)
    template = env.from_string(asset("page.html"))
    return template.render(
        title=net.heading, version=__version__, csp=Markup(csp),
        css=Markup(asset("page.css")),
        data=Markup(script_json(page_data(net))),
        vis_js=Markup(vis_js),
        page_js=Markup(page_js),
    )


def write_page(graph: nx.MultiDiGraph, path: Path, title: str = TITLE) -> Path:
    """Write :func:`render_page` to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_page(graph, title), encoding="utf-8")
    return path

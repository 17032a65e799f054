"""The entity view: the graph as a network of who is connected to whom, and why.

Built from the named queries in ``polgraph/queries/draw/`` (never by walking triples), so
it works over the build's Oxigraph store, an rdflib dataset or a SPARQL endpoint alike.

Nodes are people, parties, councils, organisations, media outlets, wards, constituencies,
places and events, keyed by IRI. Edges (a :class:`networkx.MultiDiGraph`) are

* ``membership``: person → organisation, labelled with the role; ``post``: person → the
  ward, constituency or area of that role;
* ``statement``: speaker → each entity the statement is about, labelled with the quote's
  opening; several statements between the same two are one edge with a ``count``;
* ``result``: party → area, labelled with the result's kind;
* ``event``: subject → event, labelled with the event's type;
* ``link``: place → enclosing place, council → area, party body → party.

Every attribute is a string or a number, so GraphML and GEXF writers take the graph as it
is; lists of records (the quotes of a statement edge) are JSON strings. Nodes, and edges,
come in a fixed order (by IRI), whatever order the store answers in.

A view can be narrowed in the store (:class:`Views`): to the facts that touch some nodes
(and those nodes' mentions) — which gives exactly the full view's nodes among them, with
the same attributes, and the full view's edges between them — or, for ``--types``, to the
kinds of facts whose edges can join the wanted types (the others give only their nodes).
``polgraph draw --focus`` walks the neighbourhood this way, a hop at a time, and never
builds the whole view.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from polgraph.errors import UsageError
from polgraph.queries import load_query, run_query

ONTOLOGY = "https://w3id.org/polgraph/ontology#"
ID = "https://w3id.org/polgraph/id/"

#: Node types, most specific first: an entity with several classes takes the first.
CLASS_TYPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("person", ("Person",)),
    ("party", ("PoliticalParty",)),
    ("council", ("Council",)),
    ("media", ("MediaOutlet",)),
    ("organisation", ("PartyBody", "CommunityGroup", "Legislature", "GovernmentBody",
                      "Organisation")),
    ("ward", ("Ward",)),
    ("constituency", ("Constituency",)),
    ("place", ("CouncilArea", "City", "Region", "Country", "ElectoralArea", "Place")),
)
#: Every node type of the view, in legend order.
NODE_TYPES: tuple[str, ...] = (*(t for t, _ in CLASS_TYPES), "event", "statement")
#: Other spellings accepted by ``--types``.
TYPE_ALIASES = {
    "people": "person", "parties": "party", "councils": "council",
    "organisations": "organisation", "organization": "organisation",
    "organizations": "organisation", "wards": "ward", "constituencies": "constituency",
    "places": "place", "events": "event", "statements": "statement",
}
#: The IRI kind segment (``id:{kind}/…``) → node type, for entities the store gives no class.
KIND_TYPES = {
    "person": "person", "party": "party", "council": "council", "media": "media",
    "ward": "ward", "constituency": "constituency", "council-area": "place", "city": "place",
    "region": "place", "country": "place", "place": "place", "event": "event",
}
OPENING_CHARS = 40
#: The node types each end of a result edge (party → area) has in the graph model
#: (docs/graph-model.md); ``organisation`` is the type of an entity of no known class.
RESULT_PARTY_TYPES = frozenset({"party", "organisation"})
RESULT_AREA_TYPES = frozenset({"council", "ward", "constituency", "place", "organisation"})

Row = dict[str, str | None]

#: Above this many IRIs per thousand articles, a narrowed query reads the whole table and
#: keeps the rows in Python: asking the store for each IRI costs about 1 ms (each one is
#: several index lookups), reading a whole table about 0.2 ms per thousand articles' worth.
IRIS_PER_1000_ARTICLES = 200
#: A whole table of entities or articles is read above 1/NAMES_PER_IRI of that many.
NAMES_PER_IRI = 10
#: The columns holding the IRIs a fact row is about, per kind (the fact itself first).
FACT_NODES = {
    "memberships": ("membership", "person", "organisation", "area"),
    "statements": ("statement", "speaker", "about", "medium"),
    "results": ("result", "party", "area"),
    "events": ("event", "subject"),
}
#: The two ends of the edges of a fact row, per kind: (one end, the other ends).
FACT_ENDS = {
    "memberships": ("person", ("organisation", "area")),
    "statements": ("speaker", ("about",)),
    "results": ("party", ("area",)),
}

#: The parameter that narrows a fact query to the facts with one end of their edge among
#: some IRIs: the end with the fewer facts each (a party has thousands of results, an area
#: a few). Binding both ``inside`` and ``inside2`` has Oxigraph join every pair of the two
#: lists, so one is bound and the other end is checked in Python.
INSIDE_PARAMS = {"memberships": "inside", "statements": "inside", "results": "inside2"}

#: Queries with a second form for reading a whole table (all the rows, or those of some
#: articles): the same rows, with each optional pattern read once and joined by hashing,
#: which is much faster for a whole table and much slower for a few IRIs.
TABLE_QUERIES = {"memberships": "memberships-all", "results": "results-all",
                 "statements": "statements-all"}


def rows(name: str, source: Any, params: dict[str, Any] | None = None, *,
         limit: int | None = None, whole: bool = False) -> list[Row]:
    """The rows of the draw query ``name`` (``polgraph/queries/draw/{name}.rq``) over
    ``source``, with ``params`` (a value or a list of values each). ``whole``: the query
    is not narrowed to some IRIs, so its whole-table form (``{name}-all.rq``, the same
    rows, see :data:`TABLE_QUERIES`) is run when it has one."""
    if whole and name in TABLE_QUERIES:
        name = TABLE_QUERIES[name]
    return run_query(load_query(f"draw/{name}"), source, params, limit=limit).rows


def _in_order(found: Iterable[Row]) -> list[Row]:
    """Rows in a fixed order (by their values), whatever order the store gave them in."""
    return sorted(found, key=lambda row: tuple((v is not None, v or "") for v in row.values()))


def opening(text: str, limit: int = OPENING_CHARS) -> str:
    """The first words of ``text``, at most ``limit`` characters, with … when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(",;:") + "…"


def notation(value: str | None, default: str) -> str:
    """A result kind or event type as its ``skos:notation``: the notation when the store has
    the ontology, else made from the concept's name (``WonControl`` → ``won-control``,
    ``SuspensionType`` → ``suspension``)."""
    if not value:
        return default
    if value.islower():
        return value
    name = re.sub(r"(Type|Kind)$", "", value) or value
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).lower()


def _true(value: str | None) -> bool:
    return value in ("true", "1")


def _slug_label(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].replace("-", " ")


def _type_of(classes: Iterable[str], iri: str) -> str:
    local = {c.removeprefix(ONTOLOGY) for c in classes}
    for node_type, names in CLASS_TYPES:
        if local.intersection(names):
            return node_type
    kind = iri.removeprefix(ID).split("/", 1)[0]
    return KIND_TYPES.get(kind, "organisation")


class _Canon:
    """``owl:sameAs`` resolution: every IRI → one representative of its class."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.parent: dict[str, str] = {}
        linked: set[str] = set()
        for a, b in pairs:
            linked.update((a, b))
            ra, rb = self(a), self(b)
            if ra != rb:
                keep, drop = sorted((ra, rb), key=lambda i: (i.count("/"), len(i), i))
                self.parent[drop] = keep
        self.members: dict[str, set[str]] = defaultdict(set)
        for iri in linked:
            self.members[self(iri)].add(iri)

    def __call__(self, iri: str) -> str:
        while iri in self.parent:
            iri = self.parent[iri]
        return iri

    def group(self, iris: Iterable[str]) -> set[str]:
        """``iris`` and every IRI the same as one of them."""
        found: set[str] = set()
        for iri in iris:
            found.add(iri)
            found.update(self.members.get(self(iri), ()))
        return found


FACTS = ("memberships", "statements", "results", "events")


@dataclass
class _Data:
    """The rows a view is built from."""

    articles: list[Row] = field(default_factory=list)
    entities: list[Row] = field(default_factory=list)
    links: list[Row] = field(default_factory=list)
    mentions: list[Row] = field(default_factory=list)
    memberships: list[Row] = field(default_factory=list)
    statements: list[Row] = field(default_factory=list)
    results: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    nodes: list[str] = field(default_factory=list)  # nodes that exist, from endpoint queries

    def referenced(self) -> set[str]:
        """Every IRI the fact and mention rows name (whose names a view may need)."""
        columns = {"mentions": ("entity",), "memberships": ("person", "organisation", "area"),
                   "statements": ("speaker", "about", "medium"), "results": ("party", "area"),
                   "events": ("subject",)}
        found = set(self.nodes)
        for kind, names in columns.items():
            for row in getattr(self, kind):
                found.update(row[name] for name in names if row[name])
        return found

    def article_ids(self) -> set[str]:
        return {row["article"] for kind in ("mentions", *FACTS) for row in getattr(self, kind)
                if row["article"]}


class Views:
    """Entity views of ``source``, whole or narrowed in the store (see the module
    docstring), from the facts of ``articles`` only when given (curated facts are then
    left out). Raises :class:`UsageError` for an article id the graph does not have."""

    def __init__(self, source: Any, *, statements_as_nodes: bool = False,
                 articles: Iterable[str] | None = None) -> None:
        self.source = source
        self.statements_as_nodes = statements_as_nodes
        self.only = None if articles is None else sorted(set(articles))
        links = rows("links", source)
        self.canon = _Canon((r["from"], r["to"]) for r in links
                            if r["link"] == "same as" and r["from"] and r["to"])
        self.links = _in_order(r for r in links if r["link"] != "same as")
        self._whole: dict[str, list[Row]] = {}
        self._most: int | None = None
        if self.only is not None:
            found = {r["article"] for r in rows("articles", source, {"article": self.only})}
            unknown = [a for a in self.only if a not in found]
            if unknown:
                every = sorted(r["article"] for r in rows("articles", source) if r["article"])
                known = ", ".join(every[:10]) or "none"
                raise UsageError(f"no article {', '.join(map(repr, unknown))} in the graph "
                                 f"(articles: {known}{', …' if len(every) > 10 else ''})")

    def _params(self, **extra: Any) -> dict[str, Any]:
        params = {} if self.only is None else {"article": self.only}
        params.update(extra)
        return params

    def _most_iris(self) -> int:
        """How many IRIs a narrowed query may ask for before reading the whole table is
        cheaper (see :data:`IRIS_PER_1000_ARTICLES`)."""
        if self._most is None:
            found = rows("size", self.source)
            articles = int(found[0]["articles"] or 0) if found else 0
            self._most = max(50, articles * IRIS_PER_1000_ARTICLES // 1000)
        return self._most

    def _all(self, name: str) -> list[Row]:
        """The rows of the draw query ``name`` for the view's articles, read once."""
        if name not in self._whole:
            self._whole[name] = rows(name, self.source, self._params(), whole=True)
        return self._whole[name]

    def _narrowed(self, name: str, iris: list[str], column: str, param: str) -> list[Row]:
        """The rows of ``name`` whose ``column`` is one of ``iris`` (bound as ``param``)."""
        if len(iris) <= self._most_iris():
            return rows(name, self.source, self._params(**{param: iris}))
        keep = set(iris)
        return [r for r in self._all(name) if r[column] in keep]

    def _touching(self, kind: str, iris: list[str]) -> list[Row]:
        """The rows of the facts of ``kind`` that touch one of ``iris`` (or are one)."""
        if len(iris) <= self._most_iris():
            return rows(kind, self.source, self._params(node=iris))
        keep = set(iris)
        columns = FACT_NODES[kind]
        facts = {r[columns[0]] for r in self._all(kind) if any(r[c] in keep for c in columns)}
        return [r for r in self._all(kind) if r[columns[0]] in facts]

    def _inside(self, kind: str, iris: list[str]) -> list[Row]:
        """The rows of the facts of ``kind`` whose edge joins two of ``iris``.

        The store is asked for the facts with one end among ``iris`` (see
        :data:`INSIDE_PARAMS`), and the other end is checked here."""
        found = (rows(kind, self.source, self._params(**{INSIDE_PARAMS[kind]: iris}))
                 if len(iris) <= self._most_iris() else self._all(kind))
        keep = set(iris)
        one, others = FACT_ENDS[kind]
        fact = FACT_NODES[kind][0]
        facts = {r[fact] for r in found if r[one] in keep and any(r[c] in keep for c in others)}
        return [r for r in found if r[fact] in facts]

    def fetch(self, touching: Collection[str] | None = None, *,
              inside: Collection[str] | None = None, types: Collection[str] | None = None,
              mentions: bool = True) -> _Data:
        """The rows of a view. By default all of them; for ``types``, whole only the facts
        whose edges can join two of those types (the others give their nodes only).

        Narrowed (``touching`` or ``inside`` given; IRIs, and the same-as IRIs of each):
        the facts that touch a node of ``touching`` (an event or statement node: that fact
        itself), the facts between two nodes of ``inside`` and the mentions of these; and,
        so that each of them is there if it is in the whole view, the facts touching those
        of ``inside`` that are not mentioned.
        """
        data = _Data(links=self.links)
        if touching is None and inside is None:
            kinds, ends = (list(FACTS), []) if types is None else _kinds_for(set(types))
            for kind in kinds:
                setattr(data, kind, _in_order(rows(kind, self.source, self._params(),
                                                   whole=True)))
            for kind in ends:
                data.nodes.extend(r["node"] for r in rows(f"{kind}-nodes", self.source,
                                                          self._params()) if r["node"])
            if mentions:
                data.mentions = _in_order(rows("mentions", self.source, self._params(),
                                               whole=True))
            if self.only is None:
                data.entities = rows("entities", self.source)
                data.articles = rows("articles", self.source)
                return data
        else:
            among = sorted(self.canon.group(inside or ()))
            near = set(self.canon.group(touching or ()))
            if among and mentions:
                data.mentions = _in_order(self._narrowed("mentions", among, "entity", "entity"))
            if among:
                mentioned = self.canon.group(r["entity"] for r in data.mentions if r["entity"])
                near.update(set(among) - mentioned)
            for kind in FACTS:
                found: list[Row] = []
                if near:
                    found += self._touching(kind, sorted(near))
                if among and kind in FACT_ENDS:
                    found += self._inside(kind, among)
                setattr(data, kind, _in_order(_unique(found)))
        referenced = sorted(self.canon.group(data.referenced()))
        if referenced:
            data.entities = self._entities(referenced)
        articles = sorted(data.article_ids())
        if articles:
            data.articles = self._articles(articles)
        return data

    def _most_names(self) -> int:
        """How many entities or articles a narrowed query may ask for before reading the
        whole table is cheaper: fewer than facts, as each entity's classes and labels, and
        each article's publisher, repeat in every article graph that names them."""
        most = self._most_iris()
        return min(most, max(50, most // NAMES_PER_IRI))

    def _entities(self, iris: list[str]) -> list[Row]:
        if len(iris) <= self._most_names():
            return rows("entities", self.source, {"entity": iris})
        keep = set(iris)
        return [r for r in self._table("entities") if r["entity"] in keep]

    def _articles(self, ids: list[str]) -> list[Row]:
        if len(ids) <= self._most_names():
            return rows("articles", self.source, {"article": ids})
        keep = set(ids)
        return [r for r in self._table("articles") if r["article"] in keep]

    def _table(self, name: str) -> list[Row]:
        """All the rows of the draw query ``name`` (for all articles), read once."""
        key = f"{name} (all articles)"
        if key not in self._whole:
            self._whole[key] = rows(name, self.source, whole=True)
        return self._whole[key]

    def view(self, touching: Collection[str] | None = None, *,
             inside: Collection[str] | None = None, types: Collection[str] | None = None,
             mentions: bool = True) -> nx.MultiDiGraph:
        """The view built from :meth:`fetch`'s rows (see there)."""
        data = self.fetch(touching, inside=inside, types=types, mentions=mentions)
        builder = _ViewBuilder(data, self.canon, self.only)
        builder.mentions()
        builder.memberships()
        builder.statements(self.statements_as_nodes)
        builder.results()
        builder.events()
        builder.endpoints()
        builder.entity_links()
        return ordered(builder.graph)

    def centres(self, focus: str, types: Collection[str] | None = None) -> tuple[
            list[str], nx.MultiDiGraph]:
        """The nodes ``focus`` designates, as :func:`find_nodes` finds them in the whole
        view (of ``types`` only, when given), and a small view with them (for their labels).

        The candidates come from the store: the entities whose name contains ``focus`` (any
        case), the events whose node label does (when ``focus`` could be part of one) and,
        with statements as nodes, the statements whose label does.
        """
        wanted = set(NODE_TYPES if types is None else types)
        text = focus.strip()
        iri = ID + text[3:] if text.startswith("id:") else text
        entities = {self.canon(iri)} if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", iri) else set()
        facts: set[str] = set()
        folded = text.casefold()
        if folded:
            entities.update(self.canon(r["entity"]) for r in rows(
                "find", self.source, {"text": text}) if r["entity"])
            if "event" in wanted and _could_name_event(folded, self._event_types()):
                for row in rows("event-names", self.source, self._params()):
                    if row["event"] and folded in _event_label(row["type"], row["date"]).casefold():
                        facts.add(row["event"])
            if self.statements_as_nodes and "statement" in wanted:
                for row in rows("statement-texts", self.source, self._params()):
                    label = f"“{opening(row['text'] or '', 30)}”"
                    if row["statement"] and folded in label.casefold():
                        facts.add(row["statement"])
        graph = self.view(facts, inside=entities)
        if types is not None:
            graph = select_types(graph, types)
        return find_nodes(graph, focus), graph

    def _event_types(self) -> list[str]:
        found = [notation(r["type"], "event") for r in rows("event-types", self.source)]
        return [*found, "event"]  # the type of an event without one

    def around(self, centres: Iterable[str], hops: int,
               types: Collection[str] | None = None) -> dict[str, str | None]:
        """The nodes within ``hops`` edges of ``centres`` in the view (of ``types`` only,
        when given), and perhaps a few more, with their types (None: not known yet):
        fetched a hop at a time, from the facts that touch the nodes reached so far."""
        wanted = None if types is None else set(types)
        reached: dict[str, str | None] = dict.fromkeys(centres)
        frontier = set(reached)
        pairs = [(self.canon(r["from"] or ""), self.canon(r["to"] or "")) for r in self.links]
        for _ in range(hops):
            if not frontier:
                break
            graph = self.view(frontier, mentions=False)
            step: dict[str, str | None] = {}
            for node in frontier & set(graph):
                reached[node] = graph.nodes[node]["type"]
                for other in (*graph.successors(node), *graph.predecessors(node)):
                    kind = graph.nodes[other]["type"]
                    if wanted is None or kind in wanted:
                        step[other] = kind
            for a, b in pairs:  # a link joins two nodes that exist: checked in the end
                if a in frontier:
                    step.setdefault(b, None)
                if b in frontier:
                    step.setdefault(a, None)
            frontier = set(step) - set(reached)
            reached.update((node, step[node]) for node in frontier)
        return reached

    def neighbourhood_view(self, centres: Iterable[str], hops: int,
                           types: Collection[str] | None = None) -> nx.MultiDiGraph:
        """The view around ``centres``, as :func:`neighbourhood` of the whole view (of
        ``types`` only, when given) gives it: built from the facts between the nodes
        :meth:`around` reaches, then narrowed."""
        centres = list(centres)
        reached = self.around(centres, hops, types)
        facts = {n for n, kind in reached.items() if kind in ("event", "statement")}
        graph = self.view(facts, inside=set(reached) - facts)
        if types is not None:
            graph = select_types(graph, types)
        return neighbourhood(graph, centres, hops)


def _unique(found: Iterable[Row]) -> list[Row]:
    """``found`` without repeated rows."""
    seen: set[tuple[tuple[str, str | None], ...]] = set()
    kept = []
    for row in found:
        key = tuple(row.items())
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept


def _could_name_event(folded: str, event_types: Iterable[str]) -> bool:
    """Whether ``folded`` could be part of an event node's label ("<type> <date>")."""
    date = re.compile(r"^[0-9tz:+.\-]*$")  # an ISO date or time, case-folded
    for kind in {t.casefold() for t in event_types}:
        if folded in kind:
            return True
        head, space, tail = folded.partition(" ")
        if space and kind.endswith(head) and date.match(tail):
            return True
    return bool(date.match(folded))


def _kinds_for(types: set[str]) -> tuple[list[str], list[str]]:
    """For a view of ``types``: the fact kinds to fetch whole, and those of which only the
    nodes are needed, because per the graph model their edges cannot join two of ``types``
    (a result joins a party to an area; an event edge ends at the event)."""
    whole, ends = ["memberships", "statements"], []
    if types & RESULT_PARTY_TYPES and types & RESULT_AREA_TYPES:
        whole.append("results")
    else:
        ends.append("result")
    if "event" in types:
        whole.append("events")
    else:
        ends.append("event")
    return whole, ends


def _event_label(event_type: str | None, date: str | None) -> str:
    return f"{notation(event_type, 'event')} {date or ''}".strip()


def ordered(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``graph`` with its nodes, and its edges, in order of their IRIs (and edge keys)."""
    out = nx.MultiDiGraph()
    out.graph.update(graph.graph)
    out.add_nodes_from(sorted(graph.nodes(data=True), key=lambda item: item[0]))
    out.add_edges_from(sorted(graph.edges(keys=True, data=True),
                              key=lambda edge: (edge[0], edge[1], edge[2])))
    return out


class _ViewBuilder:
    def __init__(self, data: _Data, canon: _Canon, only: Iterable[str] | None) -> None:
        self.data = data
        self.canon = canon
        self.graph = nx.MultiDiGraph()
        self.articles = {r["article"]: r for r in data.articles if r["article"]}
        self.only = None if only is None else set(only)
        self.entities: dict[str, dict[str, Any]] = {}
        for row in _in_order(data.entities):
            self._entity(row)

    # -- nodes ---------------------------------------------------------------------------------
    def _entity(self, row: Row) -> None:
        iri = self.canon(row["entity"] or "")
        entry = self.entities.setdefault(iri, {"classes": set(), "labels": [], "aliases": set()})
        entry["classes"].update((row["classes"] or "").split())
        if row["label"]:
            entry["labels"].append((row["entity"] != iri, row["label"]))
        entry["aliases"].update(a for a in (row["aliases"] or "").split("\n") if a)

    def wanted(self, article: str | None) -> bool:
        """Whether a fact reported in ``article`` (None: curated) belongs in the view."""
        return self.only is None or article in self.only

    def name(self, iri: str | None) -> str:
        """The label of ``iri``: its canonical rdfs:label, else one from a same-as IRI, else
        its slug."""
        if not iri:
            return ""
        iri = self.canon(iri)
        if iri in self.graph:
            return self.graph.nodes[iri]["label"]
        labels = sorted(self.entities.get(iri, {}).get("labels", []))
        return labels[0][1] if labels else _slug_label(iri)

    def node(self, iri: str | None) -> str | None:
        """Add the entity ``iri`` (once) and return its node key."""
        if not iri:
            return None
        iri = self.canon(iri)
        if iri in self.graph:
            return iri
        entry = self.entities.get(iri, {"classes": set(), "labels": [], "aliases": set()})
        label = self.name(iri)
        aliases = sorted((entry["aliases"] | {n for _, n in entry["labels"]}) - {label})
        self.graph.add_node(iri, label=label, type=_type_of(entry["classes"], iri), iri=iri,
                            aliases="; ".join(aliases), mentions=0, articles=0)
        return iri

    def endpoints(self) -> None:
        """The nodes of the facts fetched for their nodes only (see :func:`_kinds_for`)."""
        for iri in sorted(set(self.data.nodes)):
            self.node(iri)

    def article_info(self, article: str | None) -> dict[str, str]:
        info = self.articles.get(article or "") or {}
        return {k: v for k, v in (("article", article), ("headline", info.get("headline")),
                                  ("published", info.get("date"))) if v}

    # -- edges -----------------------------------------------------------------------------------
    def mentions(self) -> None:
        for row in self.data.mentions:
            if self.only is not None and row["article"] not in self.only:
                continue
            node = self.node(row["entity"])
            data = self.graph.nodes[node]
            data["mentions"] += int(float(row["mentions"] or 0))
            data["articles"] += 1

    def statements(self, as_nodes: bool) -> None:
        records: dict[str, dict[str, Any]] = {}
        for row in self.data.statements:
            if not self.wanted(row["article"]):
                continue
            record = records.get(row["statement"])
            if record is None:
                speaker = self.canon(row["speaker"]) if row["speaker"] else None
                medium = self.canon(row["medium"]) if row["medium"] else None
                record = records[row["statement"]] = {
                    "statement": row["statement"], "text": row["text"] or "",
                    "direct": _true(row["direct"]), "speaker_node": speaker,
                    "speaker": self.name(speaker) or row["speakerDescription"] or "unattributed",
                    "medium_node": medium, "medium": self.name(medium),
                    "date": row["date"] or "", "about": [], **self.article_info(row["article"]),
                }
                if not record["date"] and record.get("published"):
                    record["date"] = record["published"]
            about = self.canon(row["about"]) if row["about"] else None
            if about and about not in record["about"]:
                record["about"].append(about)
        if as_nodes:
            for record in records.values():
                self._statement_node(record)
            return
        grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for record in records.values():
            for about in record["about"]:
                if record["speaker_node"] and about != record["speaker_node"]:
                    grouped[(record["speaker_node"], about)].append(record)
        for (speaker, about), group in grouped.items():
            self.node(speaker)
            self.node(about)
            group.sort(key=lambda r: (r["date"], r.get("article", ""), r["statement"]))
            first = f"“{opening(group[0]['text'])}”"
            label = first if len(group) == 1 else f"{first} ×{len(group)}"
            self.graph.add_edge(speaker, about, key="statement", kind="statement", label=label,
                                count=len(group), quotes=json.dumps(
                                    [_public(r) for r in group], ensure_ascii=False),
                                articles=_articles(group))

    def _statement_node(self, record: dict[str, Any]) -> None:
        iri = record["statement"]
        text = record["text"]
        attrs = {k: v for k, v in _public(record).items() if v not in ("", None)}
        attrs.pop("statement", None)
        attrs["direct"] = int(record["direct"])
        self.graph.add_node(iri, label=f"“{opening(text, 30)}”", type="statement", iri=iri,
                            aliases="", mentions=0, articles=1 if record.get("article") else 0,
                            **attrs)
        if record["speaker_node"]:
            self.node(record["speaker_node"])
            said = "said" if record["direct"] else "reported"
            self.graph.add_edge(record["speaker_node"], iri, key="said", kind="statement",
                                label=said, count=1, articles=record.get("article", ""))
        for about in record["about"]:
            self.node(about)
            self.graph.add_edge(iri, about, key="about", kind="statement", label="about",
                                count=1, articles=record.get("article", ""))
        if record["medium_node"]:
            self.node(record["medium_node"])
            self.graph.add_edge(iri, record["medium_node"], key="via", kind="statement",
                                label="via", count=1, articles=record.get("article", ""))

    def memberships(self) -> None:
        grouped: dict[tuple[str, str, str, str], list[dict[str, Any]]] = defaultdict(list)
        seen: set[str] = set()
        for row in self.data.memberships:
            if row["membership"] in seen or not self.wanted(row["article"]):
                continue
            seen.add(row["membership"])
            person, organisation = self.node(row["person"]), self.node(row["organisation"])
            role = row["role"] or "member"
            label = ("former " if _true(row["former"]) else "") + role
            if _true(row["suspended"]):
                label += " (suspended)"
            area = self.node(row["area"]) if row["area"] else None
            record = {"membership": row["membership"], "role": role,
                      "organisation": self.name(organisation), "area": self.name(area),
                      "from": row["from"] or "", "until": row["until"] or "",
                      "curated": _true(row["curated"]),
                      "contradicted": _true(row["contradicted"]),
                      **self.article_info(row["article"])}
            grouped[("membership", person, organisation, label)].append(record)
            if area and area != organisation:
                grouped[("post", person, area, label)].append(record)
        for (kind, person, target, label), group in grouped.items():
            contradicted = all(r["contradicted"] for r in group)
            self.graph.add_edge(person, target, key=f"{kind}:{label}", kind=kind, label=label,
                                count=len(group), curated=int(any(r["curated"] for r in group)),
                                contradicted=int(contradicted),
                                records=json.dumps(group, ensure_ascii=False),
                                articles=_articles(group))

    def results(self) -> None:
        grouped: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        seen: set[str] = set()
        for row in self.data.results:
            if row["result"] in seen or not self.wanted(row["article"]):
                continue
            seen.add(row["result"])
            party, area = self.node(row["party"]), self.node(row["area"])
            record = {"result": row["result"], "kind": notation(row["kind"], "result"),
                      "election": row["election"] or "", "seats": row["seats"] or "",
                      "turnout": row["turnout"] or "", **self.article_info(row["article"])}
            grouped[(party, area, record["kind"])].append(record)
        for (party, area, kind), group in grouped.items():
            seats = {r["seats"] for r in group}
            label = kind if len(seats) != 1 or not group[0]["seats"] else f"{kind} {seats.pop()}"
            self.graph.add_edge(party, area, key=f"result:{kind}", kind="result", label=label,
                                count=len(group), records=json.dumps(group, ensure_ascii=False),
                                articles=_articles(group))

    def events(self) -> None:
        for row in self.data.events:
            if not self.wanted(row["article"]):
                continue
            iri = row["event"]
            if iri not in self.graph:
                event_type = notation(row["type"], "event")
                info = self.article_info(row["article"])
                date = row["date"] or ""
                label = f"{event_type} {date}".strip()
                attrs = {k: v for k, v in (("date", date), ("summary", row["summary"]))
                         if v}
                self.graph.add_node(iri, label=label, type="event", iri=iri, aliases="",
                                    mentions=0, articles=1 if info else 0, event_type=event_type,
                                    **attrs, **info)
            subject = self.node(row["subject"])
            if subject:
                event_type = self.graph.nodes[iri]["event_type"]
                self.graph.add_edge(subject, iri, key=f"event:{event_type}", kind="event",
                                    label=event_type, count=1,
                                    articles=self.graph.nodes[iri].get("article", ""))

    def entity_links(self) -> None:
        for row in self.data.links:
            a, b = self.canon(row["from"] or ""), self.canon(row["to"] or "")
            if a in self.graph and b in self.graph and a != b:
                self.graph.add_edge(a, b, key=f"link:{row['link']}", kind="link",
                                    label=row["link"], count=1, articles="")


def _public(record: dict[str, Any]) -> dict[str, Any]:
    """A statement record as shown to the reader (no node keys)."""
    return {k: v for k, v in record.items()
            if k not in ("speaker_node", "medium_node", "about")}


def _articles(records: Iterable[dict[str, Any]]) -> str:
    return "; ".join(sorted({r["article"] for r in records if r.get("article")}))


def entity_view(source: Any, *, statements_as_nodes: bool = False,
                articles: Iterable[str] | None = None) -> nx.MultiDiGraph:
    """The entity view of the graph in ``source`` (a pyoxigraph Store, rdflib dataset or
    endpoint URL), from the facts of ``articles`` only when given (curated facts are then
    left out). Raises :class:`UsageError` for an article id the graph does not have."""
    return Views(source, statements_as_nodes=statements_as_nodes, articles=articles).view()


def parse_types(values: Iterable[str]) -> list[str]:
    """Node types from ``--types`` values (plurals accepted); UsageError for unknown ones."""
    types: list[str] = []
    for value in values:
        name = TYPE_ALIASES.get(value.strip().lower(), value.strip().lower())
        if not name:
            continue
        if name not in NODE_TYPES:
            raise UsageError(f"unknown type {value.strip()!r}: choose from {', '.join(NODE_TYPES)}")
        if name not in types:
            types.append(name)
    if not types:
        raise UsageError(f"no type given: choose from {', '.join(NODE_TYPES)}")
    return types


def select_types(graph: nx.MultiDiGraph, types: Iterable[str]) -> nx.MultiDiGraph:
    """The subgraph of the nodes of ``types`` (see :func:`parse_types`)."""
    keep = set(parse_types(types))
    # ordered(): a subgraph lists its nodes in the order of a set (the hash seed's).
    return ordered(graph.subgraph(n for n, t in graph.nodes(data="type") if t in keep))


def find_nodes(graph: nx.MultiDiGraph, name_or_iri: str) -> list[str]:
    """The nodes ``name_or_iri`` designates: an IRI (``id:…`` accepted), else the nodes
    whose label or alias is that name (case-insensitive), else those whose label contains it."""
    query = name_or_iri.strip()
    if query.startswith("id:"):
        query = ID + query[3:]
    if query in graph:
        return [query]
    folded = query.casefold()
    if not folded:
        return []
    exact, partial = [], []
    for node, data in graph.nodes(data=True):
        names = [data["label"], *(data.get("aliases") or "").split("; ")]
        if any(folded == name.casefold() for name in names):
            exact.append(node)
        elif folded in data["label"].casefold():
            partial.append(node)
    return sorted(exact or partial)


def neighbourhood(graph: nx.MultiDiGraph, centres: Iterable[str], hops: int) -> nx.MultiDiGraph:
    """The nodes within ``hops`` edges of any centre (edges in either direction)."""
    undirected = graph.to_undirected(as_view=True)
    keep: set[str] = set()
    for centre in centres:
        keep.update(nx.ego_graph(undirected, centre, radius=hops))
    return ordered(graph.subgraph(keep))

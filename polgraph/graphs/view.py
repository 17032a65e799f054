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
is; lists of records (the quotes of a statement edge) are JSON strings.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
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


def rows(name: str, source: Any) -> list[dict[str, str | None]]:
    """The rows of the draw query ``name`` (``polgraph/queries/draw/{name}.rq``) over
    ``source``."""
    return run_query(load_query(f"draw/{name}"), source).rows


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
        for a, b in pairs:
            ra, rb = self(a), self(b)
            if ra != rb:
                keep, drop = sorted((ra, rb), key=lambda i: (i.count("/"), len(i), i))
                self.parent[drop] = keep

    def __call__(self, iri: str) -> str:
        while iri in self.parent:
            iri = self.parent[iri]
        return iri


class _ViewBuilder:
    def __init__(self, source: Any, articles: Iterable[str] | None) -> None:
        self.source = source
        self.graph = nx.MultiDiGraph()
        self.articles = {r["article"]: r for r in rows("articles", source) if r["article"]}
        self.only = None if articles is None else set(articles)
        if self.only is not None:
            unknown = sorted(self.only - set(self.articles))
            if unknown:
                known = ", ".join(sorted(self.articles)[:10]) or "none"
                raise UsageError(f"no article {', '.join(map(repr, unknown))} in the graph "
                                 f"(articles: {known}{', …' if len(self.articles) > 10 else ''})")
        links = rows("links", source)
        self.canon = _Canon((r["from"], r["to"]) for r in links
                            if r["link"] == "same as" and r["from"] and r["to"])
        self.links = [r for r in links if r["link"] != "same as"]
        self.entities: dict[str, dict[str, Any]] = {}
        for row in rows("entities", source):
            self._entity(row)

    # -- nodes ---------------------------------------------------------------------------------
    def _entity(self, row: dict[str, str | None]) -> None:
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

    def article_info(self, article: str | None) -> dict[str, str]:
        info = self.articles.get(article or "") or {}
        return {k: v for k, v in (("article", article), ("headline", info.get("headline")),
                                  ("published", info.get("date"))) if v}

    # -- edges -----------------------------------------------------------------------------------
    def mentions(self) -> None:
        for row in rows("mentions", self.source):
            if self.only is not None and row["article"] not in self.only:
                continue
            node = self.node(row["entity"])
            data = self.graph.nodes[node]
            data["mentions"] += int(float(row["mentions"] or 0))
            data["articles"] += 1

    def statements(self, as_nodes: bool) -> None:
        records: dict[str, dict[str, Any]] = {}
        for row in rows("statements", self.source):
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
        for row in rows("memberships", self.source):
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
        for row in rows("results", self.source):
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
        for row in rows("events", self.source):
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
        for row in self.links:
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
    builder = _ViewBuilder(source, articles)
    builder.mentions()
    builder.memberships()
    builder.statements(statements_as_nodes)
    builder.results()
    builder.events()
    builder.entity_links()
    return builder.graph


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
    return graph.subgraph(n for n, t in graph.nodes(data="type") if t in keep).copy()


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
    return graph.subgraph(keep).copy()

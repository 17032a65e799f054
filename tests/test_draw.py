"""``polgraph draw``: the entity view (which nodes, which edges, which labels), the page
(offline, escaped, fast), the graph files, the command, and the page in a real browser."""

from __future__ import annotations

import gc
import json
import re
import time
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
from click.testing import CliRunner

from polgraph.cli import cli
from polgraph.errors import UsageError
from polgraph.graphs.draw import DrawOptions, draw_view, write_graph
from polgraph.graphs.page import page_data, pyvis_network, render_page, script_json
from polgraph.graphs.view import (
    TABLE_QUERIES,
    Views,
    entity_view,
    find_nodes,
    neighbourhood,
    notation,
    opening,
    parse_types,
    rows,
    select_types,
)

FIXTURES = Path(__file__).parent / "fixtures"
HOSTILE = FIXTURES / "hostile.trig"
ID = "https://w3id.org/polgraph/id/"
CHROMIUM = Path("/usr/bin/chromium")

#: Two articles, a curated graph and the resolution graph (docs/graph-model.md), invented
#: names. Only what the draw queries read; evidence nodes are left out.
TRIG = """
@base <https://w3id.org/polgraph/id/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix pol: <https://w3id.org/polgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <http://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<graph/article/harbourside-2021> {
    <article/harbourside-2021> a pol:Article ; pol:articleId "harbourside-2021" ;
        schema:headline "Labour takes Harbourside" ;
        schema:datePublished "2021-05-07"^^xsd:date ;
        schema:publisher <media/daily-bugle> ;
        schema:text "(text)" .
    <media/daily-bugle> a pol:MediaOutlet ; rdfs:label "Daily Bugle" .
    <person/ada-quill> a pol:Person ; rdfs:label "Ada Quill" ; skos:altLabel "Quill" .
    <person/bram-oster> a pol:Person ; rdfs:label "Bram Oster" .
    <party/labour-party> a pol:PoliticalParty .
    <party/conservative-party> a pol:PoliticalParty ; skos:altLabel "the Conservatives" .
    <council/harbourside-council> a pol:Council .
    <ward/dockside> a pol:Ward ; rdfs:label "Dockside" .
    <constituency/harbourside-north> a pol:Constituency ; rdfs:label "Harbourside North" .
    <council-area/harbourside> a pol:CouncilArea ; rdfs:label "Harbourside" .

    <mention/harbourside-2021/1> a pol:Mention ; pol:mentionOf <person/ada-quill> ;
        pol:mentionCount 4 ; pol:reportedIn <article/harbourside-2021> .
    <mention/harbourside-2021/2> a pol:Mention ; pol:mentionOf <person/bram-oster> ;
        pol:mentionCount 3 ; pol:reportedIn <article/harbourside-2021> .
    <mention/harbourside-2021/3> a pol:Mention ; pol:mentionOf <party/labour-party> ;
        pol:mentionCount 5 ; pol:reportedIn <article/harbourside-2021> .
    <mention/harbourside-2021/4> a pol:Mention ; pol:mentionOf <party/conservative-party> ;
        pol:mentionCount 2 ; pol:reportedIn <article/harbourside-2021> .
    <mention/harbourside-2021/5> a pol:Mention ; pol:mentionOf <council/harbourside-council> ;
        pol:mentionCount 2 ; pol:reportedIn <article/harbourside-2021> .
    <mention/harbourside-2021/6> a pol:Mention ; pol:mentionOf <ward/dockside> ;
        pol:mentionCount 1 ; pol:reportedIn <article/harbourside-2021> .
    <mention/harbourside-2021/7> a pol:Mention ; pol:mentionOf <constituency/harbourside-north> ;
        pol:mentionCount 1 ; pol:reportedIn <article/harbourside-2021> .
    <mention/harbourside-2021/8> a pol:Mention ; pol:mentionOf <council-area/harbourside> ;
        pol:mentionCount 1 ; pol:reportedIn <article/harbourside-2021> .

    <membership/harbourside-2021/1> a pol:Membership ; org:member <person/ada-quill> ;
        org:organization <party/labour-party> ; pol:roleName "councillor" ;
        pol:area <ward/dockside> ; pol:reportedIn <article/harbourside-2021> .
    <membership/harbourside-2021/2> a pol:Membership ; org:member <person/bram-oster> ;
        org:organization <party/conservative-party> ; pol:roleName "MP" ;
        pol:area <constituency/harbourside-north> ; pol:reportedIn <article/harbourside-2021> .
    <membership/harbourside-2021/3> a pol:Membership ; org:member <person/bram-oster> ;
        org:organization <council/harbourside-council> ; pol:roleName "leader" ;
        pol:former true ; pol:reportedIn <article/harbourside-2021> .

    <statement/harbourside-2021/1> a pol:Statement ; pol:speaker <person/ada-quill> ;
        pol:text "The Conservatives have failed Harbourside." ; pol:direct true ;
        pol:about <party/conservative-party>, <council-area/harbourside> ;
        pol:medium <media/daily-bugle> ;
        pol:date "2021-05-06"^^xsd:date ; pol:reportedIn <article/harbourside-2021> .
    <statement/harbourside-2021/2> a pol:Statement ; pol:speaker <person/ada-quill> ;
        pol:text "their budget cuts hurt every family" ; pol:direct false ;
        pol:about <party/conservative-party> ; pol:reportedIn <article/harbourside-2021> .
    <statement/harbourside-2021/3> a pol:Statement ; pol:speaker <person/bram-oster> ;
        pol:text "Councillor Quill is wrong about the budget." ; pol:direct true ;
        pol:about <person/ada-quill> ; pol:reportedIn <article/harbourside-2021> .
    <statement/harbourside-2021/4> a pol:Statement ; pol:unattributed true ;
        pol:speakerDescription "A Labour source" ; pol:text "We saw this coming." ;
        pol:direct true ; pol:about <party/labour-party> ;
        pol:reportedIn <article/harbourside-2021> .

    <result/harbourside-2021/1> a pol:ElectionResult, pol:ControlResult ;
        pol:resultKind pol:WonControl ; pol:party <party/labour-party> ;
        pol:area <council/harbourside-council> ; pol:inElection <election/local/2021> ;
        pol:reportedIn <article/harbourside-2021> .
    <result/harbourside-2021/2> a pol:ElectionResult, pol:SeatChange ;
        pol:resultKind pol:LostSeats ; pol:party <party/conservative-party> ; pol:seats 3 ;
        pol:area <council/harbourside-council> ; pol:inElection <election/local/2021> ;
        pol:reportedIn <article/harbourside-2021> .
    <result/harbourside-2021/3> a pol:ElectionResult, pol:TurnoutResult ;
        pol:resultKind pol:TurnoutKind ; pol:turnout 0.35 ;
        pol:area <council/harbourside-council> ; pol:reportedIn <article/harbourside-2021> .
    <election/local/2021> a pol:Election, pol:LocalElection ; rdfs:label "2021 local elections" .

    <event/harbourside-2021/1> a pol:Event, pol:Suspension ; pol:eventType pol:SuspensionType ;
        pol:subject <person/bram-oster> ; schema:startDate "2021-06-01"^^xsd:date ;
        pol:summary "Bram Oster was suspended by the Conservative Party." ;
        pol:reportedIn <article/harbourside-2021> .
}

<graph/article/dockside-2022> {
    <article/dockside-2022> a pol:Article ; pol:articleId "dockside-2022" ;
        schema:headline "Dockside holds firm" ; schema:text "(text)" .
    <person/dockside-2022/ada> a pol:Person ; rdfs:label "Ada" .
    <party/labour-party> a pol:PoliticalParty .
    <mention/dockside-2022/1> a pol:Mention ; pol:mentionOf <person/dockside-2022/ada> ;
        pol:mentionCount 2 ; pol:reportedIn <article/dockside-2022> .
    <mention/dockside-2022/2> a pol:Mention ; pol:mentionOf <party/labour-party> ;
        pol:mentionCount 1 ; pol:reportedIn <article/dockside-2022> .
    <statement/dockside-2022/1> a pol:Statement ; pol:speaker <person/dockside-2022/ada> ;
        pol:text "Labour will win Dockside again." ; pol:direct true ;
        pol:about <party/labour-party> ; pol:reportedIn <article/dockside-2022> .
}

<graph/hand/people> {
    <party/labour-party> a pol:PoliticalParty ; rdfs:label "Labour Party" ;
        skos:altLabel "Labour" ; pol:curatedIn <graph/hand/people> .
    <party/conservative-party> a pol:PoliticalParty ; rdfs:label "Conservative Party" ;
        skos:altLabel "Tories" ; pol:curatedIn <graph/hand/people> .
    <council/harbourside-council> a pol:Council ; rdfs:label "Harbourside Council" ;
        pol:governs <council-area/harbourside> ; pol:curatedIn <graph/hand/people> .
    <ward/dockside> pol:containedIn <council-area/harbourside> .
    <party/green-party> a pol:PoliticalParty ; rdfs:label "Green Party" ;
        pol:curatedIn <graph/hand/people> .
    <membership/hand/people/1> a pol:Membership ; org:member <person/bram-oster> ;
        org:organization <party/conservative-party> ; pol:curatedIn <graph/hand/people> .
}

<graph/resolution> {
    <person/dockside-2022/ada> owl:sameAs <person/ada-quill> .
}
"""

ADA, BRAM = ID + "person/ada-quill", ID + "person/bram-oster"
LABOUR, TORIES = ID + "party/labour-party", ID + "party/conservative-party"
COUNCIL, WARD = ID + "council/harbourside-council", ID + "ward/dockside"
SEAT, AREA = ID + "constituency/harbourside-north", ID + "council-area/harbourside"
EVENT = ID + "event/harbourside-2021/1"


def load(*sources: str | Path, path: Path | None = None) -> pyoxigraph.Store:
    store = pyoxigraph.Store(str(path)) if path else pyoxigraph.Store()
    for source in sources:
        if isinstance(source, Path):
            store.load(path=str(source), format=pyoxigraph.RdfFormat.TRIG)
        else:
            store.load(source.encode("utf-8"), format=pyoxigraph.RdfFormat.TRIG)
    return store


@pytest.fixture(scope="module")
def store() -> pyoxigraph.Store:
    return load(TRIG)


@pytest.fixture(scope="module")
def view(store) -> nx.MultiDiGraph:
    return entity_view(store)


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory) -> Path:
    """A build folder as 'polgraph build' leaves it: store/ (the fixture and the hostile one)."""
    folder = tmp_path_factory.mktemp("build")
    store = load(TRIG, HOSTILE, path=folder / "store")
    store.flush()
    del store
    gc.collect()
    return folder


def edges(graph: nx.MultiDiGraph, kind: str) -> set[tuple[str, str, str]]:
    """(from, to, label) of the edges of ``kind``."""
    return {(a, b, d["label"]) for a, b, d in graph.edges(data=True) if d["kind"] == kind}


# -- the entity view -------------------------------------------------------------------------

def test_nodes_are_the_entities_with_facts_or_mentions(view):
    assert {n: d["type"] for n, d in view.nodes(data=True)} == {
        ADA: "person", BRAM: "person", LABOUR: "party", TORIES: "party", COUNCIL: "council",
        WARD: "ward", SEAT: "constituency", AREA: "place", EVENT: "event",
    }  # the Green Party (curated, no fact, no mention) and the medium are not drawn


def test_same_as_merges_an_article_scoped_person(view):
    ada = view.nodes[ADA]
    assert ada["label"] == "Ada Quill"
    assert ada["aliases"] == "Ada; Quill"
    assert (ada["mentions"], ada["articles"]) == (6, 2)  # 4 + 2 through owl:sameAs
    assert ID + "person/dockside-2022/ada" not in view
    assert view.nodes[LABOUR]["mentions"] == 6 and view.nodes[LABOUR]["aliases"] == "Labour"


def test_statement_edges_carry_the_quote_opening_and_a_count(view):
    statements = edges(view, "statement")
    assert statements == {
        (ADA, TORIES, "“The Conservatives have failed…” ×2"),
        (ADA, AREA, "“The Conservatives have failed…”"),
        (BRAM, ADA, "“Councillor Quill is wrong about the…”"),
        (ADA, LABOUR, "“Labour will win Dockside again.”"),
    }  # the unattributed statement has no speaker, so no edge
    data = view.get_edge_data(ADA, TORIES)["statement"]
    assert data["count"] == 2
    quotes = json.loads(data["quotes"])
    assert [q["text"] for q in quotes] == [
        "The Conservatives have failed Harbourside.", "their budget cuts hurt every family"]
    assert quotes[0] == {
        "statement": ID + "statement/harbourside-2021/1",
        "text": "The Conservatives have failed Harbourside.", "direct": True,
        "speaker": "Ada Quill", "medium": "Daily Bugle", "date": "2021-05-06",
        "article": "harbourside-2021", "headline": "Labour takes Harbourside",
        "published": "2021-05-07",
    }
    assert quotes[1]["date"] == "2021-05-07"  # no date of its own: the article's
    assert quotes[1]["direct"] is False


def test_membership_result_event_and_link_edges(view):
    assert edges(view, "membership") == {
        (ADA, LABOUR, "councillor"), (BRAM, COUNCIL, "former leader"),
        (BRAM, TORIES, "MP"), (BRAM, TORIES, "member"),  # reported, and curated
    }
    curated = view.get_edge_data(BRAM, TORIES)["membership:member"]
    assert (curated["curated"], curated["articles"]) == (1, "")
    reported = json.loads(view.get_edge_data(BRAM, TORIES)["membership:MP"]["records"])
    assert reported[0]["area"] == "Harbourside North"
    assert reported[0]["headline"] == "Labour takes Harbourside"
    assert edges(view, "post") == {(ADA, WARD, "councillor"), (BRAM, SEAT, "MP")}
    assert edges(view, "result") == {(LABOUR, COUNCIL, "won-control"),
                                     (TORIES, COUNCIL, "lost-seats 3")}
    result = json.loads(view.get_edge_data(LABOUR, COUNCIL)["result:won-control"]["records"])
    assert result[0]["election"] == "2021 local elections"
    assert edges(view, "event") == {(BRAM, EVENT, "suspension")}
    assert view.nodes[EVENT]["label"] == "suspension 2021-06-01"
    assert view.nodes[EVENT]["summary"] == "Bram Oster was suspended by the Conservative Party."
    assert edges(view, "link") == {(COUNCIL, AREA, "governs"), (WARD, AREA, "contained in")}


def test_statements_as_nodes(store):
    graph = entity_view(store, statements_as_nodes=True)
    statements = {n: d for n, d in graph.nodes(data=True) if d["type"] == "statement"}
    assert len(statements) == 5  # the unattributed one too
    unattributed = statements[ID + "statement/harbourside-2021/4"]
    assert unattributed["speaker"] == "A Labour source"
    assert unattributed["label"] == "“We saw this coming.”"
    first = ID + "statement/harbourside-2021/1"
    assert sorted((a, b, d["label"]) for a, b, d in graph.edges(data=True)
                  if first in (a, b)) == sorted([
        (ADA, first, "said"), (first, TORIES, "about"), (first, AREA, "about"),
        (first, ID + "media/daily-bugle", "via")])
    assert graph.nodes[ID + "media/daily-bugle"]["type"] == "media"
    assert not any((a, b) == (ADA, TORIES) for a, b, _ in edges(graph, "statement"))


def test_articles_narrow_the_facts(store):
    graph = entity_view(store, articles=["dockside-2022"])
    assert set(graph) == {ADA, LABOUR}
    assert edges(graph, "statement") == {(ADA, LABOUR, "“Labour will win Dockside again.”")}
    assert graph.nodes[ADA]["mentions"] == 2
    with pytest.raises(UsageError, match="no article 'nowhere'"):
        entity_view(store, articles=["nowhere"])


def test_types(view):
    assert parse_types(["people", " Parties", "event"]) == ["person", "party", "event"]
    with pytest.raises(UsageError, match="unknown type 'wizards'.*person, party"):
        parse_types(["person", "wizards"])
    small = select_types(view, ["person", "party"])
    assert set(small) == {ADA, BRAM, LABOUR, TORIES}
    assert edges(small, "result") == set()
    assert (ADA, TORIES, "“The Conservatives have failed…” ×2") in edges(small, "statement")


def test_focus_finds_by_name_alias_iri_and_part(view):
    assert find_nodes(view, "ada quill") == [ADA]
    assert find_nodes(view, "Tories") == [TORIES]
    assert find_nodes(view, "id:ward/dockside") == [WARD]
    assert find_nodes(view, COUNCIL) == [COUNCIL]
    assert find_nodes(view, "harbourside") == [AREA]  # an exact label wins over parts
    assert find_nodes(view, "harbourside n") == [SEAT]
    assert find_nodes(view, "nobody") == []
    assert set(neighbourhood(view, [WARD], 0)) == {WARD}
    assert set(neighbourhood(view, [WARD], 1)) == {WARD, ADA, AREA}
    assert set(neighbourhood(view, [WARD], 2)) == {WARD, ADA, AREA, LABOUR, TORIES, BRAM,
                                                   COUNCIL}


def test_draw_view_narrows_and_reports(store):
    drawing = draw_view(store, DrawOptions(focus="Dockside", hops=1, types=["place", "ward",
                                                                             "person"]))
    assert set(drawing.graph) == {WARD, ADA, AREA}
    assert drawing.centres == [WARD]
    assert drawing.total_nodes is None  # narrowed in the store: the whole view is not built
    assert draw_view(store).total_nodes == 9
    with pytest.raises(UsageError, match="matches no node among the types party"):
        draw_view(store, DrawOptions(focus="Dockside", types=["party"]))
    with pytest.raises(UsageError, match="--hops"):
        draw_view(store, DrawOptions(focus="Dockside", hops=-1))


def test_helpers():
    assert opening("The Conservatives have failed Harbourside.") == "The Conservatives have failed…"
    assert opening("  short   text ") == "short text"
    assert notation("WonControl", "x") == "won-control"
    assert notation("ApologyDemandType", "x") == "apology-demand"
    assert notation("held-seat", "x") == "held-seat" and notation(None, "event") == "event"
    assert script_json({"a": "</script><!-- & \u2028"}) == (
        '{"a":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028"}')


# -- narrowing in the store -------------------------------------------------------------------

def whole_view_narrowed(store: pyoxigraph.Store, options: DrawOptions) -> nx.MultiDiGraph:
    """What draw_view gave before it narrowed in the store: the whole view, then narrowed."""
    graph = entity_view(store, statements_as_nodes=options.statements_as_nodes,
                        articles=options.articles)
    if options.types is not None:
        graph = select_types(graph, parse_types(options.types))
    if options.focus is not None:
        graph = neighbourhood(graph, find_nodes(graph, options.focus), options.hops)
    return graph


def assert_same_graph(found: nx.MultiDiGraph, expected: nx.MultiDiGraph) -> None:
    assert dict(found.nodes(data=True)) == dict(expected.nodes(data=True))
    assert sorted(found.edges(keys=True, data=True), key=repr) == \
        sorted(expected.edges(keys=True, data=True), key=repr)


NARROWINGS = [
    DrawOptions(types=["person", "party"]),
    DrawOptions(types=["event", "person"]),
    DrawOptions(types=["council", "party"]),
    DrawOptions(types=["statement", "media"], statements_as_nodes=True),
    *(DrawOptions(focus="Ada Quill", hops=hops) for hops in (0, 1, 2, 3)),
    DrawOptions(focus="Quill", hops=2, types=["person", "party"]),
    DrawOptions(focus="harbourside", hops=2),
    DrawOptions(focus="suspension"),  # an event, by its label
    DrawOptions(focus="2021-06", hops=2),  # an event, by part of its date
    DrawOptions(focus="Labour", hops=2, articles=["dockside-2022"]),
    DrawOptions(focus=COUNCIL, hops=1, statements_as_nodes=True),
    DrawOptions(focus="budget", hops=1, statements_as_nodes=True),  # a statement, by its words
    DrawOptions(focus="id:ward/dockside", hops=3, types=["ward", "place", "council", "person"]),
    DrawOptions(focus="Tories", hops=1, types=["party", "council"]),
]


@pytest.mark.parametrize("whole_tables", [False, True], ids=["narrowed", "whole-tables"])
@pytest.mark.parametrize("options", NARROWINGS, ids=lambda o: ",".join(
    f"{k}={v}" for k, v in vars(o).items() if v not in (None, False)))
def test_narrowed_in_the_store_is_the_whole_view_narrowed(store, options, whole_tables,
                                                          monkeypatch):
    """--types and --focus read only part of the graph, in the store, and draw exactly what
    narrowing the whole view gives; also when the store is asked for whole tables (which a
    narrowed query does above some number of IRIs)."""
    if whole_tables:
        monkeypatch.setattr(Views, "_most_iris", lambda self: 0)
    expected = whole_view_narrowed(store, options)
    assert expected.number_of_nodes()
    assert_same_graph(draw_view(store, options).graph, expected)


def spy_on_queries(monkeypatch) -> list[tuple[str, set[str]]]:
    """(draw query, its parameters) for each draw query run from now on."""
    import polgraph.graphs.view as view_module

    calls: list[tuple[str, set[str]]] = []
    real = view_module.rows

    def spy(name, source, params=None, **kwargs):
        calls.append((name, set(params or {})))
        return real(name, source, params, **kwargs)

    monkeypatch.setattr(view_module, "rows", spy)
    return calls


def test_focus_reads_only_the_neighbourhood(store, monkeypatch):
    calls = spy_on_queries(monkeypatch)
    drawing = draw_view(store, DrawOptions(focus="Ada Quill", hops=1))
    assert set(drawing.graph) == {ADA, BRAM, LABOUR, TORIES, WARD, AREA}
    reads = [(name, params) for name, params in calls if name in (
        "articles", "entities", "mentions", "memberships", "statements", "results", "events")]
    assert reads and all(params for _, params in reads), reads  # each narrowed by some IRIs
    assert {"node", "inside", "inside2"} <= set().union(*(p for _, p in reads))


def test_types_read_whole_only_the_facts_that_join_them(store, monkeypatch):
    calls = spy_on_queries(monkeypatch)
    draw_view(store, DrawOptions(types=["person", "party"]))
    names = {name for name, _ in calls}
    assert {"statements", "memberships", "result-nodes", "event-nodes"} <= names
    assert not names & {"results", "events"}  # a result joins a party to an area; no events


def test_nodes_and_edges_come_in_iri_order(store, view):
    assert list(view) == sorted(view)
    keys = list(view.edges(keys=True))
    assert keys == sorted(keys)
    narrowed = draw_view(store, DrawOptions(focus="Bram Oster", hops=2)).graph
    assert list(narrowed) == sorted(narrowed)
    # A subgraph of a few nodes of many lists them in a set's order (the hash seed's):
    # what --types and --focus keep is put back in order.
    for small in (select_types(view, ["party"]), neighbourhood(view, [LABOUR], 1)):
        assert len(small) < len(view) / 2
        assert list(small) == sorted(small)
        assert list(small.edges(keys=True)) == sorted(small.edges(keys=True))


def test_focus_on_a_large_part_of_a_large_graph_reads_whole_tables(store, monkeypatch):
    """Past some number of IRIs, asking the store for each costs more than reading a table."""
    views = Views(store)
    monkeypatch.setattr(Views, "_most_iris", lambda self: 2)
    calls = spy_on_queries(monkeypatch)
    views.view(inside=[ADA, BRAM, LABOUR, TORIES])
    assert ("statements", set()) in calls and ("statements", {"inside", "inside2"}) not in calls


@pytest.mark.parametrize("articles", [None, ["dockside-2022", "harbourside-2021"]],
                         ids=["all", "some-articles"])
@pytest.mark.parametrize("name", sorted(TABLE_QUERIES))
def test_whole_table_forms_give_the_same_rows(store, name, articles):
    """A query's whole-table form (draw/NAME-all.rq) gives the rows of the query itself."""
    params = None if articles is None else {"article": articles}

    def key(row):
        return tuple((k, v is None, v or "") for k, v in sorted(row.items()))

    narrowable = sorted(map(key, rows(name, store, params)))
    assert narrowable
    assert sorted(map(key, rows(name, store, params, whole=True))) == narrowable


# -- graph files -----------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_graph_files_round_trip(view, tmp_path, fmt):
    path = write_graph(view, tmp_path / f"net.{fmt}", fmt)
    if fmt == "graphml":
        back = nx.read_graphml(path)
    elif fmt == "gexf":
        back = nx.read_gexf(path)
    else:
        back = nx.node_link_graph(json.loads(path.read_text("utf-8")), edges="edges")
    assert back.number_of_nodes() == view.number_of_nodes() == 9
    assert back.number_of_edges() == view.number_of_edges()
    labels = {d["label"] for _, _, d in back.edges(data=True)}
    assert {"councillor", "won-control", "“The Conservatives have failed…” ×2"} <= labels
    if fmt != "gexf":  # GEXF keeps the node label but not under its own attribute name
        assert back.nodes[ADA]["type"] == "person" and back.nodes[ADA]["mentions"] == 6


# -- the page --------------------------------------------------------------------------------

def page_json(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="polgraph-data">(.*?)</script>',
                      html, re.S)
    assert found
    return json.loads(found.group(1))


def test_page_data(view):
    data = page_data(view)
    labels = {n["label"]: n for n in data["nodes"]}
    assert set(labels) == {"Ada Quill", "Bram Oster", "Labour Party", "Conservative Party",
                           "Harbourside Council", "Dockside", "Harbourside North",
                           "Harbourside", "suspension 2021-06-01"}
    ada = labels["Ada Quill"]
    assert (ada["group"], ada["value"], ada["d"]["aliases"]) == ("person", 6, ["Ada", "Quill"])
    by_id = {n["id"]: n["label"] for n in data["nodes"]}
    statement = next(e for e in data["edges"] if e["label"].endswith("×2"))
    assert (by_id[statement["from"]], by_id[statement["to"]]) == ("Ada Quill",
                                                                 "Conservative Party")
    assert statement["d"]["quotes"][1]["text"] == "their budget cuts hurt every family"
    assert {t["name"]: t["count"] for t in data["types"]} == {
        "person": 2, "party": 2, "council": 1, "ward": 1, "constituency": 1, "place": 1,
        "event": 1}
    assert {k["name"]: k["count"] for k in data["kinds"]} == {
        "membership": 4, "post": 2, "statement": 4, "result": 2, "event": 1, "link": 2}
    ids = {label: n["id"] for label, n in labels.items()}
    between = [e for e in data["edges"]
               if (e["from"], e["to"]) == (ids["Bram Oster"], ids["Conservative Party"])]
    assert sorted(e["label"] for e in between) == ["MP", "member"]
    assert [("smooth" in e) for e in between] == [False, True]  # the second one bends away


def test_page_is_offline(view):
    html = render_page(view)
    assert not re.search(r"""(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//""",
                         html, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?\s*(?:https?:)?//", html, re.I)
    for cdn in ("cdn.jsdelivr", "unpkg.com", "cdnjs", "bootstrapcdn", "googleapis"):
        assert cdn not in html
    assert html.count("<script") == 3 and "<link" not in html
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("style-src")[0]  # scripts allowed by hash only


def test_page_escapes_hostile_text():
    graph = entity_view(load(HOSTILE))
    html = render_page(graph, title="</title><script>alert(1)</script>")
    assert html.count("<script") == 3 and html.count("</script") == 3
    assert "<img" not in html and "onerror=\"document" not in html
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in html
    data = page_json(html)
    quotes = [q for e in data["edges"] for q in e["d"].get("quotes", [])]
    assert quotes[0]["text"].startswith("<script>window.PWNED=1;")  # intact, as data
    assert quotes[0]["headline"].startswith("Breaking </script><script>")
    page_js = html.split("<script>")[-1]
    assert "innerHTML" not in page_js and "insertAdjacentHTML" not in page_js
    assert "document.write" not in page_js


def test_page_is_a_pyvis_network(view, monkeypatch):
    """The page shows pyvis's model: its nodes, edges and options, the options set through
    pyvis; pyvis's add_node/add_edge (quadratic) and its templates (remote, unescaped) are
    not used."""
    from pyvis.network import Network

    for method in ("add_node", "add_edge", "generate_html", "write_html"):
        monkeypatch.setattr(Network, method, lambda *a, **k: pytest.fail("pyvis's own"))
    net = pyvis_network(view, title="Harbourside")
    assert isinstance(net, Network) and net.directed and net.heading == "Harbourside"
    assert net.num_nodes() == len(net.nodes) == 9 and net.num_edges() == 15
    assert net.get_nodes() == [n["id"] for n in net.nodes]
    assert all(net.get_node(n["id"]) is n for n in net.nodes)
    ada = next(n for n in net.nodes if n["label"] == "Ada Quill")
    assert (ada["group"], ada["shape"], ada["value"]) == ("person", "dot", 6)
    physics = net.options.physics
    assert physics.solver == "forceAtlas2Based" and physics.stabilization.enabled
    html = render_page(view, title="Harbourside")
    options = page_json(html)["options"]
    assert options == json.loads(net.options.to_json())  # pyvis's options JSON, whole
    assert options["physics"]["solver"] == "forceAtlas2Based"
    assert options["physics"]["forceAtlas2Based"]["gravitationalConstant"] == -60
    assert options["physics"]["stabilization"] == {
        "enabled": True, "iterations": 1000, "updateInterval": 25, "fit": True,
        "onlyDynamicEdges": False}
    assert options["layout"]["hierarchical"]["enabled"] is False
    assert options["edges"]["smooth"] == {"enabled": True, "type": "continuous"}
    assert page_json(html)["nodes"] == net.nodes and page_json(html)["edges"] == net.edges


def large_graph(nodes: int = 10_000, edges: int = 30_000) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for i in range(nodes):
        graph.add_node(f"n{i}", label=f"Person {i}", type="person", iri=f"n{i}", aliases="",
                       mentions=i % 9, articles=1)
    for j in range(edges):
        a, b = (j * 7919) % nodes, (j * 104_729 + 1) % nodes
        graph.add_edge(f"n{a}", f"n{b}", kind="statement", label=f"“quote {j}”", count=1,
                       quotes=json.dumps([{"text": f"quote {j}", "speaker": f"Person {a}"}]),
                       articles="a1")
    return graph


def test_large_pyvis_network_is_fast():
    graph = large_graph()
    pyvis_network(nx.MultiDiGraph())  # pyvis imported
    started = time.perf_counter()
    net = pyvis_network(graph)
    elapsed = time.perf_counter() - started
    assert elapsed < 3, f"a 10,000-node pyvis network took {elapsed:.1f}s"  # ~0.2s
    assert net.num_nodes() == 10_000 and net.num_edges() == 30_000
    assert net.node_map[9_999]["label"] == "Person 9999"


def test_large_page_in_seconds():
    graph = large_graph()
    started = time.perf_counter()
    html = render_page(graph)
    elapsed = time.perf_counter() - started
    assert elapsed < 10, f"10,000 nodes and 30,000 edges took {elapsed:.1f}s"
    data = page_json(html)
    assert len(data["nodes"]) == 10_000 and len(data["edges"]) == 30_000
    assert data["options"]["layout"]["improvedLayout"] is False
    assert data["options"]["edges"]["smooth"]["enabled"] is False
    assert data["options"]["interaction"]["hideEdgesOnDrag"] is True
    assert data["options"]["physics"]["stabilization"]["iterations"] == 100


# -- the command -----------------------------------------------------------------------------

def test_cli_draw_html(build_dir, tmp_path):
    out = tmp_path / "page.html"
    result = CliRunner().invoke(cli, ["draw", "--build", str(build_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}: 11 nodes, 17 edges" in result.output
    assert len(page_json(out.read_text("utf-8"))["nodes"]) == 11


def test_cli_draw_focus_and_formats(build_dir, tmp_path):
    out = tmp_path / "net.graphml"
    result = CliRunner().invoke(cli, ["draw", "--build", str(build_dir), "--out", str(out),
                                      "--focus", "Quill", "--hops", "1", "--types",
                                      "people,parties"])
    assert result.exit_code == 0, result.output
    assert "within 1 hop of Ada Quill" in result.output
    assert set(nx.read_graphml(out)) == {ADA, BRAM, LABOUR, TORIES}
    out = tmp_path / "net.data"
    result = CliRunner().invoke(cli, ["draw", "--build", str(build_dir), "--out", str(out),
                                      "--format", "json", "--articles", "dockside-2022"])
    assert result.exit_code == 0, result.output
    assert {n["id"] for n in json.loads(out.read_text("utf-8"))["nodes"]} == {ADA, LABOUR}


@pytest.mark.parametrize("args, message", [
    (["--types", "person,wizard"], "unknown type 'wizard'"),
    (["--focus", "Nobody At All"], "matches no node"),
    (["--articles", "missing-article"], "no article 'missing-article'"),
    (["--format", "pdf"], "Invalid value for '--format'"),
])
def test_cli_bad_usage_exits_2(build_dir, tmp_path, args, message):
    result = CliRunner().invoke(cli, ["draw", "--build", str(build_dir),
                                      "--out", str(tmp_path / "x.html"), *args])
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "x.html").exists()


def test_cli_statements_as_nodes(build_dir, tmp_path):
    out = tmp_path / "statements.json"
    result = CliRunner().invoke(cli, ["draw", "--build", str(build_dir), "--out", str(out),
                                      "--statements-as-nodes", "--types", "statement,person"])
    assert result.exit_code == 0, result.output
    nodes = json.loads(out.read_text("utf-8"))["nodes"]
    assert sum(n["type"] == "statement" for n in nodes) == 6  # 5 + the hostile quote


def test_cli_warns_when_too_big(build_dir, tmp_path, monkeypatch):
    import polgraph.graphs.draw

    monkeypatch.setattr(polgraph.graphs.draw, "READABLE_NODES", 5)
    result = CliRunner().invoke(cli, ["draw", "--build", str(build_dir),
                                      "--out", str(tmp_path / "big.html")])
    assert result.exit_code == 0
    assert "Warning: 11 nodes is more than a page can show readably; try --focus" in result.output
    result = CliRunner().invoke(cli, ["draw", "--build", str(build_dir), "--focus", "Dockside",
                                      "--out", str(tmp_path / "small.html")])
    assert "Warning" not in result.output


def test_draw_queries_have_headers_and_are_not_listed():
    from polgraph.queries import list_queries, load_query

    names = sorted(p.stem for p in (Path(__file__).parents[1] / "polgraph" / "queries"
                                    / "draw").glob("*.rq"))
    assert {"articles", "entities", "events", "links", "memberships", "mentions", "results",
            "statements", "find"} <= set(names)
    for name in names:
        query = load_query(f"draw/{name}")
        assert query.title and query.description
        assert all(p.default == "" for p in query.params if p.name != "text")  # optional
    assert not [q.path for q in list_queries() if "/draw/" in q.path.replace("\\", "/")]


def test_cli_no_build(tmp_path):
    result = CliRunner().invoke(cli, ["draw", "--build", str(tmp_path / "none")])
    assert result.exit_code == 2 and "run 'polgraph build' first" in result.output


def test_cli_help_has_examples():
    result = CliRunner().invoke(cli, ["draw", "--help"])
    assert result.exit_code == 0
    assert "polgraph draw --focus" in result.output and "--statements-as-nodes" in result.output


# -- the page in a real browser ------------------------------------------------------------

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Chromium at /usr/bin/chromium (Debian: apt-get install chromium)")


@pytest.mark.browser
@needs_chromium
def test_page_in_chromium(build_dir, tmp_path):
    from polgraph.graphs.draw_screenshot import run_chromium, screenshot_page

    page = tmp_path / "network.html"
    result = CliRunner().invoke(cli, ["draw", "--build", str(build_dir), "--out", str(page)])
    assert result.exit_code == 0, result.output
    dom = run_chromium(page, fragment="search=Mallory%20Vex", dump_dom=True)
    status = re.search(r'<p id="status"([^>]*)>', dom)
    assert status, dom[:2000]
    attributes = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', status.group(1)))
    assert attributes["nodes"] == "11" and attributes["edges"] == "17"
    assert attributes["state"] == "stable"
    assert '<canvas' in dom  # vis-network drew
    # Nothing hostile ran: no mark on <html>, the title unchanged, no element injected.
    assert not re.search(r"<html[^>]*data-pwned", dom)
    assert "<title>PWNED</title>" not in dom
    body = re.sub(r"<script.*?</script>", "", dom, flags=re.S)
    assert "<img" not in body
    # ... yet the hostile quote is there, as text, in the details of the searched node.
    details = re.search(r'<section id="details".*?</section>', body, re.S).group(0)
    assert "Mallory Vex" in details
    assert "“&lt;script&gt;window.PWNED=1;" in details
    assert "Breaking &lt;/script&gt;&lt;script&gt;" in details
    shot = screenshot_page(page, tmp_path / "network.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


@pytest.mark.browser
@needs_chromium
def test_screenshot_module(build_dir, tmp_path):
    from polgraph.graphs.draw_screenshot import main

    assert main([str(build_dir), str(tmp_path / "shot.png"), "--focus", "Ada Quill"]) == 0
    assert (tmp_path / "shot.png").stat().st_size > 10_000


def test_chromium_absent_is_a_clear_error(monkeypatch, tmp_path):
    from polgraph.graphs import draw_screenshot

    monkeypatch.setattr(draw_screenshot, "find_chromium", lambda: None)
    with pytest.raises(UsageError, match="no Chromium"):
        draw_screenshot.run_chromium(tmp_path / "x.html")

"""The query library over the hand-made fixture (tests/fixtures/mini.trig).

Every query runs over an Oxigraph store and an rdflib Dataset (and, where it matters, a
tiny local SPARQL endpoint) and must give the same rows on each.
"""

from __future__ import annotations

import gc
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDFS

from polgraph.cli import cli
from polgraph.errors import EndpointError, QueryError
from polgraph.queries import (
    FORMATS,
    NamedQuery,
    Param,
    QueryResult,
    bind_params,
    format_result,
    list_queries,
    load_query,
    parse_query,
    run_query,
)
from polgraph.queries.formats import format_chunks
from polgraph.queries.runner import QueryStream, has_order_by, query_text, stream_query
from polgraph.queries.sparqltext import main_group_start, query_form, with_values
from polgraph.queries.terms import Term, param_term, render, sparql_term

#: rdflib's own Dataset code warns about its deprecated ConjunctiveGraph API on every query.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

FIXTURE = Path(__file__).parent / "fixtures" / "mini.trig"
POL = "https://w3id.org/polgraph/ontology#"
ID = "https://w3id.org/polgraph/id/"
A = "northam-2019-local-elections"
B = "eastbrook-suspension-2020"

CONTRACT = {
    "mentions": ["article", "kind", "name"],
    "statements": ["article", "speaker", "quote", "direct", "medium"],
    "memberships": ["article", "person", "party", "role"],
    "results": ["article", "area", "party", "kind", "value", "election"],
    "events": ["article", "type", "who", "date"],
}

#: Parameters for each library query when comparing backends (several runs each).
PARAMS: dict[str, list[dict[str, str]]] = {
    "said-about": [{"person": "labour"}, {"person": "Toby Wren"},
                   {"person": ID + "party/labour-party"}],
    "provenance": [{"node": ID + f"statement/{B}/1"}, {"node": ID + "person/tobias-wren"}],
    "party-self-talk": [{}, {"party": "Labour"}, {"party": "Tories"}],
    "council-control": [{}, {"council": "northam council"}],
    "party-members": [{}, {"party": "Green Party"}],
    "review": [{}, {"below": "0.9"}],
    "people-in-several-articles": [{}, {"min": "1"}],
    # the contract queries' narrowing: by article, by entity (name, alias or IRI), both
    "mentions": [{}, {"article": A}, {"entity": "Labour Party"}, {"entity": "Toby Wren"},
                 {"entity": ID + "person/priya-vance", "article": B}],
    "statements": [{}, {"article": B}, {"entity": "Twitter"}, {"entity": "Toby Wren"},
                   {"entity": ID + "person/priya-vance", "article": B}],
    "memberships": [{}, {"article": A}, {"entity": "Labour"}, {"entity": "Toby Wren"},
                    {"entity": ID + "person/priya-vance", "article": A}],
    "results": [{}, {"article": A}, {"entity": "Labour Party"}, {"entity": "Hale Park"},
                {"entity": ID + "party/conservative-party", "article": A}],
    "events": [{}, {"article": B}, {"entity": "Labour Party"}, {"entity": "Toby Wren"},
               {"entity": ID + "party/labour-party", "article": A}],
}


# -- sources -----------------------------------------------------------------------------------
def oxigraph_store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(path=str(FIXTURE), format=pyoxigraph.RdfFormat.TRIG)
    return store


def rdflib_dataset() -> Dataset:
    dataset = Dataset()
    dataset.parse(str(FIXTURE), format="trig")
    return dataset


@pytest.fixture(scope="module")
def store() -> pyoxigraph.Store:
    return oxigraph_store()


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return rdflib_dataset()


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def source(request, store, dataset):
    return store if request.param == "oxigraph" else dataset


def rows(name: str, source, **params: str) -> list[tuple]:
    result = run_query(load_query(name), source, params)
    return [tuple(row[c] for c in result.columns) for row in result.rows]


# -- the fixture itself ------------------------------------------------------------------------
def adhoc(text: str) -> NamedQuery:
    """A query without a header, with the prefixes the fixture uses."""
    prefixes = (
        f"PREFIX pol: <{POL}>\nPREFIX oa: <http://www.w3.org/ns/oa#>\n"
        "PREFIX schema: <http://schema.org/>\n"
    )
    return NamedQuery("adhoc", "Ad hoc", "", (), prefixes + text, "")


def test_fixture_offsets_match_the_article_text(source):
    """The doc's invariant: SUBSTR(text, start + 1, end - start) = exact, for all evidence."""
    result = run_query(adhoc("""
        SELECT ?evidence ?ok WHERE {
          ?evidence a pol:Evidence ; oa:hasSource/schema:text ?text ;
                    oa:hasSelector [ oa:start ?start ; oa:end ?end ] ,
                                   [ oa:exact ?exact ] .
          BIND (SUBSTR(?text, ?start + 1, ?end - ?start) = ?exact AS ?ok)
        }"""), source)
    assert len(result.rows) > 30
    assert {row["ok"] for row in result.rows} == {"true"}


def test_fixture_facts_have_evidence_or_curation(source):
    result = run_query(adhoc("""
        SELECT ?fact (COUNT(DISTINCT ?how) AS ?n) WHERE {
          ?fact a ?class .
          FILTER (?class IN (pol:Statement, pol:Membership, pol:ElectionResult, pol:Event,
                             pol:Mention))
          OPTIONAL { { ?fact pol:evidence ?how } UNION { ?fact pol:curatedIn ?how } }
        } GROUP BY ?fact"""), source)
    assert len(result.rows) > 30
    assert {row["n"] for row in result.rows} == {"1"}


# -- the library -------------------------------------------------------------------------------
def test_library_lists_contract_and_analytic_queries():
    queries = list_queries()
    names = [q.name for q in queries]
    assert names == sorted(names)
    assert set(CONTRACT) <= set(names)
    assert len(set(names) - set(CONTRACT)) >= 6
    assert {"said-about", "party-self-talk", "council-control", "quoted-per-outlet",
            "people-in-several-articles", "review", "contradictions", "provenance"} <= set(names)
    assert "summary" not in names  # internal queries are not listed
    for query in queries:
        assert query.title and query.title != query.name, query.name
        assert len(query.description) > 40, query.name
        assert Path(query.path).name == f"{query.name}.rq"


def test_internal_queries_load_by_their_folder():
    query = load_query("internal/summary")
    assert query.name == "summary"
    assert "internal" in query.path


def test_header_is_parsed():
    query = load_query("review")
    assert query.title == "Facts to review (low confidence)"
    assert query.description.startswith("Extracted facts and mentions")
    assert "BUILD/review.jsonl" in query.description  # continuation lines joined
    assert query.params == (
        Param("below", "list facts with a confidence under this", "0.7", "decimal"),
    )
    assert load_query("said-about").params[0].default is None
    assert load_query("said-about").params[0].type == "auto"
    assert load_query("party-self-talk").params[0].default == ""


def test_header_fields_continue_on_indented_lines():
    query = parse_query(
        "# title: Two\n#   lines\n# description: One\n# param: who — the\n"
        "#   speaker (default: Priya Vance)\n# a plain comment\nSELECT * {}", "q", "q.rq")
    assert (query.title, query.description) == ("Two lines", "One")
    assert query.params == (Param("who", "the speaker", "Priya Vance"),)


def test_header_errors_are_clear():
    with pytest.raises(QueryError, match="unknown type 'colour'"):
        parse_query("# title: t\n# param: x (colour) — a thing\nSELECT * {}", "q")
    with pytest.raises(QueryError, match="cannot read the parameter line"):
        parse_query("# title: t\n# param: 9lives\nSELECT * {}", "q")


def test_contract_query_columns_are_exact(source):
    for name, columns in CONTRACT.items():
        assert run_query(load_query(name), source).columns == columns, name


# -- contract queries --------------------------------------------------------------------------
def test_mentions(source):
    assert rows("mentions", source) == [
        (B, "media", "Northam Echo"),
        (B, "media", "Twitter"),
        (B, "party", "Labour Party"),
        (B, "person", "Priya Vance"),
        (B, "person", "Tobias Wren"),
        (B, "ward", "Eastbrook"),
        (A, "council", "Northam Council"),
        (A, "media", "BBC"),
        (A, "party", "Conservative Party"),
        (A, "party", "Labour Party"),
        (A, "person", "Gideon Marsh"),
        (A, "person", "Priya Vance"),
        (A, "place", "Northam"),
        (A, "ward", "Hale Park"),
    ]


def test_statements(source):
    assert rows("statements", source) == [
        (B, None, "a matter for the party", "true", "Northam Echo"),
        (B, "Priya Vance", "the party would review the case", "false", None),
        (B, "Tobias Wren", "The Labour Party has lost its way.", "true", "Twitter"),
        (A, None, "We will be back", "true", None),
        (A, "Gideon Marsh", "the Labour Party had run a negative campaign", "false", "BBC"),
        (A, "Priya Vance", "This is a victory for every family in Northam.", "true", None),
    ]


def test_statement_by_the_invented_speaker_names_its_medium(source):
    result = run_query(load_query("statements"), source)
    wren = [row for row in result.rows if row["speaker"] == "Tobias Wren"]
    assert wren == [{"article": B, "speaker": "Tobias Wren",
                     "quote": "The Labour Party has lost its way.", "direct": "true",
                     "medium": "Twitter"}]


def test_memberships_list_extracted_ones_including_contradicted(source):
    assert rows("memberships", source) == [
        (B, "Tobias Wren", "Labour Party", "councillor"),  # contradicted, still listed
        (A, "Gideon Marsh", "Conservative Party", "councillor"),
        (A, "Priya Vance", "Labour Party", None),
        (A, "Priya Vance", "Northam Council", "leader"),
    ]


def test_results(source):
    election = "2019 local elections"
    assert rows("results", source) == [
        (A, "Hale Park", "Labour Party", "held-seat", None, election),
        (A, "Northam Council", None, "turnout", "35.4", election),
        (A, "Northam Council", "Conservative Party", "lost-control", None, election),
        (A, "Northam Council", "Conservative Party", "seat-count", "14", election),
        (A, "Northam Council", "Labour Party", "seat-count", "31", election),
        (A, "Northam Council", "Labour Party", "won-control", None, election),
    ]


def test_events(source):
    assert rows("events", source) == [
        (B, "review", "Labour Party", None),
        (B, "suspension", "Tobias Wren", "2020-02-10"),
        (A, "election", "Labour Party", "2019-05-02"),
    ]


def test_contract_queries_leave_out_curated_facts(source):
    for name in CONTRACT:
        for row in run_query(load_query(name), source).rows:
            assert row["article"], (name, row)
    assert all(row[2] != "Green Party" for row in rows("memberships", source))


def test_triples_repeated_in_several_graphs_do_not_repeat_rows(store):
    """Oxigraph's union default graph repeats a triple once per graph that holds it."""
    doubled = oxigraph_store()
    copy = pyoxigraph.NamedNode(ID + "graph/hand/copy")
    doubled.extend([
        pyoxigraph.Quad(q.subject, q.predicate, q.object, copy)
        for q in doubled.quads_for_pattern(None, None, None, None)
        if "graph/article/" in q.graph_name.value and not q.subject.value.startswith(
            (ID + "statement", ID + "membership", ID + "result", ID + "event", ID + "mention",
             ID + "evidence", ID + "article"))
    ])
    assert len(doubled) > len(store) + 50
    for named in list_queries():
        for params in PARAMS.get(named.name, [{}]):
            assert run_query(named, doubled, params) == run_query(named, store, params), \
                (named.name, params)


def test_kind_comes_from_the_ontology_notation_when_loaded():
    store = oxigraph_store()
    store.add(pyoxigraph.Quad(
        pyoxigraph.NamedNode(POL + "WonControl"),
        pyoxigraph.NamedNode("http://www.w3.org/2004/02/skos/core#notation"),
        pyoxigraph.Literal("won-control-from-ontology"),
        pyoxigraph.NamedNode(ID + "graph/hand/ontology"),
    ))
    kinds = {row[3] for row in rows("results", store)}
    assert "won-control-from-ontology" in kinds
    assert "won-control" not in kinds


# -- narrowing and paging ----------------------------------------------------------------------
#: The columns of each contract query that name an entity (what 'entity' narrows by).
ENTITY_COLUMNS = {"mentions": ["name"], "statements": ["speaker", "medium"],
                  "memberships": ["person", "party"], "results": ["area", "party"],
                  "events": ["who"]}


@pytest.mark.parametrize("name", list(CONTRACT))
def test_narrowed_contract_queries_give_the_full_rows_for_that_article(name, source):
    query = load_query(name)
    assert [p.name for p in query.params] == ["article", "entity"]
    full = run_query(query, source).rows
    for article in (A, B, "no-such-article"):
        narrowed = run_query(query, source, {"article": article}).rows
        assert narrowed == [row for row in full if row["article"] == article], article
    both = run_query(query, source, {"article": [A, B]}).rows  # several values: any of them
    assert both == full


@pytest.mark.parametrize("name", list(CONTRACT))
def test_narrowed_contract_queries_give_the_full_rows_for_that_entity(name, source):
    query = load_query(name)
    full = run_query(query, source).rows
    columns = ENTITY_COLUMNS[name]
    names = sorted({row[c] for row in full for c in columns if row[c]})
    assert names
    for entity in names:  # by its label
        narrowed = run_query(query, source, {"entity": entity}).rows
        assert narrowed == [row for row in full if entity in (row[c] for c in columns)], entity
    wren = [row for row in full if "Tobias Wren" in (row[c] for c in columns)]
    assert run_query(query, source, {"entity": "Toby Wren"}).rows == wren  # by an alias
    assert run_query(query, source, {"entity": ID + "person/tobias-wren"}).rows == wren  # IRI
    assert run_query(query, source, {"entity": "toby wren"}).rows == []  # case matters


@pytest.mark.parametrize("name", list(CONTRACT))
def test_pages_are_consecutive_and_disjoint(name, source):
    query = load_query(name)
    full = run_query(query, source).rows
    for size in (1, 2, 5):
        pages = [run_query(query, source, limit=size, offset=start).rows
                 for start in range(0, len(full) + size, size)]
        assert all(len(page) <= size for page in pages)
        assert [row for page in pages for row in page] == full
    assert run_query(query, source, limit=0).rows == []
    assert run_query(query, source, offset=len(full)).rows == []
    narrowed = run_query(query, source, {"article": A}).rows
    assert run_query(query, source, {"article": A}, limit=2, offset=1).rows == narrowed[1:3]


def test_paging_combines_with_the_querys_own_limit(tmp_path, source):
    path = tmp_path / "first-four.rq"
    path.write_text("# title: t\nPREFIX pol: <https://w3id.org/polgraph/ontology#>\n"
                    "SELECT ?s WHERE { ?s pol:text ?t } ORDER BY ?t LIMIT 4 OFFSET 1\n",
                    encoding="utf-8")
    query = load_query(str(path))
    four = run_query(query, source).rows
    assert len(four) == 4
    assert run_query(query, source, limit=3).rows == four[:3]
    assert run_query(query, source, offset=2).rows == four[2:]
    assert run_query(query, source, limit=10, offset=3).rows == four[3:]
    assert run_query(query, source, offset=9).rows == []


def test_paging_errors(source, tmp_path):
    with pytest.raises(QueryError, match="only rows can be paged"):
        run_query(adhoc("ASK { ?s ?p ?o }"), source, limit=1)
    with pytest.raises(QueryError, match="0 or more"):
        run_query(load_query("statements"), source, limit=-1)
    assert has_order_by(load_query("statements").text)
    assert not has_order_by("SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s } }")


def test_narrowing_lines_and_values_in_sub_selects():
    query = parse_query(
        "# title: t\n# param: who — a name (optional)\n"
        "SELECT ?x ?n WHERE {\n"
        "  #if who: ?x <http://e/name> ?who .\n"
        "  ?x <http://e/p> ?y .\n"
        "  { SELECT ?y (MIN(?l) AS ?n) WHERE {\n"
        "      #if who: ?z <http://e/name> ?who ; <http://e/p> ?y .\n"
        "      ?y <http://e/label> ?l } GROUP BY ?y }\n"
        "  { SELECT ?x WHERE { ?x a <http://e/C> } }\n"
        "}\n", "t")
    plain = query_text(query, {})
    assert plain == query.text  # without a value, the '#if' lines stay comments
    bound = query_text(query, bind_params(query, {"who": ["Ann", "Bo"]}))
    assert "  ?x <http://e/name> ?who .\n" in bound and "#if" not in bound
    assert bound.count('VALUES (?who) { ("Ann") ("Bo") }') == 2  # main group, first sub-select
    second = bound.index("{ SELECT ?x WHERE {")
    assert "VALUES" not in bound[second:]  # not where ?who is not named
    with pytest.raises(QueryError, match="'#if' lines name colour"):
        parse_query("# title: t\n# param: who — a name (optional)\n"
                    "SELECT * WHERE {\n  #if colour: ?s ?p ?o .\n}\n", "t")


def test_several_values_bind_as_rows_and_never_multiply_rows(source):
    assert rows("said-about", source, person="Tobias Wren") != []
    query = load_query("mentions")
    assert run_query(query, source, {"article": [A, A, B]}).rows == run_query(query, source).rows


def test_streamed_formats_are_the_same_text(source):
    query = load_query("statements")
    result = run_query(query, source)
    for fmt in FORMATS:
        streamed = "".join(format_chunks(stream_query(query, source), fmt))
        assert streamed == format_result(result, fmt), fmt
    empty = QueryResult(["a"], [])
    assert "".join(format_chunks(QueryStream(["a"], []), "json")) == format_result(empty, "json")


# -- analytic queries --------------------------------------------------------------------------
def statement(article: str, n: int) -> str:
    return f"{ID}statement/{article}/{n}"


def test_said_about_matches_labels_and_aliases_in_any_case(source):
    expected = [
        ("Labour Party", B, "A party spokesperson", "a matter for the party", "true",
         "Northam Echo", statement(B, 3)),
        ("Labour Party", B, "Priya Vance", "the party would review the case", "false", None,
         statement(B, 2)),
        ("Labour Party", B, "Tobias Wren", "The Labour Party has lost its way.", "true",
         "Twitter", statement(B, 1)),
        ("Labour Party", A, "Gideon Marsh", "the Labour Party had run a negative campaign",
         "false", "BBC", statement(A, 2)),
    ]
    assert rows("said-about", source, person="labour") == expected
    assert rows("said-about", source, person="LABOUR PARTY") == expected
    assert rows("said-about", source, person=ID + "party/labour-party") == expected
    assert rows("said-about", source, person="toby wren") == [
        ("Tobias Wren", B, "Priya Vance", "the party would review the case", "false", None,
         statement(B, 2)),
    ]
    assert rows("said-about", source, person="Nobody At All") == []


def test_said_about_follows_same_as_links():
    store = oxigraph_store()
    alias = pyoxigraph.NamedNode(ID + f"person/{B}/toby")
    store.add(pyoxigraph.Quad(alias, pyoxigraph.NamedNode(str(RDFS.label)),
                              pyoxigraph.Literal("Toby"), pyoxigraph.NamedNode(ID + "graph/x")))
    store.add(pyoxigraph.Quad(alias, pyoxigraph.NamedNode("http://www.w3.org/2002/07/owl#sameAs"),
                              pyoxigraph.NamedNode(ID + "person/tobias-wren"),
                              pyoxigraph.NamedNode(ID + "graph/resolution")))
    assert [r[2] for r in rows("said-about", store, person="Toby")] == ["Priya Vance"]


def test_party_self_talk(source):
    expected = [("Labour Party", B, "Priya Vance", "the party would review the case", "false",
                 statement(B, 2))]
    # Tobias Wren's words about Labour do not count: a curated fact says he is Green.
    assert rows("party-self-talk", source) == expected
    assert rows("party-self-talk", source, party="labour") == expected
    assert rows("party-self-talk", source, party="Tories") == []


def test_council_control(source):
    expected = [
        ("Northam Council", "2015", "2015 local elections", "Conservative Party", "won-control",
         "curated: people.ttl"),
        ("Northam Council", "2019", "2019 local elections", "Conservative Party", "lost-control",
         A),
        ("Northam Council", "2019", "2019 local elections", "Labour Party", "won-control", A),
    ]
    assert rows("council-control", source) == expected
    assert rows("council-control", source, council="northam council") == expected
    assert rows("council-control", source, council="Eastbrook Council") == []


def test_quoted_per_outlet(source):
    assert rows("quoted-per-outlet", source) == [
        ("BBC", "medium", "Gideon Marsh", "1", "1"),
        ("Daily Bugle", "publisher", "Gideon Marsh", "1", "1"),
        ("Daily Bugle", "publisher", "Priya Vance", "1", "1"),
        ("Northam Echo", "publisher", "Priya Vance", "1", "1"),
        ("Northam Echo", "publisher", "Tobias Wren", "1", "1"),
        ("Twitter", "medium", "Tobias Wren", "1", "1"),
    ]


def test_people_in_several_articles(source):
    assert rows("people-in-several-articles", source) == [("Priya Vance", "2", f"{B} {A}")]
    assert rows("people-in-several-articles", source, min="1") == [
        ("Priya Vance", "2", f"{B} {A}"),
        ("Gideon Marsh", "1", A),
        ("Tobias Wren", "1", B),
    ]


def test_review_lists_low_confidence_facts_least_sure_first(source):
    found = rows("review", source)
    assert [(r[0], r[1], r[2], r[6]) for r in found] == [
        (A, "statement", "0.55", statement(A, 3)),
        (B, "event", "0.6", f"{ID}event/{B}/2"),
        (A, "result", "0.6", f"{ID}result/{A}/6"),
        (B, "membership", "0.65", f"{ID}membership/{B}/1"),
    ]
    assert found[0][3:6] == ("quotes.direct", "We will be back,",
                             "\u201cWe will be back,\u201d one Conservative activist said.")
    more = rows("review", source, below="0.9")
    assert len(more) == 11
    assert {r[1] for r in more} == {"statement", "event", "result", "membership"}
    assert any(r[1] == "mention" for r in rows("review", source, below="1"))


def test_contradictions(source):
    assert rows("contradictions", source) == [
        (B, "membership", "Tobias Wren", "Labour Party (councillor)", "Green Party (member)",
         "people.ttl",
         "Tobias Wren, a Labour councillor for Eastbrook, was suspended by the Labour Party "
         "on 10 February 2020.",
         f"{ID}membership/{B}/1"),
    ]


def test_provenance_of_a_fact(source):
    assert rows("provenance", source, node=statement(B, 1)) == [
        (B, "Wren wrote on Twitter: \u201cThe Labour Party has lost its way.\u201d", "128",
         "162", "quotes.direct", "0.9", "The Labour Party has lost its way.", statement(B, 1)),
    ]


def test_provenance_of_an_entity_gives_mentions_and_curation(source):
    found = rows("provenance", source, node=ID + "person/tobias-wren")
    assert found == [
        (None, None, None, None, "curated: people.ttl", None, None, ID + "person/tobias-wren"),
        (B, "Tobias Wren, a Labour councillor for Eastbrook, was suspended by the Labour Party "
            "on 10 February 2020.", "0", "11", "mentions", "0.9", "Tobias Wren",
         f"{ID}mention/{B}/1"),
    ]


def test_articles(source):
    assert rows("articles", source) == [
        (B, "2020-02-11", "Northam Echo", "Eastbrook councillor suspended",
         "6", "3", "1", "0", "2"),
        (A, "2019-05-03", "Daily Bugle", "Labour takes Northam Council", "8", "3", "3", "6", "1"),
    ]


def test_party_members(source):
    assert rows("party-members", source) == [
        ("Conservative Party", "Gideon Marsh", "councillor", "", A),
        ("Green Party", "Tobias Wren", "member", "", "curated: people.ttl"),
        ("Labour Party", "Priya Vance", None, "", A),
        ("Labour Party", "Tobias Wren", "councillor", "suspended, contradicted", B),
    ]
    assert [r[1] for r in rows("party-members", source, party="greens")] == ["Tobias Wren"]


def test_who_talks_about_whom(source):
    assert rows("who-talks-about-whom", source) == [
        ("Gideon Marsh", "Labour Party", "1", "1"),
        ("Priya Vance", "Labour Party", "1", "1"),
        ("Priya Vance", "Northam", "1", "1"),
        ("Priya Vance", "Tobias Wren", "1", "1"),
        ("Tobias Wren", "Labour Party", "1", "1"),
    ]


@pytest.mark.parametrize("query", [q.name for q in list_queries()])
def test_same_rows_over_oxigraph_and_rdflib(query, store, dataset):
    for params in PARAMS.get(query, [{}]):
        named = load_query(query)
        on_oxigraph = run_query(named, store, params)
        on_rdflib = run_query(named, dataset, params)
        assert on_oxigraph == on_rdflib, params
        if params.get("party") != "Tories":
            assert on_oxigraph.rows, params


def test_rdflib_dataset_keeps_its_own_default_union_setting(dataset):
    dataset.default_union = False
    run_query(load_query("statements"), dataset)
    assert dataset.default_union is False


# -- parameters --------------------------------------------------------------------------------
INJECTION = 'x" } ; DROP ALL ; SELECT * WHERE { ?s ?p "'


def test_a_hostile_value_is_only_data(source):
    assert rows("said-about", source, person=INJECTION) == []
    assert rows("party-members", source, party=INJECTION) == []
    assert rows("statements", source)  # nothing was dropped


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_a_hostile_label_round_trips(backend):
    """A value full of quotes, braces and newlines matches the same literal in the data."""
    label = INJECTION + '\\ \n\t "end"'
    store, dataset = oxigraph_store(), rdflib_dataset()
    evil = ID + "person/evil"
    graph = ID + "graph/x"
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode(evil), pyoxigraph.NamedNode(str(RDFS.label)),
                              pyoxigraph.Literal(label), pyoxigraph.NamedNode(graph)))
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode(statement(B, 2)),
                              pyoxigraph.NamedNode(POL + "about"),
                              pyoxigraph.NamedNode(evil), pyoxigraph.NamedNode(graph)))
    dataset.graph(URIRef(graph)).add((URIRef(evil), RDFS.label, Literal(label)))
    dataset.graph(URIRef(graph)).add((URIRef(statement(B, 2)), URIRef(POL + "about"),
                                      URIRef(evil)))
    source = store if backend == "oxigraph" else dataset
    found = rows("said-about", source, person=label)
    assert [(r[0], r[6]) for r in found] == [(label, statement(B, 2))]


def test_unknown_and_missing_parameters_are_named(source):
    with pytest.raises(QueryError, match="has no parameter colour, size"):
        run_query(load_query("statements"), source, {"size": "1", "colour": "red"})
    with pytest.raises(QueryError, match="needs a value for: person"):
        run_query(load_query("said-about"), source)
    with pytest.raises(QueryError, match="needs a value for: person"):
        run_query(load_query("said-about"), source, {"person": ""})
    with pytest.raises(QueryError, match="'abc' is not a valid decimal"):
        run_query(load_query("review"), source, {"below": "abc"})
    with pytest.raises(QueryError, match="is not an IRI"):
        run_query(load_query("provenance"), source, {"node": "not an iri"})


def test_param_terms():
    assert param_term("p", "auto", "https://example.org/a") == Term("https://example.org/a", None)
    assert param_term("p", "auto", "https://example.org/a b").is_iri is False
    assert param_term("p", "auto", "Ken") == Term("Ken")
    assert param_term("p", "string", "https://example.org/a").is_iri is False
    assert param_term("p", "decimal", " 0.70 ").value == "0.70"
    assert param_term("p", "integer", "007").value == "7"
    assert param_term("p", "boolean", "Yes").value == "true"
    assert param_term("p", "date", "2019-05-02").datatype.endswith("#date")
    with pytest.raises(QueryError):
        param_term("p", "date", "May 2019")
    assert sparql_term(Term('a "b"\n\\', "http://www.w3.org/2001/XMLSchema#string")) == \
        '"a \\"b\\"\\n\\\\"'
    assert sparql_term(Term("1.5", "http://www.w3.org/2001/XMLSchema#decimal")) == \
        '"1.5"^^<http://www.w3.org/2001/XMLSchema#decimal>'


def test_render_is_canonical():
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert render("35.400", xsd + "decimal") == "35.4"
    assert render("70.0", xsd + "decimal") == "70"
    assert render("0.000", xsd + "decimal") == "0"
    assert render("1", xsd + "boolean") == "true"
    assert render("007", xsd + "nonNegativeInteger") == "7"
    assert render("3.54E1", xsd + "double") == "35.4"
    assert render("2019", xsd + "gYear") == "2019"


# -- SPARQL text -------------------------------------------------------------------------------
def test_values_go_first_in_the_main_group():
    text = (
        'PREFIX ex: <http://example.org/x#>  # a comment with a { brace\n'
        'CONSTRUCT { ?s ex:p "}{" } WHERE { ?s ex:q ?who }'
    )
    out = with_values(text, ["who"], ['"a"'])
    assert out.endswith('WHERE {\n  VALUES (?who) { ("a") }\n ?s ex:q ?who }')
    assert query_form(text) == "CONSTRUCT"
    assert main_group_start("SELECT * { ?s ?p ?o }") == len("SELECT * {")
    assert main_group_start("CONSTRUCT WHERE { ?s ?p ?o }") == len("CONSTRUCT WHERE {")
    assert main_group_start("CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }") == \
        len("CONSTRUCT { ?s ?p ?o } {")
    assert with_values("ASK { }", [], []) == "ASK { }"
    with pytest.raises(QueryError):
        query_form("# nothing here")


def test_a_query_file_with_a_header(tmp_path, source):
    path = tmp_path / "who-said.rq"
    path.write_text(
        "# title: Words by one speaker\n"
        "# description: What one speaker said.\n"
        "# param: who — the speaker's name (default: Priya Vance)\n"
        "PREFIX pol: <https://w3id.org/polgraph/ontology#>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT DISTINCT ?quote WHERE {\n"
        "  ?s pol:speaker/rdfs:label ?who ; pol:text ?quote .\n"
        "} ORDER BY ?quote\n",
        encoding="utf-8",
    )
    query = load_query(str(path))
    assert (query.name, query.title) == ("who-said", "Words by one speaker")
    assert [r["quote"] for r in run_query(query, source).rows] == [
        "This is a victory for every family in Northam.", "the party would review the case"]
    assert [r["quote"] for r in run_query(query, source, {"who": "Tobias Wren"}).rows] == [
        "The Labour Party has lost its way."]


def test_unknown_query_names_the_known_ones(tmp_path):
    with pytest.raises(QueryError, match="no query named 'nope'; known queries: articles"):
        load_query("nope")
    with pytest.raises(QueryError, match="no query file"):
        load_query(str(tmp_path / "missing.rq"))


def test_a_broken_query_is_a_query_error(tmp_path, source):
    path = tmp_path / "broken.rq"
    path.write_text("# title: Broken\nSELECT ?x WHERE { ?x ?y }\n", encoding="utf-8")
    with pytest.raises(QueryError, match="'broken' failed"):
        run_query(load_query(str(path)), source)


def test_unsupported_source():
    with pytest.raises(QueryError, match="cannot run a query over int"):
        run_query(load_query("statements"), 42)


# -- formats -----------------------------------------------------------------------------------
RESULT = QueryResult(["name", "n"], [{"name": "Priya Vance", "n": "2"},
                                     {"name": "Al", "n": None}])


def test_table_format():
    assert format_result(RESULT, "table") == (
        "name         n\n"
        "-----------  -\n"
        "Priya Vance  2\n"
        "Al\n"
    )


def test_csv_and_json_formats():
    assert format_result(RESULT, "csv") == "name,n\nPriya Vance,2\nAl,\n"
    assert json.loads(format_result(RESULT, "json")) == [
        {"name": "Priya Vance", "n": "2"}, {"name": "Al", "n": None}]
    with pytest.raises(QueryError, match="unknown output format"):
        format_result(RESULT, "xml")


CONSTRUCT = NamedQuery(
    "c", "Words by speaker", "", (),
    f"CONSTRUCT {{ ?s <urn:said> ?t }} WHERE {{ ?s <{POL}speaker> ?p ; <{POL}text> ?t }}", "")


def test_ask_and_construct_queries(tmp_path, source):
    ask = NamedQuery("ask", "Ask", "", (), f"ASK {{ ?s a <{POL}Statement> }}", "")
    assert run_query(ask, source).rows == [{"result": "true"}]
    result = run_query(CONSTRUCT, source)
    assert result.columns == ["subject", "predicate", "object"]
    assert len(result.rows) == 4


# -- command line ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def build_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("build")
    writer = pyoxigraph.Store(str(folder / "store"))
    writer.load(path=str(FIXTURE), format=pyoxigraph.RdfFormat.TRIG)
    writer.flush()
    del writer
    gc.collect()
    return folder


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_cli_queries_lists_names_titles_and_params():
    result = invoke("queries")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["name", "title", "params"]
    said = next(line for line in lines if line.startswith("said-about "))
    assert "Everything said about someone" in said and said.endswith("person")
    review = next(line for line in lines if line.startswith("review "))
    assert review.endswith("below=0.7")
    assert next(line for line in lines if line.startswith("party-self-talk ")).endswith("[party]")
    assert "summary" not in result.output


def test_cli_queries_describes_one_query():
    result = invoke("queries", "review")
    assert result.exit_code == 0
    assert "below (decimal): list facts with a confidence under this [default: 0.7]" in \
        result.output


def test_cli_query_table(build_dir):
    result = invoke("query", "statements", "--build", str(build_dir))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == CONTRACT["statements"]
    assert set(lines[1]) <= {"-", " "}
    assert len(lines) == 8
    wren = next(line for line in lines if "Tobias Wren" in line)
    assert wren.split()[-1] == "Twitter"


def test_cli_query_csv_with_params(build_dir):
    result = invoke("query", "said-about", "--build", str(build_dir),
                    "-p", "person=Toby Wren", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "about,article,speaker,quote,direct,medium,statement",
        f"Tobias Wren,{B},Priya Vance,the party would review the case,false,,{statement(B, 2)}",
    ]


def test_cli_query_json_file(build_dir, tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text("# title: Mine\nPREFIX pol: <https://w3id.org/polgraph/ontology#>\n"
                    "SELECT ?id WHERE { ?a pol:articleId ?id } ORDER BY ?id\n", encoding="utf-8")
    result = invoke("query", str(path), "--build", str(build_dir), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"id": B}, {"id": A}]


@pytest.mark.parametrize("args, message", [
    (["query", "nope"], "no query named 'nope'"),
    (["query", "said-about", "-p", "person"], "expected NAME=VALUE"),
    (["query", "said-about", "-p", "who=x"], "has no parameter who"),
    (["query", "said-about"], "needs a value for: person"),
    (["query", "review", "-p", "below=lots"], "is not a valid decimal"),
    (["query", "statements", "--format", "xml"], "Invalid value for '--format'"),
    (["query", "statements", "--endpoint", "http://localhost:1/q", "--build", "x"],
     "not both"),
    (["query", "statements", "--limit", "-1"], "Invalid value for '--limit'"),
    (["query", "ask.rq", "--limit", "1"], "no query file ask.rq"),
])
def test_cli_bad_usage_exits_2(build_dir, args, message):
    result = invoke(*args, *([] if "--build" in args else ["--build", str(build_dir)]))
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_cli_query_narrows_and_pages(build_dir):
    every = invoke("query", "mentions", "--build", str(build_dir), "--format", "csv")
    assert every.exit_code == 0, every.output
    lines = every.output.splitlines()
    header, body = lines[0], lines[1:]
    pages = []
    for offset in range(0, len(body), 4):
        page = invoke("query", "mentions", "--build", str(build_dir), "--format", "csv",
                      "--limit", "4", "--offset", str(offset))
        assert page.exit_code == 0, page.output
        assert page.output.splitlines()[0] == header
        pages.extend(page.output.splitlines()[1:])
    assert pages == body
    one = invoke("query", "statements", "--build", str(build_dir), "--format", "json",
                 "-p", f"article={B}", "-p", "entity=Toby Wren")
    assert one.exit_code == 0, one.output
    assert [row["quote"] for row in json.loads(one.output)] == [
        "The Labour Party has lost its way."]
    two = invoke("query", "memberships", "--build", str(build_dir), "--format", "json",
                 "-p", f"article={A}", "-p", f"article={B}")  # a parameter again: any of them
    assert two.exit_code == 0, two.output
    assert len(json.loads(two.output)) == 4


def test_cli_query_warns_when_paging_an_unordered_query(build_dir, tmp_path):
    path = tmp_path / "unordered.rq"
    path.write_text("# title: t\nPREFIX pol: <https://w3id.org/polgraph/ontology#>\n"
                    "SELECT ?id WHERE { ?a pol:articleId ?id }\n", encoding="utf-8")
    result = invoke("query", str(path), "--build", str(build_dir), "--limit", "1")
    assert result.exit_code == 0, result.output
    assert "has no ORDER BY" in result.output
    assert "--limit" in invoke("query", "--help").output


def test_cli_query_without_a_build_exits_2(tmp_path):
    result = invoke("query", "statements", "--build", str(tmp_path / "none"))
    assert result.exit_code == 2
    assert "run 'polgraph build' first" in result.output


def test_cli_help_has_examples():
    for command in ("query", "queries"):
        result = invoke(command, "--help")
        assert result.exit_code == 0
        assert "Examples:" in result.output and f"polgraph {command}" in result.output


# -- a tiny local SPARQL endpoint --------------------------------------------------------------
class _Endpoint(BaseHTTPRequestHandler):
    """/sparql answers from the fixture; /broken, /bad, /slow and anything else fail."""

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length", 0))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8"))
        query = form["query"][0]
        self.server.queries.append(query)
        path = self.path.strip("/")
        if path == "sparql":
            answer = self.server.store.query(query, use_default_graph_as_union=True)
            if isinstance(answer, pyoxigraph.QueryTriples):
                self._send(200, answer.serialize(format=pyoxigraph.RdfFormat.N_TRIPLES),
                           "application/n-triples")
            else:
                self._send(200, answer.serialize(format=pyoxigraph.QueryResultsFormat.JSON),
                           "application/sparql-results+json")
        elif path == "broken":
            self._send(500, b"Internal error: the disk is full", "text/plain")
        elif path == "bad":
            self._send(400, b"Parse error at line 3", "text/plain")
        elif path == "slow":
            time.sleep(2)
            self._send(200, b"{}", "application/sparql-results+json")
        elif path == "html":
            self._send(200, b"<html>not results</html>", "text/html")
        else:
            self._send(404, b"Not Found", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # the /slow client has gone away: nothing to report


@pytest.fixture(scope="module")
def endpoint(store):
    server = _Server(("127.0.0.1", 0), _Endpoint)
    server.store = store
    server.queries = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def url(server, path: str) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/{path}"


@pytest.mark.parametrize("query", [q.name for q in list_queries()])
def test_endpoint_gives_the_same_rows(query, endpoint, store):
    for params in PARAMS.get(query, [{}]):
        named = load_query(query)
        assert run_query(named, url(endpoint, "sparql"), params) == \
            run_query(named, store, params), params


def test_endpoint_binds_with_an_escaped_values_clause(endpoint):
    run_query(load_query("said-about"), url(endpoint, "sparql"), {"person": INJECTION})
    sent = endpoint.queries[-1]
    assert 'VALUES (?person) { ("x\\" } ; DROP ALL ; SELECT * WHERE { ?s ?p \\"") }' in sent


def test_endpoint_construct(endpoint):
    assert len(run_query(CONSTRUCT, url(endpoint, "sparql")).rows) == 4


@pytest.mark.parametrize("path, message", [
    ("broken", r"failed \(HTTP 500 Internal Server Error\): Internal error: the disk is full"),
    ("bad", r"rejected the query \(HTTP 400 Bad Request\): Parse error at line 3"),
    ("nowhere", r"no SPARQL endpoint at .*/nowhere \(HTTP 404 Not Found\)"),
    ("html", r"did not answer with SPARQL JSON results"),
])
def test_endpoint_errors_are_clear(endpoint, path, message):
    with pytest.raises(EndpointError, match=message):
        run_query(load_query("statements"), url(endpoint, path))


def test_endpoint_timeout(endpoint):
    with pytest.raises(EndpointError, match=r"did not answer within 0.3 s"):
        run_query(load_query("statements"), url(endpoint, "slow"), timeout=0.3)


def test_endpoint_unreachable():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(EndpointError, match="cannot reach the SPARQL endpoint"):
        run_query(load_query("statements"), f"http://127.0.0.1:{port}/sparql", timeout=5)


def test_endpoint_url_must_be_http():
    with pytest.raises(QueryError, match="not an http"):
        run_query(load_query("statements"), "ftp://example.org/sparql")


def test_cli_query_over_endpoint(endpoint):
    result = invoke("query", "events", "--endpoint", url(endpoint, "sparql"), "-f", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "article,type,who,date"
    assert f"{B},suspension,Tobias Wren,2020-02-10" in result.output
    failed = invoke("query", "events", "--endpoint", url(endpoint, "broken"))
    assert failed.exit_code == 2
    assert "HTTP 500" in failed.output

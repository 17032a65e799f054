"""Article graphs written straight to N-Quads are what rdflib's N-Triples serializer writes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.serializers.nt import _quoteLiteral

from polgraph.extract.findings import (
    ArticleFindings,
    Election,
    Entity,
    Event,
    Evidence,
    Membership,
    Result,
    Statement,
)
from polgraph.extract.read import Article
from polgraph.graphs.export import nquads_lines
from polgraph.graphs.mint import mint
from polgraph.graphs.rdf import (
    article_graph,
    article_nquads,
    date_term,
    decimal_term,
    iri_term,
    offset_term,
    string_term,
    value_term,
    year_term,
)

AWKWARD = [
    "",
    "plain",
    'a "quoted" word',
    "back\\slash and \\n not a newline",
    "line\nbreak and carriage\rreturn and \r\n both",
    "tab\there, form\x0cfeed, next\x85line, line\u2028and\u2029paragraph separators",
    "“curly” ‘quotes’ – dashes … Zoë, Łódź, 東京, 🗳️",
    "ends with a backslash \\",
    '"',
    "\\\"",
]


def rdflib_term(literal: Literal) -> str:
    return _quoteLiteral(literal)


@pytest.mark.parametrize("text", AWKWARD)
def test_string_terms_are_rdflibs(text):
    assert string_term(text) == rdflib_term(Literal(text))


@given(st.text())
def test_any_string_term_is_rdflibs(text):
    assert string_term(text) == rdflib_term(Literal(text))


@pytest.mark.parametrize("value", [True, False, 0, 1, 7, 12345678901234567890, -3, "x"])
def test_value_terms_are_rdflibs(value):
    assert value_term(value) == rdflib_term(Literal(value))


def test_a_value_of_another_type_is_refused():
    with pytest.raises(TypeError):
        value_term(0.5)


@pytest.mark.parametrize("value", [0, 1, 0.9, 0.85, 0.123456, 0.00001, 0.43, 43, 1e16, 2 / 3])
def test_decimal_terms_are_rdflibs(value):
    expected = Literal(Decimal(str(round(float(value), 4))), datatype=XSD.decimal)
    assert decimal_term(value) == rdflib_term(expected)


@pytest.mark.parametrize("value", [date(2018, 5, 3), date(5, 1, 1), datetime(2020, 1, 2, 3, 4)])
def test_date_terms_are_rdflibs(value):
    assert date_term(value) == rdflib_term(Literal(value, datatype=XSD.date))


@pytest.mark.parametrize("year", [2018, 999, 10000])
def test_year_terms_are_rdflibs(year):
    assert year_term(year) == rdflib_term(Literal(str(year), datatype=XSD.gYear))


@pytest.mark.parametrize("value", [0, 5, 123456])
def test_offset_terms_are_rdflibs(value):
    assert offset_term(value) == rdflib_term(Literal(value, datatype=XSD.nonNegativeInteger))


def test_iri_terms_are_rdflibs_and_refuse_what_rdflib_refuses():
    url = "https://example.org/news/1?a=b#c"
    assert iri_term(url) == URIRef(url).n3()
    for bad in ("https://example.org/a b", "https://example.org/<a>", 'x"y', "a{b}", "a|b",
                "a\\b", "a^b", "a`b"):
        with pytest.raises(ValueError, match="does not look like a valid URI"):
            iri_term(bad)


# -- a whole article -------------------------------------------------------------------------

TEXT = ('Jane "JR" Roe said:\n“We won\\lost.”\u2028Tab\there. A source said it was close.\r\n'
        "Labour took Rosmouth Council; turnout was 43 per cent. Roe was suspended in May 2018.")


def evidence(text: str, extractor: str, confidence: float = 0.9) -> Evidence:
    start = TEXT.index(text)
    return Evidence(start, start + len(text), text, TEXT, extractor, confidence)


def awkward_article() -> tuple[Article, ArticleFindings]:
    article = Article(id="Awkward Article/1", text=TEXT, source="news/awkward.jsonl:3",
                      title='A "title"\nover two lines', date=date(2018, 5, 4),
                      publisher="Borough Herald", url="https://example.org/news/1?x=1")
    jane = Entity("person:Jane Roe", "person", "Jane Roe", ('"JR"', "Roe\u2028"),
                  mentions=(evidence("Jane", "mentions", 0.8), evidence("Roe", "mentions")))
    labour = Entity("party:Labour Party", "party", "Labour Party",
                    known_iri=str(mint("party", "Labour Party")),
                    mentions=(evidence("Labour", "mentions"),))
    council = Entity("council:Rosmouth Council", "council", "Rosmouth Council",
                     mentions=(evidence("Rosmouth Council", "mentions"),))
    mark = Entity("person:article:Mark", "person", "Mark", scope="article",
                  mentions=(evidence("Tab", "mentions"),))
    election = Election("election:local:rosmouth:2018", "local", "2018 local elections",
                        2018, date(2018, 5, 3))
    unknown = Election("election:local:unknown:unknown", "local", "local elections")
    findings = ArticleFindings(
        article_id=article.id,
        entities=[jane, labour, council, mark],
        elections=[election, unknown],
        statements=[
            Statement("We won\\lost.", True, evidence("We won\\lost.", "quotes.direct"),
                      speaker=jane.key, medium=labour.key, about=(council.key, "missing"),
                      date=date(2018, 5, 4)),
            Statement("it was close", False, evidence("it was close", "quotes.reported", 0.55),
                      speaker_description='A "source"'),
        ],
        memberships=[Membership(jane.key, labour.key, evidence("Jane", "roles"), role="MP",
                                area=council.key, former=True, suspended=True,
                                start=date(2010, 1, 1), end=date(2018, 5, 1)),
                     Membership(jane.key, "nobody", evidence("Roe", "roles"))],
        results=[Result("won-control", council.key, evidence("Labour took", "results"),
                        party=labour.key, election=election.key),
                 Result("turnout", council.key, evidence("turnout was 43 per cent", "results"),
                        value=0.43, election=unknown.key),
                 Result("seat-count", council.key, evidence("Rosmouth", "results"), value=25.0,
                        seats_contested=45),
                 Result("no-such-kind", council.key, evidence("took", "results"))],
        events=[Event("suspension", evidence("was suspended", "events"), who=jane.key,
                      date=date(2018, 5, 1), date_precision="month", summary="Roe suspended"),
                Event("unheard-of", evidence("May 2018", "events", 0.6))],
    )
    return article, findings


def test_article_lines_are_what_rdflib_serialises_from_the_same_graph():
    article, findings = awkward_article()
    direct = article_nquads(article, findings, "en_core_web_sm 3.8.0")
    graph = article_graph(article, findings, "en_core_web_sm 3.8.0")
    assert len(graph) > 100
    assert sorted(set(direct)) == sorted(set(nquads_lines(graph)))


def test_every_article_line_is_one_quad_in_the_articles_graph():
    article, findings = awkward_article()
    lines = article_nquads(article, findings, "en_core_web_sm 3.8.0")
    name = f"<{mint('graph', 'article', article.id)}>"
    for line in lines:
        assert "\n" not in line and "\r" not in line
        assert line.endswith(f" {name} .")
        triple = line.removesuffix(f" {name} .") + " .\n"
        assert len(Graph().parse(data=triple, format="nt")) == 1
    assert any("\u2028" in line for line in lines)  # written as it is, as rdflib does


def test_a_literal_with_a_unicode_line_separator_stays_on_its_line():
    graph = Graph(identifier=URIRef("https://example.org/g"))
    graph.add((URIRef("https://example.org/s"), URIRef("https://example.org/p"),
               Literal("one\u2028two\x85three\x0cfour")))
    assert nquads_lines(graph) == [
        '<https://example.org/s> <https://example.org/p> "one\u2028two\x85three\x0cfour" '
        "<https://example.org/g> ."]

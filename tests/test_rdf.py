"""Findings → triples, without spaCy: evidence, speakers, unattributed statements."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from polgraph.extract.findings import ArticleFindings, Entity, Evidence, Membership, Statement
from polgraph.extract.read import Article
from polgraph.graphs.export import nquads_lines, sorted_nquads
from polgraph.graphs.mint import mint
from polgraph.graphs.rdf import article_graph
from polgraph.graphs.vocab import OA, ORG, POL, SCHEMA

TEXT = "Jane Roe said: “We won.” A source said it was close."


def evidence(text: str, extractor: str = "quotes.direct", confidence: float = 0.9) -> Evidence:
    start = TEXT.index(text)
    return Evidence(start, start + len(text), text, TEXT, extractor, confidence)


def example():
    article = Article(id="a1", text=TEXT, source="news/a1.txt")
    findings = ArticleFindings(
        article_id="a1",
        entities=[
            Entity("person:Jane Roe", "person", "Jane Roe", ("Roe",),
                   mentions=(evidence("Jane Roe", "mentions"),)),
            Entity("party:Labour Party", "party", "Labour Party",
                   known_iri=str(mint("party", "Labour Party")),
                   mentions=(evidence("We", "mentions"),)),
        ],
        statements=[
            Statement("We won.", True, evidence("We won."), speaker="person:Jane Roe"),
            Statement("it was close", False, evidence("it was close", "quotes.reported"),
                      speaker_description="A source"),
        ],
        memberships=[Membership("person:Jane Roe", "party:Labour Party",
                                evidence("Jane Roe", "roles"), role="MP")],
    )
    return article_graph(article, findings, "en_core_web_sm 3.8.0")


def test_rdf_statement_has_speaker_text_source_and_evidence():
    graph = example()
    statement = mint("statement", "a1", 1)
    jane = mint("person", "Jane Roe")
    assert (statement, RDF.type, POL.Statement) in graph
    assert (statement, POL.speaker, jane) in graph
    assert (statement, POL.text, Literal("We won.")) in graph
    assert (statement, POL.direct, Literal(True)) in graph
    assert (statement, POL.reportedIn, mint("article", "a1")) in graph
    node = graph.value(statement, POL.evidence)
    position = mint("evidence", "a1", "statement", 1, "position")
    start = graph.value(position, OA.start).toPython()
    end = graph.value(position, OA.end).toPython()
    assert TEXT[start:end] == "We won."
    assert graph.value(node, POL.confidence).datatype == XSD.decimal


def test_rdf_unattributed_statement_keeps_its_description():
    graph = example()
    statement = mint("statement", "a1", 2)
    assert (statement, POL.unattributed, Literal(True)) in graph
    assert (statement, POL.speakerDescription, Literal("A source")) in graph
    assert graph.value(statement, POL.speaker) is None


def test_rdf_known_entities_keep_their_curated_iri_and_label():
    graph = example()
    labour = mint("party", "Labour Party")
    assert (labour, RDF.type, POL.PoliticalParty) in graph
    assert graph.value(labour, RDFS.label) is None  # the curated graph labels it
    assert (mint("person", "Jane Roe"), RDFS.label, Literal("Jane Roe")) in graph
    membership = mint("membership", "a1", 1)
    assert (membership, ORG.organization, labour) in graph
    assert (membership, POL.roleName, Literal("MP")) in graph


def test_rdf_article_node_keeps_the_text_offsets_refer_to():
    graph = example()
    article = mint("article", "a1")
    assert (article, SCHEMA.text, Literal(TEXT)) in graph
    assert (article, POL.articleId, Literal("a1")) in graph
    assert (article, SCHEMA.mentions, mint("person", "Jane Roe")) in graph


def test_rdf_nquads_are_reproducible_and_contain_no_blank_nodes():
    first = sorted_nquads(nquads_lines(example()))
    second = sorted_nquads(nquads_lines(example()))
    assert first == second
    assert b"_:" not in first
    assert isinstance(example().identifier, URIRef)

"""The hand-written graphs: base files, corpus metadata, curation, gazetteer, broken Turtle."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.plugins.parsers.notation3 import BadSyntax

from polgraph.errors import TurtleError
from polgraph.extract.findings import ENTITY_KINDS
from polgraph.graphs import handwritten
from polgraph.graphs.handwritten import (
    HandGraph,
    base_hand_files,
    curate,
    gazetteer_entries,
    hand_files_in,
    load_hand_file,
    load_hand_files,
)
from polgraph.graphs.mint import mint
from polgraph.graphs.vocab import ORG, POL, SCHEMA

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "articles" / "corpus.ttl"

#: Entity classes and the kind mint() takes for them (docs/graph-model.md).
CLASS_KINDS = {
    POL.Person: "person",
    POL.PoliticalParty: "party",
    POL.Council: "council",
    POL.PartyBody: "party-body",
    POL.MediaOutlet: "media",
    POL.CommunityGroup: "community-group",
    POL.Legislature: "parliament",
    POL.GovernmentBody: "government",
    POL.Organisation: "organisation",
    POL.Ward: "ward",
    POL.Constituency: "constituency",
    POL.CouncilArea: "council-area",
    POL.City: "city",
    POL.Region: "region",
    POL.Country: "country",
    POL.Place: "place",
}

PREFIXES = """\
@prefix pol: <https://w3id.org/polgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
"""


@pytest.fixture(scope="module")
def base() -> list[HandGraph]:
    return load_hand_files(base_hand_files())


@pytest.fixture(scope="module")
def union(base) -> Graph:
    graph = Graph()
    for hand in base:
        graph += hand.graph
    return graph


def entities(graph: Graph):
    for subject, cls in graph.subject_objects(RDF.type):
        if cls in CLASS_KINDS:
            yield subject, CLASS_KINDS[cls]


# -- base graphs -------------------------------------------------------------------------------
def test_base_files_are_the_package_graphs_and_parse(base):
    names = [hand.path.name for hand in base]
    assert names == ["organisations.ttl", "parties.ttl", "people.ttl", "places.ttl"]
    for hand in base:
        assert hand.iri == mint("graph", "hand", hand.path.stem)
        assert hand.graph.identifier == hand.iri
        assert len(hand.graph) > 50


def test_every_entity_has_one_label_and_its_minted_iri(union):
    seen = 0
    for subject, kind in entities(union):
        labels = list(union.objects(subject, RDFS.label))
        assert len(labels) == 1, subject
        assert subject == mint(kind, str(labels[0])), subject
        seen += 1
    assert seen > 100


def test_the_usual_party_aliases_are_there(union):
    tories = mint("party", "Conservative Party")
    aliases = {str(a) for a in union.objects(tories, SKOS.altLabel)}
    assert {"Tories", "Tory", "the Tories", "Conservatives", "Conservative"} <= aliases
    labour = {str(a) for a in union.objects(mint("party", "Labour Party"), SKOS.altLabel)}
    assert {"Labour", "Labour party", "the Labour Party"} <= labour
    assert mint("party", "Labour Party") == URIRef("https://w3id.org/polgraph/id/party/labour-party")


def test_links_point_at_defined_entities(union):
    for prop in (POL.containedIn, POL.governs, POL.partyBodyOf, ORG.member, ORG.organization,
                 POL.area):
        for target in union.objects(None, prop):
            assert (target, RDF.type, None) in union, (prop, target)
    jlm = mint("party-body", "Jewish Labour Movement")
    assert (jlm, POL.partyBodyOf, mint("party", "Labour Party")) in union
    assert (mint("council", "Barnet Council"), POL.governs,
            mint("council-area", "Barnet")) in union
    assert (mint("ward", "Sedgley"), POL.containedIn, mint("council-area", "Bury")) in union


def test_curated_memberships_have_a_person_and_an_organisation(union):
    memberships = set(union.subjects(RDF.type, POL.Membership))
    assert memberships
    for node in memberships:
        person = union.value(node, ORG.member)
        party = union.value(node, ORG.organization)
        assert (person, RDF.type, POL.Person) in union
        assert (party, RDF.type, POL.PoliticalParty) in union
        parts = [str(union.value(person, RDFS.label)), str(union.value(party, RDFS.label))]
        role = union.value(node, POL.roleName)
        assert node == mint("membership", "curated", *parts, *([str(role)] if role else []))
        start, end = union.value(node, SCHEMA.validFrom), union.value(node, SCHEMA.validUntil)
        if start is not None and end is not None:
            assert start.toPython() <= end.toPython()
    livingstone = mint("membership", "curated", "Ken Livingstone", "Labour Party")
    assert union.value(livingstone, POL.former) == Literal(True)


# -- corpus metadata ---------------------------------------------------------------------------
def test_corpus_metadata_names_every_example_article_and_only_what_the_text_gives():
    hand = load_hand_file(CORPUS)
    assert hand.iri == mint("graph", "hand", "corpus")
    graph = hand.graph
    stems = sorted(p.stem for p in (ROOT / "articles").glob("*.txt"))
    articles = sorted(str(graph.value(node, POL.articleId))
                      for node in graph.subjects(RDF.type, POL.Article))
    assert articles == stems
    for stem in stems:
        assert (mint("article", stem), POL.articleId, Literal(stem)) in graph
    jlm = mint("article", "jlm-livingstone-ruling-2017")
    assert graph.value(jlm, SCHEMA.datePublished).toPython() == datetime.date(2017, 4, 5)
    assert graph.value(jlm, SCHEMA.publisher) == mint("media", "HuffPost UK")
    headline = str(graph.value(jlm, SCHEMA.headline))
    text = (ROOT / "articles" / "jlm-livingstone-ruling-2017.txt").read_text("utf-8")
    assert headline in text.splitlines()
    for stem in stems:
        if stem != "jlm-livingstone-ruling-2017":
            node = mint("article", stem)
            assert set(graph.predicates(node, None)) == {RDF.type, POL.articleId}


# -- curation ----------------------------------------------------------------------------------
def test_curate_marks_the_graph_and_every_typed_subject(tmp_path):
    path = tmp_path / "mine.ttl"
    path.write_text(PREFIXES + """
<https://w3id.org/polgraph/id/person/jane-roe> a pol:Person ; rdfs:label "Jane Roe" .
<https://w3id.org/polgraph/id/person/jane-roe> rdfs:comment "untyped statement" .
<https://example.org/untyped> rdfs:label "no type" .
""", encoding="utf-8")
    hand = load_hand_file(path)
    curated = curate(hand)
    iri = mint("graph", "hand", "mine")
    assert curated.identifier == iri
    assert (iri, RDF.type, POL.CuratedGraph) in curated
    assert (iri, DCTERMS.source, Literal("mine.ttl")) in curated
    assert (mint("person", "Jane Roe"), POL.curatedIn, iri) in curated
    assert (URIRef("https://example.org/untyped"), POL.curatedIn, iri) not in curated
    assert len(curated) == len(hand.graph) + 3
    assert (mint("person", "Jane Roe"), POL.curatedIn, iri) not in hand.graph


def test_hand_files_in_lists_turtle_files_sorted(tmp_path):
    for name in ("b.ttl", "a.ttl", "notes.txt"):
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.ttl").write_text("", encoding="utf-8")
    assert [p.name for p in hand_files_in(tmp_path)] == ["a.ttl", "b.ttl"]


# -- broken Turtle -----------------------------------------------------------------------------
def test_an_undeclared_prefix_is_reported_with_file_line_and_column(tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text(PREFIXES + 'pol:a rdfs:label "Zoë" ; foo:b "c" .\n', encoding="utf-8")
    with pytest.raises(TurtleError) as caught:
        load_hand_file(path)
    err = caught.value
    assert (err.line, err.column) == (4, 26)  # columns count characters, from 1
    assert str(err) == f"{path}:4:26: The prefix foo: has not been declared"


def test_a_missing_dot_is_reported_where_the_next_statement_starts(tmp_path):
    path = tmp_path / "nodot.ttl"
    path.write_text(PREFIXES + 'pol:a rdfs:label "a"\npol:b rdfs:label "b" .\n', encoding="utf-8")
    with pytest.raises(TurtleError) as caught:
        load_hand_file(path)
    assert str(caught.value) == f"{path}:5:1: A dot is expected at the end of statements"


def test_a_file_that_is_not_utf8_is_reported_with_its_position(tmp_path):
    path = tmp_path / "latin1.ttl"
    path.write_bytes(PREFIXES.encode() + b'pol:a rdfs:label "Z\xe9" .\n')
    with pytest.raises(TurtleError) as caught:
        load_hand_file(path)
    assert str(caught.value) == f"{path}:4:20: not UTF-8 text"


def test_a_missing_file_is_a_turtle_error(tmp_path):
    with pytest.raises(TurtleError, match="cannot read the file"):
        load_hand_file(tmp_path / "nothing.ttl")


def test_rdflib_syntax_errors_map_to_line_and_column():
    text = 'ex:a ex:b "Zoë" .\nex:c ex:d "é" , foo:e .\n'
    err = BadSyntax("", 1, text, text.index("foo"), 'Prefix "foo:" not bound')
    turtle = handwritten._rdflib_error(Path("x.ttl"), err)
    assert str(turtle) == 'x.ttl:2:17: Prefix "foo:" not bound'


# -- gazetteer ---------------------------------------------------------------------------------
def test_gazetteer_has_the_labour_party_with_its_kind_and_aliases(base):
    entries = gazetteer_entries(base)
    labour = [e for e in entries if e.name == "Labour Party"]
    assert len(labour) == 1
    assert labour[0].kind == "party"
    assert labour[0].iri == str(mint("party", "Labour Party"))
    assert {"Labour", "the Labour Party"} <= set(labour[0].aliases)
    jlm = next(e for e in entries if e.name == "Jewish Labour Movement")
    assert (jlm.kind, jlm.within) == ("party-body", "Labour Party")
    assert "JLM" in jlm.aliases
    sedgley = next(e for e in entries if e.iri == str(mint("ward", "Sedgley")))
    assert (sedgley.kind, sedgley.within) == ("ward", "Bury")
    assert {e.kind for e in entries} <= set(ENTITY_KINDS)
    assert not any(e.kind == "membership" for e in entries)
    assert entries == sorted(entries, key=lambda e: (e.kind, e.name, e.iri))
    assert entries == gazetteer_entries(list(reversed(base)))


def test_gazetteer_takes_the_most_specific_class_and_skips_unlabelled_entities():
    graph = Graph().parse(data=PREFIXES + """
<https://w3id.org/polgraph/id/council/x-council> a pol:Organisation , pol:Council ;
    rdfs:label "X Council" ; skos:altLabel "X council" , "X council" , "X Council" .
<https://w3id.org/polgraph/id/person/nobody> a pol:Person .
<https://w3id.org/polgraph/id/ward/y> a pol:Ward ; rdfs:label "Y" ;
    pol:containedIn <https://w3id.org/polgraph/id/council-area/x> .
<https://w3id.org/polgraph/id/council-area/x> a pol:CouncilArea ; rdfs:label "X" .
""", format="turtle")
    entries = gazetteer_entries([graph])
    assert [(e.name, e.kind, e.aliases, e.within) for e in entries] == [
        ("X Council", "council", ("X council",), None),
        ("X", "council-area", (), None),
        ("Y", "ward", (), "X"),
    ]

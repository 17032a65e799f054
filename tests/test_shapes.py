"""The ontology, the SHACL shapes, the validation report and ``polgraph validate``.

``tests/shapes/valid/`` holds small graphs that conform; ``tests/shapes/invalid/<reason>.trig``
one graph per broken rule, which must fail for that rule and nothing else (:data:`EXPECTED`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from polgraph.cli import cli
from polgraph.errors import TurtleError, UsageError
from polgraph.extract.findings import EVENT_TYPES, RESULT_KINDS
from polgraph.graphs.validate import (
    Violation,
    fact_context,
    load_files,
    validate,
    validate_files,
)
from polgraph.graphs.vocab import POL, SH
from polgraph.ontology import ontology_graph, shapes_graph

HERE = Path(__file__).parent
SHAPES = HERE / "shapes"
VALID = sorted([*SHAPES.glob("valid/*.trig"), *SHAPES.glob("valid/*.ttl")])
INVALID = sorted(SHAPES.glob("invalid/*.trig"))
MINI = HERE / "fixtures" / "mini.trig"
DOC = HERE.parent / "docs" / "graph-model.md"
SCHEMA_HTTPS = "https://schema.org/"

#: Invalid fixture → the shapes it must break, and no other.
EXPECTED: dict[str, set[str]] = {
    "article-without-id": {"polsh:Article-articleId"},
    "confidence-above-one": {"polsh:Evidence-confidence-range"},
    "confidence-as-double": {"polsh:Evidence-confidence"},
    "contradicted-by-extracted-fact": {"polsh:Fact-contradictedBy"},
    "control-result-without-party": {"polsh:ControlResultPartyShape"},
    "control-without-majority": {"polsh:ControlMajorityShape"},
    "count-negative": {"polsh:Result-seats-range"},
    "curated-graph-without-source": {"polsh:CuratedGraph-source"},
    "election-date-outside-year": {"polsh:ElectionYearShape"},
    "entity-without-label": {"polsh:Entity-label"},
    "event-date-not-a-date": {"polsh:Event-startDate"},
    "event-type-does-not-match-class": {"polsh:SuspensionShape"},
    "event-without-class": {"polsh:Event-class"},
    "evidence-and-curation-both": {"polsh:Fact-one-provenance"},
    "evidence-from-another-article": {"polsh:EvidenceArticleShape"},
    "evidence-without-position": {"polsh:Evidence-position"},
    "fact-without-evidence-or-curation": {"polsh:Fact-provenance"},
    "membership-ends-before-it-starts": {"polsh:Membership-dates-in-order"},
    "membership-of-a-place": {"polsh:Membership-organization"},
    "mention-count-zero": {"polsh:Mention-count-range"},
    "mention-not-in-article-mentions": {"polsh:MentionShortcutShape"},
    "offset-as-decimal": {"polsh:Position-start"},
    "offsets-do-not-reproduce-text": {"polsh:EvidenceOffsetsShape"},
    "person-is-also-a-party": {"polsh:PersonKindShape"},
    "result-kind-does-not-match-class": {"polsh:SeatResult-kind"},
    "result-without-kind-class": {"polsh:Result-class"},
    "seat-count-without-seats": {"polsh:Result-seats-required"},
    "seat-result-without-party": {"polsh:Result-party-required"},
    "seats-gained-exceed-contested": {"polsh:SeatsGainedShape"},
    "seats-gained-exceed-contested-same-result": {"polsh:SeatsGainedShape"},
    "speaker-and-unattributed": {"polsh:Statement-not-both"},
    "speaker-is-a-place": {"polsh:Statement-speaker"},
    "start-after-end": {"polsh:Position-start-before-end"},
    "statement-without-article": {"polsh:Statement-reportedIn"},
    "statement-without-speaker": {"polsh:Statement-speaker-or-unattributed"},
    "statement-without-text": {"polsh:Statement-text"},
    "text-hash-mismatch": {"polsh:ArticleTextHashShape"},
    "turnout-as-percent": {"polsh:Result-turnout-range"},
    "turnout-on-a-seat-result": {"polsh:TurnoutOnlyShape"},
    "two-current-parties": {"polsh:CurrentPartyShape"},
    "won-not-held-plus-gained": {"polsh:SeatsWonShape"},
}

#: pol: properties with no counterpart in the aligned vocabularies (their comments say so).
UNALIGNED = {
    "textSha256", "confidence", "mentionCount", "surfaceForm", "direct", "unattributed",
    "speakerDescription", "former", "suspended", "seatsContested", "datePrecision",
}


def pol_terms(graph: Graph, kind: URIRef) -> set[URIRef]:
    return {s for s in graph.subjects(RDF.type, kind) if str(s).startswith(str(POL))}


# -- fixtures: valid and invalid graphs ---------------------------------------------------------


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_graph_conforms_without_warnings(path):
    report = validate_files([path])
    assert report.conforms, report.as_text()
    assert report.results == [], report.as_text()


def test_shared_query_fixture_conforms():
    report = validate_files([MINI])
    assert report.conforms, report.as_text()


def test_every_invalid_fixture_has_its_reason():
    assert {p.stem for p in INVALID} == set(EXPECTED)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_graph_fails_for_its_reason_only(path):
    report = validate_files([path])
    assert not report.conforms
    assert {v.shape for v in report.violations} == EXPECTED[path.stem], report.as_text()
    assert report.warnings == []
    assert all(v.message for v in report.violations)


def test_a_warning_does_not_stop_conformance():
    report = validate_files([SHAPES / "warnings" / "entity-with-two-labels.trig"])
    assert report.conforms
    assert report.violations == []
    assert [w.shape for w in report.warnings] == ["polsh:Entity-one-label"]
    assert report.warnings[0].severity == "Warning"


def test_current_party_check_reports_both_memberships():
    report = validate_files([SHAPES / "invalid" / "two-current-parties.trig"])
    nodes = {v.focus_node.rsplit("/", 1)[-1] for v in report.violations}
    assert nodes == {"1", "2"}


# -- the ontology ---------------------------------------------------------------------------


def test_every_term_of_the_contract_is_defined():
    graph = ontology_graph()
    names = set(re.findall(r"\bpol:([A-Za-z][A-Za-z0-9]*)", DOC.read_text(encoding="utf-8")))
    assert names, "no pol: terms found in docs/graph-model.md"
    assert sorted(n for n in names if (POL[n], None, None) not in graph) == []


def test_every_term_has_a_label_and_a_comment():
    graph = ontology_graph()
    terms = set()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.Concept,
                 SKOS.ConceptScheme):
        terms |= pol_terms(graph, kind)
    assert len(terms) > 100
    for term in terms:
        assert graph.value(term, RDFS.label) is not None, term
        assert graph.value(term, RDFS.comment) is not None, term


def test_alignment_is_one_way_and_uses_http_schema_org():
    graph = ontology_graph()
    for equivalence in (OWL.equivalentClass, OWL.equivalentProperty, OWL.sameAs):
        assert list(graph.triples((None, equivalence, None))) == []
    assert not any(SCHEMA_HTTPS in str(term) for triple in graph for term in triple)
    assert not any(SCHEMA_HTTPS in str(term) for triple in shapes_graph() for term in triple)


def test_every_class_and_property_is_aligned_outside_polgraph():
    graph = ontology_graph()

    def aligned(term, link):
        return any(not str(o).startswith(str(POL)) or aligned(o, link)
                   for o in graph.objects(term, link))

    for cls in pol_terms(graph, OWL.Class):
        assert aligned(cls, RDFS.subClassOf), cls
    properties = pol_terms(graph, OWL.ObjectProperty) | pol_terms(graph, OWL.DatatypeProperty)
    for prop in properties:
        name = str(prop)[len(str(POL)):]
        assert aligned(prop, RDFS.subPropertyOf) == (name not in UNALIGNED), prop


def test_concept_notations_are_the_kinds_extraction_uses():
    graph = ontology_graph()

    def notations(scheme):
        return {str(graph.value(c, SKOS.notation)) for c in graph.subjects(SKOS.inScheme, scheme)}

    assert notations(POL.ResultKinds) == set(RESULT_KINDS)
    assert notations(POL.EventTypes) == set(EVENT_TYPES)


def test_the_builder_uses_the_concepts_with_those_notations():
    from polgraph.graphs.rdf import EVENT_TERMS, RESULT_TERMS

    graph = ontology_graph()
    for table in (RESULT_TERMS, EVENT_TERMS):
        for notation, (concept, cls) in table.items():
            assert str(graph.value(concept, SKOS.notation)) == notation
            assert (cls, RDF.type, OWL.Class) in graph


# -- the shapes -----------------------------------------------------------------------------


def test_every_class_has_a_shape():
    targets = set(shapes_graph().objects(None, SH.targetClass))
    assert pol_terms(ontology_graph(), OWL.Class) - targets == set()


def test_every_shape_and_constraint_has_a_message():
    shapes = shapes_graph()
    checked = 0
    for shape in set(shapes.subjects(SH.targetClass, None)):
        own = shapes.value(shape, SH.message) is not None
        parts = list(shapes.objects(shape, SH.property)) + list(shapes.objects(shape, SH.sparql))
        assert own or parts, shape
        for part in parts:
            assert shapes.value(part, SH.message) is not None, (shape, part)
            checked += 1
        if not own:
            logical = [p for p in (SH["or"], SH["not"], SH.xone, SH["and"], SH.node)
                       if shapes.value(shape, p) is not None]
            assert logical == [], shape
    for constraint in shapes.objects(None, SH.sparql):
        assert shapes.value(constraint, SH.message) is not None
        assert shapes.value(constraint, SH.prefixes) == URIRef("https://w3id.org/polgraph/shapes")
    assert checked > 100


def test_shapes_declare_their_sparql_prefixes():
    shapes = shapes_graph()
    node = URIRef("https://w3id.org/polgraph/shapes")
    assert (node, RDF.type, OWL.Ontology) in shapes
    declared = {str(shapes.value(d, SH.prefix)) for d in shapes.objects(node, SH.declare)}
    for constraint in shapes.objects(None, SH.sparql):
        query = str(shapes.value(constraint, SH.select))
        used = set(re.findall(r"\b([a-z]+):[A-Za-z]", query))
        assert used <= declared, used - declared


def test_shapes_graph_is_valid_shacl():
    from pyshacl.entrypoints import meta_validate

    conforms, _, text = meta_validate(shapes_graph())
    assert conforms, text


# -- validate(): the report -----------------------------------------------------------------


def test_report_names_article_and_sentence_of_an_extracted_fact():
    report = validate_files([SHAPES / "invalid" / "statement-without-speaker.trig"])
    (violation,) = report.violations
    assert violation.focus_node.endswith("/statement/saltmarsh-housing/1")
    assert violation.article == "saltmarsh-housing"
    assert violation.sentence == "Councillor Mira Sandoval said: “Saltmarsh deserves better.”"
    text = report.as_text()
    assert "polsh:Statement-speaker-or-unattributed" in text
    assert "id:statement/saltmarsh-housing/1" in text
    assert "article saltmarsh-housing" in text
    assert "Saltmarsh deserves better." in text


@pytest.mark.parametrize("fixture", ["offsets-do-not-reproduce-text", "start-after-end"])
def test_report_goes_up_from_evidence_and_selectors(fixture):
    report = validate_files([SHAPES / "invalid" / f"{fixture}.trig"])
    (violation,) = report.violations
    assert violation.article == "saltmarsh-housing"
    assert violation.sentence.startswith("Councillor Mira Sandoval said")


def test_report_names_the_label_path_and_value():
    report = validate_files([SHAPES / "invalid" / "speaker-is-a-place.trig"])
    (violation,) = report.violations
    assert violation.path == "pol:speaker"
    assert violation.value == "id:ward/saltmarsh"
    assert violation.component == "sh:OrConstraintComponent"
    report = validate_files([SHAPES / "invalid" / "membership-of-a-place.trig"])
    assert report.violations[0].focus_label is None
    report = validate_files([SHAPES / "invalid" / "person-is-also-a-party.trig"])
    assert report.violations[0].focus_label == "Mira Sandoval"
    assert '("Mira Sandoval")' in report.as_text()


def test_sparql_messages_carry_the_values():
    report = validate_files([SHAPES / "invalid" / "control-without-majority.trig"])
    assert report.violations[0].message == (
        "The party said to control the council holds 20 of 51 seats: not a majority.")


def test_fact_context_of_nodes_without_evidence():
    data = Graph()
    article, fact = URIRef("urn:article"), URIRef("urn:fact")
    data.add((article, RDF.type, POL.Article))
    data.add((article, POL.articleId, Literal("a1")))
    data.add((fact, POL.reportedIn, article))
    assert fact_context(data, fact) == ("a1", None)
    assert fact_context(data, article) == ("a1", None)
    assert fact_context(data, URIRef("urn:other")) == (None, None)
    assert fact_context(data, None) == (None, None)


def test_json_and_turtle_renderings():
    report = validate_files([SHAPES / "invalid" / "turnout-as-percent.trig"])
    data = json.loads(report.as_json())
    assert data["conforms"] is False
    (item,) = data["violations"]
    assert set(item) >= {"shape", "message", "severity", "focus_node", "focus_label", "path",
                         "value", "article", "sentence"}
    assert item["value"] == '"34.2"^^xsd:decimal'
    graph = Graph().parse(data=report.as_turtle(), format="turtle")
    assert (None, RDF.type, SH.ValidationReport) in graph
    assert (None, SH.resultPath, POL.turnout) in graph


def test_a_conforming_report_says_so():
    report = validate_files([VALID[0]])
    assert report.as_text() == "Conforms: no violations.\n"
    assert json.loads(report.as_json()) == {"conforms": True, "violations": [], "warnings": []}


def test_validate_takes_a_graph_or_a_dataset_and_leaves_it_alone():
    dataset = load_files([SHAPES / "invalid" / "count-negative.trig"])
    size = len(list(dataset.quads()))
    assert [v.shape for v in validate(dataset).violations] == ["polsh:Result-seats-range"]
    assert len(list(dataset.quads())) == size
    graph = Graph()
    for s, p, o, _ in dataset.quads():
        graph.add((s, p, o))
    assert [v.shape for v in validate(graph).violations] == ["polsh:Result-seats-range"]
    assert len(graph) == size


def test_validation_leaves_rdflib_sparql_as_it_was():
    from rdflib.plugins.sparql import algebra, processor

    query, reorder = processor.SPARQLProcessor.query, algebra.reorderTriples
    validate_files([VALID[0]])
    assert processor.SPARQLProcessor.query is query
    assert algebra.reorderTriples is reorder


def test_violation_is_a_plain_record():
    violation = Violation("polsh:X", "m", "Violation", "urn:x")
    assert violation.article is None and violation.sentence is None


# -- validate_files(): reading files --------------------------------------------------------


BROKEN = {
    "broken.ttl": ("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e ex:f ex:g .\n",
                   3, 16, "A dot is expected"),
    "broken.trig": ("<http://example.org/g> {\n  <http://example.org/a> <http://example.org/b>"
                    " \"x\" .\n  <http://example.org/a> <http://example.org/b> ;\n}\n",
                    3, 49, ""),
    "broken.nq": ("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"
                  "<http://example.org/a> <http://example.org/b> \"open .\n", 2, 47, ""),
    "slash.ttl": ("@prefix id: <https://w3id.org/polgraph/id/> .\n"
                  "id:party/labour <http://example.org/p> 1 .\n", 2, 9, "'/' is not allowed"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_file_error_names_file_line_and_column(tmp_path, name):
    text, line, column, reason = BROKEN[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TurtleError) as caught:
        validate_files([path])
    err = caught.value
    assert (err.path, err.line, err.column) == (str(path), line, column)
    assert str(err).startswith(f"{path}:{line}:{column}: ")
    assert reason in err.reason
    assert "Parser error" not in err.reason


def test_unknown_format_and_missing_file_are_usage_errors(tmp_path):
    (tmp_path / "graph.xml").write_text("<rdf/>", encoding="utf-8")
    with pytest.raises(UsageError, match="cannot read this format"):
        validate_files([tmp_path / "graph.xml"])
    with pytest.raises(UsageError, match="no such file"):
        validate_files([tmp_path / "missing.ttl"])


def test_turtle_file_is_read_as_a_hand_written_graph():
    dataset = load_files([SHAPES / "valid" / "hand-written.ttl"])
    hand = URIRef("https://w3id.org/polgraph/id/graph/hand/hand-written")
    graph = dataset.graph(hand)
    assert (hand, RDF.type, POL.CuratedGraph) in graph
    membership = URIRef("https://w3id.org/polgraph/id/membership/hand/hand-written/1")
    assert (membership, POL.curatedIn, hand) in graph


def test_blank_nodes_of_two_files_stay_apart(tmp_path):
    for name in ("one.nt", "two.nt"):
        (tmp_path / name).write_text(
            f'_:b <http://example.org/p> "{name}" .\n', encoding="utf-8")
    dataset = load_files([tmp_path / "one.nt", tmp_path / "two.nt"])
    subjects = {s for s, _, _, _ in dataset.quads()}
    assert len(subjects) == 2 and all(isinstance(s, BNode) for s in subjects)


def test_named_graphs_of_trig_are_kept():
    dataset = load_files([MINI])
    names = {str(g.identifier) for g in dataset.graphs()}
    assert "https://w3id.org/polgraph/id/graph/resolution" in names
    assert isinstance(dataset, Dataset)


# -- polgraph validate ----------------------------------------------------------------------


def run(*args):
    return CliRunner().invoke(cli, ["validate", *map(str, args)])


def test_cli_exit_0_on_a_conforming_file():
    result = run(SHAPES / "valid" / "statement-extracted.trig")
    assert result.exit_code == 0, result.output
    assert "Conforms" in result.output


def test_cli_exit_1_on_violations_with_the_shape_article_and_sentence():
    result = run(SHAPES / "invalid" / "turnout-as-percent.trig")
    assert result.exit_code == 1
    assert "polsh:Result-turnout-range" in result.output
    assert "article fenwick-results" in result.output


def test_cli_validates_a_build_folder(tmp_path):
    build = tmp_path / "build"
    build.mkdir()
    quads = pyoxigraph.parse(path=str(SHAPES / "valid" / "results-extracted.trig"),
                             format=pyoxigraph.RdfFormat.TRIG)
    nquads = pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS)
    (build / "graph.nq").write_bytes(nquads)
    result = run("--build", build)
    assert result.exit_code == 0, result.output
    result = run("--build", build, "--format", "json")
    assert json.loads(result.output)["conforms"] is True


def test_cli_validates_a_build_store_over_two_processes(tmp_path):
    from servers import write_build

    build = write_build(tmp_path / "build",
                        (SHAPES / "invalid" / "speaker-is-a-place.trig").read_text("utf-8"))
    alone = run("--build", build, "--format", "json")
    shared = run("--build", build, "--format", "json", "--workers", "2")
    assert alone.exit_code == shared.exit_code == 1
    assert shared.output == alone.output
    assert [v["shape"] for v in json.loads(shared.output)["violations"]] == [
        "polsh:Statement-speaker"]


def test_cli_formats(tmp_path):
    path = SHAPES / "invalid" / "count-negative.trig"
    result = run("--format", "json", path)
    assert result.exit_code == 1
    assert json.loads(result.output)["violations"][0]["shape"] == "polsh:Result-seats-range"
    result = run("--format", "turtle", path)
    assert result.exit_code == 1
    assert (None, RDF.type, SH.ValidationReport) in Graph().parse(data=result.output,
                                                                   format="turtle")


def test_cli_exit_2_without_a_build(tmp_path):
    result = run("--build", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "run 'polgraph build' first" in result.output


def test_cli_exit_2_on_broken_turtle_with_its_position(tmp_path):
    path = tmp_path / "people.ttl"
    path.write_text(BROKEN["broken.ttl"][0], encoding="utf-8")
    result = run(path)
    assert result.exit_code == 2
    assert f"{path}:3:16: A dot is expected at the end of statements" in result.output


def test_cli_exit_2_on_files_and_build_together(tmp_path):
    result = run("--build", tmp_path, SHAPES / "valid" / "hand-written.ttl")
    assert result.exit_code == 2
    assert "not both" in result.output


def test_cli_help_has_an_example():
    result = CliRunner().invoke(cli, ["validate", "--help"])
    assert result.exit_code == 0
    assert "polgraph validate --build" in result.output


def test_validation_leaves_the_cached_graphs_alone():
    sizes = len(ontology_graph()), len(shapes_graph())
    validate_files([SHAPES / "invalid" / "two-current-parties.trig"])
    assert (len(ontology_graph()), len(shapes_graph())) == sizes


def test_each_sparql_constraint_is_parsed_once(monkeypatch):
    from rdflib.plugins.sparql import processor

    calls = []
    parse = processor.parseQuery
    monkeypatch.setattr(processor, "parseQuery", lambda text: calls.append(text) or parse(text))
    validate_files([MINI])  # dozens of focus nodes for each SPARQL constraint
    constraints = len(list(shapes_graph().objects(None, SH.select)))
    assert 0 < len(calls) <= constraints


ILL_TYPED = [
    ("results-extracted", '"2021-05-06"^^xsd:date .\n', '"2021-13-45"^^xsd:date .\n',
     "polsh:Election-startDate"),
    ("results-extracted", "pol:seats 31", 'pol:seats "abc"^^xsd:integer', "polsh:Result-seats"),
    ("results-extracted", "pol:seatsContested 51", 'pol:seatsContested "51"',
     "polsh:Result-seatsContested"),
    ("statement-extracted", '"0"^^xsd:nonNegativeInteger', '"abc"^^xsd:nonNegativeInteger',
     "polsh:Position-start"),
    ("statement-extracted", '"0"^^xsd:nonNegativeInteger', "0.0", "polsh:Position-start"),
]


@pytest.mark.parametrize("name,old,new,shape", ILL_TYPED, ids=lambda x: str(x)[:24])
def test_ill_typed_literals_are_reported_not_fatal(tmp_path, name, old, new, shape):
    text = (SHAPES / "valid" / f"{name}.trig").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / f"{name}.trig"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    report = validate_files([path])
    assert not report.conforms
    assert shape in {v.shape for v in report.violations}

"""The shapes compiled to SPARQL give pyshacl's results, in an Oxigraph store.

pyshacl is the reference: on every fixture of tests/shapes the two engines must report the
same rules broken, on the same nodes, with the same paths, values, components, messages,
articles and sentences. The only differences allowed are the store's: Oxigraph keeps a
literal in its canonical form ("32.0"^^xsd:decimal is stored as "32"^^xsd:decimal, an
xsd:nonNegativeInteger comes back as an xsd:integer), and of two labels of a node the report
may name either.
"""

from __future__ import annotations

import re
from dataclasses import astuple, replace
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, URIRef

from polgraph.errors import TurtleError
from polgraph.graphs.shacl_sparql import UnsupportedShape, class_closure, compile_shapes
from polgraph.graphs.store_validation import (
    store_from_files,
    validate_files_in_store,
    validate_store,
)
from polgraph.graphs.validate import validate_files
from polgraph.ontology import shapes_graph

SHAPES = Path(__file__).parent / "shapes"
FIXTURES = sorted(p for p in SHAPES.glob("*/*") if p.suffix in (".trig", ".ttl"))
NUMBER = re.compile(r'^"([^"]*)"\^\^xsd:(integer|nonNegativeInteger|decimal)$')


def comparable(report) -> set[tuple]:
    """The results, with numeric values as numbers and without the (either) label."""
    found = set()
    for result in report.results:
        value = result.value
        match = NUMBER.match(value or "")
        if match:
            value = str(Decimal(match.group(1)).normalize())
        found.add(astuple(replace(result, value=value, focus_label=None)))
    return found


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_compiled_shapes_report_what_pyshacl_reports(path):
    reference = validate_files([path])
    compiled = validate_files_in_store([path])
    assert comparable(compiled) == comparable(reference)
    assert compiled.conforms == reference.conforms
    labels = {r.focus_node: r.focus_label for r in reference.results}
    for result in compiled.results:
        assert (result.focus_label is None) == (labels[result.focus_node] is None)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_run_scoped_to_every_node_reports_what_the_whole_run_reports(path):
    # Scoped runs test a value's class row by row instead of subtracting a set: same results.
    store = store_from_files([path])
    whole = validate_store(store)
    nodes = {quad.subject.value for quad in store
             if isinstance(quad.subject, pyoxigraph.NamedNode)}
    assert comparable(validate_store(store, nodes)) == {
        row for row in comparable(whole) if not row[3].startswith("_:")}  # focus_node


def test_an_invalid_fixture_names_the_node_value_and_sentence():
    report = validate_files_in_store([SHAPES / "invalid" / "speaker-is-a-place.trig"])
    (violation,) = report.violations
    assert violation.shape == "polsh:Statement-speaker"
    assert violation.focus_node.endswith("/statement/saltmarsh-housing/1")
    assert violation.value == "id:ward/saltmarsh"
    assert violation.article == "saltmarsh-housing"
    assert "Saltmarsh deserves better" in violation.sentence


def test_every_shape_with_a_target_compiles():
    shapes = shapes_graph()
    checks = compile_shapes(shapes, {})
    named = {c.shape for c in checks if isinstance(c.shape, URIRef)}
    for shape in shapes.subjects(URIRef("http://www.w3.org/ns/shacl#targetClass"), None):
        has_constraints = any(True for _ in shapes.objects(shape, None))
        assert has_constraints and (shape in named or any(
            (shape, URIRef("http://www.w3.org/ns/shacl#property"), c.shape) in shapes
            for c in checks)), shape


def test_an_unsupported_constraint_is_an_error_not_a_skip():
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:uniqueLang true ] .
    """, format="turtle")
    with pytest.raises(UnsupportedShape, match="uniqueLang"):
        compile_shapes(shapes, {})


def test_class_closure_follows_subclasses_transitively():
    a, b, c = (URIRef(f"http://example.org/{n}") for n in "abc")
    closure = class_closure([(b, a), (c, b)])
    assert closure[a] == {a, b, c}
    assert closure[b] == {b, c}


def test_a_scoped_run_reports_only_its_focus_nodes_and_leaves_the_store_as_it_was():
    paths = [SHAPES / "invalid" / "speaker-is-a-place.trig",
             SHAPES / "invalid" / "membership-of-a-place.trig"]
    store = store_from_files(paths)
    before = len(store)
    everything = validate_store(store)
    nodes = {v.focus_node for v in everything.violations}
    assert len(nodes) == 2
    one = sorted(nodes)[0]
    scoped = validate_store(store, [one])
    assert [v.focus_node for v in scoped.violations] == [one]
    assert scoped.violations == [v for v in everything.violations if v.focus_node == one]
    assert len(store) == before
    assert not store.contains_named_graph(
        pyoxigraph.NamedNode("urn:polgraph:validation-scope"))


@pytest.mark.parametrize("suffix", [".trig", ".nq"])
def test_a_broken_file_names_its_line(tmp_path, suffix):
    path = tmp_path / f"broken{suffix}"
    path.write_text('<http://example.org/a> <http://example.org/b> "open .\n', encoding="utf-8")
    with pytest.raises(TurtleError) as caught:
        store_from_files([path])
    assert caught.value.path == str(path)
    assert caught.value.line == 1
    assert "Parser error" not in caught.value.reason


def test_processes_sharing_the_checks_report_what_one_process_reports(tmp_path):
    location = tmp_path / "store"
    store = pyoxigraph.Store(str(location))
    for path in (SHAPES / "invalid").glob("*.trig"):
        store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.TRIG)
    store.flush()
    one = validate_store(store)
    two = validate_store(store, workers=2, location=location)
    assert len(one.violations) >= 30
    assert two.violations == one.violations
    assert two.warnings == one.warnings

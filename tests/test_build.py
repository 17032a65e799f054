"""The whole pipeline on the example corpus, through the command line, as a user runs it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner

from polgraph.cli import cli

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "articles"
GOLD = ROOT / "tests" / "gold"


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def rows(build: Path, query: str, *params: str) -> list[dict]:
    extra = [item for p in params for item in ("--param", p)]
    result = run("query", query, "--build", build, "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("example") / "build"
    result = run("build", ARTICLES, "--out", out)
    assert result.exit_code == 0, result.output
    assert "4 articles" in result.output and "0 violations" in result.output
    return out


def test_build_writes_every_output(example):
    for name in ("graph.nq", "graph.trig", "graph.ttl", "graph.jsonld", "review.jsonl",
                 "validation.txt"):
        assert (example / name).is_file(), name
    assert (example / "store").is_dir()
    assert not [p for p in example.iterdir() if p.name.startswith(".")]  # no temporary leftovers


def test_the_trig_json_ld_and_turtle_files_hold_the_graph_nq_content(example):
    def terms(name: str, fmt, union: bool = False) -> set[str]:
        quads = pyoxigraph.parse(path=str(example / name), format=fmt)
        return {str(quad.triple) if union else str(quad) for quad in quads}

    quads = terms("graph.nq", pyoxigraph.RdfFormat.N_QUADS)
    assert len(quads) == len((example / "graph.nq").read_text("utf-8").splitlines())
    assert terms("graph.trig", pyoxigraph.RdfFormat.TRIG) == quads
    assert terms("graph.jsonld", pyoxigraph.RdfFormat.JSON_LD) == quads
    assert terms("graph.ttl", pyoxigraph.RdfFormat.TURTLE, union=True) == terms(
        "graph.nq", pyoxigraph.RdfFormat.N_QUADS, union=True)


def test_build_ken_livingstone_is_a_person_and_a_labour_member(example):
    people = {r["name"] for r in rows(example, "mentions") if r["kind"] == "person"}
    assert {"Ken Livingstone", "Wes Streeting", "Adam Langleben", "Keir Starmer"} <= people
    members = {(r["person"], r["party"]) for r in rows(example, "memberships")}
    assert ("Ken Livingstone", "Labour Party") in members
    assert ("Wes Streeting", "Labour Party") in members


def test_build_barnet_is_a_council_and_manchester_is_no_person(example):
    mentions = rows(example, "mentions")
    assert {"article": "barnet-2022-local-elections", "kind": "council",
            "name": "Barnet Council"} in mentions
    assert not [r for r in mentions if r["kind"] == "person"
                and r["name"] in {"Manchester", "Twitter", "Ilford North", "Prestwich"}]


def test_build_wes_streeting_statement_has_medium_twitter(example):
    statements = rows(example, "statements")
    streeting = [r for r in statements if r["speaker"] == "Wes Streeting"
                 and r["quote"].startswith("We have paid a heavy price")]
    assert streeting and streeting[0]["medium"] == "Twitter"
    assert streeting[0]["direct"] in (True, "true")


def test_build_unnamed_source_stays_unattributed(example):
    statements = rows(example, "statements")
    [figure] = [r for r in statements if r["quote"].startswith("Jeremy Corbyn took the")]
    assert figure["speaker"] in ("", None)


def test_build_results_of_the_2022_article(example):
    results = [r for r in rows(example, "results")
               if r["article"] == "barnet-2022-local-elections"]
    found = {(r["area"], r["party"], r["kind"], str(r["value"] or "")) for r in results}
    assert ("Barnet Council", "Labour Party", "won-control", "") in found
    assert ("Barnet Council", "Labour Party", "seat-count", "41") in found
    assert ("Barnet Council", "Conservative Party", "lost-seats", "14") in found


def test_build_validates(example):
    result = run("validate", "--build", example)
    assert result.exit_code == 0, result.output


def test_build_nquads_are_byte_identical_across_builds(example, tmp_path):
    again = tmp_path / "again"
    assert run("build", ARTICLES, "--out", again, "--no-validate").exit_code == 0
    assert (again / "graph.nq").read_bytes() == (example / "graph.nq").read_bytes()


def test_build_meets_the_extraction_targets(example):
    result = run("eval", "--build", example, "--gold", GOLD, "--format", "json")
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)["scores"]
    assert scores["people"]["f1"] >= 0.95
    assert scores["quotes-direct"]["recall"] >= 0.95
    assert scores["quotes-reported"]["recall"] >= 0.85
    assert scores["memberships"]["f1"] >= 0.9
    assert scores["results"]["f1"] >= 0.85
    assert scores["events"]["f1"] >= 0.7
    speakers = json.loads(result.output)["speakers"]
    assert speakers["accuracy"] >= 0.97
    assert speakers["misattributed"] <= 1


def test_build_reports_unreadable_articles_and_builds_the_rest(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ARTICLES / "bury-2016-local-elections.txt", corpus)
    (corpus / "latin1.txt").write_bytes("Caf\xe9 politics".encode("latin-1"))
    (corpus / "empty.txt").write_text("   \n")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02PNG")
    (corpus / "feed.jsonl").write_text(
        json.dumps({"id": "feed-1", "text": "Maria Okafor said: “We won.”"}) + "\n"
        "{not json\n"
        + json.dumps({"id": "feed-3", "text": "Tom Varga lost his seat."}) + "\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(corpus), "--out", str(out)])
    assert result.exit_code == 1
    messages = result.output
    assert "latin1.txt:1: not UTF-8" in messages
    assert "empty.txt: article is empty" in messages
    assert "binary.txt: binary file" in messages
    assert "feed.jsonl:2: malformed JSON" in messages
    built = {r["article"] for r in rows(out, "articles")}
    assert built == {"bury-2016-local-elections", "feed-1", "feed-3"}


def test_build_broken_hand_turtle_names_file_line_and_column(tmp_path):
    hand = tmp_path / "hand"
    hand.mkdir()
    (hand / "facts.ttl").write_text(
        "@prefix pol: <https://w3id.org/polgraph/ontology#> .\n"
        "<https://w3id.org/polgraph/id/person/x> a pol:Person ;\n"
        "    rdfs:label \"X\" .\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(ARTICLES), "--hand", str(hand),
                                      "--out", str(out)])
    assert result.exit_code == 2
    assert "facts.ttl:3:" in result.output and "rdfs" in result.output
    assert not (out / "graph.nq").exists()

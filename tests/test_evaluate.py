"""Scoring a build against gold annotations: the pure function, and the command on a tiny build."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from polgraph.errors import UsageError
from polgraph.evaluate import (
    CONTRACT_COLUMNS,
    KINDS,
    Aliases,
    area_key,
    below_thresholds,
    evaluate,
    fold,
    format_json,
    format_text,
    load_gold,
    names_agree,
    parse_thresholds,
    quote_words,
)

GOLD_DIR = Path(__file__).resolve().parent / "gold"

#: A small alias table, as the curated graphs would give it.
ALIASES = Aliases([
    ("Conservative Party", "Conservatives", "Conservative", "Tories", "Tory", "the Tories"),
    ("Labour Party", "Labour", "the Labour Party"),
    ("Liberal Democrats", "Lib Dems", "Liberal Democrat"),
    ("The Northam Echo", "Northam Echo", "the Echo"),
])


def gold_file(**parts) -> dict:
    """A gold dict for the article ``northam.txt`` with the given lists (the rest empty)."""
    base = {"article": "northam.txt", "people": [], "parties": [], "organisations": [],
            "places": [], "quotes": [], "memberships": [], "results": [], "events": []}
    base.update(parts)
    return base


def rows(**parts) -> dict[str, list[dict]]:
    """Contract rows for the article ``northam``: each list's dicts get the article column."""
    out: dict[str, list[dict]] = {name: [] for name in CONTRACT_COLUMNS}
    for name, items in parts.items():
        for item in items:
            row = dict.fromkeys(CONTRACT_COLUMNS[name])
            row.update(item, article="northam")
            out[name].append(row)
    return out


def person(name: str, **extra) -> dict:
    return {"name": name, "aliases": [], "roles": [], "party": None, **extra}


def quote(text: str, speaker: str | None, direct: bool = True, **extra) -> dict:
    return {"speaker": speaker, "text_start": text, "direct": direct, "medium": None, **extra}


def said(text: str, speaker: str | None, direct: bool = True) -> dict:
    return {"quote": text, "speaker": speaker, "direct": "true" if direct else "false"}


def score(report, kind):
    s = report.scores[kind]
    return s.gold, s.found, s.matched


# -- names -------------------------------------------------------------------------------------
def test_names_agree_without_titles_or_by_surname():
    assert names_agree("Cllr Jane Roe", "Jane Roe")
    assert names_agree("Mrs Roe", "Jane Roe")
    assert names_agree("Sir Tobias Wrenfield MP", "Tobias Wrenfield")
    assert names_agree("Tobias Alan Wrenfield", "Tobias Wrenfield")
    assert not names_agree("Tobias", "Tobias Wrenfield")  # first name only: not the surname
    assert not names_agree("Jane Doe", "Jane Roe")
    assert not names_agree("", "Jane Roe")


def test_folding_normalises_quotes_apostrophes_and_punctuation():
    assert quote_words("“It’s down to – one person,” he said") == \
        quote_words("\"It's down to one person\" he said")
    assert fold("Sinn Féin’s") == "sinn feins"
    assert area_key("the Barnet Council") == area_key("Barnet") == "barnet"
    assert area_key("Hale ward") == "hale"


# -- entities ----------------------------------------------------------------------------------
def test_people_match_through_titles_and_surnames_one_to_one():
    gold = gold_file(people=[person("Jane Roe"), person("Tobias Wrenfield"),
                             person("Mara Kettleby")])
    found = rows(mentions=[
        {"kind": "person", "name": "Cllr Jane Roe"},
        {"kind": "person", "name": "Wrenfield"},
        {"kind": "person", "name": "Jane Roe"},  # a second Jane Roe: a false hit
        {"kind": "person", "name": "Tobias"},    # a first name only: no match
    ])
    report = evaluate(found, [gold], ALIASES)
    assert score(report, "people") == (3, 4, 2)
    assert [d for _, d in report.scores["people"].misses] == ["Mara Kettleby"]
    assert sorted(d for _, d in report.scores["people"].false_hits) == ["Jane Roe", "Tobias"]


def test_mentioned_only_people_are_neither_found_nor_missed():
    gold = gold_file(people=[person("Jane Roe"),
                             person("Ada Photographer", mentioned_only=True),
                             person("Old Historical Figure", mentioned_only=True)])
    found = rows(mentions=[{"kind": "person", "name": "Jane Roe"},
                           {"kind": "person", "name": "Ada Photographer"}])
    report = evaluate(found, [gold], ALIASES)
    assert score(report, "people") == (1, 1, 1)
    assert report.scores["people"].f1 == 1.0
    assert not report.scores["people"].misses


def test_parties_compare_through_their_usual_aliases():
    gold = gold_file(parties=[{"name": "Conservative Party", "aliases": []},
                              {"name": "Lib Dems", "aliases": []},
                              {"name": "Labour Party", "aliases": []}])
    found = rows(mentions=[{"kind": "party", "name": "Tories"},
                           {"kind": "party", "name": "Liberal Democrats"},
                           {"kind": "party", "name": "Greens"}])
    report = evaluate(found, [gold], ALIASES)
    assert score(report, "parties") == (3, 3, 2)
    assert [d for _, d in report.scores["parties"].misses] == ["Labour Party"]


def test_default_aliases_are_those_of_the_curated_graphs():
    gold = gold_file(parties=[{"name": "Tories", "aliases": []}])
    found = rows(mentions=[{"kind": "party", "name": "Conservative Party"}])
    assert score(evaluate(found, [gold]), "parties") == (1, 1, 1)


def test_organisations_and_places_group_their_kinds():
    gold = gold_file(
        organisations=[{"name": "Northam Echo", "kind": "media", "aliases": []},
                       {"name": "Northam Council", "kind": "council", "aliases": ["the council"]},
                       {"name": "Northam Friends Society", "kind": "community-group",
                        "aliases": ["NFS"]}],
        places=[{"name": "Easton", "kind": "ward", "in": "Northam"},
                {"name": "Northam", "kind": "council-area", "in": None}],
    )
    found = rows(mentions=[
        {"kind": "media", "name": "The Northam Echo"},
        {"kind": "council", "name": "Northam Council"},
        {"kind": "organisation", "name": "NFS"},          # a gold alias
        {"kind": "ward", "name": "Easton ward"},
        {"kind": "place", "name": "Northam"},
        {"kind": "place", "name": "Westleigh"},
    ])
    report = evaluate(found, [gold], ALIASES)
    assert score(report, "organisations") == (3, 3, 3)
    assert score(report, "places") == (2, 3, 2)


# -- quotes and speakers -----------------------------------------------------------------------
def test_a_quote_is_found_by_its_first_six_words_in_the_same_article():
    gold = gold_file(quotes=[
        quote("It's down to one person, and that's nobody", "Jane Roe"),
        quote("We have paid a heavy price in Easton", "Jane Roe"),
    ])
    found = rows(statements=[
        said("“It’s down to one person, and that’s everybody else.”", "Jane Roe"),
        said("Honestly, we have paid a heavy price in Easton", "Jane Roe"),
    ])
    other = {"article": "elsewhere", "quote": "We have paid a heavy price", "speaker": None,
             "direct": "true", "medium": None}
    found["statements"].append(other)
    report = evaluate(found, [gold], ALIASES)
    assert score(report, "quotes") == (2, 2, 2)
    assert report.unscored == ["elsewhere"]


def test_direct_and_reported_quotes_are_scored_apart():
    gold = gold_file(quotes=[
        quote("We won the vote", "Jane Roe", direct=True),
        quote("the council had failed the town", "Jane Roe", direct=False),
        quote("never again", None, direct=True),
    ])
    found = rows(statements=[
        said("We won the vote.", "Jane Roe", direct=True),
        said("the council had failed the town", "Jane Roe", direct=False),
        said("the budget was a disgrace", "Jane Roe", direct=False),
    ])
    report = evaluate(found, [gold], ALIASES)
    assert score(report, "quotes") == (3, 3, 2)
    assert score(report, "quotes-direct") == (2, 1, 1)
    assert score(report, "quotes-reported") == (1, 2, 1)


def test_each_gold_quote_and_each_statement_is_matched_once():
    gold = gold_file(quotes=[quote("Scores", "Jane Roe"), quote("Scores", "Jane Roe")])
    found = rows(statements=[said("Scores", "Jane Roe")])
    report = evaluate(found, [gold], ALIASES)
    assert score(report, "quotes") == (2, 1, 1)
    assert report.scores["quotes"].recall == 0.5


def test_speaker_accuracy_counts_misattributions_apart():
    gold = gold_file(quotes=[
        quote("one two three four five six", "Jane Roe"),            # right (title dropped)
        quote("seven eight nine ten eleven twelve", "Jane Roe"),     # given to another
        quote("alpha beta gamma delta epsilon zeta", None,
              speaker_description="an unnamed source"),              # given to somebody
        quote("red orange yellow green blue indigo", "Jane Roe"),    # left unattributed
        quote("north south east west up down", None),                # both unattributed
        quote("We listened to the voters here", "Labour Party"),     # a party, by alias
    ])
    found = rows(statements=[
        said("one two three four five six", "Cllr Jane Roe"),
        said("seven eight nine ten eleven twelve", "Mara Kettleby"),
        said("alpha beta gamma delta epsilon zeta", "Tobias Wrenfield"),
        said("red orange yellow green blue indigo", None),
        said("north south east west up down", None),
        said("We listened to the voters here", "Labour"),
    ])
    report = evaluate(found, [gold], ALIASES)
    speakers = report.speakers
    assert (speakers.judged, speakers.right) == (6, 3)
    assert speakers.misattributed == 2
    assert speakers.unattributed == 1
    assert speakers.accuracy == 0.5
    assert any("Mara Kettleby" in d for _, d in speakers.errors)


# -- memberships, results, events --------------------------------------------------------------
def test_memberships_match_on_person_and_party_with_roles_scored_apart():
    gold = gold_file(memberships=[
        {"person": "Jane Roe", "party": "Conservative Party", "role": "councillor for Easton"},
        {"person": "Tobias Wrenfield", "party": "Labour Party", "role": "MP"},
        {"person": "Mara Kettleby", "party": "Labour Party", "role": None},
    ])
    found = rows(memberships=[
        {"person": "Cllr Jane Roe", "party": "Tories", "role": "councillor"},
        {"person": "Tobias Wrenfield", "party": "Labour", "role": "leader"},
        {"person": "Mara Kettleby", "party": "Conservative Party", "role": None},
    ])
    report = evaluate(found, [gold], ALIASES)
    assert score(report, "memberships") == (3, 3, 2)
    assert (report.roles.judged, report.roles.agree) == (2, 1)


def test_results_match_on_area_party_kind_and_value_where_both_give_one():
    gold = gold_file(results=[
        {"area": "Northam Council", "party": "Conservative Party", "kind": "won-control",
         "value": None, "election": "2019 local elections"},
        {"area": "Easton", "party": "Labour Party", "kind": "won-seat", "value": 3,
         "election": None},
        {"area": "Northam Council", "party": None, "kind": "turnout", "value": 37.9,
         "election": None},
        {"area": "Westleigh", "party": "Labour Party", "kind": "seat-count", "value": 41,
         "election": None},
        {"area": "Northam", "party": "Labour Party", "kind": "lost-control", "value": None,
         "election": None},
    ])
    found = rows(results=[
        {"area": "Northam", "party": "Tories", "kind": "won-control", "value": None},
        {"area": "Easton ward", "party": "Labour Party", "kind": "won-seat", "value": None},
        {"area": "the Northam Council", "party": None, "kind": "turnout", "value": "37.9"},
        {"area": "Westleigh", "party": "Labour Party", "kind": "seat-count", "value": "40"},
        {"area": "Northam", "party": "Conservative Party", "kind": "lost-control",
         "value": None},
    ])
    report = evaluate(found, [gold], ALIASES)
    assert score(report, "results") == (5, 5, 3)
    missed = sorted(d for _, d in report.scores["results"].misses)
    assert missed == ["lost-control Northam — Labour Party",
                      "seat-count Westleigh — Labour Party = 41"]


def test_events_match_on_type_and_who_and_date_when_both_give_one():
    gold = gold_file(events=[
        {"type": "suspension", "who": "Jane Roe", "date": None, "summary": "s"},
        {"type": "election", "who": "Conservative Party", "date": "2019-05-02", "summary": "e"},
        {"type": "visit", "who": "Tobias Wrenfield", "date": "2019-05-01", "summary": "v"},
        {"type": "other", "who": None, "date": None, "summary": "o"},
    ])
    found = rows(events=[
        {"type": "suspension", "who": "Ms Roe", "date": "2019-04-30"},
        {"type": "election", "who": "Tories", "date": None},
        {"type": "visit", "who": "Tobias Wrenfield", "date": "2019-05-03"},
        {"type": "other", "who": None, "date": None},
        {"type": "resignation", "who": "Mara Kettleby", "date": None},
    ])
    report = evaluate(found, [gold], ALIASES)
    assert score(report, "events") == (4, 5, 3)


def test_a_gold_article_missing_from_the_build_counts_as_missed():
    report = evaluate(rows(), [gold_file(people=[person("Jane Roe")])], ALIASES)
    assert report.missing == ["northam"]
    assert score(report, "people") == (1, 0, 0)
    assert report.scores["people"].f1 == 0.0
    assert report.scores["results"].f1 == 1.0  # nothing to find, nothing found


def test_the_gold_scored_against_itself_is_perfect():
    gold = load_gold(GOLD_DIR)
    found: dict[str, list[dict]] = {name: [] for name in CONTRACT_COLUMNS}
    places = {"ward": "ward", "constituency": "constituency"}
    for item in gold:
        article = item["article"].rsplit(".", 1)[0]
        for p in item["people"]:
            found["mentions"].append({"article": article, "kind": "person", "name": p["name"]})
        for p in item["parties"]:
            found["mentions"].append({"article": article, "kind": "party", "name": p["name"]})
        for o in item["organisations"]:
            found["mentions"].append({"article": article, "kind": "organisation",
                                      "name": o["name"]})
        for p in item["places"]:
            found["mentions"].append({"article": article, "kind": places.get(p["kind"], "place"),
                                      "name": p["name"]})
        for q in item["quotes"]:
            found["statements"].append({"article": article, "speaker": q["speaker"],
                                        "quote": q["text_start"],
                                        "direct": str(q["direct"]).lower(), "medium": None})
        for m in item["memberships"]:
            found["memberships"].append({"article": article, **m})
        for r in item["results"]:
            found["results"].append({"article": article, **r})
        for e in item["events"]:
            found["events"].append({"article": article, **e})
    report = evaluate(found, gold)
    assert len(report.articles) == 4
    for kind in KINDS:
        assert report.scores[kind].f1 == 1.0, kind
    assert report.speakers.accuracy == 1.0
    assert report.speakers.misattributed == 0


# -- thresholds, printing, gold files ----------------------------------------------------------
def test_thresholds_are_checked_and_bad_ones_refused():
    gold = gold_file(people=[person("Jane Roe"), person("Mara Kettleby")])
    report = evaluate(rows(mentions=[{"kind": "person", "name": "Jane Roe"}]), [gold], ALIASES)
    assert parse_thresholds(["people=0.5", "speakers=1"]) == {"people": 0.5, "speakers": 1.0}
    assert below_thresholds(report, {"people": 0.5}) == []
    assert below_thresholds(report, {"people": 0.9}) == ["people F1 0.667 is below 0.9"]
    for bad in ("people", "friends=0.5", "people=high", "people=1.5"):
        with pytest.raises(UsageError):
            parse_thresholds([bad])


def test_text_and_json_reports_give_the_same_numbers():
    gold = gold_file(people=[person("Jane Roe"), person("Mara Kettleby")],
                     quotes=[quote("We won the vote", "Jane Roe")])
    found = rows(mentions=[{"kind": "person", "name": "Jane Roe"},
                           {"kind": "person", "name": "Tobias Wrenfield"}],
                 statements=[said("We won the vote", "Tobias Wrenfield")])
    report = evaluate(found, [gold], ALIASES)
    text = format_text(report)
    assert "people" in text and "0.500" in text
    assert "1 misattributed" in text
    verbose = format_text(report, verbose=True)
    assert "missed     Mara Kettleby" in verbose
    assert "false hit  Tobias Wrenfield" in verbose
    data = json.loads(format_json(report))
    assert data["scores"]["people"] == {"gold": 2, "found": 2, "matched": 1, "precision": 0.5,
                                        "recall": 0.5, "f1": 0.5}
    assert data["speakers"]["misattributed"] == 1
    assert "misses" in json.loads(format_json(report, verbose=True))["scores"]["people"]


def test_a_broken_gold_file_is_named_with_line_and_column(tmp_path):
    (tmp_path / "a.gold.json").write_text('{"article": "a.txt",\n "people": [}', "utf-8")
    with pytest.raises(UsageError, match=r"a\.gold\.json:2:13: not valid JSON"):
        load_gold(tmp_path)
    with pytest.raises(UsageError, match="no such gold file or folder"):
        load_gold(tmp_path / "nothing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="no gold files"):
        load_gold(tmp_path / "empty")


# -- the command on a tiny build ---------------------------------------------------------------
TINY_BUILD = r"""
@prefix pol:    <https://w3id.org/polgraph/ontology#> .
@prefix id:     <https://w3id.org/polgraph/id/> .
@prefix schema: <http://schema.org/> .
@prefix org:    <http://www.w3.org/ns/org#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .

id:graph\/article\/northam {
    id:article\/northam a pol:Article ; pol:articleId "northam" ;
        schema:mentions id:person\/jane-roe , id:party\/labour-party , id:ward\/easton .
    id:person\/jane-roe a pol:Person ; rdfs:label "Jane Roe" .
    id:party\/labour-party a pol:PoliticalParty ; rdfs:label "Labour Party" .
    id:ward\/easton a pol:Ward ; rdfs:label "Easton" .
    id:statement\/northam\/1 a pol:Statement ; pol:text "We listened to Easton." ;
        pol:direct true ; pol:speaker id:person\/jane-roe ; pol:reportedIn id:article\/northam .
    id:membership\/northam\/1 a pol:Membership ; org:member id:person\/jane-roe ;
        org:organization id:party\/labour-party ; pol:roleName "councillor" ;
        pol:reportedIn id:article\/northam .
    id:result\/northam\/1 a pol:ElectionResult ; pol:resultKind pol:WonSeat ;
        pol:area id:ward\/easton ; pol:party id:party\/labour-party ;
        pol:reportedIn id:article\/northam .
    id:event\/northam\/1 a pol:Event ; pol:eventType pol:ElectionType ;
        pol:subject id:person\/jane-roe ; pol:reportedIn id:article\/northam .
}
"""

TINY_GOLD = {
    "article": "northam.txt",
    "people": [{"name": "Cllr Jane Roe", "aliases": [], "roles": [], "party": "Labour"}],
    "parties": [{"name": "Labour", "aliases": []}],
    "organisations": [],
    "places": [{"name": "Easton ward", "kind": "ward", "in": None}],
    "quotes": [{"speaker": "Jane Roe", "text_start": "We listened to Easton.", "direct": True,
                "medium": None},
               {"speaker": "Jane Roe", "text_start": "We will fix the roads", "direct": True,
                "medium": None}],
    "memberships": [{"person": "Jane Roe", "party": "Labour Party", "role": "councillor"}],
    "results": [{"area": "Easton", "party": "Labour Party", "kind": "won-seat", "value": None,
                 "election": None}],
    "events": [{"type": "election", "who": "Jane Roe", "date": None, "summary": "elected"}],
}


@pytest.fixture
def tiny_build(tmp_path):
    import pyoxigraph

    from polgraph.graphs.store import store_path

    build = tmp_path / "build"
    build.mkdir()
    store = pyoxigraph.Store(str(store_path(build)))
    store.load(TINY_BUILD.encode("utf-8"), format=pyoxigraph.RdfFormat.TRIG)
    store.flush()
    del store
    gc.collect()
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "northam.gold.json").write_text(json.dumps(TINY_GOLD), "utf-8")
    return build, gold


def test_eval_command_scores_a_build(tiny_build):
    from click.testing import CliRunner

    from polgraph.cli import cli

    build, gold = tiny_build
    runner = CliRunner()
    result = runner.invoke(cli, ["eval", "--build", str(build), "--gold", str(gold),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["articles"] == ["northam"]
    for kind in ("people", "parties", "places", "memberships", "results", "events"):
        assert data["scores"][kind]["f1"] == 1.0, kind
    assert data["scores"]["quotes"] == {"gold": 2, "found": 1, "matched": 1, "precision": 1.0,
                                        "recall": 0.5, "f1": 0.6667}
    assert data["speakers"]["accuracy"] == 1.0

    text = runner.invoke(cli, ["eval", "--build", str(build), "--gold", str(gold), "-v"])
    assert text.exit_code == 0
    assert "missed     “We will fix the roads”" in text.output

    failed = runner.invoke(cli, ["eval", "--build", str(build), "--gold", str(gold),
                                 "--min-f1", "quotes=0.9", "--min-f1", "people=0.9"])
    assert failed.exit_code == 1
    assert "quotes F1 0.667 is below 0.9" in failed.output

    bad = runner.invoke(cli, ["eval", "--build", str(build), "--gold", str(gold),
                              "--min-f1", "quotes"])
    assert bad.exit_code == 2
    missing = runner.invoke(cli, ["eval", "--build", str(build.parent / "none"),
                                  "--gold", str(gold)])
    assert missing.exit_code == 2
    assert "run 'polgraph build' first" in missing.output


def test_eval_help_has_an_example():
    from click.testing import CliRunner

    from polgraph.cli import cli

    result = CliRunner().invoke(cli, ["eval", "--help"])
    assert result.exit_code == 0
    assert "polgraph eval --gold tests/gold" in result.output

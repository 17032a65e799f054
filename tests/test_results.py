"""Election results and their elections, on sentences written for the test (invented places)."""

from __future__ import annotations

from datetime import date

import pytest
from gazetteers import NORTHAM, NORTHAM_COUNCIL, PARTIES, P

from polgraph.extract.gazetteer import GazetteerEntry
from polgraph.extract.pipeline import extract_one
from polgraph.extract.read import Article

pytestmark = pytest.mark.model

ENTRIES = (
    *PARTIES, NORTHAM, NORTHAM_COUNCIL,
    GazetteerEntry("Westbury Council", "council", P + "council/westbury-council", ()),
)
DAY = date(2018, 5, 4)


@pytest.fixture(scope="module")
def results_nlp():
    from polgraph.extract.pipeline import load_pipeline

    return load_pipeline("en_core_web_sm", ENTRIES)


def extract(nlp, text: str, when: date | None = DAY):
    findings = extract_one(Article(id="t", text=text, source="t.txt", date=when), nlp)
    names = {e.key: e.name for e in findings.entities}
    elections = {e.key: e for e in findings.elections}
    found = []
    for r in findings.results:
        assert text[r.evidence.start : r.evidence.end] == r.evidence.text
        assert 0 <= r.evidence.confidence <= 1 and r.evidence.extractor == "results"
        assert r.election is None or r.election in elections
        found.append({"kind": r.kind, "area": names[r.area], "party": names.get(r.party),
                      "value": r.value, "election": elections.get(r.election),
                      "evidence": r.evidence.text})
    return found


def results(nlp, text: str, when: date | None = DAY) -> set[tuple]:
    return {(r["kind"], r["area"], r["party"], r["value"]) for r in extract(nlp, text, when)}


# -- control ------------------------------------------------------------------------------------
def test_results_took_control_from(results_nlp):
    assert results(results_nlp, "Labour took control of Northam Council from the Tories.") == {
        ("won-control", "Northam Council", "Labour Party", None),
        ("lost-control", "Northam Council", "Conservative Party", None),
    }


def test_results_retained_overall_control(results_nlp):
    assert results(results_nlp, "The Greens retained overall control of Westbury Council.") \
        == {("retained-control", "Westbury Council", "Green Party", None)}


def test_results_lost_control_to(results_nlp):
    assert results(results_nlp, "The Tories lost control of Westbury Council to the Greens.") \
        == {("lost-control", "Westbury Council", "Conservative Party", None),
            ("won-control", "Westbury Council", "Green Party", None)}


def test_results_no_overall_control(results_nlp):
    assert results(results_nlp, "Westbury Council is now under no overall control.") == {
        ("no-overall-control", "Westbury Council", None, None)}


def test_results_two_councils_with_a_plural_head(results_nlp):
    text = "Labour also took control of Amberley and Cresswick councils."
    found = results(results_nlp, text)
    assert {(k, a) for k, a, _, _ in found} == {("won-control", "Amberley"),
                                                  ("won-control", "Cresswick")}


def test_results_one_council_named_a_and_b(results_nlp):
    found = results(results_nlp, "The Tories retained control of Amberley and Cresswick.")
    assert found == {("retained-control", "Amberley and Cresswick", "Conservative Party", None)}


def test_results_previous_controller_lost_control(results_nlp):
    text = ("Labour has seized control of Northam Council.\n\n"
            "Northam Council has been under Conservative control since 1974.")
    assert results(results_nlp, text) == {
        ("won-control", "Northam Council", "Labour Party", None),
        ("lost-control", "Northam Council", "Conservative Party", None),
    }


def test_results_a_council_described_takes_the_council_named_next(results_nlp):
    text = ("Labour has seized control of the county's most marginal authority.\n\n"
            "Winning a majority on Westbury Council was the party's aim for a decade.")
    found = results(results_nlp, text)
    assert ("won-control", "Westbury Council", "Labour Party", None) in found


# -- seats --------------------------------------------------------------------------------------
def test_results_seats_in_a_ward_kept_and_taken(results_nlp):
    text = ("The Tories took all three seats in Eastfield ward, keeping two and taking one "
            "from Labour, and all three in Hollins ward.")
    assert results(results_nlp, text) == {
        ("won-seat", "Eastfield", "Conservative Party", 3),
        ("held-seat", "Eastfield", "Conservative Party", 2),
        ("gained-seats", "Eastfield", "Conservative Party", 1),
        ("lost-seat", "Eastfield", "Labour Party", 1),
        ("won-seat", "Hollins", "Conservative Party", 3),
    }


def test_results_ward_taken_by_a_person_from_a_person(results_nlp):
    text = ("The Eastfield ward, which was once held by Labour, was taken by the Tories' "
            "Peter Amadi from Labour's Maria Okafor.")
    assert results(results_nlp, text) == {
        ("won-seat", "Eastfield", "Conservative Party", None),
        ("lost-seat", "Eastfield", "Labour Party", None),
    }


def test_results_seat_captured_from(results_nlp):
    text = "The parliamentary seat of Northam was captured by the Conservatives from Labour."
    assert results(results_nlp, text) == {
        ("won-seat", "Northam", "Conservative Party", None),
        ("lost-seat", "Northam", "Labour Party", None),
    }


def test_results_person_who_lost_her_seat(results_nlp):
    text = "Maria Okafor, a Labour councillor who lost her seat in Eastfield ward, was angry."
    assert results(results_nlp, text) == {("lost-seat", "Eastfield", "Labour Party", None)}


def test_results_person_elected_in_a_ward(results_nlp):
    text = "Maria Okafor, a Green candidate, was elected in Eastfield ward."
    assert results(results_nlp, text) == {("won-seat", "Eastfield", "Green Party", None)}


def test_results_wards_we_lost_in_a_quote(results_nlp):
    text = ("Tom Varga, a Labour councillor, told the count:\n\n"
            "“Look at the wards where we lost, Eastfield ward, Hollins ward and Moor ward.”")
    found = results(results_nlp, text)
    assert {(k, a, p) for k, a, p, _ in found} == {("lost-seats", "Eastfield", "Labour Party"),
                                                   ("lost-seats", "Hollins", "Labour Party"),
                                                   ("lost-seats", "Moor", "Labour Party")}


# -- changes and counts -------------------------------------------------------------------------
def test_results_seats_lost_and_gained_on_the_council(results_nlp):
    text = ("Labour won control of Northam Council.\n\n"
            "Overnight the Conservatives lost 14 seats and Labour gained eighteen, meaning "
            "the new balance on the council is Labour 41, Conservatives 22.")
    found = results(results_nlp, text)
    assert {
        ("lost-seats", "Northam Council", "Conservative Party", 14),
        ("gained-seats", "Northam Council", "Labour Party", 18),
        ("seat-count", "Northam Council", "Labour Party", 41),
        ("seat-count", "Northam Council", "Conservative Party", 22),
    } <= found


def test_results_gained_seats_from(results_nlp):
    text = "The Greens gained nine seats from the Tories on Northam Council."
    assert results(results_nlp, text) == {
        ("gained-seats", "Northam Council", "Green Party", 9),
        ("lost-seats", "Northam Council", "Conservative Party", 9),
    }


def test_results_finished_the_night_on(results_nlp):
    text = "The Greens finished the night on 27 seats on Westbury Council."
    assert results(results_nlp, text) == {("seat-count", "Westbury Council", "Green Party", 27)}


def test_results_the_mps_of_an_area_are_a_count_of_no_election(results_nlp):
    found = extract(results_nlp, "The result may worry Northam's three Conservative MPs.")
    assert [(r["kind"], r["area"], r["value"], r["election"]) for r in found] == [
        ("seat-count", "Northam", 3, None)]


# -- where a seat is ----------------------------------------------------------------------------
def kinds(nlp, text: str) -> dict[str, str]:
    findings = extract_one(Article(id="t", text=text, source="t.txt", date=DAY), nlp)
    return {e.name: e.kind for e in findings.entities}


@pytest.mark.parametrize(
    "text, expected",
    [
        # NER calls the ward an organisation; the Greens' "Green" closes its name
        ("Priya Nash, a Labour councillor, lost the seat in Oakwell Green to the Greens.",
         {("lost-seat", "Oakwell Green", "Labour Party", None)}),
        ("Labour's Priya Nash, who lost the seat in Oakwell Green, said it was a blow.",
         {("lost-seat", "Oakwell Green", "Labour Party", None)}),
        ("The Conservatives took both seats in Elmbridge Riverside from Labour.",
         {("gained-seats", "Elmbridge Riverside", "Conservative Party", None),
          ("lost-seats", "Elmbridge Riverside", "Labour Party", None)}),
        ("The Greens won the seat of Ashcombe Vale.",
         {("won-seat", "Ashcombe Vale", "Green Party", None)}),
    ],
)
def test_results_a_seat_is_in_a_place_whatever_its_name_ends_with(results_nlp, text, expected):
    assert results(results_nlp, text) == expected
    area = next(iter(expected))[1]
    assert kinds(results_nlp, text)[area] == "place"


def test_results_a_seat_in_a_body_is_not_in_a_place(results_nlp):
    found = kinds(results_nlp, "Tom Reid won a seat in the House of Commons in 2017.")
    assert not any(kind == "place" and "Commons" in name for name, kind in found.items())


# -- turnout ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, value",
    [
        ("Labour won Northam Council. The turnout was 37.9 per cent.", 0.379),
        ("Labour won Northam Council on a turnout of 41%.", 0.41),
    ],
)
def test_results_turnout_is_a_fraction(results_nlp, text, value):
    turnouts = [r for r in extract(results_nlp, text) if r["kind"] == "turnout"]
    assert [(r["area"], r["value"]) for r in turnouts] == [("Northam Council", value)]


def test_results_turnout_in_a_ward_in_favour_of_a_party(results_nlp):
    text = "He said the 70 percent turn-outs in favour of the Greens in Eastfield were a joy."
    assert results(results_nlp, text) == {("turnout", "Eastfield", "Green Party", 0.7)}


# -- not results --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Labour hopes to win Northam Council.",
        "The Tories' candidate lost.",
        "Labour could lose control of Westbury Council.",
        "Labour did not win control of Westbury Council.",
        "The Eastfield ward was once held by Labour.",
        "Westbury Council was under no overall control from 1994 to 2002.",
        "If the Greens win Eastfield ward, they will celebrate.",
        "Labour is at risk of losing control of Westbury Council.",
    ],
)
def test_results_not_a_result(results_nlp, text):
    assert results(results_nlp, text) == set()


# -- elections ----------------------------------------------------------------------------------
def test_results_election_from_the_article_date(results_nlp):
    [found] = extract(results_nlp, "In the local elections Labour took control of Northam "
                                   "Council.")
    election = found["election"]
    assert (election.kind, election.year, election.label) == ("local", 2018,
                                                               "2018 local elections")


def test_results_election_without_a_date_has_no_year(results_nlp):
    [found] = extract(results_nlp, "In the local elections Labour took control of Northam "
                                   "Council.", when=None)
    election = found["election"]
    assert (election.kind, election.year, election.label) == ("local", None, "local elections")


def test_results_election_named_with_its_year(results_nlp):
    text = "Labour lost the parliamentary seat of Northam at the general election in 2017."
    [found] = extract(results_nlp, text)
    assert found["kind"] == "lost-seat"
    assert (found["election"].kind, found["election"].year) == ("general", 2017)


def test_results_devolved_election(results_nlp):
    text = "The Scottish parliamentary seat of Northam was captured by the Greens from Labour."
    found = extract(results_nlp, text)
    assert {(r["election"].kind, r["election"].label) for r in found} == {
        ("devolved", "2018 Scottish Parliament election")}


def test_results_seats_contested_when_the_text_gives_them(results_nlp):
    from polgraph.extract.pipeline import extract_one as run

    findings = run(Article(id="t", text="Labour won 12 of the 20 seats in Eastfield ward.",
                           source="t.txt", date=DAY), results_nlp)
    [result] = findings.results
    assert (result.kind, result.value, result.seats_contested) == ("won-seat", 12, 20)

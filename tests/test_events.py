"""Events, who they involve and when, on sentences written for the test (invented people)."""

from __future__ import annotations

from datetime import date

import pytest
from gazetteers import BBC, NORTHAM, NORTHAM_COUNCIL, PARTIES, P
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polgraph.extract.gazetteer import GazetteerEntry
from polgraph.extract.pipeline import extract_one
from polgraph.extract.read import Article

ENTRIES = (
    *PARTIES, BBC, NORTHAM, NORTHAM_COUNCIL,
    GazetteerEntry("Electoral Commission", "organisation", P + "organisation/ec",
                   ("the Electoral Commission",)),
)
FRIDAY = date(2018, 5, 4)


@pytest.fixture(scope="module")
def events_nlp():
    from polgraph.extract.pipeline import load_pipeline

    return load_pipeline("en_core_web_sm", ENTRIES)


def events(nlp, text: str, when: date | None = FRIDAY) -> list[dict]:
    findings = extract_one(Article(id="t", text=text, source="t.txt", date=when), nlp)
    names = {e.key: e.name for e in findings.entities}
    found = []
    for e in findings.events:
        assert text[e.evidence.start : e.evidence.end] == e.evidence.text
        assert 0 <= e.evidence.confidence <= 1 and e.evidence.extractor == "events"
        assert e.who is None or e.who in names
        found.append({"type": e.type, "who": names.get(e.who), "date": e.date,
                      "precision": e.date_precision, "evidence": e.evidence.text})
    return found


def kinds(nlp, text: str, when: date | None = FRIDAY) -> set[tuple]:
    return {(e["type"], e["who"]) for e in events(nlp, text, when)}


def one(nlp, text: str, kind: str, when: date | None = FRIDAY) -> dict:
    found = [e for e in events(nlp, text, when) if e["type"] == kind]
    assert len(found) == 1, found
    return found[0]


# -- discipline ---------------------------------------------------------------------------------
@pytest.mark.model
def test_events_suspended_on_a_weekday(events_nlp):
    found = one(events_nlp, "Tom Varga was suspended from the Labour Party on Tuesday.",
                "suspension")
    assert (found["who"], found["date"], found["precision"]) == ("Tom Varga",
                                                                 date(2018, 5, 1), "day")


@pytest.mark.model
def test_events_party_suspends_a_person_yesterday(events_nlp):
    found = one(events_nlp, "Labour suspended Tom Varga yesterday.", "suspension")
    assert (found["who"], found["date"]) == ("Tom Varga", date(2018, 5, 3))


@pytest.mark.model
def test_events_suspension_noun(events_nlp):
    found = one(events_nlp, "Members were angry at Tom Varga's suspension.", "suspension")
    assert found["who"] == "Tom Varga"
    assert found["evidence"] == "Tom Varga's suspension"


@pytest.mark.model
def test_events_expelled_last_week_gives_the_month_when_certain(events_nlp):
    found = one(events_nlp, "The Greens expelled Maria Okafor last week.", "expulsion")
    assert (found["who"], found["date"], found["precision"]) == (
        "Maria Okafor", date(2018, 4, 1), "month")


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "Tom Varga was spared expulsion by the Greens.",
        "Members called for Tom Varga's suspension.",
        "Tom Varga could face suspension.",
        "Tom Varga was not suspended.",
    ],
)
def test_events_discipline_that_did_not_happen(events_nlp, text):
    assert not [e for e in events(events_nlp, text)
                if e["type"] in {"suspension", "expulsion"}]


# -- resignations -------------------------------------------------------------------------------
@pytest.mark.model
def test_events_resigned_on_an_explicit_date(events_nlp):
    found = one(events_nlp, "Maria Okafor resigned as leader on 5 April 2018.", "resignation")
    assert (found["who"], found["date"], found["precision"]) == ("Maria Okafor",
                                                                 date(2018, 4, 5), "day")


@pytest.mark.model
def test_events_quit_the_party(events_nlp):
    assert ("resignation", "Peter Amadi") in kinds(events_nlp, "Peter Amadi quit the party "
                                                               "over the row.")


@pytest.mark.model
def test_events_resigning_membership_in_own_words(events_nlp):
    text = "“Resigning my membership. I am done,” said Maria Okafor."
    assert ("resignation", "Maria Okafor") in kinds(events_nlp, text)


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "Maria Okafor is considering leaving the party.",
        "“I’m not quitting,” said Maria Okafor.",
        "Maria Okafor left the meeting early.",
    ],
)
def test_events_no_resignation(events_nlp, text):
    assert not [e for e in events(events_nlp, text) if e["type"] == "resignation"]


# -- visits -------------------------------------------------------------------------------------
@pytest.mark.model
def test_events_visit_on_thursday_is_the_last_thursday(events_nlp):
    found = one(events_nlp, "Sarah Lindqvist visited Northam on Thursday.", "visit")
    assert (found["who"], found["date"]) == ("Sarah Lindqvist", date(2018, 5, 3))


@pytest.mark.model
def test_events_planned_visit_tomorrow(events_nlp):
    found = one(events_nlp, "Tom Varga was supposed to come here tomorrow for a speech.",
                "visit")
    assert (found["who"], found["date"]) == ("Tom Varga", date(2018, 5, 5))


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "“We want him to come to Northam,” said Maria Okafor of Tom Varga.",
        "“Every household we visited said no,” said Maria Okafor.",
    ],
)
def test_events_no_visit(events_nlp, text):
    assert not [e for e in events(events_nlp, text) if e["type"] == "visit"]


@pytest.mark.model
def test_events_coming_to_campaign_is_a_visit_not_a_campaign(events_nlp):
    assert kinds(events_nlp, "Tom Varga came here to campaign on Monday.") == {
        ("visit", "Tom Varga")}


# -- rulings, reviews, reports, votes, campaigns ------------------------------------------------
@pytest.mark.model
def test_events_ruling_on_a_member_is_the_party_s(events_nlp):
    text = ("Labour councillor Tom Varga was suspended in March.\n\n"
            "Members were angry at the ruling on Tom Varga.")
    assert ("ruling", "Labour Party") in kinds(events_nlp, text)


@pytest.mark.model
def test_events_review_ordered(events_nlp):
    text = "Sarah Lindqvist ordered a fresh review into the council's finances."
    assert ("review", "Sarah Lindqvist") in kinds(events_nlp, text)


@pytest.mark.model
def test_events_report_published(events_nlp):
    text = "The Electoral Commission published a report on the count."
    assert ("report", "Electoral Commission") in kinds(events_nlp, text)


@pytest.mark.model
def test_events_party_voted(events_nlp):
    assert ("vote", "Green Party") in kinds(events_nlp, "The Greens voted against the budget.")


@pytest.mark.model
def test_events_ran_a_campaign(events_nlp):
    text = "The Tories ran a relentlessly negative campaign."
    assert kinds(events_nlp, text) == {("campaign", "Conservative Party")}


# -- apology demands ----------------------------------------------------------------------------
@pytest.mark.model
def test_events_called_for_an_apology(events_nlp):
    text = "Maria Okafor called for Tom Varga to come to Northam to apologise."
    assert ("apology-demand", "Maria Okafor") in kinds(events_nlp, text)
    assert not [e for e in events(events_nlp, text) if e["type"] == "visit"]


@pytest.mark.model
def test_events_should_have_apologised_in_a_quote_is_the_speaker_s_demand(events_nlp):
    text = "Maria Okafor said: “He should have apologised.”"
    assert ("apology-demand", "Maria Okafor") in kinds(events_nlp, text)


@pytest.mark.model
def test_events_failed_to_apologise_is_no_demand(events_nlp):
    assert not [e for e in events(events_nlp, "Tom Varga has failed to apologise.")
                if e["type"] == "apology-demand"]


# -- public acts --------------------------------------------------------------------------------
@pytest.mark.model
def test_events_appeared_on_a_programme_this_morning(events_nlp):
    found = one(events_nlp, "Tom Varga appeared on the BBC this morning.", "other")
    assert (found["who"], found["date"]) == ("Tom Varga", FRIDAY)


@pytest.mark.model
def test_events_conceding_defeat(events_nlp):
    text = "Conceding defeat, Tom Varga told the BBC the result was fair."
    assert ("other", "Tom Varga") in kinds(events_nlp, text)


@pytest.mark.model
def test_events_public_row(events_nlp):
    text = "Tom Varga had a public row with Maria Okafor last week."
    found = one(events_nlp, text, "other")
    assert found["who"] == "Tom Varga"


# -- elections ----------------------------------------------------------------------------------
@pytest.mark.model
@pytest.mark.parametrize(
    "text, who",
    [
        ("Labour took control of Northam Council from the Tories.", "Labour Party"),
        ("Maria Okafor, a Green candidate, was elected in Eastfield ward.", "Maria Okafor"),
        ("The Eastfield ward was taken by the Tories' Peter Amadi from Labour.", "Peter Amadi"),
    ],
)
def test_events_election_from_results(events_nlp, text, who):
    assert ("election", who) in kinds(events_nlp, text)


@pytest.mark.model
def test_events_named_election_without_results(events_nlp):
    found = one(events_nlp, "Votes in the mayoral election are being counted today.",
                "election")
    assert (found["who"], found["date"]) == (None, FRIDAY)


@pytest.mark.model
def test_events_relative_dates_need_the_article_date(events_nlp):
    found = one(events_nlp, "Sarah Lindqvist visited Northam on Thursday.", "visit",
                when=None)
    assert (found["date"], found["precision"]) == (None, None)
    found = one(events_nlp, "Sarah Lindqvist visited Northam on 3 May 2018.", "visit",
                when=None)
    assert found["date"] == date(2018, 5, 3)


# -- every finding's evidence reproduces its text -----------------------------------------------
WORDS = st.sampled_from(
    ["Labour", "the Tories", "took", "control", "of", "Northam Council", "seats", "won", "lost",
     "14", "three", "in", "Eastfield ward", "was", "suspended", "visited", "on Thursday", ",",
     ".", "\n\n", "“", "”", "Maria Okafor", "a", "Green", "councillor", "former", "'s",
     "turnout", "per cent", "37.9", "resigned", "from", "the party", "called for", "apologise"]
)
TEXT = st.lists(st.one_of(WORDS, st.text(max_size=6)), max_size=30).map(" ".join)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT)
def test_events_roles_results_never_raise_and_spans_reproduce(blank_nlp, text):
    if not text.strip():
        return
    findings = extract_one(Article(id="h", text=text, source="h.txt", date=FRIDAY), blank_nlp)
    evidence = [m.evidence for m in findings.memberships]
    evidence += [r.evidence for r in findings.results]
    evidence += [e.evidence for e in findings.events]
    for item in evidence:
        assert 0 <= item.start <= item.end <= len(text)
        assert text[item.start : item.end] == item.text
        assert 0.0 <= item.confidence <= 1.0


@pytest.mark.model
def test_events_a_past_event_on_a_day_without_a_year_is_the_last_such_day(events_nlp):
    found = one(events_nlp, "Maria Okafor resigned as leader on 7 July.", "resignation",
                when=date(2021, 5, 7))
    assert found["date"] == date(2020, 7, 7)

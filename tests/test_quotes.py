"""Quotes and their speakers, on sentences written for the test (invented people)."""

from __future__ import annotations

import pytest

from polgraph.extract.pipeline import extract_one
from polgraph.extract.read import Article

pytestmark = pytest.mark.model


def statements(nlp, text: str):
    findings = extract_one(Article(id="t", text=text, source="t.txt"), nlp)
    names = {e.key: e.name for e in findings.entities}
    return [
        {
            "text": s.text,
            "direct": s.direct,
            "speaker": names.get(s.speaker) if s.speaker else None,
            "description": s.speaker_description,
            "medium": names.get(s.medium) if s.medium else None,
            "evidence": s.evidence,
        }
        for s in findings.statements
    ], text


def direct(nlp, text: str):
    found, _ = statements(nlp, text)
    return [s for s in found if s["direct"]]


@pytest.mark.parametrize(
    "text",
    [
        "Maria Okafor said: “We will win this ward.”",
        "“We will win this ward,” Maria Okafor said.",
        "“We will win this ward,” said Maria Okafor.",
        "Council leader Maria Okafor, a Green councillor, said: “We will win this ward.”",
        "Maria Okafor, the Labour MP for Northam, said: “We will win this ward.”",
    ],
)
def test_quotes_named_speaker_before_or_after(nlp, text):
    [quote] = direct(nlp, text)
    assert quote["text"].rstrip(".") == "We will win this ward"
    assert quote["speaker"] == "Maria Okafor"


def test_quotes_told_the_outlet_gives_the_medium(nlp):
    [quote] = direct(nlp, "Maria Okafor told the BBC: “We will win this ward.”")
    assert quote["speaker"] == "Maria Okafor"
    assert quote["medium"] == "BBC"


def test_quotes_wrote_on_twitter_gives_the_medium(nlp):
    [quote] = direct(nlp, "Maria Okafor wrote on Twitter: “We will win this ward.”")
    assert (quote["speaker"], quote["medium"]) == ("Maria Okafor", "Twitter")


def test_quotes_pronoun_resolves_to_the_only_candidate(nlp):
    quotes = direct(nlp, "Maria Okafor arrived late at the count.\n\nShe said: “It was close.”")
    assert quotes[0]["speaker"] == "Maria Okafor"


def test_quotes_pronoun_with_two_candidate_men_stays_unattributed(nlp):
    quotes = direct(nlp, "Tom Varga met Peter Lindqvist at the count. He said: “It was close.”")
    assert quotes[0]["speaker"] is None


def test_quotes_she_picks_the_woman_when_a_man_is_also_named(nlp):
    text = "Tom Varga and Sarah Lindqvist spoke at the count. She said: “It was close.”"
    assert direct(nlp, text)[0]["speaker"] == "Sarah Lindqvist"


def test_quotes_subject_wins_over_a_name_in_a_prepositional_phrase(nlp):
    text = ("Mr Varga had a public row with Peter Lindqvist last week. "
            "He told the BBC: “It is clear we lost.”")
    found = direct(nlp, "Tom Varga spoke first.\n\n" + text)
    assert found[0]["speaker"] == "Tom Varga"


def test_quotes_a_name_inside_the_quote_is_never_its_speaker(nlp):
    text = ("Tom Varga said the ruling was wrong.\n\n"
            "“The sanction given to Peter Lindqvist is a joke,” he said.")
    assert direct(nlp, text)[0]["speaker"] == "Tom Varga"


def test_quotes_with_no_speaker_anywhere_stay_unattributed(nlp):
    quotes = direct(nlp, "“Nothing will change,” the leaflet read.\n\n“Nothing at all.”")
    assert [q["text"] for q in quotes] == ["Nothing will change", "Nothing at all."]
    assert [q["speaker"] for q in quotes] == [None, None]


def test_quotes_quote_before_its_speaker_is_introduced(nlp):
    text = "“We did it,” said Asha Patel, who won the seat."
    assert direct(nlp, text)[0]["speaker"] == "Asha Patel"


def test_quotes_unnamed_source_keeps_its_description(nlp):
    [quote] = direct(nlp, "An unnamed Labour figure told the Daily Bugle: “He ignored us.”")
    assert quote["speaker"] is None
    assert quote["description"] == "An unnamed Labour figure"
    assert quote["medium"] == "Daily Bugle"


def test_quotes_spokesperson_is_unattributed_with_description(nlp):
    [quote] = direct(nlp, "“We are concerned,” a spokesperson for the group said.")
    assert quote["speaker"] is None
    assert quote["description"].startswith("a spokesperson")


def test_quotes_organisation_speaker(nlp):
    [quote] = direct(nlp, "The Green Party said: “This result is historic.”")
    assert quote["speaker"] == "Green Party"


def test_quotes_interrupted_quote_keeps_its_speaker(nlp):
    text = "“We will win,” Maria Okafor said. “We always do.”"
    assert [q["speaker"] for q in direct(nlp, text)] == ["Maria Okafor", "Maria Okafor"]


def test_quotes_paragraphs_carry_the_speaker_on(nlp):
    text = ("Maria Okafor told the BBC:\n\n“We knew this could happen.\n\n"
            "“People said they would stay at home.\n\n“But we will be back.”")
    quotes = direct(nlp, text)
    assert [q["speaker"] for q in quotes] == ["Maria Okafor"] * 3
    assert all(q["medium"] == "BBC" for q in quotes)


def test_quotes_single_word_quote_attributed_to_the_caller(nlp):
    [quote] = direct(nlp, "Tom Varga called the plan a “disgrace” on Monday.")
    assert (quote["text"], quote["speaker"]) == ("disgrace", "Tom Varga")


def test_quotes_claim_noun_owner_is_the_speaker(nlp):
    text = ("Voters blamed the result on Tom Varga, in particular his claim that the "
            "scheme was a “success”.")
    assert direct(nlp, text)[0]["speaker"] == "Tom Varga"


def test_quotes_outlet_that_reports_is_the_medium_not_the_speaker(nlp):
    text = ("The Green Party said the result showed “real progress,” the Daily Bugle reported.")
    [quote] = direct(nlp, text)
    assert quote["speaker"] == "Green Party"
    assert quote["medium"] == "Daily Bugle"


@pytest.mark.parametrize(
    "text, speaker, start",
    [
        ("Maria Okafor said that the council had failed its residents.", "Maria Okafor",
         "the council had failed"),
        ("Maria Okafor claimed the council had failed its residents.", "Maria Okafor",
         "the council had failed"),
        ("According to Maria Okafor, the council had failed its residents.", "Maria Okafor",
         "the council had failed"),
        ("Maria Okafor called for the leader to resign at once.", "Maria Okafor",
         "for the leader to resign"),
    ],
)
def test_quotes_reported_speech(nlp, text, speaker, start):
    found, _ = statements(nlp, text)
    reported = [s for s in found if not s["direct"]]
    assert reported, found
    assert reported[0]["speaker"] == speaker
    assert reported[0]["text"].startswith(start)


def test_quotes_parenthetical_cue_is_left_out_of_the_text(nlp):
    found, _ = statements(nlp, "Tom Varga spoke.\n\nThe win, he said, was a sign of change.")
    [reported] = [s for s in found if not s["direct"]]
    assert reported["text"] == "The win was a sign of change"
    assert reported["speaker"] == "Tom Varga"


def test_quotes_time_will_tell_is_not_reported_speech(nlp):
    found, _ = statements(nlp, "Time will tell if the party takes note of this.")
    assert found == []


def test_quotes_evidence_offsets_reproduce_the_text(nlp):
    found, text = statements(
        nlp, "Maria Okafor said: “We will win.” Tom Varga said that they would not.")
    for statement in found:
        evidence = statement["evidence"]
        assert text[evidence.start : evidence.end] == evidence.text


def test_quotes_passive_speech_verb_gives_the_quote_to_the_agent_not_the_subject(nlp):
    [quote] = direct(nlp, "Maria Okafor has been accused of “betraying” members by Tom Varga.")
    assert quote["speaker"] == "Tom Varga"


def test_quotes_passive_without_agent_is_unattributed(nlp):
    [quote] = direct(nlp, "Maria Okafor has been accused of “betraying” members.")
    assert quote["speaker"] is None


def test_quotes_told_that_reports_the_teller_not_the_addressee(nlp):
    found, _ = statements(nlp, "Maria Okafor was told that the seat had been lost.")
    assert found, "the reported statement itself is kept"
    assert [s["speaker"] for s in found] == [None] * len(found)


def test_quotes_apposition_names_the_speaker(nlp):
    [quote] = direct(nlp, "The Green leader, Maria Okafor, said: “We will be back.”")
    assert quote["speaker"] == "Maria Okafor"


def test_quotes_participle_shares_the_main_subject(nlp):
    [quote] = direct(nlp, "Tom Varga hit back at Maria Okafor, saying: “She has no plan.”")
    assert quote["speaker"] == "Tom Varga"


def test_quotes_quoted_as_saying_names_the_quoted_person(nlp):
    [quote] = direct(nlp, "The Daily Bugle quoted Tom Varga as saying: “I was misled.”")
    assert quote["speaker"] == "Tom Varga"

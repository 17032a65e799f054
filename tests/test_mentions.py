"""Entities and the forms an article uses for them (invented people)."""

from __future__ import annotations

import pytest

from polgraph.extract.pipeline import extract_one
from polgraph.extract.read import Article

pytestmark = pytest.mark.model


def entities(nlp, text: str) -> dict[str, tuple[str, tuple[str, ...], str]]:
    findings = extract_one(Article(id="t", text=text, source="t.txt"), nlp)
    return {e.name: (e.kind, e.aliases, e.scope) for e in findings.entities}


def test_mentions_surname_and_title_forms_resolve_to_the_full_name(nlp):
    found = entities(nlp, "Maria Okafor won the seat. Okafor thanked voters. "
                          "Ms Okafor said it was a long night.")
    kind, aliases, scope = found["Maria Okafor"]
    assert kind == "person" and scope == "global"
    assert {"Okafor", "Ms Okafor"} <= set(aliases)
    assert "Okafor" not in found


def test_mentions_first_name_alone_is_scoped_to_the_article(nlp):
    found = entities(nlp, "Mark, a 42-year-old teacher from Leeds, said he was angry.")
    assert found["Mark"] == ("person", (), "article")


def test_mentions_shared_surname_is_not_guessed(nlp):
    found = entities(nlp, "Tom Varga and Anna Varga both stood. Varga won.")
    assert "Varga" not in found["Tom Varga"][1]
    assert "Varga" not in found["Anna Varga"][1]


def test_mentions_photo_credit_is_not_a_person(nlp):
    found = entities(nlp, "Maria Okafor won.\n\nJonas Hallberg via Getty Images\n"
                          "Maria Okafor at the count")
    assert "Jonas Hallberg" not in found


def test_mentions_known_place_and_platform_are_not_people(nlp):
    found = entities(nlp, "Northam voted early. Maria Okafor wrote on Twitter that it was close.")
    assert found["Northam"][0] == "city"
    assert found["Twitter"][0] == "media"


def test_mentions_political_forms_give_kinds(nlp):
    found = entities(nlp, "The Tories took Eastfield ward and Kelby Council. "
                          "Maria Okafor, the Labour MP for Riverside North, spoke.")
    assert found["Conservative Party"][0] == "party"
    assert found["Eastfield"][0] == "ward"
    assert found["Kelby Council"][0] == "council"
    assert found["Riverside North"][0] == "constituency"


def test_mentions_sentence_initial_common_word_is_not_an_organisation(nlp):
    found = entities(nlp, "Maria Okafor won the seat in time.\n\nTime will tell if it lasts.")
    assert "Time" not in found


def test_mentions_bare_council_and_time_zone_are_not_entities(nlp):
    found = entities(nlp, "05/04/2017 19:09 BST\n\nCouncil leader Maria Okafor spoke.")
    assert "BST" not in found and "Council" not in found

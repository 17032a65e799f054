"""Memberships and roles, on sentences written for the test (invented people and places)."""

from __future__ import annotations

import pytest
from gazetteers import BBC, NORTHAM, PARTIES, P

from polgraph.extract.gazetteer import GazetteerEntry
from polgraph.extract.pipeline import extract_one
from polgraph.extract.read import Article

pytestmark = pytest.mark.model

#: The test gazetteer, plus a curated person whose party the graph gives.
ENTRIES = (
    *PARTIES, BBC, NORTHAM,
    GazetteerEntry("Oliver Quantrill", "person", P + "person/oliver-quantrill", (),
                   within="Green Party"),
)


@pytest.fixture(scope="module")
def roles_nlp():
    from polgraph.extract.pipeline import load_pipeline

    return load_pipeline("en_core_web_sm", ENTRIES)


def memberships(nlp, text: str) -> list[dict]:
    findings = extract_one(Article(id="t", text=text, source="t.txt"), nlp)
    names = {e.key: e.name for e in findings.entities}
    found = []
    for m in findings.memberships:
        assert text[m.evidence.start : m.evidence.end] == m.evidence.text
        assert 0 <= m.evidence.confidence <= 1 and m.evidence.extractor == "roles"
        found.append({"person": names[m.person], "party": names[m.organisation],
                      "role": m.role, "area": names.get(m.area), "former": m.former,
                      "suspended": m.suspended, "evidence": m.evidence.text})
    return found


def one(nlp, text: str, person: str) -> dict:
    found = [m for m in memberships(nlp, text) if m["person"] == person]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "text, person, party, role",
    [
        ("Labour MP Maria Okafor said the count was slow.", "Maria Okafor", "Labour Party",
         "MP"),
        ("Green councillor Tom Varga voted against the budget.", "Tom Varga", "Green Party",
         "councillor"),
        ("Tory leader Sarah Lindqvist thanked the volunteers.", "Sarah Lindqvist",
         "Conservative Party", "leader"),
        ("Senior Conservative backbencher Peter Amadi resigned on Monday.", "Peter Amadi",
         "Conservative Party", "backbencher"),
    ],
)
def test_roles_premodifier(roles_nlp, text, person, party, role):
    found = one(roles_nlp, text, person)
    assert (found["party"], found["role"], found["former"]) == (party, role, False)
    assert found["evidence"].endswith(person)


def test_roles_apposition_with_area(roles_nlp):
    text = "Maria Okafor, the Labour MP for Northam, spoke to the BBC."
    found = one(roles_nlp, text, "Maria Okafor")
    assert (found["party"], found["role"], found["area"]) == ("Labour Party", "MP", "Northam")
    assert found["evidence"] == "Maria Okafor, the Labour MP for Northam"


def test_roles_council_leader_apposition_gives_the_party_post(roles_nlp):
    text = "Council leader Tom Varga, a Conservative councillor, said the result was clear."
    [found] = memberships(roles_nlp, text)
    assert (found["person"], found["party"], found["role"]) == (
        "Tom Varga", "Conservative Party", "councillor")


def test_roles_apposition_bare_party(roles_nlp):
    found = one(roles_nlp, "Tom Varga, a Conservative, won the seat.", "Tom Varga")
    assert found["party"] == "Conservative Party"


@pytest.mark.parametrize(
    "text, person, party",
    [
        ("The seat was won by Labour's Maria Okafor.", "Maria Okafor", "Labour Party"),
        ("The ward went to the Tories' Peter Amadi after a recount.", "Peter Amadi",
         "Conservative Party"),
    ],
)
def test_roles_possessive(roles_nlp, text, person, party):
    assert one(roles_nlp, text, person)["party"] == party


def test_roles_possessive_list_of_new_councillors(roles_nlp):
    text = "The Greens' newly elected councillors include Maria Okafor and Tom Varga."
    found = memberships(roles_nlp, text)
    assert {(m["person"], m["party"], m["role"]) for m in found} == {
        ("Maria Okafor", "Green Party", "councillor"),
        ("Tom Varga", "Green Party", "councillor"),
    }


def test_roles_former_before_the_party_makes_the_membership_former(roles_nlp):
    found = one(roles_nlp, "A former Labour councillor, Tom Varga, now runs a bakery.\n\n"
                           "Former Labour councillor Maria Okafor said she was sad.",
                "Maria Okafor")
    assert (found["party"], found["former"], found["role"]) == ("Labour Party", True,
                                                               "councillor")


def test_roles_former_after_the_party_is_a_former_post_of_a_member(roles_nlp):
    text = "The council's Conservative former leader Peter Amadi conceded defeat."
    found = one(roles_nlp, text, "Peter Amadi")
    assert (found["party"], found["former"], found["role"]) == (
        "Conservative Party", False, "former leader")


def test_roles_copula(roles_nlp):
    found = one(roles_nlp, "Sarah Lindqvist is a Green councillor in Northam.",
                "Sarah Lindqvist")
    assert (found["party"], found["role"]) == ("Green Party", "councillor")


def test_roles_sits_as_an_independent_gives_no_party(roles_nlp):
    text = ("Tom Varga, who sits as an independent, spoke first. "
            "The Labour group leader Maria Okafor replied.")
    assert [m for m in memberships(roles_nlp, text) if m["person"] == "Tom Varga"] == []


def test_roles_suspended_member_is_still_a_member(roles_nlp):
    text = "Tom Varga was suspended from the Labour Party on Tuesday."
    found = one(roles_nlp, text, "Tom Varga")
    assert (found["party"], found["suspended"], found["former"]) == (
        "Labour Party", True, False)


def test_roles_suspension_noun_takes_the_party_of_the_sentence(roles_nlp):
    text = "Labour members are angry at Tom Varga's suspension."
    found = one(roles_nlp, text, "Tom Varga")
    assert (found["party"], found["suspended"]) == ("Labour Party", True)


def test_roles_spared_expulsion_is_no_suspension(roles_nlp):
    text = "Tom Varga was spared expulsion by the Greens."
    assert all(not m["suspended"] for m in memberships(roles_nlp, text))


def test_roles_defected_and_quit(roles_nlp):
    text = "Peter Amadi defected to the Greens from Labour last year."
    found = {(m["party"], m["former"]) for m in memberships(roles_nlp, text)}
    assert found == {("Green Party", False), ("Labour Party", True)}


def test_roles_the_party_leader_resolves_to_the_named_person(roles_nlp):
    text = ("Sarah Lindqvist visited the ward on Monday.\n\n"
            "In a statement, the Green leader said the visit had gone well.")
    found = one(roles_nlp, text, "Sarah Lindqvist")
    assert (found["party"], found["role"]) == ("Green Party", "leader")


def test_roles_party_under_a_leader(roles_nlp):
    text = "The result shows that the Greens under Sarah Lindqvist are growing."
    found = one(roles_nlp, text, "Sarah Lindqvist")
    assert (found["party"], found["role"]) == ("Green Party", "leader")


def test_roles_own_words_resigning_membership(roles_nlp):
    text = ("Many Labour members are angry.\n\n"
            "“Resigning my membership. I am done,” said Maria Okafor.")
    found = one(roles_nlp, text, "Maria Okafor")
    assert (found["party"], found["former"]) == ("Labour Party", True)


def test_roles_shadow_role_without_a_named_party_invents_none(roles_nlp):
    text = ("The Tories and Labour both lost votes. "
            "Shadow Chancellor Tom Varga said it had been a difficult night.")
    assert [m for m in memberships(roles_nlp, text) if m["person"] == "Tom Varga"] == []


def test_roles_party_role_takes_the_curated_party(roles_nlp):
    # The curated graph puts the person in a party the article names.
    text = ("The Tories, Labour and the Greens all lost votes. "
            "Shadow Chancellor Oliver Quantrill said it had been a difficult night.")
    found = one(roles_nlp, text, "Oliver Quantrill")
    assert (found["party"], found["role"]) == ("Green Party", "Shadow Chancellor")


def test_roles_party_role_in_an_article_naming_one_party(roles_nlp):
    text = ("Labour members were urged to stay.\n\n"
            "“Do not walk away,” the party leader Tom Varga said.")
    found = one(roles_nlp, text, "Tom Varga")
    assert (found["party"], found["role"]) == ("Labour Party", "party leader")
    assert found["evidence"] == "party leader Tom Varga"


def test_roles_a_public_office_never_takes_the_article_s_only_party(roles_nlp):
    # Any party's member (or none) may be an MP: the article's only party is not hers.
    text = ("Labour members were urged to stay.\n\n"
            "“Do not walk away,” MP Tom Varga said.")
    assert [m for m in memberships(roles_nlp, text) if m["person"] == "Tom Varga"] == []


def test_roles_a_public_office_takes_the_curated_party(roles_nlp):
    text = ("Labour and the Greens were urged to talk.\n\n"
            "“Do not walk away,” MP Oliver Quantrill said.")
    assert one(roles_nlp, text, "Oliver Quantrill")["party"] == "Green Party"


@pytest.mark.parametrize(
    "text",
    [
        "Former London mayor Tom Varga spoke at the rally.",  # a post, no party
        "Tom Varga, a Labour supporter, spoke at the rally.",  # supporter is no member
        "Tom Varga hopes to join the Greens.",  # a hope, not a membership
        "Labour List reported that Tom Varga had spoken.",  # an outlet, not the party
        "Council leader Tom Varga opened the new library.",  # a council post, no party
    ],
)
def test_roles_no_membership(roles_nlp, text):
    assert [m for m in memberships(roles_nlp, text) if m["person"] == "Tom Varga"] == []


def test_roles_name_in_apposition_to_the_role(roles_nlp):
    text = "The Green candidate, Maria Okafor, won by twelve votes."
    found = one(roles_nlp, text, "Maria Okafor")
    assert (found["party"], found["role"]) == ("Green Party", "candidate")


def test_roles_plural_title_covers_both_names(roles_nlp):
    text = "Labour MPs Maria Okafor and Tom Varga signed the letter."
    found = memberships(roles_nlp, text)
    assert {(m["person"], m["party"], m["role"]) for m in found} == {
        ("Maria Okafor", "Labour Party", "MP"), ("Tom Varga", "Labour Party", "MP")}


def test_roles_an_inferred_party_gives_way_to_a_stated_one(roles_nlp):
    text = ("Labour MP Tom Varga attacked the plan.\n\n"
            "In a statement, the Green leader said the plan was fair.")
    found = memberships(roles_nlp, text)
    assert {(m["person"], m["party"]) for m in found} == {("Tom Varga", "Labour Party")}


def test_roles_singular_title_covers_only_the_first_name(roles_nlp):
    text = "Labour MP Maria Okafor and Tom Varga signed the letter."
    found = memberships(roles_nlp, text)
    assert {(m["person"], m["party"]) for m in found} == {("Maria Okafor", "Labour Party")}

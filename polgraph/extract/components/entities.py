"""``polgraph_gazetteer``: an entity ruler built from the hand-written graph.

Known entities (curated names and aliases) are labelled before the statistical NER runs, so
"Tories" is the Conservative Party and "Twitter" a platform, never a person. Patterns for
political forms ("X Council", "X ward", "X constituency") label entities nobody curated.
Labels are entity kinds in upper case (``PARTY``, ``COUNCIL_AREA``…); a pattern's ``id`` is
the curated entity's IRI.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.pipeline import EntityRuler

from polgraph.extract.gazetteer import GazetteerEntry

_DETERMINERS = ["the", "a", "an", "this", "that", "his", "her", "their", "its", "our", "my"]
_NAME_TOKEN = {"IS_TITLE": True, "LOWER": {"NOT_IN": _DETERMINERS}}


def kind_label(kind: str) -> str:
    """``"council-area"`` → ``"COUNCIL_AREA"``."""
    return kind.upper().replace("-", "_")


def label_kind(label: str) -> str:
    """``"COUNCIL_AREA"`` → ``"council-area"``."""
    return label.lower().replace("_", "-")


#: Forms that mark an entity's kind whatever its name.
FORM_PATTERNS: list[dict] = [
    {"label": "COUNCIL", "pattern": [_NAME_TOKEN, {"IS_TITLE": True, "OP": "*"},
                                     {"LOWER": {"IN": ["council", "borough"]}, "IS_TITLE": True},
                                     {"LOWER": "council", "OP": "?"}]},
    {"label": "COUNCIL", "pattern": [{"LOWER": {"IN": ["city", "county", "borough", "district"]},
                                      "IS_TITLE": True}, {"LOWER": "council"}]},
    {"label": "WARD", "pattern": [_NAME_TOKEN, {"IS_TITLE": True, "OP": "*"}, {"LOWER": "ward"}]},
    {"label": "CONSTITUENCY", "pattern": [_NAME_TOKEN, {"IS_TITLE": True, "OP": "*"},
                                          {"LOWER": "constituency"}]},
]


def gazetteer_patterns(entries: Iterable[GazetteerEntry | dict]) -> list[dict]:
    """Entity-ruler phrase patterns for every name and alias of the curated entities."""
    patterns: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for entry in entries:
        if isinstance(entry, dict):
            entry = GazetteerEntry(**{**entry, "aliases": tuple(entry.get("aliases", ()))})
        for form in (entry.name, *entry.aliases):
            form = form.strip()
            if not form or (form, entry.iri) in seen:
                continue
            # A lower-case alias ("the party") is too vague to label on its own.
            if form[0].islower() and not form.lower().startswith("the "):
                continue
            seen.add((form, entry.iri))
            patterns.append({"label": kind_label(entry.kind), "pattern": form, "id": entry.iri})
    return patterns


@Language.factory(
    "polgraph_gazetteer",
    default_config={"entries": [], "forms": True},
    assigns=["doc.ents"],
)
def make_gazetteer(nlp: Language, name: str, entries: list[dict], forms: bool) -> EntityRuler:
    """An EntityRuler labelling curated entities (and political forms) before NER."""
    ruler = EntityRuler(nlp, name=name, overwrite_ents=True, phrase_matcher_attr="ORTH")
    patterns = gazetteer_patterns(entries)
    if forms:
        patterns = patterns + FORM_PATTERNS
    if patterns:
        ruler.add_patterns(patterns)
    return ruler

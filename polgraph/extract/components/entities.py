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
from spacy.tokens import Doc, Span

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


# -- curated entities through the statistical NER ------------------------------------------------
# spaCy's NER keeps the entities already on the Doc, but it first adds every label it does not
# know (PARTY, COUNCIL, WARD…) to its transition system and widens its output layer with
# classes it never scores (spaCy marks them unseen): the same entities come out, every later
# Doc costs more. Between the two components below the NER sees those entities under a label
# it knows; its choices are the same, since a label only decides which action a preset token
# must take, and the labels come back after it.

_HIDDEN = "polgraph_hidden_labels"


class HideUnknownLabels:
    """``polgraph_hide_labels``, before the NER: entities with a label the NER does not know
    get a label it does know (remembered on the Doc)."""

    def __init__(self, nlp: Language, ner: str) -> None:
        self.known = set(nlp.get_pipe(ner).labels) if nlp.has_pipe(ner) else set()
        self.stand_in = "ORG" if "ORG" in self.known else min(self.known, default="")

    def __call__(self, doc: Doc) -> Doc:
        hidden = [(ent.start, ent.end, ent.label_) for ent in doc.ents
                  if ent.label_ not in self.known]
        if hidden and self.stand_in:
            doc.user_data[_HIDDEN] = hidden
            _relabel(doc, [(start, end, self.stand_in) for start, end, _ in hidden])
        return doc


def restore_labels(doc: Doc) -> Doc:
    """``polgraph_restore_labels``, after the NER: the hidden labels back."""
    hidden = doc.user_data.pop(_HIDDEN, None)
    if hidden:
        _relabel(doc, hidden)
    return doc


def _relabel(doc: Doc, spans: list[tuple[int, int, str]]) -> None:
    """Give entities new labels, keeping everything else about them and the other tokens."""
    kb_ids = {ent.start: ent.kb_id for ent in doc.ents}
    doc.set_ents([Span(doc, start, end, label=label, kb_id=kb_ids.get(start, 0))
                  for start, end, label in spans], default="unmodified")


@Language.factory("polgraph_hide_labels", default_config={"ner": "ner"},
                  assigns=["doc.ents"])
def make_hide_labels(nlp: Language, name: str, ner: str) -> HideUnknownLabels:
    return HideUnknownLabels(nlp, ner)


Language.component("polgraph_restore_labels", assigns=["doc.ents"], func=restore_labels)

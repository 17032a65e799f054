"""Who "he", "she", "the party" or "the campaigner" refers to, decided conservatively.

Looking back sentence by sentence (the current one first, then up to three before it, across
paragraph breaks, skipping photo-credit lines), the first sentence with a compatible
candidate decides: its speaker or grammatical subject wins when every other candidate there
is only in an oblique position ("had a row *with Mr Livingstone*"); a lone candidate wins;
anything else is ambiguous and resolves to nothing. Precision first: a quote left
unattributed is better than one given to the wrong person.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from polgraph.extract import lexicon
from polgraph.extract.components.doc_state import entities_of, entity_at, mention_spans
from polgraph.extract.components.mentions import is_credit_line

_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
_OBLIQUE_DEPS = {"pobj", "poss", "agent", "npadvmod", "compound"}
_PERSON_KINDS = {"person"}
_ORG_KINDS = {"party", "council", "party-body", "media", "community-group", "parliament",
              "government", "organisation"}


def pronoun_gender(word: str) -> str | None:
    word = word.lower()
    if word in lexicon.MALE_PRONOUNS:
        return "male"
    if word in lexicon.FEMALE_PRONOUNS:
        return "female"
    return None


def _role(token: Token) -> str:
    """Is the mention's head a subject, an oblique, or a core object?

    A mention that only modifies another noun ("*Labour* MP John Mann") is oblique.
    """
    if token.dep_ in {"compound", "amod", "nmod", "poss"} and token.head.pos_ in {"PROPN", "NOUN"}:
        return "oblique"
    head = token
    while head.dep_ in {"compound", "flat", "appos"} and head.head is not head:
        head = head.head
    if head.dep_ in _SUBJECT_DEPS:
        return "subject"
    if head.dep_ in _OBLIQUE_DEPS or (head.dep_ == "conj" and head.head.dep_ in _OBLIQUE_DEPS):
        return "oblique"
    return "core"


class Salience:
    """Resolves anaphoric speakers in one document; remembers who spoke in each sentence."""

    def __init__(self, doc: Doc, quoted: list[tuple[int, int]] = ()) -> None:
        self.doc = doc
        self.quoted = list(quoted)  # the speakers' own words: their names are not antecedents
        self.sentences = list(doc.sents)
        self.speakers: dict[int, str] = {}  # sentence start token → speaker key
        self.records = entities_of(doc)

    def sentence_index(self, token: Token) -> int:
        for n, sent in enumerate(self.sentences):
            if sent.start <= token.i < sent.end:
                return n
        return len(self.sentences) - 1

    def note_speaker(self, sentence: Span, key: str) -> None:
        self.speakers.setdefault(sentence.start, key)

    def _candidates(self, start: int, end: int, sentence: Span, kinds: set[str]):
        found: dict[str, str] = {}
        for span in mention_spans(self.doc):
            if span.start < start or span.end > end:
                continue
            if any(q_start <= span.start_char < q_end for q_start, q_end in self.quoted):
                continue
            record = self.records.get(span.kb_id_)
            if record is None or record.kind not in kinds:
                continue
            role = _role(span.root)
            previous = found.get(record.key)
            if previous != "subject":
                found[record.key] = role if previous != "core" or role == "subject" else previous
        speaker = self.speakers.get(sentence.start)
        if speaker and self.records.get(speaker) and self.records[speaker].kind in kinds:
            found[speaker] = "subject"
        return found

    def _subject_pronoun(self, start: int, end: int, gender: str | None) -> Token | None:
        """A compatible "he"/"she" subject in the stretch: the referent carries on."""
        for token in self.doc[start:end]:
            if any(q_start <= token.idx < q_end for q_start, q_end in self.quoted):
                continue
            if token.dep_ in _SUBJECT_DEPS and token.lower_ in {"he", "she"} and (
                    gender is None or pronoun_gender(token.lower_) == gender):
                return token
        return None

    def resolve(self, anaphor: Token, kinds: set[str] | None = None,
                gender: str | None = None, depth: int = 0) -> str | None:
        """The entity key ``anaphor`` refers to, or None when that is not certain."""
        kinds = kinds or _PERSON_KINDS
        index = self.sentence_index(anaphor)
        looked = 0
        for n in range(index, -1, -1):
            sentence = self.sentences[n]
            if n != index and is_credit_line(self.doc, sentence):
                continue
            end = anaphor.i if n == index else sentence.end
            found = self._candidates(sentence.start, end, sentence, kinds)
            if gender:
                found = {k: r for k, r in found.items()
                         if self.records[k].gender in (None, gender)}
            if kinds == _PERSON_KINDS and depth < 3:
                pronoun = self._subject_pronoun(sentence.start, end, gender)
                if pronoun is not None and pronoun.i != anaphor.i and (
                        not found or all(role != "subject" for role in found.values())):
                    # "He spent his time talking about X. He called …": the subject pronoun
                    # carries the referent on; X, an oblique, is not it.
                    return self.resolve(pronoun, kinds, gender, depth + 1)
            if found:
                return _decide(found)
            looked += 1 if n != index else 0
            if looked >= 3:
                break
        return None


def _decide(found: dict[str, str]) -> str | None:
    if len(found) == 1:
        return next(iter(found))
    subjects = [k for k, role in found.items() if role == "subject"]
    others = [role for k, role in found.items() if role != "subject"]
    if len(subjects) == 1 and all(role == "oblique" for role in others):
        return subjects[0]
    return None


def anaphor_kinds(token: Token) -> tuple[set[str], str | None] | None:
    """If ``token`` heads an anaphoric speaker ("he", "she", "the party", "the campaigner"),
    the kinds of entity it can refer to and its gender."""
    lower = token.lower_
    if lower in {"he", "she", "his", "her"}:
        return _PERSON_KINDS, pronoun_gender(lower)
    determiners = [c.lower_ for c in token.children if c.dep_ == "det"]
    if determiners not in (["the"], ["this"]) or token.ent_type_ or token.pos_ not in {"NOUN"}:
        return None
    if lower in {"party"}:
        return {"party"}, None
    if lower in {"group", "organisation", "organization", "movement", "union", "council",
                 "campaign", "charity", "body"}:
        return _ORG_KINDS, None
    if lower in {"leader", "campaigner", "activist", "mp", "councillor", "minister",
                 "chancellor", "secretary", "chair", "chairman", "chairwoman", "spokesman",
                 "spokeswoman", "mayor", "candidate", "politician", "peer", "member",
                 "veteran", "former", "senator", "president", "director"}:
        gender = "male" if lower in {"chairman", "spokesman"} else (
            "female" if lower in {"chairwoman", "spokeswoman"} else None)
        return _PERSON_KINDS, gender
    return None


def entity_of_head(token: Token) -> str | None:
    """The entity a noun phrase headed by ``token`` names (its head inside a mention)."""
    return entity_at(token.doc, token)

"""``polgraph_mentions``: which entities an article mentions, and every form it uses.

Turns entity spans (curated, political forms, statistical NER) into one record per entity:
kinds are normalised, titles and possessives dropped, photo credits and bylines ignored, and
within the article a surname or title form ("Livingstone", "Mr Mann") or a lone first name
("Ken") resolves to the full name it shares with exactly one person; otherwise it stays a
person of its own, scoped to the article when it is only a first name.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from polgraph.extract import lexicon
from polgraph.extract.components.doc_state import (
    MENTIONS,
    EntityRecord,
    doc_text,
    entities_of,
    invalidate_index,
    tokens_with,
)
from polgraph.extract.components.entities import label_kind
from polgraph.extract.findings import ENTITY_KINDS

_NER_KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place",
              "FAC": "place"}
_KIND_SUFFIXES = {"ward": "ward", "constituency": "constituency"}
_OFFICE_FOR = {"mp": "constituency", "msp": "constituency", "ms": "constituency",
               "am": "constituency", "councillor": "ward", "cllr": "ward"}
_HONORIFICS = {"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady", "cllr",
               "councillor", "baroness"}
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
#: How many tokenized name forms the component keeps for its per-article phrase matcher.
_PATTERNS_KEPT = 2_000


def _strip_possessive(text: str) -> str:
    return _POSSESSIVE.sub("", text).strip()


def strip_titles(name: str) -> tuple[str, list[str]]:
    """``"Sir Keir Starmer"`` → (``"Keir Starmer"``, ``["sir"]``)."""
    words = name.split()
    titles = []
    while len(words) > 1 and words[0].lower().rstrip(".") in lexicon.TITLES:
        titles.append(words.pop(0).lower().rstrip("."))
    return " ".join(words), titles


def is_credit_line(doc: Doc, span: Span) -> bool:
    """Is the span on a line that credits a photograph or an author?"""
    text = doc_text(doc)
    start = text.rfind("\n", 0, span.start_char) + 1
    end = text.find("\n", span.end_char)
    line = text[start : end if end != -1 else len(text)].strip().lower()
    if any(marker in line for marker in lexicon.CREDIT_MARKERS):
        return True
    return line.startswith(lexicon.CREDIT_PREFIXES) and len(line.split()) <= 8


def _looks_like_name(text: str) -> bool:
    words = text.split()
    if not words or len(words) > 5 or any(ch.isdigit() for ch in text):
        return False
    if all(w.lower().rstrip(".") in lexicon.TITLES for w in words):
        return False  # "Councillor" alone names nobody
    return all(w[0].isupper() or w.lower() in {"de", "van", "von", "der", "al", "bin", "la"}
               for w in words)


def gender_of(first_name: str, titles: list[str]) -> str | None:
    if any(t in lexicon.MALE_TITLES for t in titles):
        return "male"
    if any(t in lexicon.FEMALE_TITLES for t in titles):
        return "female"
    first = first_name.lower()
    if first in lexicon.MALE_NAMES and first not in lexicon.FEMALE_NAMES:
        return "male"
    if first in lexicon.FEMALE_NAMES and first not in lexicon.MALE_NAMES:
        return "female"
    return None


class MentionResolver:
    """The ``polgraph_mentions`` component."""

    def __init__(self, nlp: Language, entries: list[dict]) -> None:
        self.known = {entry["iri"]: entry for entry in entries}
        self.office_matcher = Matcher(nlp.vocab)
        self.office_matcher.add(
            "OFFICE_FOR",
            [[{"LOWER": {"IN": sorted(_OFFICE_FOR)}}, {"LOWER": "for"},
              {"IS_TITLE": True, "OP": "+"}]],
            greedy="LONGEST",
        )
        self.tokenizer = nlp.tokenizer
        self.patterns: dict[str, Doc] = {}
        given = sorted({n.title() for n in lexicon.MALE_NAMES | lexicon.FEMALE_NAMES})
        self.name_matcher = Matcher(nlp.vocab)
        self.name_matcher.add(
            "GIVEN_NAME_SURNAME",
            [[{"ORTH": {"IN": given}}, {"IS_TITLE": True, "IS_SENT_START": False,
                                        "LOWER": {"NOT_IN": sorted(lexicon.TITLES)}}]],
            greedy="LONGEST",
        )

    def _pattern(self, form: str) -> Doc:
        """The tokenized form, as a phrase pattern (kept: the same names recur)."""
        pattern = self.patterns.get(form)
        if pattern is None:
            if len(self.patterns) >= _PATTERNS_KEPT:
                self.patterns.clear()
            pattern = self.patterns[form] = self.tokenizer(form)
        return pattern

    # -- step 1: candidate spans with kinds ---------------------------------------------
    def _candidates(self, doc: Doc) -> list[tuple[Span, str, str | None]]:
        found: list[tuple[Span, str, str | None]] = []
        for ent in doc.ents:
            kind = label_kind(ent.label_)
            known = ent.ent_id_ or None
            if kind not in ENTITY_KINDS:
                kind = _NER_KINDS.get(ent.label_)
                known = None
            if kind is None:
                continue
            before = doc[ent.start - 1] if ent.start > 0 else None
            if kind != "person" and not known and before is not None and \
                    before.lower_.rstrip(".") in _HONORIFICS:
                # "Mr Velleman" is a person, whatever NER called "Velleman".
                ent, kind = doc[ent.start - 1 : ent.end], "person"
            found.append((ent, kind, known))
        # "MP for X", "councillor for X": X is a constituency or a ward, whatever NER said.
        overrides = []
        for _, start, end in self.office_matcher(doc):
            office = doc[start].lower_
            place = doc[start + 2 : end]
            while len(place) > 1 and place[-1].lower_ in {"and", "&"}:
                place = place[:-1]
            overrides.append((place, _OFFICE_FOR[office]))
        for place, kind in overrides:
            found = [c for c in found if not _overlaps(c[0], place) or c[2]]
            if not any(_overlaps(c[0], place) for c in found):
                found.append((place, kind, None))
        # "the seat in Rosmouth Green", "the ward of Elm Park": where a seat is, is a place,
        # whatever NER called it, and a party's name that ends it ("… Green") is no party.
        for place, kind in _seat_places(doc, found, self.known):
            found = [c for c in found if not _overlaps(c[0], place)]
            found.append((place, kind, None))
        # "LBC’s Iain Dale": a common given name and a capitalised word that NER missed.
        for _, start, end in self.name_matcher(doc):
            span = doc[start:end]
            if span[-1].pos_ not in {"PROPN", ""} or any(_overlaps(c[0], span) for c in found):
                continue
            found.append((span, "person", None))
        return found

    def __call__(self, doc: Doc) -> Doc:
        records = entities_of(doc)
        candidates = self._candidates(doc)
        others = {_strip_possessive(span.text): kind for span, kind, known in candidates
                  if kind != "person"}
        # "Mr Velleman" later in the text makes "Liron Velleman" a person, whatever NER said.
        titled = {strip_titles(_strip_possessive(span.text))[0]
                  for span, kind, _ in candidates
                  if kind == "person" and strip_titles(_strip_possessive(span.text))[1]}
        person_spans = []
        for span, kind, known in candidates:
            if kind != "person" and not (known is None and _personal_name(span.text, titled)):
                continue
            if known is None and (is_credit_line(doc, span) or not _looks_like_name(
                    _strip_possessive(span.text))):
                continue
            name, titles = strip_titles(_strip_possessive(span.text))
            person_spans.append((span, name, titles, known))
        mentions, full = self._resolve_people(doc, records, person_spans, others)
        for span, kind, known in candidates:
            if kind == "person" or (known is None and _personal_name(span.text, titled)):
                continue
            text = _strip_possessive(span.text)
            if not known and text in full:
                # NER called a known person's name a place or an organisation.
                mentions.append(self._mention(doc, span, full[text]))
                continue
            record = self._record_for(records, span, kind, known)
            if record is not None:
                mentions.append(self._mention(doc, span, record))
        mentions.extend(self._rescan_aliases(doc, records, mentions))
        doc.spans[MENTIONS] = sorted(filter_spans(mentions), key=lambda s: s.start)
        invalidate_index(doc)
        return doc

    # -- non-person entities -------------------------------------------------------------
    def _record_for(self, records, span: Span, kind: str, known: str | None):
        text = _strip_possessive(span.text)
        if not known and (_common_word_at_sentence_start(span) or text.upper() in _TIME_ZONES
                          or text.lower() in _GENERIC_BODIES):
            return None
        if known and known in self.known:
            entry = self.known[known]
            kind, name = entry["kind"], entry["name"]
        else:
            if not text or not text[0].isupper() and not text.lower().startswith("the "):
                return None
            words = text.split()
            if words[0].lower() == "the" and len(words) > 1:
                words = words[1:]
            if len(words) > 1 and words[-1].lower() in _KIND_SUFFIXES:
                kind = _KIND_SUFFIXES[words[-1].lower()]
                words = words[:-1]
            name = " ".join(words)
            if kind == "organisation":
                kind = self._organisation_kind(name, records)
            if not _looks_like_name(name) and kind != "organisation":
                return None
        key = f"{kind}:{name}"
        record = records.get(key)
        if record is None:
            record = records[key] = EntityRecord(key=key, kind=kind, name=name, known_iri=known)
        return record

    def _organisation_kind(self, name: str, records) -> str:
        words = name.split()
        lower = [w.lower() for w in words]
        if lower[-1] == "council":
            return "council"
        if lower[-1] in lexicon.MEDIA_HEADS or lower[0] in lexicon.PLATFORM_WORDS:
            return "media"
        party_forms = {
            form.lower()
            for entry in self.known.values()
            if entry["kind"] == "party"
            for form in (entry["name"], *entry.get("aliases", ()))
        }
        if len(words) > 1 and lower[-1] in party_forms:
            return "party-body"
        return "organisation"

    def _mention(self, doc: Doc, span: Span, record: EntityRecord) -> Span:
        form = _strip_possessive(span.text)
        if form and form != record.name:
            record.aliases.add(form)
        record.spans.append((span.start_char, span.end_char))
        return Span(doc, span.start, span.end, label=record.kind, kb_id=record.key)

    # -- people --------------------------------------------------------------------------
    def _resolve_people(self, doc, records, person_spans, others):
        """Mentions of people, and the table of forms that name a full-named person."""
        mentions: list[Span] = []
        full: dict[str, EntityRecord] = {}
        # Full names first (in any order: a quote may come before its speaker is introduced).
        for span, name, titles, known in person_spans:
            if known and known in self.known:
                entry = self.known[known]
                record = self._person(records, entry["name"], known=known)
            elif len(name.split()) >= 2:
                record = self._person(records, name)
            else:
                continue
            record.gender = record.gender or gender_of(record.name.split()[0], titles)
            full[record.name] = record
            mentions.append(self._mention(doc, span, record))
        forms = _short_forms(full)
        for span, name, titles, known in person_spans:
            if known or len(name.split()) >= 2:
                continue
            record = forms.get(name)
            if record is None:
                if not titles and not _plausible_lone_name(span, name, others):
                    continue
                # Only a first name or a surname: a person of this article alone.
                record = self._person(records, name, scope="article")
                record.gender = record.gender or gender_of(name if not titles else "", titles)
            elif titles and record.gender is None:
                record.gender = gender_of("", titles)
            mentions.append(self._mention(doc, span, record))
        table = dict(forms)
        table.update(full)
        return mentions, table

    @staticmethod
    def _person(records, name: str, known: str | None = None, scope: str = "global"):
        key = f"person:{name}"
        record = records.get(key)
        if record is None:
            record = records[key] = EntityRecord(
                key=key, kind="person", name=name, known_iri=known, scope=scope
            )
        return record

    def _rescan_aliases(self, doc: Doc, records, mentions: list[Span]) -> list[Span]:
        """Find further mentions of known people that NER missed or mislabelled."""
        matcher = PhraseMatcher(doc.vocab, attr="ORTH")
        forms: dict[str, EntityRecord] = {}
        for record in records.values():
            if record.kind != "person":
                continue
            names = {record.name, *record.aliases}
            if record.scope == "global" and len(record.name.split()) > 1:
                names.add(record.name.split()[-1])
            for form in names:
                if form in forms and forms[form] is not record:
                    forms[form] = None  # ambiguous form: leave it
                else:
                    forms[form] = record
        for form, record in forms.items():
            if record is not None:
                matcher.add(form, [self._pattern(form)])
        covered = {i for span in mentions for i in range(span.start, span.end)}
        long_ents = {i for ent in doc.ents if len(ent) > 1 and ent.label_ != "PERSON"
                     for i in range(ent.start, ent.end)}
        extra = []
        for match_id, start, end in matcher(doc):
            if any(i in covered or i in long_ents for i in range(start, end)):
                continue
            span = doc[start:end]
            if not span.text[0].isupper() or is_credit_line(doc, span):
                continue
            record = forms[doc.vocab.strings[match_id]]
            extra.append(self._mention(doc, span, record))
            covered.update(range(start, end))
        return extra


def _short_forms(full: dict[str, EntityRecord]) -> dict[str, EntityRecord]:
    """Surnames and first names that name exactly one full-named person of the article.

    A surname shared by two people, or a first name shared by two, names nobody.
    """
    forms: dict[str, EntityRecord | None] = {}
    for position in (-1, 0):
        claimed: dict[str, EntityRecord | None] = {}
        for record in full.values():
            word = record.name.split()[position]
            claimed[word] = None if word in claimed and claimed[word] is not record else record
        for word, record in claimed.items():
            if word not in forms:
                forms[word] = record
    return {word: record for word, record in forms.items() if record is not None}


#: Where a seat is: "the seat in X", "seats in X", "the ward of X", "the constituency of X".
_SEAT_PLACE_KINDS = {"seat": "place", "seats": "place", "ward": "ward", "wards": "ward",
                     "constituency": "constituency", "constituencies": "constituency"}
_SEAT_PREPOSITIONS = {"in", "of", "for"}
#: Words that make a name a body, never a place: "a seat in the House of Commons".
_BODY_WORDS = lexicon.BODY_NAME_HEADS | {
    "house", "commons", "lords", "parliament", "assembly", "senedd", "council", "councils",
    "cabinet", "government", "committee", "executive", "chamber", "senate", "party",
    "authority"}


def _seat_places(doc: Doc, found: list[tuple[Span, str, str | None]],
                 known: dict[str, dict]) -> list[tuple[Span, str]]:
    """Names in a seat's locative phrase, as places: an unknown organisation ("the seat in
    Stanford South", NER's ORG), or a name a curated party's form closes ("the seat in
    Rosmouth Green", the ruler's "Green"). Names that are bodies, and names nothing found,
    are left alone."""
    places = []
    for token in tokens_with(doc, dep={"pobj"}):
        kind = _seat_place_kind(token)
        if kind is None:
            continue
        overlapping = [c for c in found if c[0].start <= token.i < c[0].end]
        if len(overlapping) != 1:
            continue
        span, found_kind, found_known = overlapping[0]
        if found_known is None and found_kind in {"organisation", "party-body"} \
                and span.end == token.i + 1:
            place = span
        elif found_known in known and known[found_known]["kind"] == "party" \
                and span.start == span.end - 1 == token.i:
            place = _name_ending_at(token)
            if len(place) < 2 or any(_overlaps(c[0], place) for c in found
                                     if c is not overlapping[0]):
                continue
        else:
            continue
        words = _strip_possessive(place.text).lower().split()
        if words and words[0] == "the":
            words = words[1:]
        if words and not _BODY_WORDS & set(words):
            places.append((place, kind))
    return places


def _seat_place_kind(name: Token) -> str | None:
    """The kind of place a preposition's object is when the phrase says where a seat is:
    "the seat in X" (the seat, or the verb whose object the seat is, governs "in")."""
    preposition = name.head
    if name.dep_ != "pobj" or preposition.dep_ != "prep" or \
            preposition.lower_ not in _SEAT_PREPOSITIONS:
        return None
    holder = preposition.head
    if holder.pos_ in {"VERB", "AUX"}:
        holder = next((c for c in holder.children if c.dep_ in {"dobj", "nsubjpass"}), holder)
    return _SEAT_PLACE_KINDS.get(holder.lower_)


def _name_ending_at(token: Token) -> Span:
    """The run of capitalised words that ends at ``token`` and hangs on it ("Rosmouth" in
    "Rosmouth Green")."""
    doc = token.doc
    start = token.i
    while start > 0 and doc[start - 1].is_title and doc[start - 1].dep_ in {
            "compound", "amod", "nmod"} and start - 1 < doc[start - 1].head.i <= token.i:
        start -= 1
    return doc[start : token.i + 1]


_PLACE_PREPOSITIONS = {"in", "at", "from", "across", "around", "near", "to", "into", "of"}


def _plausible_lone_name(span: Span, name: str, others: dict[str, str]) -> bool:
    """Is a lone capitalised word NER called a person really somebody's name?"""
    token = span[0]
    if len(span) > 1 and span[-1].text not in {"’s", "'s", "’", "'"}:
        return True
    if token.tag_ and token.tag_ not in {"NNP", "NNPS"}:
        return False  # "Conceding defeat, …"
    if name in others:
        return False  # the same word is a place or an organisation elsewhere in the text
    previous = span.doc[token.i - 1] if token.i > 0 else None
    return not (previous is not None and previous.lower_ in _PLACE_PREPOSITIONS)


def _personal_name(text: str, titled_surnames: set[str] = frozenset()) -> bool:
    """A name NER called an organisation or place: a common given name and a surname, or a
    surname the article also uses with a title ("Mr Velleman")."""
    words = _strip_possessive(text).split()
    if not 2 <= len(words) <= 3 or not _looks_like_name(" ".join(words)):
        return False
    return (words[0].lower() in lexicon.MALE_NAMES or words[0].lower() in lexicon.FEMALE_NAMES
            or words[-1] in titled_surnames)


_TIME_ZONES = {"BST", "GMT", "UTC", "CET", "CEST", "EST", "EDT", "PST", "PDT"}
_GENERIC_BODIES = {"council", "the council", "borough council", "city council",
                   "county council", "district council", "party", "the party"}


def _common_word_at_sentence_start(span: Span) -> bool:
    """"Time will tell …", "People need …": a capitalised word only because it opens the
    sentence, and the article uses it in lower case elsewhere."""
    if len(span) != 1 or not span[0].is_sent_start or span.text.isupper():
        return False
    lower = span.text.lower()
    return any(token.text == lower for token in span.doc)


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


@Language.factory(
    "polgraph_mentions",
    default_config={"entries": []},
    assigns=["doc.spans", "doc._.polgraph_entities"],
)
def make_mentions(nlp: Language, name: str, entries: list[dict]) -> MentionResolver:
    return MentionResolver(nlp, entries)

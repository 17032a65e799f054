"""``polgraph_results``: election results the article reports, and the elections they are of.

From the parse, with small word lists (:mod:`polgraph.extract.lexicon`) and the article's
party and area entities:

* control: "X took/seized/won control of C (from Y)", "X retained overall control of C",
  "X lost control of C (to Y)", "C is under no overall control", "winning a majority on C";
  the previous controller of a council another party took ("C has been under Y control
  since …", "C, historically a Y borough") lost control;
* seats: "X took all three seats in W ward, keeping two and taking one from Y", "W was
  taken by the Tories' A from Labour's B", "the seat of W was captured by X from Y",
  "A, who lost his seat in W", "A was elected in W ward" (the person's party);
* changes and counts: "X lost 14 seats and Y gained 18", "gained nine seats from the
  Tories", "X 41, Y 22", "finished the night on 27 seats", "C's three X MPs";
* turnout: "The turnout was 37.9 per cent" (0.379), "the 70 percent turn-outs in W".

A council the sentence does not name ("the council", "Britain's most Jewish local
authority", "on 41 seats") is the council of the results around it, or the only council the
article names; otherwise there is no result. Hopes, forecasts, negations and history ("once
held by", "under X control since 1964") are not results.

Each result is tied to an :class:`~polgraph.extract.findings.Election` inferred from the text
(an election named in the sentence, else the election the article reports) and the article
date; with neither giving a year the election has none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from polgraph.extract import lexicon
from polgraph.extract.components.doc_state import (
    EntityRecord,
    doc_text,
    entities_of,
    entity_at,
    invalidate_index,
    mention_spans,
    tokens_with,
)
from polgraph.extract.components.syntax import passive_subject, sentence_text
from polgraph.extract.findings import Election, Evidence, Result

EXTRACTOR = "results"
#: Kinds of entity a result can be in.
AREA_KINDS = {"ward", "constituency", "council", "council-area", "city", "region", "place",
              "country"}
#: Unknown organisations that stand where an area must be ("in Golders Green").
LOOSE_AREA_KINDS = AREA_KINDS | {"organisation"}
COUNCIL_LEVEL = {"council", "council-area", "city", "region", "place", "organisation"}
SEAT_LEVEL = {"ward", "constituency"}
_COUNCIL_WORDS = {"council", "councils", "authority", "authorities", "borough", "boroughs",
                  "county", "counties", "district", "districts"}
_DESCRIPTION_HEADS = _COUNCIL_WORDS | {"town", "city"}
_SEAT_HOLDERS = {"mp", "mps", "msp", "msps", "councillor", "councillors", "seat", "seats",
                 "mla", "mlas", "ams", "meps"}
_PRIOR_HEADS = {"borough", "boroughs", "council", "councils", "stronghold", "strongholds",
                "flagship", "flagships", "heartland", "heartlands", "authority", "authorities",
                "bastion", "bastions", "fiefdom"}
_SUBJECT_DEPS = {"nsubj", "csubj"}
_QUOTE_CONFIDENCE = 0.6
_YEAR = re.compile(r"^(?:19|20)\d\d$")
#: Verbs the components look for: a lemma the lemmatizer gets wrong is found again.
_KNOWN_VERBS = (lexicon.WIN_VERBS | lexicon.LOSE_VERBS | lexicon.HOLD_VERBS | lexicon.FALL_VERBS
                | lexicon.DEFEAT_VERBS
                | lexicon.IRREALIS_HEADS | lexicon.NON_EVENT_HEADS | lexicon.LEAVE_VERBS
                | lexicon.STAY_VERBS | lexicon.DEMAND_VERBS | lexicon.APPEAL_VERBS
                | lexicon.APOLOGY_WORDS | set(lexicon.EVENT_VERBS)
                | {"elect", "re-elect", "join", "rejoin", "defect", "sit", "serve", "stand",
                   "finish", "end", "remain", "have", "be", "concede", "appear", "thank",
                   "suppose", "come", "issue", "say", "run", "launch", "conduct"})


#: Verbs that state a result.
_RESULT_VERBS = (lexicon.WIN_VERBS | lexicon.LOSE_VERBS | lexicon.HOLD_VERBS
                 | lexicon.FALL_VERBS | lexicon.DEFEAT_VERBS | {"elect", "re-elect"})


def lemma_of(token: Token) -> str:
    """The token's lemma; when the lemmatizer misses ("hopes" → "hop"), the form of a verb
    the components know, found by stripping an inflection."""
    return _known_lemma(token.lemma_, token.lower_)


@lru_cache(maxsize=16384)
def _known_lemma(lemma: str, lower: str) -> str:
    """:func:`lemma_of` from the token's lemma and lower-case form."""
    lemma = lemma.lower()
    if lemma in _KNOWN_VERBS:
        return lemma
    candidates = [lower]
    if lower.endswith("s"):
        candidates += [lower[:-1], lower[:-2]]
    if lower.endswith("ed"):
        candidates += [lower[:-1], lower[:-2], lower[:-3]]
    if lower.endswith("ing"):
        candidates += [lower[:-3], lower[:-3] + "e", lower[:-4]]
    return next((c for c in candidates if c in _KNOWN_VERBS), lemma)


@dataclass
class _R:
    kind: str
    area: str | None  # None: to be resolved from the context
    party: str | None
    value: float | int | None
    first: int  # token indices of the evidence
    last: int
    confidence: float
    person: str | None = None  # the person whose seat it was, when the text says
    election_hint: ElectionMention | None = None
    area_token: int | None = None  # where an unresolved area stands
    verb: int | None = None  # the verb that states it
    contested: int | None = None  # the seats at stake there, when the text says


@dataclass
class ElectionMention:
    """An election the text names ("the 2018 local elections", "the general election in
    2017", "the Scottish parliamentary seat of …")."""

    start: int
    end: int
    kind: str
    year: int | None
    label: str
    current: bool  # the election the article reports (not "the last general election")
    body: str | None = None
    place: str | None = None

    def key(self) -> str:
        parts = [self.kind]
        if self.body:
            parts.append(_slug(self.body))
        elif self.place and self.kind in {"mayoral", "by-election"}:
            parts.append(_slug(self.place))
        parts.append(str(self.year) if self.year else "unknown")
        return "election:" + ":".join(parts)


@dataclass
class _Context:
    doc: Doc
    records: dict[str, EntityRecord]
    area_names: dict[str, str]
    party_names: dict[str, str]
    person_party: dict[str, str]
    speakers: list[tuple[int, int, str]] = field(default_factory=list)
    canonical: dict[str, str] = field(default_factory=dict)
    person_area: dict[str, str] = field(default_factory=dict)
    council_of: dict[str, str] = field(default_factory=dict)


class ResultExtractor:
    """The ``polgraph_results`` component."""

    def __init__(self, nlp: Language, entries: list[dict]) -> None:
        self.known_kinds = {entry["iri"]: entry["kind"] for entry in entries}

    def __call__(self, doc: Doc) -> Doc:
        context = _context(doc)
        meta = doc._.polgraph_meta or {}
        anchor = meta.get("date") if isinstance(meta.get("date"), date) else None
        mentions = election_mentions(doc, anchor)
        found: list[_R] = []
        for token in tokens_with(doc, pos={"VERB", "AUX"}):
            if token.pos_ in {"VERB", "AUX"} and lemma_of(token) in _RESULT_VERBS:
                found += _verb_results(context, token)
        found += _elliptical(context, found)
        found += _no_overall_control(context)
        found += _seat_counts(context)
        found += _holder_counts(context)
        found += _turnouts(context)
        found = [r for r in found if not _historic(doc, r, anchor)]
        found = _resolve_areas(context, found)
        found += _previous_controllers(context, found)
        elections, results = _tie_elections(doc, found, mentions, anchor)
        doc._.polgraph_elections = elections
        doc._.polgraph_results = _merge(context, results)
        return doc


# -- context ------------------------------------------------------------------------------------
def _context(doc: Doc) -> _Context:
    records = entities_of(doc)
    area_names: dict[str, str] = {}
    party_names: dict[str, str] = {}
    for record in records.values():
        if not record.spans:
            continue
        names = {record.name, *record.aliases}
        if record.kind in AREA_KINDS:
            for name in names:
                area_names.setdefault(name, record.key)
        elif record.kind == "party":
            for name in names:
                party_names[name] = record.key
    person_party: dict[str, str] = {}
    parties_of: dict[str, set[str]] = {}
    for membership in doc._.polgraph_memberships or []:
        organisation = records.get(membership.organisation)
        if organisation is not None and organisation.kind == "party" and not membership.former:
            parties_of.setdefault(membership.person, set()).add(membership.organisation)
    for person, parties in parties_of.items():
        if len(parties) == 1:
            person_party[person] = next(iter(parties))
    speakers = []
    for statement in doc._.polgraph_statements or []:
        if statement.direct and statement.speaker:
            speakers.append((statement.evidence.start, statement.evidence.end,
                             statement.speaker))
    # One area per name: "Whetstone ward" and a bare "Whetstone" NER called an organisation.
    specificity = ["ward", "constituency", "council", "council-area", "city", "region",
                   "country", "place", "organisation"]
    by_name: dict[str, list[EntityRecord]] = {}
    for record in records.values():
        if record.kind in LOOSE_AREA_KINDS and record.spans:
            by_name.setdefault(record.name, []).append(record)
    canonical = {}
    for same in by_name.values():
        same.sort(key=lambda r: (r.known_iri is None, specificity.index(r.kind)))
        for record in same:
            canonical[record.key] = same[0].key
    person_area = {m.person: m.area for m in doc._.polgraph_memberships or []
                   if m.area and not m.former}
    # "Barnet" (the borough) and "Barnet Council": control of one is control of the other
    council_of: dict[str, str] = {}
    for record in records.values():
        if record.kind == "council" and record.spans:
            for name in (record.name, *record.aliases):
                bare = _bare_council_name(name)
                if bare:
                    council_of.setdefault(bare, record.key)
    return _Context(doc, records, area_names, party_names, person_party, speakers, canonical,
                    person_area, council_of)


def _bare_council_name(name: str) -> str:
    """"Barnet London Borough Council" → "barnet london", "Barnet Council" → "barnet"."""
    words = [w for w in name.lower().replace("’s", "").split()
             if w not in _COUNCIL_WORDS | {"the", "city", "metropolitan", "royal", "of"}]
    return " ".join(words)


def _council_for(context: _Context, area: str) -> str:
    """The council entity of a place the article also names as a council, else the area."""
    record = context.records.get(area)
    if record is None or record.kind not in {"council-area", "place", "city", "organisation"}:
        return area
    return context.council_of.get(_bare_council_name(record.name), area)


def _kind(context: _Context, key: str | None) -> str | None:
    record = context.records.get(key) if key else None
    return record.kind if record else None


def _party_of(context: _Context, token: Token | None) -> tuple[str | None, str | None]:
    """(party, person) named by a subject or an agent: "the Tories", "Labour's Jane Doe",
    "Jane Doe" (her party, if the article gives one), "who" (the person it refers to),
    "we" in a quote (the speaker's party)."""
    if token is None:
        return None, None
    doc = context.doc
    key = entity_at(doc, token)
    kind = _kind(context, key)
    if kind == "party":
        # "the Tories' Jane Doe": the party, and the person whose seat it is
        end = token.i
        while end + 1 < len(doc) and entity_at(doc, doc[end + 1]) == key:
            end += 1
        if end + 2 < len(doc) and doc[end + 1].text in {"'s", "’s", "'", "’"}:
            person = entity_at(doc, doc[end + 2])
            if _kind(context, person) == "person":
                return key, person
        return key, None
    for child in token.children:
        if child.dep_ in {"poss", "compound", "amod", "nmod"}:
            child_key = entity_at(doc, child)
            if _kind(context, child_key) == "party":
                return child_key, (key if kind == "person" else None)
    if kind == "person":
        return context.person_party.get(key), key
    if token.lower_ in {"who", "that"} and token.head.dep_ == "relcl":
        antecedent = token.head.head
        while antecedent.dep_ == "appos" and antecedent.head.i != antecedent.i:
            party, _ = _party_of(context, antecedent)
            if party:
                person = entity_at(doc, antecedent.head)
                return party, (person if _kind(context, person) == "person" else None)
            antecedent = antecedent.head
        return _party_of(context, antecedent)
    if token.lower_ in {"we", "us"}:
        speaker = _speaker_at(context, token)
        if speaker:
            if _kind(context, speaker) == "party":
                return speaker, None
            return context.person_party.get(speaker), None
    return None, None


def _speaker_at(context: _Context, token: Token) -> str | None:
    for start, end, speaker in context.speakers:
        if start <= token.idx < end:
            return speaker
    return None


def _in_quote(context: _Context, token: Token) -> bool:
    return _speaker_at(context, token) is not None or any(
        s.evidence.start <= token.idx < s.evidence.end and s.direct
        for s in context.doc._.polgraph_statements or [])


def _area_key(context: _Context, token: Token | None, loose: bool = True) -> str | None:
    """The area a token names: a mention of an area entity, or a word that is the name of one
    the article mentions elsewhere ("Barnet council" where NER missed "Barnet")."""
    if token is None:
        return None
    doc = context.doc
    key = entity_at(doc, token)
    kind = _kind(context, key)
    if kind in (LOOSE_AREA_KINDS if loose else AREA_KINDS):
        return context.canonical.get(key, key)
    if key:
        return None
    if not token.is_title:
        return None
    # the longest run of capitalised words around the token that names an area
    first = token.i
    while first > 0 and doc[first - 1].is_title and not entity_at(doc, doc[first - 1]):
        first -= 1
    last = token.i
    while last + 1 < len(doc) and doc[last + 1].is_title and not entity_at(doc, doc[last + 1]):
        last += 1
    for start in range(first, token.i + 1):
        for end in range(last, token.i - 1, -1):
            name = doc[start : end + 1].text
            if name in context.area_names:
                return context.area_names[name]
    return None


def _areas(context: _Context, head: Token | None) -> list[tuple[str | None, Token]]:
    """Areas a phrase names: the head itself, its conjuncts, "X and Y councils", "the seat of
    X", "seats in X ward". ``(None, token)`` for a description ("the council")."""
    if head is None:
        return []
    doc = context.doc
    key = _area_key(context, head)
    if key:
        found = [(key, head)]
        merged = _merged_name(context, head)
        if merged is not None:
            return [(merged, head)]
        for conj in head.children:
            if conj.dep_ == "conj":
                found += [(k, t) for k, t in _areas(context, conj) if k]
        return found
    lower = head.lower_
    found = []
    for child in head.children:
        if child.dep_ in {"compound", "nmod", "amod"} and lower in _COUNCIL_WORDS | \
                {"seat", "seats", "ward", "wards", "constituency"}:
            child_key = _area_key(context, child)
            if child_key:
                found.append((child_key, child))
                for conj in child.children:
                    if conj.dep_ == "conj" and (conj_key := _area_key(context, conj)):
                        found.append((conj_key, conj))
        elif child.dep_ == "prep" and child.lower_ in {"of", "in", "on", "for", "at"}:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    found += [(k, t) for k, t in _areas(context, obj) if k]
    if found:
        return found
    if lower in _DESCRIPTION_HEADS and not entity_at(doc, head):
        return [(None, head)]
    return []


def _merged_name(context: _Context, head: Token) -> str | None:
    """"control of Kensington and Chelsea": one council named "A and B" (no plural head such
    as "councils", no "both"), made an entity when the article has none by that name."""
    conjs = [c for c in head.children if c.dep_ == "conj"]
    cc = [c for c in head.children if c.dep_ == "cc" and c.lower_ in {"and", "&"}]
    governed = head.head.lower_ == "of" and head.head.head.lower_ in lexicon.CONTROL_NOUNS or \
        head.dep_ in {"dobj", "nsubjpass"} and lemma_of(head.head) in (
            lexicon.WIN_VERBS | lexicon.HOLD_VERBS | lexicon.LOSE_VERBS)
    if len(conjs) != 1 or not cc or not governed:
        return None
    doc = context.doc
    conj = conjs[0]
    if any(c.lower_ == "both" for c in head.children) or conj.tag_ == "NNS":
        return None
    first = head.i
    while first > 0 and entity_at(doc, doc[first - 1]) == entity_at(doc, head) and \
            entity_at(doc, head):
        first -= 1
    last = conj.i
    if not all(t.is_title or t.lower_ in {"and", "&"} for t in doc[first : last + 1]):
        return None
    span = doc[first : last + 1]
    name = span.text
    if name in context.area_names:
        return context.area_names[name]
    known = [entity_at(doc, t) for t in span if entity_at(doc, t)]
    if any(context.records[k].known_iri for k in known):
        return None  # two curated entities: two councils
    kind = "council-area" if head.head.lower_ == "of" else "place"
    key = f"{kind}:{name}"
    records = context.records
    record = records.get(key) or EntityRecord(key=key, kind=kind, name=name)
    records[key] = record
    record.spans.append((span.start_char, span.end_char))
    for other in set(known):
        records[other].spans = [s for s in records[other].spans
                                if not (s[0] < span.end_char and span.start_char < s[1])]
    spans = [s for s in mention_spans(doc) if s.end <= span.start or s.start >= span.end]
    spans.append(Span(doc, span.start, span.end, label=kind, kb_id=key))
    doc.spans["polgraph_mentions"] = sorted(spans, key=lambda s: s.start)
    invalidate_index(doc)
    context.area_names[name] = key
    return key


# -- verbs of results ---------------------------------------------------------------------------
def _verb_results(context: _Context, verb: Token) -> list[_R]:
    lemma = lemma_of(verb)
    if _negated(verb) or _irrealis(verb):
        return []
    passive = _passive(verb)
    subject = _subject(verb) if not passive else _agent(verb)
    patient = passive_subject(verb) if passive else _direct_object(verb)
    if lemma in {"elect", "re-elect"}:
        return _with_verb(_elected(context, verb, patient), verb)
    if lemma in lexicon.FALL_VERBS:
        return _with_verb(_fell(context, verb), verb)
    if lemma in lexicon.DEFEAT_VERBS:
        return _with_verb(_defeated(context, verb, subject, patient), verb)
    return _with_verb(_verb_clause(context, verb, lemma, passive, subject, patient), verb)


def _with_verb(found: list[_R], verb: Token) -> list[_R]:
    for result in found:
        result.verb = verb.i
    return found


def _verb_clause(context: _Context, verb: Token, lemma: str, passive: bool,
                 subject: Token | None, patient: Token | None) -> list[_R]:
    winner, person = _party_of(context, subject)
    from_party, from_person = _prep_party(context, verb, "from")
    to_party, _ = _prep_party(context, verb, "to")
    confidence = _QUOTE_CONFIDENCE if _in_quote(context, verb) else 0.85
    if winner is None and subject is None and verb.dep_ == "csubjpass" or \
            winner is None and verb.tag_ == "VBG" and subject is None:
        winner = _previous_winner(context, verb)  # "Winning a majority on X …"
        confidence = min(confidence, 0.7)
    if patient is None:
        return _intransitive(context, verb, winner, confidence)
    found: list[_R] = []
    first, last = _extent(verb, subject, patient)
    if patient.lower_ in lexicon.CONTROL_NOUNS or _majority_of_seats(patient):
        areas = _control_areas(context, verb, patient)
        kind = _control_kind(lemma)
        if kind is None:
            return []
        for area, token in areas:
            if winner:
                found.append(_R(kind, area, winner, None, first, last, confidence,
                                area_token=token.i))
            if from_party and kind == "won-control":
                found.append(_R("lost-control", area, from_party, None, first, last,
                                confidence, area_token=token.i))
            if to_party and kind == "lost-control":
                found.append(_R("won-control", area, to_party, None, first, last,
                                confidence, area_token=token.i))
        if not areas and (winner or from_party):
            # "taking control from Labour": the council of the sentences around
            if winner:
                found.append(_R(kind, None, winner, None, first, last, confidence,
                                area_token=verb.i))
            if from_party and kind == "won-control":
                found.append(_R("lost-control", None, from_party, None, first, last,
                                confidence, area_token=verb.i))
        return found
    count = _count(patient)
    seat_words = patient.lower_ in lexicon.SEAT_NOUNS or (
        count is not None and _about_seats(verb, patient))
    if seat_words and patient.lower_ not in {"ward", "wards", "constituency"}:
        return _seats(context, verb, lemma, patient, count, winner, person, from_party,
                      (first, last), confidence)
    areas = [(a, t) for a, t in _areas(context, patient) if a]
    if not areas:
        return []
    for area, _token in areas:
        level = _level(context, area, patient)
        if level == "council":
            kind = _control_kind(lemma)
            if kind and winner:
                found.append(_R(kind, area, winner, None, first, last, confidence))
            if kind == "won-control" and from_party:
                found.append(_R("lost-control", area, from_party, None, first, last,
                                confidence))
        elif level == "seat":
            kind = _seat_kind(lemma)
            if kind and winner:
                found.append(_R(kind, area, winner, None, first, last, confidence,
                                person=person))
            if kind == "won-seat" and from_party:
                found.append(_R("lost-seat", area, from_party, None, first, last,
                                confidence, person=from_person))
            if kind == "lost-seat" and to_party:
                found.append(_R("won-seat", area, to_party, None, first, last, confidence))
    return found


def _defeated(context: _Context, verb: Token, subject: Token | None, patient: Token | None
              ) -> list[_R]:
    """"X beat Labour's Y to win the Z by-election", "X defeated the Tories in W ward": the
    loser lost the seat; the winner won it (unless a "to win …" clause says so already)."""
    winner, person = _party_of(context, subject)
    loser, loser_person = _party_of(context, patient)
    if loser is None or winner == loser:
        return []
    areas: list[tuple[str, Token]] = []
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in {"in", "at", "for"}:
            areas += [(a, t) for o in child.children if o.dep_ == "pobj"
                      for a, t in _areas(context, o) if a]
    purpose = [c for c in verb.children if c.dep_ in {"advcl", "xcomp"} and
               lemma_of(c) in lexicon.WIN_VERBS]
    for clause in purpose:
        obj = _direct_object(clause)
        if obj is not None:
            areas += [(a, t) for a, t in _areas(context, obj) if a]
    found = []
    first, last = _extent(verb, subject, patient)
    for area, token in areas:
        level = _level(context, area, token)
        if level is None:
            continue
        lost = "lost-seat" if level == "seat" else "lost-control"
        found.append(_R(lost, area, loser, None, first, last, 0.8, person=loser_person))
        if winner and not purpose:
            won = "won-seat" if level == "seat" else "won-control"
            found.append(_R(won, area, winner, None, first, last, 0.8, person=person))
    return found


def _seats(context: _Context, verb: Token, lemma: str, patient: Token, count: int | None,
           winner: str | None, person: str | None, from_party: str | None,
           extent: tuple[int, int], confidence: float) -> list[_R]:
    """"took all three seats in W", "lost 14 seats", "taking one from Y", "lost his seat"."""
    first, last = extent
    areas = [(a, t) for a, t in _areas(context, patient) if a]
    areas += [(a, t) for prep in verb.children if prep.dep_ == "prep" and prep.lower_ in
              {"in", "on", "at", "for"} for obj in prep.children if obj.dep_ == "pobj"
              for a, t in _areas(context, obj) if a]
    if not areas:
        areas = _governing_areas(context, verb)
    possessed = any(c.dep_ == "poss" for c in patient.children)
    singular = count == 1 or (count is None and patient.tag_ in {"NN", "NNP"})
    # "the seat (of X)", "his seat": one seat, won, held or lost; a number: a change
    one_seat = count is None and singular
    area_list: list[tuple[str | None, int | None]] = [(a, t.i) for a, t in areas] or \
        [(None, verb.i)]
    found = []
    value = None if possessed else count
    contested = _contested(patient, count)
    for area, token_i in area_list:
        if lemma in lexicon.LOSE_VERBS:
            kind = "lost-seat" if singular else "lost-seats"
        elif lemma in lexicon.HOLD_VERBS:
            kind = "held-seat"
        elif lemma == "gain" or from_party and not one_seat:
            kind = "gained-seats"
        else:
            kind = "won-seat"
        if winner:
            found.append(_R(kind, area, winner, value, first, last, confidence, person=person,
                            area_token=token_i, contested=contested))
        if from_party and lemma in lexicon.WIN_VERBS:
            loss = "lost-seat" if singular else "lost-seats"
            found.append(_R(loss, area, from_party, value, first, last, confidence,
                            area_token=token_i))
    return found


def _contested(patient: Token, count: int | None) -> int | None:
    """"all three seats": three at stake; "12 of the 20 seats": twenty."""
    if count is not None and any(c.lower_ == "all" for c in patient.children):
        return count
    for child in patient.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                if obj.dep_ == "pobj" and obj.lower_ in lexicon.SEAT_NOUNS:
                    total = _count(obj)
                    if total is not None and count is not None and total >= count:
                        return total
    return None


def _governing_areas(context: _Context, verb: Token) -> list[tuple[str, Token]]:
    """"took all three seats in A, keeping two and taking one from Y": the participles'
    seats are in A, the area of the clause they hang from."""
    node = verb
    for _ in range(3):
        if node.dep_ not in {"advcl", "conj", "xcomp"} or node.head.i == node.i:
            return []
        node = node.head
        objects = [c for c in node.children if c.dep_ in {"dobj", "nsubjpass"}]
        areas = [(a, t) for obj in objects for a, t in _areas(context, obj) if a]
        areas += [(a, t) for prep in node.children if prep.dep_ == "prep" and prep.lower_ in
                  {"in", "on", "at"} for obj in prep.children if obj.dep_ == "pobj"
                  for a, t in _areas(context, obj) if a]
        if areas:
            return areas
    return []


def _intransitive(context: _Context, verb: Token, winner: str | None, confidence: float
                  ) -> list[_R]:
    """"… where we lost, A, B, C": a party lost (seats in) the wards named after the verb."""
    lemma = lemma_of(verb)
    if winner is None or lemma not in lexicon.LOSE_VERBS | {"win"}:
        return []
    doc = context.doc
    areas: list[tuple[str, Token]] = []
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in {"in", "at"}:
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    areas += [(a, t) for a, t in _areas(context, obj) if a]
    i = verb.i + 1
    seen: list[str] = []
    while i + 1 < len(doc) and doc[i].lower_ in {",", "and"}:
        if doc[i].text == "," and doc[i + 1].lower_ == "and":
            i += 1
        key = _area_key(context, doc[i + 1], loose=True)
        if key is None:
            break
        seen.append(key)
        areas.append((key, doc[i + 1]))
        i += 2
        while i < len(doc) and entity_at(doc, doc[i]) == key:
            i += 1
    levels = [_level(context, a, t) for a, t in areas]
    kind = ("lost-seats" if lemma in lexicon.LOSE_VERBS else "won-seat")
    found = []
    for (area, token), level in zip(areas, levels, strict=True):
        if level == "council" and not seen:
            continue
        end = token.i
        while end + 1 < len(doc) and entity_at(doc, doc[end + 1]) == entity_at(doc, token) \
                and entity_at(doc, token):
            end += 1
        found.append(_R(kind, area, winner, None, min(verb.i, token.i), max(verb.i, end),
                        min(confidence, 0.6)))
    return found


def _elected(context: _Context, verb: Token, patient: Token | None) -> list[_R]:
    """"Jane Doe was elected in W ward": a seat won in W by her party."""
    doc = context.doc
    person = None
    if patient is not None and _kind(context, entity_at(doc, patient)) == "person":
        person = entity_at(doc, patient)
    elif verb.dep_ == "acl" and _kind(context, entity_at(doc, verb.head)) == "person":
        person = entity_at(doc, verb.head)  # "Mr Doe, also elected in W, …"
    if person is None or not _passive(verb) and verb.dep_ != "acl":
        return []
    party = context.person_party.get(person)
    if party is None:
        return []
    found = []
    if not any(c.dep_ == "prep" and c.lower_ in {"in", "for"} for c in verb.children):
        # "X, the Labour mayor of Y, was re-elected": the area of the post
        area = context.person_area.get(person)
        if area is not None:
            last = max(t.i for t in verb.subtree if not t.is_punct)
            return [_R("won-seat", area, party, None,
                       min(verb.i, _start_of(doc, person, verb)), last, 0.7, person=person)]
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in {"in", "for"}:
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    for area, _token in _areas(context, obj):
                        if area and _level(context, area, obj) != "council":
                            found.append(_R("won-seat", area, party, None,
                                            min(verb.i, _start_of(doc, person, verb)),
                                            max(t.i for t in obj.subtree), 0.75,
                                            person=person))
    return found


def _fell(context: _Context, verb: Token) -> list[_R]:
    """"W fell to the Tories", "C went to Labour"."""
    to_party, _ = _prep_party(context, verb, "to")
    from_party, _ = _prep_party(context, verb, "from")
    subject = _subject(verb)
    if to_party is None or subject is None:
        return []
    found = []
    for area, _token in _areas(context, subject):
        if area is None:
            continue
        level = _level(context, area, subject)
        won, lost = ("won-control", "lost-control") if level == "council" else \
            ("won-seat", "lost-seat")
        last = max(t.i for t in verb.subtree)
        found.append(_R(won, area, to_party, None, subject.i, last, 0.8))
        if from_party:
            found.append(_R(lost, area, from_party, None, subject.i, last, 0.8))
    return found


def _elliptical(context: _Context, found: list[_R]) -> list[_R]:
    """"X took all three seats in A, … and all three in B": a number with an area of its own,
    coordinated inside a seat clause, repeats the clause's verb."""
    doc = context.doc
    extra = []
    for token in tokens_with(doc, dep={"conj"}):
        if token.dep_ != "conj" or _count(token) is None:
            continue
        if any(c.dep_ in {"dobj", "nsubj"} for c in token.children):
            continue
        preps = [c for c in token.children if c.dep_ == "prep" and c.lower_ in {"in", "at"}]
        areas = [(a, t) for p in preps for o in p.children if o.dep_ == "pobj"
                 for a, t in _areas(context, o) if a]
        if not areas:
            continue
        verb = _top_result_verb(token)
        if verb is None:
            continue
        siblings = [r for r in found if r.first <= verb.i <= r.last and r.kind in
                    {"won-seat", "held-seat", "lost-seats", "lost-seat"}]
        source = next((r for r in siblings if r.first <= verb.i), None)
        if source is None:
            continue
        kind = _seat_kind(lemma_of(verb)) or source.kind
        for area, area_token in areas:
            extra.append(_R(kind, area, source.party, _count(token), token.i,
                            max(t.i for t in token.subtree), source.confidence,
                            area_token=area_token.i))
    return extra


def _top_result_verb(token: Token) -> Token | None:
    verbs = lexicon.WIN_VERBS | lexicon.LOSE_VERBS | lexicon.HOLD_VERBS
    best = None
    node = token
    for _ in range(6):
        if node.pos_ in {"VERB", "AUX"} and lemma_of(node) in verbs:
            best = node
        if node.head.i == node.i:
            break
        node = node.head
    return best


# -- nouns of results ---------------------------------------------------------------------------
def _no_overall_control(context: _Context) -> list[_R]:
    """"C is (now) under no overall control", "C fell into no overall control"."""
    doc = context.doc
    found = []
    for token in tokens_with(doc, lower={"control"}):
        if token.lower_ != "control" or not any(
                c.lower_ == "no" for c in token.children) or not any(
                c.lower_ == "overall" for c in token.children):
            continue
        verb = token.head.head if token.head.dep_ == "prep" else token.head
        subject = _subject(verb)
        obj = _direct_object(verb)  # "leaving the council in no overall control"
        areas = _areas(context, obj if obj is not None else subject) \
            if (obj if obj is not None else subject) is not None else []
        if verb.dep_ in {"advcl", "relcl"} and subject is not None and \
                subject.lower_ in {"it", "which"}:
            areas = _areas(context, _antecedent(verb)) or areas
        if _negated(verb) or _irrealis(verb) or _historic_clause(verb):
            continue
        for area, area_token in areas:
            found.append(_R("no-overall-control", area, None, None,
                            min(area_token.i, token.i), token.i, 0.8,
                            area_token=area_token.i, verb=verb.i))
    return found


def _seat_counts(context: _Context) -> list[_R]:
    """"the new balance is Labour 41, Conservatives 22": parties followed by numbers."""
    doc = context.doc
    found = []
    for sentence in doc.sents:
        pairs = []
        for token in sentence:
            party = entity_at(doc, token)
            if _kind(context, party) != "party":
                continue
            after = token.i + 1
            while after < sentence.end and entity_at(doc, doc[after]) == party:
                after += 1
            if after >= sentence.end or not doc[after].like_num or _YEAR.match(doc[after].text):
                continue
            if after + 1 < sentence.end and doc[after + 1].lower_ in lexicon.PERCENT_WORDS:
                continue
            value = _number(doc[after].text)
            if value is not None and (not pairs or pairs[-1][1] != party):
                pairs.append((token.i, party, value, after))
        if len(pairs) < 2 and not any(t.lower_ in {"seats", "balance", "councillors"}
                                      for t in sentence):
            continue
        for start, party, value, end in pairs:
            found.append(_R("seat-count", None, party, value, _start_of(doc, party, doc[start]),
                            end, 0.8, area_token=start))
    found += _finished_on(context)
    return found


def _finished_on(context: _Context) -> list[_R]:
    """"X finished the night on 27 seats", "X now has 30 councillors"."""
    doc = context.doc
    found = []
    for token in tokens_with(doc, lower={"seats", "councillors"}):
        if token.lower_ not in {"seats", "councillors"}:
            continue
        count = _count(token)
        if count is None:
            continue
        head = token.head
        if head.dep_ == "prep" and head.lower_ in {"on", "with"}:
            verb = head.head
        elif token.dep_ == "dobj":
            verb = head
        else:
            continue
        if lemma_of(verb) not in {"finish", "end", "have", "stand", "sit", "remain",
                                       "be", "leave"}:
            continue
        if _negated(verb) or _irrealis(verb):
            continue
        party, _ = _party_of(context, _subject(verb))
        if party is None:
            continue
        first = _subject(verb).i
        found.append(_R("seat-count", None, party, count, min(first, verb.i), token.i, 0.8,
                        area_token=token.i))
    return found


def _holder_counts(context: _Context) -> list[_R]:
    """"C's three Conservative MPs": how many seats a party holds in an area."""
    doc = context.doc
    found = []
    for token in tokens_with(doc, lower=_SEAT_HOLDERS):
        if token.lower_ not in _SEAT_HOLDERS:
            continue
        count = next((_number(c.text) for c in token.children if c.dep_ == "nummod"), None)
        owner = next((c for c in token.children if c.dep_ == "poss"), None)
        party = next((entity_at(doc, c) for c in token.children if c.dep_ in
                      {"amod", "compound"} and _kind(context, entity_at(doc, c)) == "party"),
                     None)
        area = _area_key(context, owner) if owner is not None else None
        if count is None or party is None or area is None:
            continue
        first = _start_of(doc, area, owner)
        found.append(_R("seat-count", area, party, count, first, token.i, 0.7,
                        election_hint=_NO_ELECTION if token.lower_ in
                        {"mp", "mps", "msp", "msps", "mla", "mlas", "ams", "meps"} else None))
    return found


def _turnouts(context: _Context) -> list[_R]:
    """"The turnout was 37.9 per cent", "a turnout of 41%", "the 70 percent turn-outs in W"."""
    doc = context.doc
    found = []
    for token in tokens_with(doc, lower=lexicon.TURNOUT_NOUNS | {"out", "outs"}):
        if not _is_turnout(token):
            continue
        head = token
        scope = list(token.subtree)
        if token.dep_ in _SUBJECT_DEPS | {"nsubjpass"}:
            scope += list(token.head.subtree)
            head = token.head
        value, value_token = _percentage([t for t in scope if t.i < token.i + 30])
        if value is None or value > 1:
            continue
        areas = []
        party = None
        for prep in (c for t in {token, head} for c in t.children if c.dep_ == "prep"):
            for obj in (o for o in prep.children if o.dep_ == "pobj"):
                if prep.lower_ in {"in", "at", "for", "across"}:
                    areas += [(a, t) for a, t in _areas(context, obj) if a]
                elif prep.lower_ == "in" or obj.lower_ in {"favour", "favor"}:
                    of = next((c for c in obj.children if c.lower_ == "of"), None)
                    party_obj = next((o for o in of.children if o.dep_ == "pobj"), None) \
                        if of is not None else None
                    party, _ = _party_of(context, party_obj)
        for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ == "in"):
            for obj in (o for o in prep.children if o.lower_ in {"favour", "favor"}):
                of = next((c for c in obj.children if c.lower_ == "of"), None)
                if of is not None:
                    party, _ = _party_of(context, next(
                        (o for o in of.children if o.dep_ == "pobj"), None))
        first = min([token.i, value_token.i, *(t.i for _, t in areas)])
        last = max([token.i, value_token.i, *(t.i for _, t in areas)])
        first = min(first, min(t.i for t in token.subtree))
        while last + 1 < len(doc) and doc[last + 1].lower_ in lexicon.PERCENT_WORDS | {"cent"}:
            last += 1
        confidence = _QUOTE_CONFIDENCE if _in_quote(context, token) else 0.85
        if not areas:
            found.append(_R("turnout", None, party, value, first, last, confidence,
                            area_token=token.i))
        for area, _t in areas:
            found.append(_R("turnout", area, party, value, first, last, confidence))
    return found


def _is_turnout(token: Token) -> bool:
    if token.lower_ in lexicon.TURNOUT_NOUNS:
        return True
    # "turn-out(s)": the tokenizer splits it
    return token.lower_ in {"out", "outs"} and token.i >= 2 and \
        token.doc[token.i - 1].text == "-" and token.doc[token.i - 2].lower_ == "turn"


def _percentage(tokens: list[Token]) -> tuple[float | None, Token | None]:
    tokens = sorted(tokens, key=lambda t: t.i)
    doc = tokens[0].doc if tokens else None
    for token in tokens:
        if not token.like_num:
            continue
        after = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if after is not None and after.lower_ in lexicon.PERCENT_WORDS:
            value = _number(token.text)
            if value is not None:
                return round(value / 100, 4), token
        if token.text.endswith("%"):
            value = _number(token.text[:-1])
            if value is not None:
                return round(value / 100, 4), token
    return None, None


# -- previous controllers -----------------------------------------------------------------------
def _previous_controllers(context: _Context, found: list[_R]) -> list[_R]:
    """A council another party won was lost by the party that held it: "C has been under Y
    control since …", "C, historically a Y borough", "Y-run C"."""
    won = {(_council_for(context, r.area), r.party) for r in found
           if r.kind == "won-control" and r.area}
    lost = {_council_for(context, r.area) for r in found if r.kind == "lost-control" and r.area}
    extra = []
    for area, controller, first, last in _prior_control_statements(context):
        area = _council_for(context, area)
        winners = {party for a, party in won if a == area}
        if area in lost or not winners or controller in winners:
            continue
        extra.append(_R("lost-control", area, controller, None, first, last, 0.6))
        lost.add(area)
    return extra


def _prior_control_statements(context: _Context):
    doc = context.doc
    for token in tokens_with(doc, lower=_PRIOR_HEADS | {"control", "-"}):
        # "under Conservative control"
        if token.lower_ == "control" and token.head.lower_ == "under":
            party = next((entity_at(doc, c) for c in token.children
                          if _kind(context, entity_at(doc, c)) == "party"), None)
            if party is None or any(c.lower_ == "no" for c in token.children):
                continue
            verb = token.head.head
            subject = _subject(verb)
            for area, area_token in _areas(context, subject) if subject is not None else []:
                if area:
                    yield area, party, min(area_token.i, verb.i), token.i
        # "…, historically two flagship Conservative boroughs"
        if token.lower_ in _PRIOR_HEADS and token.dep_ == "appos":
            party = next((entity_at(doc, c) for c in token.children
                          if _kind(context, entity_at(doc, c)) == "party"), None)
            if party is None:
                continue
            for area, area_token in _areas(context, token.head):
                if area:
                    yield area, party, area_token.i, token.i
        # "Conservative-run Barnet", "the Tory-held council"
        if token.text == "-" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ in {
                "run", "controlled", "led", "held"} and token.i > 0:
            party = entity_at(doc, doc[token.i - 1])
            if _kind(context, party) != "party":
                continue
            target = doc[token.i + 1].head
            for area, area_token in _areas(context, target):
                if area:
                    yield area, party, token.i - 1, area_token.i


# -- areas the sentence does not name -----------------------------------------------------------
def _resolve_areas(context: _Context, found: list[_R]) -> list[_R]:
    """Give a council-level result with no area the council of the results around it."""
    doc = context.doc
    resolved: list[_R] = []
    explicit = sorted(((r.first, r.area) for r in found if r.area and
                       _kind(context, r.area) in COUNCIL_LEVEL and r.kind in
                       {"won-control", "lost-control", "retained-control", "gained-seats",
                        "lost-seats", "seat-count", "no-overall-control"}),
                      key=lambda x: x[0])
    sentences = list(doc.sents)
    for result in sorted(found, key=lambda r: r.first):
        if result.area is not None:
            resolved.append(result)
            continue
        at = result.area_token if result.area_token is not None else result.first
        if _names_another_place(context, doc[at].sent):
            continue  # "In Hull, Labour lost its majority": a place NER missed, not ours
        area = _focus_area(context, sentences, explicit, at)
        if area is None:
            continue
        result.area = area
        result.confidence = min(result.confidence, 0.75)
        resolved.append(result)
        explicit.append((result.first, area))
        explicit.sort(key=lambda x: x[0])
    return resolved


def _names_another_place(context: _Context, sentence: Span) -> bool:
    """Does the sentence put its results in a named place that is no entity of ours?"""
    for token in sentence:
        if token.dep_ == "prep" and token.lower_ in {"in", "at", "across"}:
            for obj in token.children:
                if obj.dep_ == "pobj" and obj.pos_ == "PROPN" and obj.is_title and \
                        _area_key(context, obj) is None and not entity_at(context.doc, obj):
                    return True
    return False


def _focus_area(context: _Context, sentences: list[Span], explicit, at: int) -> str | None:
    """The council of the results around: the last one in this sentence or the three before
    (unless a sentence between puts its results in another, unknown place), else the
    council named next (a lede names it a sentence later), else the article's only one."""
    index = next((n for n, s in enumerate(sentences) if s.start <= at < s.end), 0)
    for sentence in reversed(sentences[max(0, index - 3) : index + 1]):
        end = min(at, sentence.end)
        found = [(first, area) for first, area in explicit if sentence.start <= first < end]
        found += [(t.i, k) for t in sentence if t.i < end and (k := _council_named(context, t))]
        if found:
            return max(found)[1]
        if sentence.start < at and _names_another_place(context, sentence):
            return None
    for sentence in sentences[index : index + 2]:
        names = [k for t in sentence if t.i > at and (k := _council_named(context, t))]
        if names:
            return names[0]
    councils = {r.key for r in context.records.values() if r.kind == "council" and r.spans
                and r.name.lower() not in _COUNCIL_WORDS}
    return next(iter(councils)) if len(councils) == 1 else None


def _council_named(context: _Context, token: Token) -> str | None:
    """A council, or a place named as one ("Barnet council", "X Council")."""
    key = _area_key(context, token, loose=False)
    kind = _kind(context, key)
    if kind == "council":
        return key if context.records[key].name.lower() not in _COUNCIL_WORDS else None
    if kind in {"council-area", "place", "city"}:
        head = token
        while head.dep_ in {"compound", "nmod"} and head.head.i != head.i:
            head = head.head
        if head.lower_ in _COUNCIL_WORDS or kind == "council-area" or (
                token.dep_ in _SUBJECT_DEPS and any(
                    c.lower_ in lexicon.CONTROL_NOUNS for c in token.head.subtree)):
            return key
    return None


# -- elections ----------------------------------------------------------------------------------
_NO_ELECTION = ElectionMention(0, 0, "none", None, "", False)
#: Words an election mention is built around.
_ELECTION_NOUNS = frozenset({"election", "elections", "by-election", "by-elections", "byelection",
                             "poll", "polls", "vote", "results", "result", "seat", "seats"})


def election_mentions(doc: Doc, anchor: date | None) -> list[ElectionMention]:
    """Every election the text names, in text order, with its kind and year.

    A year beside the mention gives the year ("the 2018 local elections", "the general
    election in 2017"); a mention with no year is of the article's year when the article
    is dated, unless it says it is another one ("the last general election").
    """
    found: list[ElectionMention] = []
    for token in tokens_with(doc, lower=_ELECTION_NOUNS):
        lower = token.lower_
        kind = body = None
        place = None
        if lower in _ELECTION_NOUNS:
            window = doc[max(0, token.i - 4) : token.i]
            words = [t.lower_ for t in window]
            after = doc[token.i + 1 : min(len(doc), token.i + 8)]
            if lower in {"seat", "seats"} and any(t.lower_ in {"on", "to"} for t in after[:5]):
                # "25 seats up for grabs on the London Assembly"
                words_after = " ".join(t.lower_ for t in after)
                for body_form, body_name in lexicon.DEVOLVED_BODIES.items():
                    if body_form in words_after and "grabs" in words_after or \
                            body_form in words_after and "contest" in words_after:
                        kind, body = ("assembly" if "london" in body_form else "devolved"), \
                            body_name
                        window = doc[token.i : after[-1].i + 1]
            for body_form, body_name in lexicon.DEVOLVED_BODIES.items():
                if kind is None and body_form in " ".join(words):
                    kind, body = ("assembly" if "london" in body_form else "devolved"), body_name
            if kind is None and (lower.startswith(("by-election", "byelection")) or
                                 lower == "election" and token.i >= 2 and
                                 doc[token.i - 1].text == "-" and
                                 doc[token.i - 2].lower_ == "by"):
                kind = "by-election"
                window = doc[max(0, token.i - 6) : token.i - 2] if lower == "election" \
                    else window
            if kind is None and lower in {"election", "elections"}:
                modifiers = [w for w in words if w in lexicon.ELECTION_WORDS]
                if modifiers:
                    kind = lexicon.ELECTION_WORDS[modifiers[-1]]
            if kind is None and lower in {"results", "result", "poll", "polls"} and \
                    "election" in words:
                election = next(t for t in window if t.lower_ == "election")
                modifiers = [t.lower_ for t in doc[max(0, election.i - 3) : election.i]
                             if t.lower_ in lexicon.ELECTION_WORDS]
                if modifiers:
                    kind = lexicon.ELECTION_WORDS[modifiers[-1]]
            if kind is None:
                continue
            if kind in {"mayoral", "by-election"}:
                place = next((t.text for t in reversed(window) if t.ent_type_ == "GPE" or
                              entity_at(doc, t) and t.is_title), None)
            last = max(token.i, window[-1].i) if len(window) else token.i
            first = min(window[0].i, token.i) if body and len(window) else token.i
            for t in reversed(window):
                if t.i < token.i and (t.lower_ in lexicon.ELECTION_WORDS or
                                      t.ent_type_ == "GPE" or _YEAR.match(t.text) or
                                      (body and t.is_title)):
                    first = t.i
            year = _year_near(doc, first, token.i)
            other = any(t.lower_ in lexicon.OTHER_ELECTION_WORDS for t in window)
            current = not other and (year is None or anchor is None or year == anchor.year)
            if year is None and current and anchor is not None:
                year = anchor.year
            label = _label(kind, year, body, place)
            found.append(ElectionMention(doc[first].idx, doc[last].idx + len(doc[last].text), kind,
                                         year, label, current, body, place))
    # one mention per stretch of text
    unique: list[ElectionMention] = []
    for mention in found:
        if unique and mention.start < unique[-1].end:
            continue
        unique.append(mention)
    return unique


def _year_near(doc: Doc, first: int, last: int) -> int | None:
    for token in doc[max(0, first - 2) : min(len(doc), last + 4)]:
        if _YEAR.match(token.text) and not (token.i > last and doc[token.i - 1].lower_ not in
                                            {"in", "of"}):
            return int(token.text)
    return None


def _label(kind: str, year: int | None, body: str | None, place: str | None) -> str:
    prefix = f"{year} " if year else ""
    if body:
        return f"{prefix}{body} election"
    if kind == "local":
        return f"{prefix}local elections"
    if kind == "general":
        return f"{prefix}general election"
    if kind == "mayoral":
        return f"{prefix}{place + ' ' if place else ''}mayoral election"
    if kind == "by-election":
        return f"{prefix}{place + ' ' if place else ''}by-election"
    return f"{prefix}{kind} election"


def _tie_elections(doc: Doc, found: list[_R], mentions: list[ElectionMention],
                   anchor: date | None) -> tuple[list[Election], list[tuple[_R, str | None]]]:
    """Each result's election: one named in its sentence, else the one the article reports,
    else one its area implies (a ward or a council: local elections)."""
    sentences = list(doc.sents)
    current = [m for m in mentions if m.current]
    elections: dict[str, Election] = {}
    tied: list[tuple[_R, str | None]] = []
    for result in found:
        if result.election_hint is _NO_ELECTION:
            tied.append((result, None))
            continue
        sentence = next((s for s in sentences if s.start <= result.first < s.end), None)
        in_sentence = [m for m in mentions if sentence is not None and
                       sentence.start_char <= m.start < sentence.end_char]
        mention = in_sentence[0] if in_sentence else None
        if mention is None:
            level = {"ward", "council", "council-area"}
            fitting = [m for m in current if m.kind == "local"] if \
                entities_of(doc)[result.area].kind in level else current
            mention = (fitting or current or [None])[0]
        if mention is None:
            kind = entities_of(doc)[result.area].kind
            if kind in {"ward", "council"}:
                year = anchor.year if anchor else None
                mention = ElectionMention(0, 0, "local", year, _label("local", year, None, None),
                                          True)
        if mention is None:
            tied.append((result, None))
            continue
        key = mention.key()
        if key not in elections:
            elections[key] = Election(key=key, kind=mention.kind, label=mention.label,
                                      year=mention.year)
        tied.append((result, key))
    return list(elections.values()), tied


# -- findings -----------------------------------------------------------------------------------
_COUNCIL_KINDS = {"won-control", "lost-control", "retained-control", "no-overall-control",
                  "gained-seats", "lost-seats", "seat-count", "turnout"}


def _merge(context: _Context, tied: list[tuple[_R, str | None]]) -> list[Result]:
    """One result per kind, area, party, value and election; a value beats none."""
    doc = context.doc
    best: dict[tuple, tuple[_R, str | None]] = {}
    for result, election in tied:
        if result.area is None or result.kind == "turnout" and result.value is None:
            continue
        if result.kind in _COUNCIL_KINDS and result.election_hint is not _NO_ELECTION:
            result.area = _council_for(context, result.area)
        key = (result.kind, result.area, result.party, election)
        current = best.get(key)
        if current is None:
            best[key] = (result, election)
            continue
        old = current[0]
        if old.value is None and result.value is not None:
            best[key] = (result, election)
        elif old.value is not None and result.value is not None and old.value != result.value:
            best[key + (result.value,)] = (result, election)
    results = []
    people = doc.user_data.setdefault("polgraph_result_people", {})
    for result, election in best.values():
        start = doc[result.first].idx
        end = doc[result.last].idx + len(doc[result.last].text)
        sentence = sentence_text(doc, start, end)
        value = result.value
        if isinstance(value, float) and result.kind != "turnout" and value.is_integer():
            value = int(value)
        if result.person:
            # whose seat it was: the events component names the person, not the party
            people[(start, end, result.kind)] = result.person
        results.append(Result(
            kind=result.kind, area=result.area, party=result.party, value=value,
            election=election, seats_contested=result.contested,
            evidence=Evidence(start, end, doc_text(doc)[start:end], sentence, EXTRACTOR,
                              round(result.confidence, 2)),
        ))
    return sorted(results, key=lambda r: (r.evidence.start, r.evidence.end, r.kind))


# -- grammar helpers ----------------------------------------------------------------------------
def _is_by_election(tokens) -> bool:
    """"by-election", also when the tokenizer splits it ("by", "-", "election")."""
    words = [t.lower_ for t in tokens]
    text = "".join(words[:3])
    return text.startswith(("by-election", "byelection")) or bool(
        words and words[0] in {"by-election", "by-elections", "byelection"})


def _control_kind(lemma: str) -> str | None:
    if lemma in lexicon.WIN_VERBS:
        return "won-control"
    if lemma in lexicon.HOLD_VERBS:
        return "retained-control"
    if lemma in lexicon.LOSE_VERBS:
        return "lost-control"
    return None


def _seat_kind(lemma: str) -> str | None:
    if lemma in lexicon.WIN_VERBS:
        return "won-seat"
    if lemma in lexicon.HOLD_VERBS:
        return "held-seat"
    if lemma in lexicon.LOSE_VERBS:
        return "lost-seat"
    return None


def _level(context: _Context, area: str, phrase: Token) -> str | None:
    """Is a result in this area about control of a council, or about a seat?"""
    kind = _kind(context, area)
    words = {t.lower_ for t in phrase.subtree} | {phrase.lower_}
    doc = phrase.doc
    after = doc[max(t.i for t in phrase.subtree) + 1 : max(t.i for t in phrase.subtree) + 4]
    if _is_by_election(after) or any(c.dep_ == "prep" and c.lower_ == "with" and any(
            o.lower_ == "majority" for o in c.children) for c in phrase.head.children):
        return "seat"  # "the Hartlepool by-election", "held X with a majority of 323"
    if kind in SEAT_LEVEL or words & {"seat", "seats", "ward", "wards", "constituency"}:
        return "seat"
    if kind in {"council", "council-area"} or words & _COUNCIL_WORDS:
        return "council"
    return None


def _control_areas(context: _Context, verb: Token, patient: Token):
    areas = []
    for child in patient.children:
        if child.dep_ == "prep" and child.lower_ in {"of", "on", "in", "over"}:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    areas += _areas(context, obj)
                    # "majority of seats on X council"
                    for sub in obj.children:
                        if sub.dep_ == "prep" and sub.lower_ in {"on", "in"}:
                            for sub_obj in sub.children:
                                if sub_obj.dep_ == "pobj":
                                    areas += _areas(context, sub_obj)
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in {"in", "on"}:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    areas += [(a, t) for a, t in _areas(context, obj) if a]
    named = [(a, t) for a, t in areas if a]
    return named or [(a, t) for a, t in areas if a is None][:1]


def _majority_of_seats(token: Token) -> bool:
    return token.lower_ == "majority"


def _about_seats(verb: Token, patient: Token) -> bool:
    """Is a bare number ("gained 18", "keeping two") a number of seats?"""
    if patient.lower_ in lexicon.SEAT_NOUNS:
        return True
    if any(c.lower_ in lexicon.SEAT_NOUNS for c in patient.children):
        return True
    return any(t.lower_ in {"seats", "seat", "councillors"} for t in verb.sent)


def _count(token: Token) -> int | None:
    """The number a phrase gives: "all three seats", "14 seats", "one", "18"."""
    if token.like_num or token.lower_ in lexicon.NUMBER_WORDS and token.pos_ == "NUM":
        if _YEAR.match(token.text):
            return None
        value = _number(token.text)
        return int(value) if value is not None else None
    for child in token.children:
        if child.dep_ == "nummod":
            value = _number(child.text)
            if value is not None:
                return int(value)
    return None


def _number(text: str) -> float | None:
    cleaned = text.replace(",", "").lower()
    if cleaned in lexicon.NUMBER_WORDS:
        return lexicon.NUMBER_WORDS[cleaned]
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return int(value) if value.is_integer() and "." not in cleaned else value


def _prep_party(context: _Context, verb: Token, prep: str) -> tuple[str | None, str | None]:
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == prep:
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            party, person = _party_of(context, obj)
            if party:
                return party, person
    # "from" hung on the object or on an apposition inside the clause
    for token in verb.subtree if _preposition_below(verb, prep) else ():
        if token.dep_ != "prep" or token.lower_ != prep or token.i < verb.i or \
                _nearest_verb(token).i != verb.i:
            continue
        target = next((c for c in token.children if c.dep_ == "pobj"), None)
        party, person = _party_of(context, target)
        if party:
            return party, person
    return None, None


def _preposition_below(head: Token, word: str) -> bool:
    """Is the preposition ``word`` in ``head``'s subtree? (Cheaper than walking it.)"""
    return any(t.dep_ == "prep" and (t.i == head.i or head.is_ancestor(t))
               for t in tokens_with(head.doc, lower={word}))


def _nearest_verb(token: Token) -> Token:
    node = token.head
    while node.pos_ not in {"VERB", "AUX"} and node.head.i != node.i:
        node = node.head
    return node


def _previous_winner(context: _Context, verb: Token) -> str | None:
    """The party that won in the sentence before ("Labour has seized control … Winning a
    majority of seats on Barnet council …")."""
    doc = context.doc
    sentence = verb.sent
    if sentence.start == 0:
        return None
    previous = doc[sentence.start - 1].sent
    for token in previous:
        if token.pos_ in {"VERB", "AUX"} and lemma_of(token) in lexicon.WIN_VERBS:
            party, _ = _party_of(context, _subject(token))
            if party:
                return party
    return None


def _subject(verb: Token | None) -> Token | None:
    """A verb's subject, borrowed from the verb it depends on when it has none of its own
    ("keeping two and taking one": the subject of "took")."""
    seen = 0
    while verb is not None and seen < 5:
        subject = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)
        if subject is not None:
            return subject
        if verb.dep_ in {"conj", "xcomp", "advcl"} and verb.head.i != verb.i:
            verb = verb.head
            seen += 1
            continue
        return None
    return None


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None




def _direct_object(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in {"dobj", "attr"}), None)


def _antecedent(verb: Token) -> Token | None:
    node = verb.head
    for _ in range(3):
        if _subject(node) is not None:
            return _subject(node)
        node = node.head
    return None


def _passive(verb: Token) -> bool:
    return any(c.dep_ in {"auxpass", "nsubjpass", "agent"} for c in verb.children)


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def _irrealis(verb: Token) -> bool:
    """"hopes to win", "could lose", "at risk of losing", "if Labour wins": not a result."""
    if any(c.dep_ == "aux" and c.lower_ in lexicon.IRREALIS_HEADS for c in verb.children):
        return True
    if any(c.dep_ == "mark" and c.lower_ in {"if", "whether", "unless"}
           for c in verb.children):
        return True
    node = verb
    for _ in range(4):
        if node.head.i == node.i:
            return False
        if node.dep_ not in {"xcomp", "ccomp", "pcomp", "advcl", "pobj", "prep", "acl",
                             "csubj", "csubjpass"}:
            return False
        node = node.head
        if lemma_of(node) in lexicon.IRREALIS_HEADS | {"risk", "chance", "bid"}:
            return True
    return False


def _historic_clause(verb: Token) -> bool:
    if any(c.dep_ == "advmod" and c.lower_ in lexicon.HISTORIC_ADVERBS for c in verb.children):
        return True
    if any(c.dep_ == "prep" and c.lower_ in {"since", "until", "between"}
           for c in verb.children):
        return True
    return any(c.dep_ == "aux" and c.lower_ == "had" for c in verb.children)


def _historic(doc: Doc, result: _R, anchor: date | None) -> bool:
    """"once held by", "had held the seat since 1997", "(a period) from 1994 to 2002 when it
    was under no overall control": history, not a result of this election."""
    if result.verb is None:
        return False
    verb = doc[result.verb]
    if _historic_clause(verb):
        return True
    # a year other than the article's, on the clause or on what the clause describes
    node = verb
    for _ in range(4):
        for child in node.children:
            if child.dep_ == "prep" and child.lower_ in {"from", "since", "until", "between",
                                                         "to", "in", "during"}:
                years = [int(t.text) for t in child.subtree if _YEAR.match(t.text)]
                if any(anchor is None or year != anchor.year for year in years) and not any(
                        t.lower_ in {"election", "elections"} for t in child.subtree):
                    return True
        if node.head.i == node.i:
            break
        node = node.head
    return False


def _extent(verb: Token, subject: Token | None, patient: Token | None) -> tuple[int, int]:
    indices = [verb.i]
    if subject is not None:
        indices.append(_phrase_start(subject))
    if patient is not None:
        indices += [t.i for t in patient.subtree if not _clause_dep(t, patient)]
    for child in verb.children:
        if child.dep_ in {"prep", "agent"} and child.i > verb.i:
            indices += [t.i for t in child.subtree if not _clause_dep(t, child)]
    # "… from Labour's Jane Doe", wherever the parser hung it
    for token in verb.subtree if _preposition_below(verb, "from") else ():
        if token.dep_ == "prep" and token.lower_ == "from" and token.i > verb.i and \
                _nearest_verb(token).i == verb.i:
            indices += [t.i for t in token.subtree]
    first, last = min(indices), max(indices)
    doc = verb.doc
    while last > first and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    return first, last


def _phrase_start(token: Token) -> int:
    return min(t.i for t in token.subtree if not _clause_dep(t, token))


def _clause_dep(token: Token, head: Token) -> bool:
    node = token
    while node.i != head.i and node.head.i != node.i:
        if node.dep_ in {"relcl", "acl", "advcl", "appos", "ccomp", "punct"}:
            return True
        node = node.head
    return False


def _start_of(doc: Doc, key: str | None, token: Token) -> int:
    i = token.i
    while i > 0 and key and entity_at(doc, doc[i - 1]) == key:
        i -= 1
    return i




def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@Language.factory(
    "polgraph_results",
    default_config={"entries": []},
    assigns=["doc._.polgraph_results", "doc._.polgraph_elections"],
    requires=["doc.sents", "token.dep", "doc.spans"],
)
def make_results(nlp: Language, name: str, entries: list[dict]) -> ResultExtractor:
    """Election results: control, seats, seat changes and counts, turnout."""
    return ResultExtractor(nlp, entries)

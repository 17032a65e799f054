"""``polgraph_roles``: who belongs to which party, in which role, from the grammar of news.

A membership is found only where the text states it or unmistakably implies it:

* premodifiers: "Labour MP Jane Doe", "the council's Conservative former leader Jane Doe",
  "former Green councillor Jane Doe" (``former``: the party membership itself is past);
* appositions and copulas: "Jane Doe, the Labour MP for Northam", "Jane Doe, a
  Conservative councillor", "Jane Doe is a Green councillor";
* possessives: "Labour's Jane Doe", "the Tories' Jane Doe", "Labour's new councillors
  include Jane Doe and John Roe";
* a party's own description of its people: "the Labour leader said" (resolved like a
  pronoun, :mod:`salience`), "Labour under Jane Doe" (leader);
* joining, leaving and discipline: "Jane Doe defected to the Greens", "Jane Doe quit
  Labour" (former), "Jane Doe was suspended from the party" / "Jane Doe's suspension"
  (suspended: still a member);
* a person's own words: "Resigning my membership" (former), "our party", "whether to
  leave Labour" (still a member);
* a role that only a party has ("Shadow Chancellor", "MP", "the party leader") with no
  party named takes the party the curated graph gives the person (``within``), or the only
  party the article names; otherwise no membership: a party is never invented.

"X, who sits as an independent" blocks the weaker inferences for X.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from polgraph.extract import lexicon
from polgraph.extract.components.doc_state import (
    doc_text,
    entities_of,
    entity_at,
    mention_spans,
    tokens_with,
)
from polgraph.extract.components.results import lemma_of
from polgraph.extract.components.salience import Salience
from polgraph.extract.components.syntax import sentence_text
from polgraph.extract.findings import Evidence, Membership

EXTRACTOR = "roles"
_POSSESSIVE = {"'s", "’s", "'", "’"}
_AREA_KINDS = {"ward", "constituency", "council-area", "city", "region", "place", "council",
               "country"}
_DETERMINERS = {"the", "a", "an"}
_CHAIN_POS = {"ADJ", "NOUN", "PROPN", "ADV", "NUM", "VERB"}  # "newly elected", "Swansea"
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
#: Confidence by how the membership is stated.
CONFIDENCE = {
    "premodifier": 0.9, "apposition": 0.9, "copula": 0.85, "possessive": 0.85,
    "list": 0.8, "sits-as": 0.85, "join-leave": 0.75, "suspended": 0.7,
    "description": 0.65, "under": 0.6, "own-words": 0.6, "curated-party": 0.7,
    "only-party": 0.55, "independent": 0.0, "body-party": 0.8,
}


@dataclass
class _Found:
    person: str
    party: str | None
    role: str | None
    area: str | None
    former: bool
    suspended: bool
    start: int
    end: int
    how: str
    party_role: bool = False  # the role belongs to a party even with no party named
    public_office: bool = False  # an office of any party's member ("MP", "councillor")


class RoleExtractor:
    """The ``polgraph_roles`` component."""

    def __init__(self, nlp: Language, entries: list[dict]) -> None:
        # person IRI → the party the curated graph puts the person in ("within").
        self.curated_party = {
            entry["iri"]: entry["within"] for entry in entries
            if entry.get("kind") == "person" and entry.get("within")
        }
        # a party body's party: "Labour National Executive Committee member X" is Labour's
        self.body_party = {
            entry["iri"]: entry["within"] for entry in entries
            if entry.get("kind") == "party-body" and entry.get("within")
        }

    def __call__(self, doc: Doc) -> Doc:
        records = entities_of(doc)
        self.party_names = _party_names(doc)
        spans = [s for s in mention_spans(doc) if s.label_ == "person"]
        found: list[_Found] = []
        independents: set[str] = set()
        for span in spans:
            key = span.kb_id_
            if records.get(key) is None:
                continue
            found += self._premodifier(doc, span)
            found += self._apposition(doc, span)
            found += self._possessive(doc, span)
            found += self._clauses(doc, span, independents)
        found += self._lists(doc)
        found += self._descriptions(doc)
        found += self._under(doc)
        found += self._suspensions(doc)
        found += self._own_words(doc)
        found = self._body_parties(doc, found)
        found = self._fill_parties(doc, found, independents)
        found = _without_contradictions(found)
        doc._.polgraph_memberships = _merge(doc, found)
        return doc

    # -- premodifiers: "Labour MP Jane Doe" -----------------------------------------------------
    def _premodifier(self, doc: Doc, span: Span) -> list[_Found]:
        chain = _premodifier_chain(doc, span)
        start = chain[0].idx if chain else span.start_char
        if not chain:
            # "Labour MPs Jane Doe and John Roe": the second name shares the plural title
            first = _first_conjunct(doc, span)
            if first is None:
                return []
            chain = _premodifier_chain(doc, first)
            role = chain[-1] if chain else None
            if role is None or not (role.tag_ in {"NNS", "NNPS"} or role.lower_.endswith("s")
                                    and role.lower_ in lexicon.ROLE_SINGULAR):
                return []  # "Labour MP Jane Doe and John Roe": only the first is the MP
            start = chain[0].idx
        return _from_phrase(doc, span, chain, "premodifier", span_start=start,
                            span_end=span.end_char)

    # -- appositions: "Jane Doe, the Labour MP for Northam" -------------------------------------
    def _apposition(self, doc: Doc, span: Span) -> list[_Found]:
        head = _appositive_head(doc, span)
        if head is None:
            return self._named_after(doc, span)
        phrase = [t for t in head.subtree if t.i >= span.end and not _in_clause(t, head)]
        phrase = _trim(phrase)
        if not phrase:
            return []
        end = phrase[-1].idx + len(phrase[-1].text)
        return _from_phrase(doc, span, phrase, "apposition", span_start=span.start_char,
                            span_end=end, head=head)

    def _named_after(self, doc: Doc, span: Span) -> list[_Found]:
        """"the Labour candidate, Jane Doe, said": the name is in apposition to the role."""
        root = span.root
        head = root.head
        if root.dep_ != "appos" or head.i >= span.start or \
                head.lower_ not in lexicon.ROLE_NOUNS or entity_at(doc, head):
            return []
        phrase = _trim([t for t in head.subtree if t.i < span.start and
                        not _in_clause(t, head)])
        if not phrase:
            return []
        return _from_phrase(doc, span, phrase, "apposition", span_start=phrase[0].idx,
                            span_end=span.end_char, head=head)

    # -- possessives: "Labour's Jane Doe", "the Tories' Jane Doe" -------------------------------
    def _possessive(self, doc: Doc, span: Span) -> list[_Found]:
        i = span.start - 1
        role_tokens: list[Token] = []
        while i >= 0 and doc[i].lower_ in lexicon.ROLE_NOUNS | lexicon.ROLE_MODIFIERS \
                | lexicon.FORMER_WORDS and not _party_key(doc, doc[i]):
            role_tokens.insert(0, doc[i])
            i -= 1
        if i < 1 or doc[i].text not in _POSSESSIVE:
            return []
        party = _party_key(doc, doc[i - 1])
        if party is None:
            return []
        start = _mention_start(doc, i - 1)
        role, former = _role_text(role_tokens)
        return [_Found(span.kb_id_, party, role, None, former, False, start, span.end_char,
                       "possessive")]

    # -- clauses about the person: copula, sits as, joined, defected, quit, was elected ---------
    def _clauses(self, doc: Doc, span: Span, independents: set[str]) -> list[_Found]:
        found: list[_Found] = []
        root = span.root
        verb = None
        if root.dep_ in _SUBJECT_DEPS:
            verb = root.head
        else:
            relative = next((c for c in root.children if c.dep_ == "relcl"), None)
            if relative is not None and any(c.dep_ in _SUBJECT_DEPS and c.lower_ in
                                            {"who", "that"} for c in relative.children):
                verb = relative
        if verb is None:
            return found
        verbs = [verb, *(c for c in verb.children if c.dep_ == "conj" and c.pos_ in
                         {"VERB", "AUX"} and not any(d.dep_ in _SUBJECT_DEPS
                                                     for d in c.children))]
        for each in verbs:
            found += self._clause(doc, span, each, independents)
        return found

    def _clause(self, doc: Doc, span: Span, verb: Token, independents: set[str]
                ) -> list[_Found]:
        lemma = lemma_of(verb)
        key = span.kb_id_
        if _negated(verb) or _irrealis(verb):
            return []
        if lemma == "be" and verb.i > span.root.i:
            attr = next((c for c in verb.children if c.dep_ in {"attr", "acomp"}), None)
            if attr is None:
                return []
            phrase = _trim([t for t in attr.subtree if not _in_clause(t, attr)])
            if not phrase:
                return []
            return _from_phrase(doc, span, phrase, "copula", span_start=span.start_char,
                                span_end=phrase[-1].idx + len(phrase[-1].text), head=attr)
        if lemma in {"sit", "stand", "serve", "elect", "re-elect"}:
            # "sits as an independent", "was elected as a Labour councillor"
            prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"),
                        None)
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep else None
            if obj is None:
                return []
            phrase = _trim([t for t in obj.subtree if not _in_clause(t, obj)])
            if obj.lower_ in {"independent", "independents"} and not _party_key(doc, obj):
                independents.add(key)
                return []
            if not phrase:
                return []
            return _from_phrase(doc, span, phrase, "sits-as", span_start=span.start_char,
                                span_end=phrase[-1].idx + len(phrase[-1].text), head=obj)
        return self._join_leave(doc, span, verb)

    def _join_leave(self, doc: Doc, span: Span, verb: Token) -> list[_Found]:
        """"defected to the Greens from Labour", "joined Labour", "quit the Tories"."""
        lemma = lemma_of(verb)
        key = span.kb_id_
        end = max(t.i for t in verb.subtree)
        evidence = (span.start_char, doc[end].idx + len(doc[end].text))
        objects = _objects(verb)
        found = []
        if lemma in {"join", "rejoin", "defect", "switch", "cross"}:
            for prep, obj in objects:
                party = _party_key(doc, obj)
                if party is None:
                    continue
                if prep in {None, "to"}:
                    found.append(_Found(key, party, None, None, False, False, *evidence,
                                        "join-leave"))
                elif prep == "from":
                    found.append(_Found(key, party, None, None, True, False, *evidence,
                                        "join-leave"))
        elif lemma in lexicon.LEAVE_VERBS and _completed(verb):
            for prep, obj in objects:
                party = _party_key(doc, obj)
                if party is not None and prep in {None, "from"}:
                    found.append(_Found(key, party, None, None, True, False, *evidence,
                                        "join-leave"))
        elif lemma == "expel" and verb.dep_ != "xcomp" and _passive(verb):
            for prep, obj in objects:
                party = _party_key(doc, obj)
                if party is not None and prep in {"from", "by"}:
                    found.append(_Found(key, party, None, None, True, False, *evidence,
                                        "join-leave"))
        return found

    # -- "Labour's newly elected councillors include A and B" -----------------------------------
    def _lists(self, doc: Doc) -> list[_Found]:
        found = []
        for token in tokens_with(doc, lower=lexicon.ROLE_NOUNS):
            if token.lower_ not in lexicon.ROLE_NOUNS or token.dep_ not in _SUBJECT_DEPS:
                continue
            owner = next((c for c in token.children if c.dep_ == "poss"), None)
            party = _party_key(doc, owner) if owner is not None else None
            verb = token.head
            if party is None or lemma_of(verb) not in {"include", "be"}:
                continue
            modifiers = [c for c in token.children if c.dep_ in {"amod", "compound"}]
            former = any(m.lower_ in lexicon.FORMER_WORDS for m in modifiers)
            role = lexicon.ROLE_SINGULAR.get(token.lower_, token.lower_)
            start = _mention_start(doc, owner.i)
            for obj in (c for c in verb.children if c.dep_ in {"dobj", "attr"}):
                for person, person_span in _people_in(doc, obj):
                    found.append(_Found(person, party, role, None, former, False, start,
                                        person_span.end_char, "list"))
        return found

    # -- "the Labour leader said" ---------------------------------------------------------------
    def _descriptions(self, doc: Doc) -> list[_Found]:
        found = []
        salience: Salience | None = None
        for token in tokens_with(doc, lower=lexicon.PARTY_ROLE_NOUNS):
            if token.lower_ not in lexicon.PARTY_ROLE_NOUNS or token.dep_ not in _SUBJECT_DEPS:
                continue
            if entity_at(doc, token) or [c.lower_ for c in token.children
                                         if c.dep_ == "det"] != ["the"]:
                continue
            modifiers = [c for c in token.children if c.dep_ in {"compound", "amod", "nmod"}]
            parties = [p for p in (_party_key(doc, m) for m in modifiers) if p]
            if len(parties) != 1 or any(c.dep_ in {"prep", "relcl", "acl"}
                                        for c in token.children):
                continue
            salience = salience or Salience(doc)
            person = salience.resolve(token, {"person"})
            if person is None:
                continue
            first = min(t.i for t in token.subtree)
            former = any(m.lower_ in lexicon.FORMER_WORDS for m in modifiers)
            found.append(_Found(person, parties[0], token.lower_, None, former, False,
                                doc[first].idx, token.idx + len(token.text), "description"))
        return found

    # -- "Labour's move … under Jane Doe" -------------------------------------------------------
    def _under(self, doc: Doc) -> list[_Found]:
        found = []
        for token in tokens_with(doc, lower={"under"}):
            if token.lower_ != "under" or token.dep_ != "prep":
                continue
            obj = next((c for c in token.children if c.dep_ == "pobj"), None)
            person = entity_at(doc, obj) if obj is not None else None
            if person is None or entities_of(doc)[person].kind != "person":
                continue
            party = None
            head = token.head
            for _ in range(3):
                party = _party_key(doc, head) or next(
                    (p for p in (_party_key(doc, c) for c in head.children
                                 if c.dep_ in {"poss", "nsubj", "nsubjpass"}) if p), None)
                if party or head.head.i == head.i:
                    break
                head = head.head
            if party is None:
                continue
            owner = head if _party_key(doc, head) else next(
                c for c in head.children if _party_key(doc, c))
            start = min(doc[_mention_start_token(doc, owner.i)].idx, token.idx)
            found.append(_Found(person, party, "leader", None, False, False, start,
                                obj.idx + len(obj.text), "under"))
        return found

    # -- suspensions: "Jane Doe's suspension", "Jane Doe was suspended from the party" ----------
    def _suspensions(self, doc: Doc) -> list[_Found]:
        found = []
        for token in tokens_with(doc, lower={"suspension"}, pos={"VERB"}):
            lemma = lemma_of(token)
            person = party = None
            if token.lower_ == "suspension" and token.pos_ == "NOUN":
                owner = next((c for c in token.children if c.dep_ in {"poss", "compound"}),
                             None)
                of = next((c for c in token.children if c.lower_ == "of"), None)
                if owner is None and of is not None:
                    owner = next((c for c in of.children if c.dep_ == "pobj"), None)
                person = _person_key(doc, owner)
                start_token = owner
            elif lemma == "suspend" and token.pos_ == "VERB" and not _negated(token) \
                    and not _irrealis(token):
                subject = next((c for c in token.children if c.dep_ in _SUBJECT_DEPS), None)
                obj = next((c for c in token.children if c.dep_ == "dobj"), None)
                if _passive(token):
                    if subject is not None and subject.lower_ in {"who", "that"} and \
                            token.dep_ == "relcl":
                        subject = token.head  # "Jane Doe, who was suspended by …"
                    person = _person_key(doc, subject)
                    for prep, pobj in _objects(token):
                        if prep in {"from", "by"}:
                            party = party or _party_key(doc, pobj)
                else:
                    person = _person_key(doc, obj)
                    party = _party_key(doc, subject) if subject is not None else None
                start_token = subject if _passive(token) else (subject or token)
            else:
                continue
            if person is None or _under_non_event(token):
                continue
            if party is None:
                party = _only_party_in(doc, token.sent)
            if party is None:
                continue
            first = token.i
            if start_token is not None:
                first = min(_mention_start_token(doc, start_token.i), token.i)
            last = max(token.i, max(t.i for t in token.subtree) if token.pos_ == "VERB"
                       else token.i)
            found.append(_Found(person, party, None, None, False, True, doc[first].idx,
                                doc[last].idx + len(doc[last].text), "suspended"))
        return found

    # -- a person's own words -------------------------------------------------------------------
    def _own_words(self, doc: Doc) -> list[_Found]:
        found = []
        records = entities_of(doc)
        for statement in doc._.polgraph_statements or []:
            speaker = statement.speaker
            if not speaker or records.get(speaker) is None or \
                    records[speaker].kind != "person":
                continue
            span = doc.char_span(statement.evidence.start, statement.evidence.end,
                                 alignment_mode="expand")
            if span is None:
                continue
            for token in span:
                hit = _own_words_hit(doc, token, statement.direct)
                if hit is None:
                    continue
                party_token, former, first, last = hit
                party = _party_key(doc, party_token) if party_token is not None else None
                if party is None:
                    party = _nearest_party(doc, span) or _only_party(doc)
                if party is None:
                    continue
                found.append(_Found(speaker, party, "member", None, former, False,
                                    doc[first].idx, doc[last].idx + len(doc[last].text),
                                    "own-words"))
        return found

    def _body_parties(self, doc: Doc, found: list[_Found]) -> list[_Found]:
        """A post in a party's body ("Labour National Executive Committee member") is a
        membership of the party the curated graph puts the body in."""
        records = entities_of(doc)
        for item in found:
            if item.party is not None:
                continue
            for token in doc.char_span(item.start, item.end, alignment_mode="expand") or []:
                key = entity_at(doc, token)
                record = records.get(key) if key else None
                if record is None or record.kind != "party-body":
                    continue
                party = self.body_party.get(record.known_iri or "")
                if party and party in self.party_names:
                    item.party = self.party_names[party]
                    item.how = "body-party"
                    break
        return found

    # -- parties for party roles with no party named --------------------------------------------
    def _fill_parties(self, doc: Doc, found: list[_Found], independents: set[str]
                      ) -> list[_Found]:
        records = entities_of(doc)
        out = []
        independents |= {item.person for item in found if item.how == "independent"}
        for item in found:
            if item.party is None:
                if not item.party_role or item.person in independents:
                    continue
                record = records.get(item.person)
                curated = self.curated_party.get(record.known_iri) if record else None
                if curated and curated in self.party_names:
                    item.party = self.party_names[curated]
                    item.how = "curated-party"
                elif _only_party(doc) and not item.public_office:
                    item.party = _only_party(doc)
                    item.how = "only-party"
                else:
                    continue
            out.append(item)
        return out


# -- building findings --------------------------------------------------------------------------
#: Ways of finding a party that only infer it: they give way to a party the text states.
_INFERRED = {"description", "under", "own-words", "only-party", "curated-party"}


def _without_contradictions(found: list[_Found]) -> list[_Found]:
    """Drop an inferred party for a person the text puts in another party ("the Tory leader
    said" resolved to a person named as a Labour MP is a resolution error)."""
    stated: dict[str, set[str]] = {}
    for item in found:
        if item.party and item.how not in _INFERRED and not item.former:
            stated.setdefault(item.person, set()).add(item.party)
    return [item for item in found if item.how not in _INFERRED
            or not stated.get(item.person) or item.party in stated[item.person]]


def _from_phrase(doc: Doc, span: Span, phrase: list[Token], how: str, *, span_start: int,
                 span_end: int, head: Token | None = None) -> list[_Found]:
    """A membership from a descriptive phrase: its party, role, area and whether former."""
    parties = [(t, p) for t in phrase if (p := _party_key(doc, t))]
    if not parties and any(t.lower_ in {"independent", "non-aligned", "unaffiliated"}
                           for t in phrase):
        return [_Found(span.kb_id_, None, None, None, False, False, span_start, span_end,
                       "independent")]
    roles = [t for t in phrase if t.lower_ in lexicon.ROLE_NOUNS and not _party_key(doc, t)
             and not entity_at(doc, t)]
    if head is not None and head.lower_ in lexicon.ROLE_NOUNS:
        role_head = head
    else:
        role_head = roles[-1] if roles else None
    if parties and role_head is None and head is not None and _party_key(doc, head):
        role_head = None  # "Jane Doe, a Conservative": a member with no role named
    elif role_head is None:
        return []
    distinct = {p for _, p in parties}
    if len(distinct) > 1:
        return []  # "a former Labour, now Green councillor": leave it
    party_token, party = parties[-1] if parties else (None, None)
    if party_token is not None and role_head is not None and party_token.i > role_head.i \
            and not _governs(role_head, party_token):
        return []  # the party belongs elsewhere; "leader of the Labour group" is kept
    # "former Labour MP": the membership is past; "Labour former leader": the post is.
    former_tokens = [t for t in phrase if t.lower_ in lexicon.FORMER_WORDS]
    before_party = party_token is None or any(t.i < party_token.i for t in former_tokens)
    former = bool(former_tokens) and before_party
    role = None
    if role_head is not None:
        if party_token is not None and party_token.i < role_head.i:
            first = party_token.i + 1
        else:  # "Shadow Chancellor": the whole title before the name
            first = next((t.i for t in phrase if t.i <= role_head.i and t.lower_ not in
                          _DETERMINERS and t.text not in _POSSESSIVE and t.pos_ != "DET"),
                         role_head.i)
        words = []
        for token in doc[first : role_head.i + 1]:
            if entity_at(doc, token) and entities_of(doc)[entity_at(doc, token)].kind in \
                    _AREA_KINDS:
                continue
            if token.lower_ in {"newly", "elected", "now", "re-elected"} | _DETERMINERS or \
                    token.is_punct and token.text != "-" or token.text in _POSSESSIVE:
                continue
            if former and token.lower_ in lexicon.FORMER_WORDS:
                continue
            words.append(token)
        role = _role_name(words) if words else None
    area = _area(doc, phrase, role_head)
    shadow = any(t.lower_ in lexicon.SHADOW_WORDS for t in phrase)
    party_role = role_head is not None and (
        role_head.lower_ in lexicon.PARTY_ROLE_NOUNS or shadow)
    public = role_head is not None and not shadow and \
        lexicon.ROLE_SINGULAR.get(role_head.lower_, role_head.lower_).lower() in \
        lexicon.PUBLIC_OFFICES
    if party is None and not party_role:
        return []
    body = any(entity_at(doc, t) and entities_of(doc)[entity_at(doc, t)].kind == "party-body"
               for t in phrase)
    if party is None and role_head is not None and role_head.lower_ in {"leader", "member"} \
            and not body and not any(t.lower_ in {"party"} | lexicon.SHADOW_WORDS
                                     for t in phrase):
        return []  # "council leader", "member of the public": not a party's
    return [_Found(span.kb_id_, party, role, area, former, False, span_start, span_end, how,
                   party_role=party_role, public_office=public)]


def _role_name(tokens: list[Token]) -> str:
    """"Shadow Chancellor", "councillor", "MP", "National Executive Committee member": the
    words as written (a sentence-initial capital dropped), plurals made singular."""
    words = []
    for token in tokens:
        lower = token.lower_
        if lower in lexicon.ROLE_SINGULAR and (token.i == tokens[-1].i or lower.isalpha() and
                                               lexicon.ROLE_SINGULAR[lower].isupper()):
            word = lexicon.ROLE_SINGULAR[lower]
        elif (token.is_sent_start or token.i > 0 and token.doc[token.i - 1].is_quote) and \
                not (token.i + 1 < len(token.doc) and token.doc[token.i + 1].is_title):
            word = lower  # "Council leader" opening a sentence; "Shadow Chancellor" kept
        else:
            word = token.text
        words.append(word + (" " if token.whitespace_ else ""))
    return "".join(words).strip()


def _role_text(tokens: list[Token]) -> tuple[str | None, bool]:
    former = any(t.lower_ in lexicon.FORMER_WORDS for t in tokens)
    words = [t for t in tokens if t.lower_ in lexicon.ROLE_NOUNS]
    return (_role_name(words[-1:]) if words else None), former


def _area(doc: Doc, phrase: list[Token], role_head: Token | None) -> str | None:
    """The ward, constituency or council of the post: "MP for X", "X councillor"."""
    if role_head is not None:
        for child in role_head.children:
            if child.dep_ == "prep" and child.lower_ in {"for", "of", "in"}:
                obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if obj is None:
                    continue
                # "for Riverside ward": the mention may cover only the name
                for token in [obj, *(c for c in obj.children if c.dep_ in {"compound", "nmod"})]:
                    key = entity_at(doc, token)
                    if key and entities_of(doc)[key].kind in _AREA_KINDS:
                        return key
    for token in phrase:
        key = entity_at(doc, token)
        if key and entities_of(doc)[key].kind in _AREA_KINDS and (
                role_head is None or token.i < role_head.i):
            return key
    return None


def _merge(doc: Doc, found: list[_Found]) -> list[Membership]:
    """One membership per person, organisation, role and tense; the best evidence wins."""
    best: dict[tuple, _Found] = {}
    for item in found:
        if item.party is None:
            continue
        role = (item.role or "").lower()
        key = (item.person, item.party, role, item.former)
        current = best.get(key)
        if current is None or CONFIDENCE[item.how] > CONFIDENCE[current.how]:
            if current is not None:
                item.suspended = item.suspended or current.suspended
                item.area = item.area or current.area
            best[key] = item
        else:
            current.suspended = current.suspended or item.suspended
            current.area = current.area or item.area
    # One membership per person, party and tense: the best-stated role (a role beats none,
    # then confidence, then the first in the text); the others' flags carry over.
    chosen: dict[tuple, tuple] = {}
    for key, item in best.items():
        group = (key[0], key[1], key[3])
        rank = (bool(item.role), CONFIDENCE[item.how], -item.start)
        if group not in chosen or rank > chosen[group][0]:
            if group in chosen:
                item.suspended = item.suspended or chosen[group][2].suspended
                item.area = item.area or chosen[group][2].area
            chosen[group] = (rank, key, item)
        else:
            kept = chosen[group][2]
            kept.suspended = kept.suspended or item.suspended
            kept.area = kept.area or item.area
    memberships = []
    for _rank, _key, item in chosen.values():
        sentence = sentence_text(doc, item.start, item.end)
        evidence = Evidence(item.start, item.end, doc_text(doc)[item.start : item.end], sentence,
                            EXTRACTOR, CONFIDENCE[item.how])
        memberships.append(Membership(
            person=item.person, organisation=item.party, evidence=evidence, role=item.role,
            area=item.area, former=item.former, suspended=item.suspended,
        ))
    # suspension applies to the party membership, whatever the role
    suspended = {(m.person, m.organisation) for m in memberships if m.suspended}
    memberships = [replace(m, suspended=True) if (m.person, m.organisation) in suspended
                   and not m.former else m for m in memberships]
    return sorted(memberships, key=lambda m: (m.evidence.start, m.evidence.end, m.person))


# -- small helpers ------------------------------------------------------------------------------
def _party_names(doc: Doc) -> dict[str, str]:
    """Every name and alias of the article's parties → the party's key."""
    names = {}
    for record in entities_of(doc).values():
        if record.kind == "party" and record.spans:
            for form in (record.name, *record.aliases):
                names[form] = record.key
    return names


def _party_key(doc: Doc, token: Token | None) -> str | None:
    """The party a token names; not a party name inside a longer name ("Labour List")."""
    if token is None:
        return None
    key = entity_at(doc, token)
    if not key or entities_of(doc)[key].kind != "party":
        return None
    end = token.i
    while end + 1 < len(doc) and entity_at(doc, doc[end + 1]) == key:
        end += 1
    if end + 1 < len(doc):
        after = doc[end + 1]
        if after.is_title and after.lower_ in lexicon.BODY_NAME_HEADS:
            return None  # "Labour Movement", "Conservative Friends": another body's name
    return key


def _person_key(doc: Doc, token: Token | None) -> str | None:
    if token is None:
        return None
    key = entity_at(doc, token)
    if key and entities_of(doc)[key].kind == "person":
        return key
    return None


def _only_party(doc: Doc) -> str | None:
    """The party of an article that names exactly one party."""
    parties = {r.key for r in entities_of(doc).values() if r.kind == "party" and r.spans}
    return next(iter(parties)) if len(parties) == 1 else None


def _only_party_in(doc: Doc, span: Span) -> str | None:
    parties = {k for t in span if (k := _party_key(doc, t))}
    if len(parties) == 1:
        return next(iter(parties))
    return _only_party(doc) if not parties else None


def _nearest_party(doc: Doc, span: Span) -> str | None:
    """The party named last before ``span`` in its paragraph or the two sentences before."""
    sentences = list(doc.sents)
    index = next((n for n, s in enumerate(sentences) if s.start <= span.start < s.end), 0)
    for sentence in reversed(sentences[max(0, index - 2) : index + 1]):
        parties = [k for t in sentence if t.i < span.end and (k := _party_key(doc, t))]
        if parties and len(set(parties)) == 1:
            return parties[-1]
        if parties:
            return None
    return None


def _mention_start(doc: Doc, i: int) -> int:
    return doc[_mention_start_token(doc, i)].idx


def _mention_start_token(doc: Doc, i: int) -> int:
    key = entity_at(doc, doc[i])
    while i > 0 and key and entity_at(doc, doc[i - 1]) == key:
        i -= 1
    return i


def _premodifier_chain(doc: Doc, span: Span) -> list[Token]:
    """The words before a name that describe the person ("the council's Conservative former
    leader"), ending with a role noun next to the name; empty when there is none."""
    i = span.start - 1
    chain: list[Token] = []
    while i >= 0:
        token = doc[i]
        key = entity_at(doc, token)
        if key == span.kb_id_:
            break
        if token.text in _POSSESSIVE and chain:
            chain.insert(0, token)
            i -= 1
            continue
        if token.is_punct and token.text != "-" or token.is_space or token.pos_ in {
                "ADP", "CCONJ", "SCONJ", "PRON", "AUX", "PART", "PUNCT"}:
            break
        if token.lower_ in _DETERMINERS or token.pos_ == "DET":
            chain.insert(0, token)
            break
        if token.pos_ == "VERB" and token.lower_ not in lexicon.ROLE_MODIFIERS:
            break
        if key and entities_of(doc)[key].kind == "person":
            break
        if token.pos_ not in _CHAIN_POS and not key:
            break
        if not key and token.pos_ in {"NOUN", "ADJ", "ADV", "VERB"} and \
                token.lower_ not in lexicon.ROLE_NOUNS | lexicon.ROLE_MODIFIERS | \
                lexicon.FORMER_WORDS and not token.is_title and not chain:
            break
        chain.insert(0, token)
        i -= 1
    while chain and (chain[0].lower_ in _DETERMINERS or chain[0].text in _POSSESSIVE):
        chain = chain[1:]
    nearest = next((t for t in reversed(chain) if not t.is_punct), None)
    if nearest is None or nearest.lower_ not in lexicon.ROLE_NOUNS or \
            _party_key(doc, nearest):
        return []
    return chain


def _first_conjunct(doc: Doc, span: Span) -> Span | None:
    """The person "Jane Doe" in "Jane Doe and John Roe", when ``span`` is "John Roe"."""
    root = span.root
    if root.dep_ != "conj":
        return None
    head = root.head
    key = entity_at(doc, head)
    if not key or entities_of(doc)[key].kind != "person":
        return None
    return next((s for s in mention_spans(doc) if s.start <= head.i < s.end), None)


def _appositive_head(doc: Doc, span: Span) -> Token | None:
    """The head of "…, a Labour councillor for X," right after the name."""
    for child in span.root.children:
        if child.dep_ == "appos" and child.i >= span.end and \
                entity_at(doc, child) != span.kb_id_:
            if _person_key(doc, child):
                return None
            if child.like_num:
                continue  # "Jane Doe, 45, a Labour councillor": the age comes first
            return child
    # The parser sometimes hangs the apposition elsewhere: read the tokens.
    i = span.end
    if i < len(doc) and doc[i].text in _POSSESSIVE:
        return None
    if i + 3 < len(doc) and doc[i].text == "," and doc[i + 1].like_num and \
            doc[i + 2].text == ",":
        i += 2  # ", 45,"
    if i + 1 >= len(doc) or doc[i].text != ",":
        return None
    j = i + 1
    if doc[j].lower_ not in _DETERMINERS:
        return None
    while j + 1 < len(doc) and not doc[j + 1].is_punct and doc[j + 1].pos_ in \
            {"ADJ", "NOUN", "PROPN", "DET", "ADV"} and not _person_key(doc, doc[j + 1]):
        j += 1
    head = doc[j]
    if head.lower_ in lexicon.ROLE_NOUNS or _party_key(doc, head):
        return head
    return None


def _in_clause(token: Token, head: Token) -> bool:
    """Is ``token`` inside a relative or other clause hanging from ``head``'s phrase?"""
    node = token
    while node.i != head.i and node.head.i != node.i:
        if node.dep_ in {"relcl", "acl", "advcl", "ccomp", "appos", "conj", "cc"} and \
                node.i != head.i:
            return True
        node = node.head
    return False


def _trim(tokens: Iterable[Token]) -> list[Token]:
    tokens = sorted(tokens, key=lambda t: t.i)
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens = tokens[:-1]
    while tokens and (tokens[0].is_punct or tokens[0].is_space):
        tokens = tokens[1:]
    return tokens


def _governs(head: Token, token: Token) -> bool:
    return any(a.i == head.i for a in token.ancestors)


def _objects(verb: Token) -> list[tuple[str | None, Token]]:
    """(preposition or None, object) pairs of a verb: its direct objects and prep objects."""
    found: list[tuple[str | None, Token]] = []
    for child in verb.children:
        if child.dep_ in {"dobj", "attr"}:
            found.append((None, child))
        elif child.dep_ in {"prep", "agent"}:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    found.append((child.lower_, obj))
                    found += [(child.lower_, c) for c in obj.children if c.dep_ == "conj"]
    return found


def _passive(verb: Token) -> bool:
    return any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children) or (
        verb.tag_ == "VBN" and verb.dep_ in {"acl", "relcl"})


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def _irrealis(verb: Token) -> bool:
    """"could quit", "hopes to join", "whether to leave": not (yet) a fact."""
    if any(c.dep_ == "aux" and c.lower_ in lexicon.IRREALIS_HEADS for c in verb.children):
        return True
    if any(c.dep_ == "mark" and c.lower_ in {"whether", "if"} for c in verb.children):
        return True
    head = verb
    for _ in range(3):
        if head.dep_ not in {"xcomp", "ccomp", "pcomp", "advcl", "conj"} or head.head.i == head.i:
            return False
        head = head.head
        if lemma_of(head) in lexicon.IRREALIS_HEADS | lexicon.NON_EVENT_HEADS:
            return True
    return False


def _completed(verb: Token) -> bool:
    """A leaving that has happened: past tense or perfect, not "considering leaving"."""
    if _negated(verb) or _irrealis(verb):
        return False
    return verb.tag_ in {"VBD", "VBN"} or any(c.lower_ in {"has", "have", "had"}
                                             for c in verb.children if c.dep_ == "aux")


def _under_non_event(token: Token) -> bool:
    """"spared suspension", "calls for his suspension", "could face suspension"."""
    head = token
    for _ in range(3):
        if head.head.i == head.i:
            return False
        head = head.head
        if lemma_of(head) in lexicon.NON_EVENT_HEADS:
            return True
        if head.pos_ == "VERB" and head.dep_ not in {"prep", "pobj"}:
            return False
    return False


def _people_in(doc: Doc, token: Token) -> list[tuple[str, Span]]:
    """People named in a phrase and its conjuncts and appositions ("A, B and C")."""
    spans = [s for s in mention_spans(doc) if s.label_ == "person"]
    indices = {t.i for t in token.subtree}
    return [(s.kb_id_, s) for s in spans if s.start in indices]


def _own_words_hit(doc: Doc, token: Token, direct: bool):
    """In a speaker's words: "(resigning) my membership", "our party", "leave/remain in the
    party". Returns (party token or None, former, first index, last index) or None."""
    lower = token.lower_
    if lower in {"membership", "party"} and any(
            c.dep_ == "poss" and c.lower_ in {"my", "our"} for c in token.children):
        owner = next(c for c in token.children if c.dep_ == "poss")
        head = token.head
        former = lower == "membership" and lemma_of(head) in {
            "resign", "cancel", "quit", "end", "tear", "give", "hand", "rip", "terminate",
            "leave"} and not _negated(head) and not _irrealis(head)
        first = min(owner.i, head.i if former else token.i)
        last = max(token.i, head.i if former else token.i)
        return None, former, first, last
    if token.pos_ != "VERB":
        return None
    lemma = lemma_of(token)
    if lemma not in lexicon.LEAVE_VERBS | lexicon.STAY_VERBS:
        return None
    subject = next((c for c in token.children if c.dep_ in _SUBJECT_DEPS), None)
    if subject is not None and subject.lower_ not in {"i", "me", "we", "he", "she"}:
        return None
    for prep, obj in _objects(token):
        if lemma in lexicon.LEAVE_VERBS and prep not in {None, "from"}:
            continue
        if lemma in lexicon.STAY_VERBS and prep != "in":
            continue
        if not (_party_key(doc, obj) or obj.lower_ == "party"):
            continue
        former = lemma in lexicon.LEAVE_VERBS and _completed(token)
        return (obj if _party_key(doc, obj) else None), former, token.i, obj.i
    return None




@Language.factory(
    "polgraph_roles",
    default_config={"entries": []},
    assigns=["doc._.polgraph_memberships"],
    requires=["doc.sents", "token.dep", "doc.spans"],
)
def make_roles(nlp: Language, name: str, entries: list[dict]) -> RoleExtractor:
    """Memberships and roles from appositions, premodifiers and possessives."""
    return RoleExtractor(nlp, entries)

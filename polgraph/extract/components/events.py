"""``polgraph_events``: what happened, to whom or by whom, and when.

Triggers are verbs and nouns of political news (:mod:`polgraph.extract.lexicon`):
suspension, expulsion, resignation ("quit the party", "Resigning my membership"), visit
("visited the ward", "was supposed to come here tomorrow"), ruling ("the ruling on X"),
review ("conduct a fresh review"), report, vote, campaign ("ran a negative campaign"),
apology demands ("called for X to apologise", "he should have apologised") and public
acts reported as events of their own (type ``other``: appearing on a programme, conceding
defeat, thanking voters, a public row, an appeal, a statement). Election events come from
the results the article reports (one per winner and area; the person when a person won or
lost) and from elections named without results ("the general election in 2017").

What did not happen is no event: "spared expulsion", "calls for his suspension",
"considering leaving", "could face suspension". ``who`` is an entity (a pronoun or "the
Labour leader" only when :mod:`salience` resolves it); an event with nobody is kept only for
an election. Dates come from the event's own clause, normalised against the article date
(:mod:`polgraph.extract.dates`); a date the text does not give stays unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc, Token

from polgraph.extract import lexicon
from polgraph.extract.components.doc_state import doc_text, entities_of, entity_at
from polgraph.extract.components.results import election_mentions, lemma_of
from polgraph.extract.components.salience import Salience, anaphor_kinds
from polgraph.extract.components.syntax import passive_subject, sentence_text
from polgraph.extract.dates import find_dates
from polgraph.extract.findings import Event, Evidence

EXTRACTOR = "events"
ACTOR_KINDS = {"person", "party", "council", "party-body", "community-group", "parliament",
               "government", "organisation", "media"}
_SUBJECT_DEPS = {"nsubj", "csubj"}
_RESULT_EVENT_KINDS = {"won-control", "retained-control", "lost-control", "won-seat",
                       "lost-seat", "held-seat", "gained-seats"}
_WINNING = ["won-control", "retained-control", "won-seat", "held-seat", "gained-seats"]
_REVIEW_VERBS = {"conduct", "launch", "order", "open", "begin", "start", "announce",
                 "commission", "hold", "carry", "set"}
_REPORT_VERBS = {"publish", "release", "issue", "produce", "write", "find", "conclude"}
_CAMPAIGN_VERBS = {"run", "launch", "lead", "wage", "mount", "fight", "stage"}
_STATEMENT_VERBS = {"issue", "release", "publish", "put"}
_PUBLIC_ACTS = {"thank", "congratulate"}
_MODALS = {"could", "would", "might", "may", "will", "shall", "can"}
#: Lemmas of the verbs ``_verb`` can make an event of (its branches and ``_other``'s).
_EVENT_LEMMAS = frozenset({
    "suspend", "expel", "resign", "quit", "leave", "visit", "tour", "come", "go", "rule",
    "review", "investigate", "vote", "campaign", "elect", "re-elect", "appear", "concede",
    "have", "say", *_PUBLIC_ACTS, *lexicon.APPEAL_VERBS, *_STATEMENT_VERBS})
#: Confidence by how the event is found.
CONFIDENCE = {"verb": 0.75, "noun": 0.65, "result": 0.8, "named-election": 0.6,
              "other": 0.6, "anaphor": 0.6}


@dataclass
class _E:
    type: str
    who: str | None
    first: int
    last: int
    how: str
    clause: list[Token]
    group: str = ""  # what makes two findings the same event


class EventExtractor:
    """The ``polgraph_events`` component."""

    def __call__(self, doc: Doc) -> Doc:
        meta = doc._.polgraph_meta or {}
        anchor = meta.get("date") if isinstance(meta.get("date"), date) else None
        self.doc = doc
        self.records = entities_of(doc)
        self.salience = Salience(doc)
        self.speakers = [(s.evidence.start, s.evidence.end, s.speaker)
                         for s in doc._.polgraph_statements or [] if s.speaker]
        found: list[_E] = []
        for token in doc:
            found += self._verb(token)
            found += self._noun(token)
        found += self._from_results(doc)
        found += self._named_elections(doc, anchor)
        doc._.polgraph_events = self._findings(doc, found, anchor)
        return doc

    # -- verbs ----------------------------------------------------------------------------------
    def _verb(self, token: Token) -> list[_E]:
        lemma = _lemma(token)
        if lemma in lexicon.APOLOGY_WORDS or token.lower_ in lexicon.APOLOGY_WORDS:
            return self._apology(token)  # "to apologise" is often tagged a noun
        if token.pos_ not in {"VERB", "AUX"} and not (
                lemma in lexicon.APPEAL_VERBS and token.dep_ == "ROOT"):
            return []
        if lemma not in _EVENT_LEMMAS:
            return []  # what follows makes nothing of other verbs
        if _negated(token) or _did_not_happen(token):
            return []
        kind = lexicon.EVENT_VERBS.get(lemma)
        if lemma in {"suspend", "expel"}:
            who = self._who(passive_subject(token) if _passive(token) else _object(token))
            return [self._event(kind, who, token, "verb")] if who else []
        if lemma in {"resign", "quit", "leave"}:
            return self._resignation(token, lemma)
        if lemma in {"visit", "tour"} or lemma in {"come", "go"} and _to_a_place(token):
            subject = _subject(token)
            if lemma in {"visit", "tour"} and _purpose(token) or subject is None or \
                    subject.lower_ in {"i", "we"}:
                return []  # "every household we visited": canvassing, not a visit
            who = self._who(subject)
            return [self._event("visit", who, token, "verb")] if who else []
        if lemma in {"rule", "review", "investigate", "vote"}:
            if lemma == "rule" and not any(c.dep_ in {"ccomp", "prep"} for c in token.children):
                return []
            who = self._who(_subject(token))
            return [self._event(kind, who, token, "verb")] if who else []
        if lemma == "campaign" and not _purpose(token):
            who = self._who(_subject(token))
            return [self._event("campaign", who, token, "verb")] if who else []
        if lemma in {"elect", "re-elect"} and (_passive(token) or token.dep_ == "acl"):
            person = passive_subject(token) if token.dep_ != "acl" else token.head
            who = self._who(person)
            if who and self.records[who].kind == "person":
                return [self._event("election", who, token, "verb", group=f"elected:{who}")]
            return []
        return self._other(token, lemma)

    def _resignation(self, token: Token, lemma: str) -> list[_E]:
        """"quit the party", "resigned as leader", "Resigning my membership"."""
        objects = _objects(token)
        if lemma == "leave" and not any(self._is_party_or_post(obj) for _, obj in objects):
            return []
        if lemma == "quit" and objects and not any(self._is_party_or_post(obj)
                                                   for _, obj in objects):
            return []
        subject = _subject(token)
        who = self._who(subject) if subject is not None else self._speaker(token)
        if subject is not None and subject.lower_ in {"i", "we"}:
            who = self._speaker(token)
        return [self._event("resignation", who, token, "verb")] if who else []

    def _is_party_or_post(self, token: Token) -> bool:
        key = entity_at(self.doc, token)
        if key and self.records[key].kind in {"party", "party-body", "parliament",
                                              "government", "council"}:
            return True
        return token.lower_ in lexicon.RESIGN_OBJECTS | lexicon.ROLE_NOUNS

    def _apology(self, token: Token) -> list[_E]:
        """"called for X to apologise", "demanded an apology", "He should have apologised"
        (in a speaker's words): who demands it."""
        node = token
        for _ in range(4):
            if node.head.i == node.i:
                break
            node = node.head
            if lemma_of(node) in lexicon.DEMAND_VERBS and node.pos_ == "VERB":
                who = self._who(_subject(node))
                if who is None and _subject(node) is not None and \
                        _subject(node).lower_ in {"we", "i"}:
                    who = self._speaker(node)
                return [self._event("apology-demand", who, node, "verb",
                                    group=f"apology:{who}")] if who else []
        modal = any(c.dep_ == "aux" and c.lower_ in {"should", "must", "ought"}
                    for c in token.children)
        if modal and not _negated(token):
            who = self._speaker(token)
            return [self._event("apology-demand", who, token, "verb",
                                group=f"apology:{who}")] if who else []
        return []

    def _other(self, token: Token, lemma: str) -> list[_E]:
        """Public acts: "appeared on Sky News", "conceding defeat", "thanking voters", "had a
        public row with X", "implored", "issued a statement"."""
        if lemma == "appear" and any(
                c.dep_ == "prep" and c.lower_ in {"on", "in"} and any(
                    self._kind(o) == "media" for o in c.children if o.dep_ == "pobj")
                for c in token.children):
            act = "appearance"
        elif lemma == "concede" and any(c.lower_ in {"defeat", "election"}
                                        for c in token.children if c.dep_ == "dobj"):
            act = "concession"
        elif lemma in _PUBLIC_ACTS and any(c.dep_ == "dobj" for c in token.children):
            act = lemma
        elif lemma == "have" and any(c.dep_ == "dobj" and c.lower_ in lexicon.CONFLICT_NOUNS
                                     for c in token.children):
            act = "conflict"
        elif lemma in lexicon.APPEAL_VERBS and token.dep_ in {"ROOT", "conj"} and \
                self._speaker_quote_near(token) and not any(c.dep_ == "dobj"
                                                            for c in token.children):
            act = "appeal"
        elif _issues_statement(token, lemma):
            act = "statement"
        else:
            return []
        subject = _subject(token)
        who = self._who(subject)
        if who is None and subject is not None and subject.lower_ in {"we", "i"}:
            who = self._speaker(token)
        if who is None:
            return []
        return [self._event("other", who, token, "other", group=f"{act}:{who}")]

    def _speaker_quote_near(self, token: Token) -> bool:
        """An appeal verb that introduces or closes a direct quote ("“Dig in,” X implored")."""
        return any(s.direct and s.speaker and token.sent.start_char <= s.evidence.start
                   < token.sent.end_char for s in self.doc._.polgraph_statements or [])

    # -- nouns ----------------------------------------------------------------------------------
    def _noun(self, token: Token) -> list[_E]:
        if token.pos_ not in {"NOUN", "PROPN"} or token.dep_ in {"amod", "compound"} and \
                token.lower_ == "ruling":
            return []
        kind = lexicon.EVENT_NOUNS.get(token.lower_)
        if kind is None or _did_not_happen(token):
            return []
        owner = _owner(token)
        if kind in {"suspension", "expulsion", "resignation", "visit"}:
            who = self._who(owner) if owner is not None else None
            if who is None or self._kind_of(who) != "person" and kind != "visit":
                return []
            return [self._event(kind, who, token, "noun", noun=True)]
        if kind == "ruling":
            who = self._ruler(token, owner)
            return [self._event("ruling", who, token, "noun", noun=True,
                                group=f"ruling:{who}")] if who else []
        verb = token.head if token.dep_ in {"dobj", "nsubjpass"} else None
        if kind == "review":
            if verb is None or lemma_of(verb) not in _REVIEW_VERBS:
                return []
            who = self._who(_subject(verb)) or self._who(owner)
            return [self._event("review", who, token, "noun", noun=True,
                                group=f"review:{who}")] if who else []
        if kind == "campaign":
            if verb is None or lemma_of(verb) not in _CAMPAIGN_VERBS:
                return []
            who = self._who(_subject(verb))
            return [self._event("campaign", who, token, "noun", noun=True,
                                group=f"campaign:{who}")] if who else []
        if kind == "report":
            if verb is not None and lemma_of(verb) in _REPORT_VERBS:
                who = self._who(_subject(verb)) or self._who(owner)
            elif token.dep_ == "nsubj" and lemma_of(token.head) in {"find", "conclude",
                                                                        "say", "reveal"}:
                who = self._who(owner) or self._who(_by(token))
            else:
                return []
            return [self._event("report", who, token, "noun", noun=True)] if who else []
        if kind == "vote" and owner is not None:
            who = self._who(owner)
            return [self._event("vote", who, token, "noun", noun=True)] if who else []
        return []

    def _ruler(self, token: Token, owner: Token | None) -> str | None:
        """Who ruled: the body named ("the panel's ruling", "the ruling by the NEC"), else the
        party of the person the ruling is on."""
        by = _by(token)
        for candidate in (owner, by):
            key = self._who(candidate) if candidate is not None else None
            if key and self._kind_of(key) != "person":
                return key
        on = None
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in {"on", "against", "over"}:
                on = next((c for c in child.children if c.dep_ == "pobj"), None)
        subject = on if on is not None else owner
        if subject is None:
            subject = next((c for c in token.children if c.dep_ == "compound"), None)
        person = self._who(subject) if subject is not None else None
        if person and self._kind_of(person) == "person":
            parties = {m.organisation for m in self.doc._.polgraph_memberships or []
                       if m.person == person and not m.former
                       and self._kind_of(m.organisation) == "party"}
            if len(parties) == 1:
                return next(iter(parties))
        return None

    # -- elections ------------------------------------------------------------------------------
    def _from_results(self, doc: Doc) -> list[_E]:
        """One election event per sentence of results: its winner (or the person whose seat
        it was), merged across the article by winner and area."""
        people = doc.user_data.get("polgraph_result_people", {})
        by_sentence: dict[int, list] = {}
        for result in doc._.polgraph_results or []:
            if result.kind not in _RESULT_EVENT_KINDS or result.evidence.confidence < 0.7:
                continue
            span = doc.char_span(result.evidence.start, result.evidence.end,
                                 alignment_mode="expand")
            if span is None or self._quoted(span[0]):
                continue
            by_sentence.setdefault(span[0].sent.start, []).append((result, span))
        found = []
        for items in by_sentence.values():
            items.sort(key=lambda item: item[0].evidence.start)
            ranked = sorted(items, key=lambda item: item[0].kind not in _WINNING)
            person = next((people.get((r.evidence.start, r.evidence.end, r.kind))
                           for r, _ in ranked
                           if people.get((r.evidence.start, r.evidence.end, r.kind))), None)
            winners = sorted((r for r, _ in items if r.kind in _WINNING and r.party),
                             key=lambda r: _WINNING.index(r.kind))
            who = person or (winners[0].party if winners else items[0][0].party)
            if who is None:
                continue
            result, span = items[0]
            first = min(s.start for _, s in items)
            last = max(s.end for _, s in items) - 1
            found.append(_E("election", who, first, last, "result", list(doc[first : last + 1]),
                            group=f"election:{who}:{result.area}" if not person
                            else f"elected:{person}"))
        return found

    def _named_elections(self, doc: Doc, anchor: date | None) -> list[_E]:
        """Elections the article names but reports no result of: "the general election in
        2017", "Votes in the London mayoral election are being counted today"."""
        with_results = {r.election for r in doc._.polgraph_results or []}
        found = []
        seen = set()
        for mention in election_mentions(doc, anchor):
            key = mention.key()
            if key in with_results or key in seen:
                continue
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None:
                continue
            seen.add(key)
            who = None
            if mention.body:
                who = next((k for t in span.sent if (k := entity_at(doc, t)) and
                            self.records[k].name.lower().endswith(mention.body.lower())),
                           None)
            verb = span.root
            while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
                verb = verb.head
            clause = _clause_tokens(verb) if verb.pos_ in {"VERB", "AUX"} else list(span)
            found.append(_E("election", who, span.start, span.end - 1, "named-election",
                            clause, group=f"named:{key}"))
        return found

    # -- who ------------------------------------------------------------------------------------
    def _who(self, token: Token | None) -> str | None:
        if token is None:
            return None
        doc = self.doc
        key = entity_at(doc, token)
        if key and self.records[key].kind in ACTOR_KINDS:
            return key
        for child in token.children:
            if child.dep_ in {"compound", "poss"} and child.i < token.i:
                continue
            if child.dep_ == "appos":
                appos = entity_at(doc, child)
                if appos and self.records[appos].kind in ACTOR_KINDS:
                    return appos
        if token.lower_ in {"who", "that"} and token.head.dep_ == "relcl":
            head = token.head.head
            while head.dep_ == "appos" and head.head.i != head.i:
                head = head.head
            return self._who(head)
        if token.lower_ in {"i", "we", "me", "my"}:
            return self._speaker(token)
        anaphor = anaphor_kinds(token)
        if anaphor is not None:
            kinds, gender = anaphor
            return self.salience.resolve(token, kinds, gender)
        # "the Labour leader": a party role with no name
        if token.lower_ in lexicon.PARTY_ROLE_NOUNS and [c.lower_ for c in token.children
                                                        if c.dep_ == "det"] == ["the"]:
            return self.salience.resolve(token, {"person"})
        return None

    def _speaker(self, token: Token) -> str | None:
        for start, end, speaker in self.speakers:
            if start <= token.idx < end and speaker in self.records:
                return speaker
        return None

    def _quoted(self, token: Token) -> bool:
        return any(s.direct and s.evidence.start <= token.idx < s.evidence.end
                   for s in self.doc._.polgraph_statements or [])

    def _kind(self, token: Token) -> str | None:
        key = entity_at(self.doc, token)
        return self.records[key].kind if key else None

    def _kind_of(self, key: str | None) -> str | None:
        record = self.records.get(key) if key else None
        return record.kind if record else None

    # -- findings -------------------------------------------------------------------------------
    def _event(self, kind: str, who: str, token: Token, how: str, *, noun: bool = False,
               group: str = "") -> _E:
        clause = _clause_tokens(token.head if noun and token.head.pos_ in {"VERB", "AUX"}
                                else token)
        if noun:
            phrase = [t for t in token.subtree]
            first = min(t.i for t in phrase)
            last = max(t.i for t in phrase)
        else:
            first = min(t.i for t in clause)
            last = max(t.i for t in clause)
        return _E(kind, who, first, last, how, clause, group or f"{kind}:{who}")

    def _findings(self, doc: Doc, found: list[_E], anchor: date | None) -> list[Event]:
        events: dict[str, tuple[_E, Event]] = {}
        order = []
        for item in sorted(found, key=lambda e: e.first):
            while item.last > item.first and (doc[item.last].is_punct or doc[item.last].is_space):
                item.last -= 1
            start = doc[item.first].idx
            end = doc[item.last].idx + len(doc[item.last].text)
            when, precision, direction = _date_of(doc, item.clause, anchor,
                                                  _tense(doc, item))
            sentence = sentence_text(doc, start, end)
            confidence = CONFIDENCE[item.how]
            event = Event(
                type=item.type, who=item.who, date=when, date_precision=precision,
                summary=" ".join(doc_text(doc)[start:end].split()),
                evidence=Evidence(start, end, doc_text(doc)[start:end], sentence, EXTRACTOR,
                                  confidence),
            )
            group = item.group
            if item.type == "visit":
                group = self._visit_group(events, item, when, anchor, direction)
            if group in events:
                kept = events[group][1]
                if kept.date is None and event.date is not None:
                    events[group] = (events[group][0], _with_date(kept, event))
                continue
            events[group] = (item, event)
            order.append(group)
        return [events[g][1] for g in order]

    @staticmethod
    def _visit_group(events, item: _E, when: date | None, anchor: date | None,
                     direction: str | None) -> str:
        """Visits by one person: one per date; an undated one is the dated one before the
        article ("visiting earlier in the week" and "coming here on Monday"); with no article
        date, one before it and one ahead ("on Monday", "tomorrow")."""
        base = f"visit:{item.who}"
        if direction == "future" and when is None:
            return f"{base}:ahead"
        if when is None or anchor is not None and when <= anchor:
            past = [g for g in events if g.startswith(base) and not g.endswith(":ahead") and (
                events[g][1].date is None or anchor is not None and events[g][1].date <= anchor)]
            if past:
                return past[0]
        return f"{base}:{when}"


def _issues_statement(token: Token, lemma: str) -> bool:
    """"X issued a statement", "In a statement, X said"."""
    if lemma in _STATEMENT_VERBS and any(c.dep_ == "dobj" and c.lower_ == "statement"
                                         for c in token.children):
        return True
    return lemma == "say" and any(
        c.dep_ == "prep" and c.lower_ == "in" and any(
            o.lower_ == "statement" for o in c.children if o.dep_ == "pobj")
        for c in token.children)


def _with_date(kept: Event, other: Event) -> Event:
    return Event(type=kept.type, who=kept.who, date=other.date,
                 date_precision=other.date_precision, summary=kept.summary,
                 evidence=kept.evidence)


# -- grammar helpers ----------------------------------------------------------------------------
def _clause_tokens(head: Token) -> list[Token]:
    """The head's clause without the clauses inside it (their dates are not its date)."""
    skip = {"ccomp", "relcl", "advcl", "parataxis", "csubj"}
    tokens = []
    for token in head.subtree:
        node = token
        inside = False
        while node.i != head.i:
            if node.dep_ in skip and node.pos_ in {"VERB", "AUX"}:
                inside = True
                break
            node = node.head
        if not inside:
            tokens.append(token)
    # the subject the verb borrows ("Conceding defeat, X told …": X)
    subject = _subject(head) if head.pos_ in {"VERB", "AUX"} else None
    if subject is not None and subject.i not in {t.i for t in tokens}:
        tokens += list(subject.subtree)
    return sorted(tokens, key=lambda t: t.i)


def _tense(doc: Doc, item: _E) -> str | None:
    """"past" or "future" from the clause's verb; None when the clause does not say."""
    verbs = [t for t in item.clause if t.pos_ in {"VERB", "AUX"} and t.dep_ not in
             {"aux", "auxpass"}]
    if not verbs:
        return None
    verb = min(verbs, key=lambda t: t.i if t.dep_ == "ROOT" else t.i + len(doc))
    auxes = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    if auxes & {"will", "shall", "'ll", "’ll"} or any(
            lemma_of(t) in {"due", "set", "plan", "expect", "suppose"} for t in verb.ancestors):
        return "future"
    if verb.tag_ == "VBD" or auxes & {"has", "have", "had", "was", "were"}:
        return "past"
    return None


def _date_of(doc: Doc, clause: list[Token], anchor: date | None, tense: str | None = None
             ) -> tuple[date | None, str | None, str | None]:
    """The date the clause gives, its precision, and which way it points (past/future)."""
    if not clause:
        return None, None, None
    start = clause[0].idx
    end = clause[-1].idx + len(clause[-1].text)
    indices = {t.i for t in clause}
    for mention in find_dates(doc_text(doc)[start:end], anchor, tense):
        span = doc.char_span(start + mention.start, start + mention.end,
                             alignment_mode="expand")
        if span is None or not any(t.i in indices for t in span):
            continue
        if mention.date is not None:
            return mention.date.value, mention.date.precision, mention.direction
        return None, None, mention.direction  # "last week": the clause gives no day
    return None, None, None


def _subject(verb: Token | None) -> Token | None:
    """A verb's subject, borrowed through participles, infinitives and conjuncts ("bowed to
    pressure to conduct a review": the subject of "bowed")."""
    seen = 0
    node = verb
    while node is not None and seen < 6:
        deps = _SUBJECT_DEPS if seen == 0 else _SUBJECT_DEPS | {"nsubjpass"}
        subject = next((c for c in node.children if c.dep_ in deps), None)
        if subject is not None:
            return subject
        if node.dep_ in {"conj", "xcomp", "advcl", "acl", "pcomp", "pobj", "prep", "dobj"} \
                and node.head.i != node.i:
            node = node.head
            seen += 1
            continue
        return None
    return None


def _lemma(token: Token) -> str:
    """The lemma, also of a rare past tense the tagger took for a noun ("implored")."""
    lemma = lemma_of(token)
    if token.pos_ in {"VERB", "AUX"} or not token.lower_.endswith("ed"):
        return lemma
    for guess in (token.lower_[:-1], token.lower_[:-2]):
        if guess in lexicon.APPEAL_VERBS:
            return guess
    return lemma




def _object(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ == "dobj"), None)


def _objects(verb: Token) -> list[tuple[str | None, Token]]:
    found: list[tuple[str | None, Token]] = []
    for child in verb.children:
        if child.dep_ in {"dobj", "attr"}:
            found.append((None, child))
        elif child.dep_ == "prep":
            found += [(child.lower_, o) for o in child.children if o.dep_ == "pobj"]
    return found


def _owner(token: Token) -> Token | None:
    """"X's suspension", "the suspension of X", "the X verdict"."""
    for child in token.children:
        if child.dep_ == "poss":
            return child
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    for child in token.children:
        if child.dep_ == "compound" and entity_at(token.doc, child):
            return child
    return None


def _by(token: Token) -> Token | None:
    for child in token.children:
        if child.dep_ in {"prep", "agent"} and child.lower_ == "by":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _passive(verb: Token) -> bool:
    return any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children)


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def _purpose(verb: Token) -> bool:
    """"coming here to campaign": an infinitive of purpose, not an event of its own."""
    return verb.dep_ in {"advcl", "xcomp", "acl"} and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) and \
        lemma_of(verb.head) not in {"suppose", "due", "set", "expect"}


def _to_a_place(verb: Token) -> bool:
    """"come here", "came to Barnet", "went to the count": a visit."""
    if any(c.dep_ == "advmod" and c.lower_ == "here" for c in verb.children):
        return True
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "to":
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            key = entity_at(verb.doc, obj) if obj is not None else None
            if key and entities_of(verb.doc)[key].kind in {
                    "ward", "constituency", "council-area", "city", "region", "place",
                    "country"}:
                return True
            if obj is not None and not key and obj.is_title and obj.pos_ == "PROPN":
                return True
    return False


def _did_not_happen(token: Token) -> bool:
    """"spared expulsion", "calls for his suspension", "considering leaving", "could face
    suspension", "we want him to come", "if his visit was flagged up"."""
    if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in token.children):
        return True
    if any(c.dep_ == "mark" and c.lower_ in {"if", "whether", "unless"}
           for c in token.children):
        return True
    node = token
    for _ in range(4):
        if node.head.i == node.i:
            return False
        node = node.head
        lemma = lemma_of(node)
        if lemma in lexicon.NON_EVENT_HEADS or node.lower_ in {"verge", "brink", "threat"}:
            return True
        if any(c.dep_ == "mark" and c.lower_ in {"if", "whether", "unless"}
               for c in node.children):
            return True
        if node.pos_ in {"VERB", "AUX"} and node.dep_ not in {"xcomp", "advcl", "pcomp",
                                                              "ccomp", "conj", "acl"}:
            return False
    return False




@Language.factory(
    "polgraph_events",
    assigns=["doc._.polgraph_events"],
    requires=["doc.sents", "token.dep", "doc.spans"],
)
def make_events(nlp: Language, name: str) -> EventExtractor:
    """Political events with who and a date normalised against the article's date."""
    return EventExtractor()

"""``polgraph_quotes``: direct quotes and reported speech, with their speakers.

Direct quotes come from :mod:`polgraph.extract.quotemarks`; each is attributed from the
speech cue outside the marks in its own sentence ("X said:", "“…,” said X", "X told the
BBC:", "X wrote on Twitter:", "He said:"), from a cue paragraph ending in a colon, or, for a
quote with no cue, from the quote before it in the same paragraph or in the paragraph it
carries on. Reported speech comes from the parse: a speech verb with a clause ("X said
(that) …", "his claim that …", "According to X, …", "X called for …"). A speaker is named
only when the subject is a known entity or an anaphor that resolves without doubt
(:mod:`salience`); otherwise the statement stays unattributed, with the describing phrase
("An unnamed Labour figure") when there is one.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

from polgraph.extract import lexicon
from polgraph.extract.components.doc_state import (
    doc_text,
    entities_of,
    entity_at,
    mention_offsets,
    tokens_with,
)
from polgraph.extract.components.salience import Salience, anaphor_kinds
from polgraph.extract.components.syntax import sentence_text
from polgraph.extract.findings import Evidence, Statement
from polgraph.extract.quotemarks import QuoteSegment, find_quotes, paragraphs

SPEAKER_KINDS = {"person", "party", "council", "party-body", "community-group", "parliament",
                 "government", "organisation", "media"}
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_EVALUATIVE = {"blame", "accuse", "urge", "criticise", "criticize", "condemn", "praise"}


@dataclass
class Attribution:
    speaker: str | None
    description: str | None
    medium: str | None
    confidence: float
    how: str


class QuoteExtractor:
    """The ``polgraph_quotes`` component."""

    def __init__(self, nlp: Language, direct_confidence: float, anaphor_confidence: float,
                 reported_confidence: float) -> None:
        self.direct_confidence = direct_confidence
        self.anaphor_confidence = anaphor_confidence
        self.reported_confidence = reported_confidence

    def __call__(self, doc: Doc) -> Doc:
        segments = find_quotes(doc_text(doc))
        # the tokens inside a (not nested) quote
        self.quoted_tokens = _indices_inside(doc, [s for s in segments if not s.nested])
        salience = Salience(doc, [(s.start, s.end) for s in segments if not s.nested])
        statements = self._direct(doc, segments, salience)
        statements += self._reported(doc, segments, salience)
        doc._.polgraph_statements = sorted(
            statements, key=lambda s: (s.evidence.start, s.evidence.end, s.direct)
        )
        return doc

    # -- direct quotes ---------------------------------------------------------------------
    def _direct(self, doc: Doc, segments: list[QuoteSegment], salience: Salience):
        statements: list[Statement] = []
        outer = [s for s in segments if not s.nested]
        paras = paragraphs(doc_text(doc))
        last: dict[int, Attribution] = {}  # paragraph → attribution of its last quote
        for segment in segments:
            if segment.nested:
                parent = next((o for o in outer if o.start <= segment.start < o.end), None)
                attribution = Attribution(None, "quoted within another quote", None, 0.6,
                                          "nested")
                if parent is not None:
                    attribution.medium = None
            else:
                attribution = self._attribute(doc, segment, paras, salience)
                if attribution is None:
                    p_start = paras[segment.paragraph][0]
                    opens = not doc_text(doc)[p_start:segment.start].strip(" \"“”'‘’„")
                    attribution = self._carry_on(segment, last, opens)
                last[segment.paragraph] = attribution
            if attribution.speaker:
                span = doc.char_span(segment.start, segment.end, alignment_mode="expand")
                if span is not None:
                    salience.note_speaker(span.sent, attribution.speaker)
            statements.append(self._statement(doc, segment.start, segment.end, True, attribution,
                                              "quotes.direct"))
        self._headline_echoes(doc, statements)
        return statements

    def _cue_tokens(self, doc: Doc, segment: QuoteSegment, paras) -> list[Token]:
        p_start, p_end = paras[segment.paragraph]
        span = doc.char_span(segment.start, segment.end, alignment_mode="expand")
        if span is None:
            return []
        first = span[0].sent
        last = span[-1].sent
        tokens = [t for t in doc[first.start : last.end]
                  if p_start <= t.idx < p_end and t.i not in self.quoted_tokens]
        if not any(t.is_alpha for t in tokens) and doc_text(doc)[p_start:segment.start].strip(
                " \"“”'‘’") == "" and segment.paragraph > 0:
            # A cue paragraph ending in a colon introduces the quote below it.
            q_start, q_end = paras[segment.paragraph - 1]
            if doc_text(doc)[q_start:q_end].rstrip().endswith(":"):
                before = doc.char_span(q_start, q_end, alignment_mode="expand")
                if before is not None:
                    tokens = [t for t in before[-1].sent if t.i not in self.quoted_tokens]
        return tokens

    def _attribute(self, doc, segment, paras, salience) -> Attribution | None:
        tokens = self._cue_tokens(doc, segment, paras)
        cue = {t.i for t in tokens}
        medium_from_report = None
        if _after_appeal(doc, segment):
            # "despite pleas for people to “stay and fight”": whoever pleaded is not named.
            return Attribution(None, None, None, 0.6, "appeal")
        claim = _nearest_claim(tokens, segment)
        governors = [g for g in _governors(doc, segment, cue)
                     if _is_speech_verb(g) or g.lower_ in lexicon.CLAIM_NOUNS
                     or g.lower_ in lexicon.APPEAL_NOUNS]
        if claim is not None and (not governors or
                                  _distance(claim, segment) < _distance(governors[0], segment)):
            governors.insert(0, claim)
        for governor in governors:
            found = self._from_cue(governor, tokens, salience)
            if found is not None:
                return found
        verbs = [t for t in tokens if _is_speech_verb(t)]
        verbs.sort(key=lambda t: (_subject(t) is None, _distance(t, segment)))
        if claim is not None and (not verbs or _distance(claim, segment) <
                                  _distance(verbs[0], segment)):
            found = self._from_cue(claim, tokens, salience)
            if found is not None:
                return found
        for verb in verbs:
            subject, stated = _speaker_token(verb)
            if subject is None:
                if stated:
                    return Attribution(None, None, None, 0.6, "passive")
                continue
            if _is_media_report(verb, subject):
                # "…,” the Daily Bugle reported": the outlet is the medium, not the speaker.
                medium_from_report = entity_at(doc, subject)
                continue
            attribution = self._speaker(subject, salience)
            if attribution is not None:
                attribution.medium = _medium(tokens, verb, attribution.speaker, doc) or \
                    medium_from_report
                return attribution
        return None

    def _from_cue(self, governor: Token, tokens, salience) -> Attribution | None:
        """A speech verb or claim noun whose clause contains the quote."""
        if governor.pos_ == "NOUN" and governor.lower_ in lexicon.CLAIM_NOUNS | \
                lexicon.APPEAL_NOUNS:
            owner = next((c for c in governor.children if c.dep_ == "poss"), None)
            if owner is not None:
                return self._speaker(owner, salience)
            if governor.lower_ in lexicon.APPEAL_NOUNS:
                # "despite pleas for people to “stay”": whoever pleaded is not named.
                return Attribution(None, None, None, 0.6, "appeal")
            return None
        if not _is_speech_verb(governor):
            return None
        subject, stated = _speaker_token(governor)
        if subject is None:
            return Attribution(None, None, None, 0.6, "passive") if stated else None
        if _is_media_report(governor, subject):
            return None
        attribution = self._speaker(subject, salience)
        if attribution is not None:
            attribution.medium = _medium(tokens, governor, attribution.speaker, governor.doc)
        return attribution

    def _speaker(self, subject: Token, salience: Salience) -> Attribution | None:
        doc = subject.doc
        records = entities_of(doc)
        key = entity_at(doc, subject)
        if key and records[key].kind in SPEAKER_KINDS:
            return Attribution(key, None, None, self.direct_confidence, "named")
        # "The Conservative leader, Jane Roe, said": the apposition names the speaker.
        named = [entity_at(doc, c) for c in subject.children if c.dep_ == "appos"]
        named = [k for k in named if k and records[k].kind in SPEAKER_KINDS]
        if len(named) == 1:
            return Attribution(named[0], None, None, self.direct_confidence, "named")
        anaphor = anaphor_kinds(subject)
        if anaphor is not None:
            kinds, gender = anaphor
            resolved = salience.resolve(subject, kinds, gender)
            if resolved:
                return Attribution(resolved, None, None, self.anaphor_confidence, "anaphor")
            return Attribution(None, None, None, 0.55, "unresolved")
        if subject.lower_ in {"who", "that"} and subject.head.dep_ == "relcl":
            # "members who said …": the relative clause's antecedent speaks.
            antecedent = subject.head.head
            key = entity_at(doc, antecedent)
            if key and records[key].kind in SPEAKER_KINDS:
                return Attribution(key, None, None, self.direct_confidence, "named")
            tokens = [t for t in antecedent.subtree if t.i < subject.i and not t.is_punct]
            start, end = _char_range(tokens or [antecedent])
            return Attribution(None, doc_text(doc)[start:end], None, 0.75, "described")
        if subject.lower_ in {"i", "we", "you", "they", "it", "who", "that", "which"}:
            return None
        description = _phrase(subject)
        return Attribution(None, description, None, 0.8, "described")

    @staticmethod
    def _carry_on(segment: QuoteSegment, last: dict[int, Attribution],
                  opens_paragraph: bool) -> Attribution:
        same = last.get(segment.paragraph)
        if same is not None:
            return Attribution(same.speaker, same.description, same.medium,
                               round(same.confidence * 0.95, 2), "same-paragraph")
        previous = last.get(segment.paragraph - 1)
        if (segment.continued or opens_paragraph) and previous is not None \
                and previous.how != "none":
            return Attribution(previous.speaker, previous.description, previous.medium,
                               round(previous.confidence * 0.9, 2), "continued")
        return Attribution(None, None, None, 0.55, "none")

    @staticmethod
    def _headline_echoes(doc: Doc, statements: list[Statement]) -> None:
        """A headline quote with no cue takes the speaker of the same words in the body."""
        for n, statement in enumerate(statements):
            if statement.speaker or statement.speaker_description:
                continue
            same = [s for s in statements if s.speaker and _norm(s.text) == _norm(statement.text)
                    and s is not statement]
            speakers = {s.speaker for s in same}
            if len(speakers) == 1:
                source = same[0]
                evidence = statement.evidence
                statements[n] = Statement(
                    text=statement.text, direct=True, speaker=source.speaker,
                    medium=source.medium, about=statement.about,
                    evidence=Evidence(evidence.start, evidence.end, evidence.text,
                                      evidence.sentence, "quotes.echo", 0.6),
                )

    # -- reported speech -------------------------------------------------------------------
    def _reported(self, doc: Doc, segments: list[QuoteSegment], salience: Salience):
        statements = []
        seen: set[tuple[int, int]] = set()
        # The tokens _reported_clause can make something of: the others give None.
        for token in tokens_with(doc, lower=lexicon.CLAIM_NOUNS | {"according"}, pos={"VERB"}):
            if token.i in self.quoted_tokens:
                continue
            found = self._reported_clause(token)
            if found is None:
                continue
            subject, start, end, text = found
            if _unquoted_words(doc, start, end, self.quoted_tokens) < 1 or \
                    len(text.split()) < 3:
                continue  # the clause is the direct quote itself
            if subject is not None and _is_media_report(token, subject):
                continue  # "…, the Daily Bugle reported": the outlet is not the speaker
            attribution = self._speaker(subject, salience) if subject is not None else \
                Attribution(None, None, None, 0.6, "passive")
            if attribution is None or (start, end) in seen:
                continue
            seen.add((start, end))
            cue_tokens = [t for t in token.sent if not (start <= t.idx < end)]
            attribution.medium = _medium(cue_tokens, token, attribution.speaker, doc)
            attribution.confidence = min(attribution.confidence, self.reported_confidence)
            statements.append(self._statement(doc, start, end, False, attribution,
                                              "quotes.reported", text))
        return statements

    def _reported_clause(self, token: Token):
        lemma = token.lemma_.lower()
        if lemma == "accord" and token.lower_ == "according":
            to = next((c for c in token.children if c.lower_ == "to"), None)
            if to is None:
                return None
            owner = next((c for c in to.children if c.dep_ == "pobj"), None)
            sentence = token.sent
            rest = [t for t in sentence if t.i > max(x.i for x in token.subtree)
                    and not t.is_punct or t.i > max(x.i for x in token.subtree) + 1]
            if owner is None or not rest:
                return None
            start, end = _char_range(rest)
            return owner, start, end, doc_text(token.doc)[start:end]
        if token.pos_ == "NOUN" and token.lower_ in lexicon.CLAIM_NOUNS:
            owner = next((c for c in token.children if c.dep_ == "poss"), None)
            clause = next((c for c in token.children if c.dep_ in {"acl", "ccomp", "relcl"}
                           and any(m.lower_ == "that" and m.dep_ == "mark" for m in c.children)),
                          None)
            if owner is None:
                return None
            if clause is None:
                # "his claim last week that …": the parser may hang the clause elsewhere.
                that = next((t for t in token.doc[token.i + 1 : token.i + 5]
                             if t.lower_ == "that" and t.dep_ == "mark"), None)
                clause = that.head if that is not None else None
            if clause is None:
                return None
            return _clause(owner, clause)
        if token.pos_ != "VERB":
            return None
        subject = _subject(token)
        # Passive ("X was told that …", "it was claimed that …"): the agent speaks, never
        # the grammatical subject; with no agent the statement is unattributed.
        speaker, stated = _speaker_token(token)
        if lemma in lexicon.REPORTING_VERBS:
            if lemma == "tell" and not any(c.dep_ in {"dative", "dobj", "iobj"}
                                           for c in token.children) and speaker == subject:
                return None  # "time will tell if …" reports nobody
            clause = next((c for c in token.children if c.dep_ == "ccomp"), None)
            if clause is not None and clause.i > token.i and stated:
                return _clause(speaker, clause)
            if token.dep_ == "parataxis" and stated and token.head.i > token.i:
                return _parenthetical(speaker, token)
            if clause is not None and clause.i < token.i and stated:
                return _clause(speaker, clause)
            return None
        if lemma == "ask" and subject is not None and subject.dep_ == "nsubjpass":
            # "X was asked by Y if …": the question is Y's.
            agent = next((c for c in token.children if c.dep_ == "agent"), None)
            asker = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
            question = next((c for c in token.children if c.dep_ in {"advcl", "ccomp"} and any(
                m.lower_ in {"if", "whether"} for m in c.children)), None)
            if asker is not None and question is not None:
                return _clause(asker, question, keep_first=True)
            return None
        if subject is not None and subject.dep_ == "nsubjpass":
            return None  # "X was called a …", "X was accused of …": X did not speak
        if lemma == "call" and subject is not None:
            # "X called for Y to resign": the preposition, or the clause it marks.
            demand = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "for"
                           or c.dep_ == "advcl" and any(m.lower_ == "for" and m.dep_ == "mark"
                                                        for m in c.children)), None)
            if demand is not None:
                return _clause(subject, demand, keep_first=True)
        if lemma in _EVALUATIVE and subject is not None:
            obj = next((c for c in token.children if c.dep_ == "dobj"), None)
            if obj is not None:
                first = min(t.i for t in obj.subtree)
                tokens = [t for t in token.subtree if t.i >= first and not t.is_punct
                          or first < t.i < max(x.i for x in token.subtree)]
                start, end = _char_range(tokens)
                return subject, start, end, doc_text(token.doc)[start:end]
        return None

    # -- findings --------------------------------------------------------------------------
    def _statement(self, doc: Doc, start: int, end: int, direct: bool, attribution: Attribution,
                   extractor: str, text: str | None = None) -> Statement:
        about = tuple(sorted({
            key for span_start, span_end, key in mention_offsets(doc)
            if start <= span_start and span_end <= end and key != attribution.speaker
        }))
        return Statement(
            text=text if text is not None else doc_text(doc)[start:end],
            direct=direct,
            speaker=attribution.speaker,
            speaker_description=None if attribution.speaker else attribution.description,
            medium=attribution.medium,
            about=about,
            evidence=Evidence(start, end, doc_text(doc)[start:end], sentence_text(doc, start, end),
                              extractor, round(attribution.confidence, 2)),
        )


# -- helpers -------------------------------------------------------------------------------
def _governors(doc: Doc, segment: QuoteSegment, cue: set[int]) -> list[Token]:
    """Cue words that govern the quote in the parse, nearest first."""
    span = doc.char_span(segment.start, segment.end, alignment_mode="expand")
    if span is None:
        return []
    found: list[Token] = []
    for token in span:
        head = token.head
        if span.start <= head.i < span.end:
            continue
        for ancestor in [head, *head.ancestors]:
            if ancestor.i in cue and ancestor not in found:
                found.append(ancestor)
    return found


def _is_media_report(verb: Token, subject: Token) -> bool:
    """"…, the Daily Bugle reported": an outlet reporting is a medium, not a speaker."""
    key = entity_at(verb.doc, subject)
    if not key:
        return False
    kind = entities_of(verb.doc)[key].kind
    lemma = _speech_lemma(verb)
    return (kind == "media" and lemma in {"report", "reveal", "say", "write"}) or (
        kind == "organisation" and lemma == "report")


def _speech_lemma(token: Token) -> str:
    """The verb's lemma, also when the tagger took a rare past tense for a noun."""
    lemma = token.lemma_.lower()
    if lemma in lexicon.SPEECH_VERBS or not token.lower_.endswith("ed"):
        return lemma
    for guess in (token.lower_[:-1], token.lower_[:-2]):
        if guess in lexicon.SPEECH_VERBS:
            return guess
    return lemma


def _is_speech_verb(token: Token) -> bool:
    if _speech_lemma(token) not in lexicon.SPEECH_VERBS:
        return False
    if token.pos_ in {"VERB", "AUX"}:
        return True
    # "“…,” MP Jane Doe implored." – mistagged as a noun, but it heads the clause.
    return token.dep_ == "ROOT" and any(c.dep_ in _SUBJECT_DEPS for c in token.children)


def _after_appeal(doc: Doc, segment: QuoteSegment) -> bool:
    """Does an appeal noun with no owner introduce the quote ("calls for voters to “…”")?"""
    span = doc.char_span(segment.start, segment.end, alignment_mode="expand")
    if span is None:
        return False
    before = doc[max(span.sent.start, span.start - 6) : span.start]
    for token in before:
        if token.lower_ in lexicon.APPEAL_NOUNS and token.pos_ == "NOUN" and not any(
                c.dep_ == "poss" for c in token.children):
            return True
    return False


def _nearest_claim(tokens: list[Token], segment: QuoteSegment) -> Token | None:
    """"his claim that …": a claim noun with an owner, before the quote."""
    claims = [t for t in tokens if t.pos_ == "NOUN" and t.lower_ in lexicon.CLAIM_NOUNS
              and t.idx < segment.start and any(c.dep_ == "poss" for c in t.children)]
    return max(claims, key=lambda t: t.idx) if claims else None


def _indices_inside(doc: Doc, segments) -> set[int]:
    """The indices of the tokens that start inside one of the segments."""
    starts = [token.idx for token in doc]
    inside: set[int] = set()
    for segment in segments:
        inside.update(range(bisect_left(starts, segment.start),
                            bisect_left(starts, segment.end)))
    return inside


def _distance(token: Token, segment: QuoteSegment) -> int:
    if token.idx < segment.start:
        return segment.start - token.idx
    return max(0, token.idx - segment.end)


def _subject(verb: Token) -> Token | None:
    seen = 0
    while verb is not None and seen < 4:
        subject = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)
        if subject is not None:
            return subject
        quoted_as = _quoted_as(verb)
        if quoted_as is not None:
            return quoted_as
        # "to announce …" (purpose) and "…, saying: …" (participle) share the main subject.
        purpose = verb.dep_ == "advcl" and (verb.tag_ == "VBG" or any(
            c.lower_ == "to" and c.dep_ == "aux" for c in verb.children))
        if (verb.dep_ in {"conj", "xcomp"} or purpose) and verb.head is not verb:
            verb = verb.head
            seen += 1
            continue
        return None
    return None


def _quoted_as(verb: Token) -> Token | None:
    """"The paper quoted X as saying …": X speaks, not the paper."""
    if verb.lower_ != "saying" or verb.head.lower_ != "as":
        return None
    quote_verb = verb.head.head
    if quote_verb.lemma_.lower() != "quote":
        return None
    return next((c for c in quote_verb.children if c.dep_ == "dobj"), None)


def _speaker_token(verb: Token) -> tuple[Token | None, bool]:
    """Who speaks with this verb, and whether the verb says so at all.

    Active: its subject. Passive ("X was accused of … by Y"): the agent Y, never X; a
    passive without an agent names no speaker — (None, True) then means "unattributed".
    """
    subject = _subject(verb)
    if subject is None or subject.dep_ != "nsubjpass":
        return subject, subject is not None
    agent = next((c for c in subject.head.children if c.dep_ == "agent"), None)
    pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
    return pobj, True


def _phrase(token: Token) -> str:
    tokens = [t for t in token.subtree if not t.is_punct or t.text in {"-", "’", "'"}]
    start, end = _char_range(tokens)
    return doc_text(token.doc)[start:end].strip()


def _char_range(tokens) -> tuple[int, int]:
    tokens = sorted(tokens, key=lambda t: t.i)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _clause(subject: Token | None, clause: Token, keep_first: bool = False):
    tokens = sorted(clause.subtree, key=lambda t: t.i)
    if not keep_first:
        while tokens and (tokens[0].lower_ == "that" and tokens[0].dep_ == "mark"
                          or tokens[0].is_punct):
            tokens = tokens[1:]
    while tokens and tokens[-1].is_punct and tokens[-1].text not in {"”", "\"", "’", "'"}:
        tokens = tokens[:-1]
    if not tokens:
        return None
    start, end = _char_range(tokens)
    return subject, start, end, doc_text(clause.doc)[start:end]


def _parenthetical(subject: Token | None, verb: Token):
    """"The win, he said, was a sign …": the head clause without the parenthetical cue."""
    cue = {t.i for t in verb.subtree}
    tokens = sorted((t for t in verb.head.subtree if t.i not in cue), key=lambda t: t.i)
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    if not tokens:
        return None
    start, end = _char_range(tokens)
    words: list[str] = []
    for token in verb.doc[tokens[0].i : tokens[-1].i + 1]:
        if token.i in cue or (token.text == "," and token.i + 1 in cue):
            if words and not words[-1].endswith(" "):
                words[-1] += " "
            continue  # ", he said,"
        words.append(token.text + (token.whitespace_ or ""))
    text = " ".join("".join(words).split())
    return subject, start, end, text


def _unquoted_words(doc: Doc, start: int, end: int, quoted_tokens: set[int]) -> int:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return 0
    return sum(1 for t in span if t.is_alpha and t.i not in quoted_tokens)


def _medium(tokens: list[Token], verb: Token, speaker: str | None, doc: Doc) -> str | None:
    records = entities_of(doc)
    candidates = []
    for token in tokens:
        key = entity_at(doc, token)
        if key and key != speaker and records[key].kind == "media":
            candidates.append((abs(token.i - verb.i), key))
    return min(candidates)[1] if candidates else None




def _norm(text: str) -> str:
    return " ".join("".join(ch for ch in text.lower() if ch.isalnum() or ch.isspace()).split())


@Language.factory(
    "polgraph_quotes",
    default_config={"direct_confidence": 0.9, "anaphor_confidence": 0.75,
                    "reported_confidence": 0.75},
    assigns=["doc._.polgraph_statements"],
    requires=["doc.sents", "token.dep", "doc.spans"],
)
def make_quotes(nlp: Language, name: str, direct_confidence: float, anaphor_confidence: float,
                reported_confidence: float) -> QuoteExtractor:
    return QuoteExtractor(nlp, direct_confidence, anaphor_confidence, reported_confidence)

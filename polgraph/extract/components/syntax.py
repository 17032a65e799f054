"""Small readings of the parse that several components share."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from polgraph.extract.components.doc_state import doc_text


def sentence_text(doc: Doc, start: int, end: int) -> str:
    """The text of the sentence(s) that ``doc.text[start:end]`` lies in: an evidence's
    sentence."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return doc_text(doc)[start:end]
    return doc_text(doc)[span[0].sent.start_char : span[-1].sent.end_char]


def passive_subject(verb: Token) -> Token | None:
    """The subject of a passive verb ("X was re-elected" is sometimes parsed with nsubj)."""
    found = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if found is None and any(c.dep_ == "auxpass" for c in verb.children):
        found = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return found

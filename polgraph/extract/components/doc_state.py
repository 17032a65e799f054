"""What the components leave on a ``Doc`` for each other (spaCy custom extensions)."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

MENTIONS = "polgraph_mentions"


@dataclass
class EntityRecord:
    """One entity of the article while the pipeline runs (becomes a findings.Entity)."""

    key: str
    kind: str
    name: str
    aliases: set[str] = field(default_factory=set)
    known_iri: str | None = None
    scope: str = "global"
    gender: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)


def register_extensions() -> None:
    """Register polgraph's Doc attributes once (idempotent)."""
    for name, default in (
        ("polgraph_entities", None),
        ("polgraph_statements", None),
        ("polgraph_memberships", None),
        ("polgraph_results", None),
        ("polgraph_events", None),
        ("polgraph_elections", None),
        ("polgraph_meta", None),
    ):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()


def entities_of(doc: Doc) -> dict[str, EntityRecord]:
    if doc._.polgraph_entities is None:
        doc._.polgraph_entities = {}
    return doc._.polgraph_entities


def mention_spans(doc: Doc) -> list[Span]:
    return list(doc.spans[MENTIONS]) if MENTIONS in doc.spans else []


def entity_at(doc: Doc, token: Token) -> str | None:
    """The key of the entity whose mention covers ``token``, if any."""
    index = doc.user_data.get("polgraph_token_entity")
    if index is None:
        index = {}
        for span in mention_spans(doc):
            for i in range(span.start, span.end):
                index[i] = span.kb_id_
        doc.user_data["polgraph_token_entity"] = index
    return index.get(token.i)


def invalidate_index(doc: Doc) -> None:
    doc.user_data.pop("polgraph_token_entity", None)

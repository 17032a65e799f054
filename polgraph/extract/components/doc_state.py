"""What the components leave on a ``Doc`` for each other (spaCy custom extensions)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.attrs import DEP, LOWER, POS
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

MENTIONS = "polgraph_mentions"
#: What the helpers below derive once per Doc and keep in ``doc.user_data``.
_TEXT = "polgraph_text"
_INDEX = "polgraph_token_entity"
_SPANS = "polgraph_mention_spans"
_OFFSETS = "polgraph_mention_offsets"
_TOKEN_INDEX = "polgraph_token_index"


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


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per Doc (spaCy joins every token's text on each access)."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def tokens_with(doc: Doc, *, lower: Iterable[str] = (), pos: Iterable[str] = (),
                dep: Iterable[str] = ()) -> list[Token]:
    """The tokens, in text order, whose lower-case form, part of speech or dependency label
    is one of those given: the few tokens a rule looks at, without visiting every token."""
    found: set[int] = set()
    for attribute, values in ((LOWER, lower), (POS, pos), (DEP, dep)):
        if values:
            table = _token_table(doc, attribute)
            for value in _value_ids(attribute, frozenset(values)):
                found.update(table.get(value, ()))
    return [doc[i] for i in sorted(found)]


def _token_table(doc: Doc, attribute: int) -> dict[int, list[int]]:
    """Token indices by the value of one attribute (a string id), made once per Doc."""
    tables = doc.user_data.get(_TOKEN_INDEX)
    if tables is None:
        tables = doc.user_data[_TOKEN_INDEX] = {}
    table = tables.get(attribute)
    if table is None:
        table = tables[attribute] = {}
        for i, value in enumerate(doc.to_array(attribute).tolist()):
            table.setdefault(value, []).append(i)
    return table


@lru_cache(maxsize=1024)
def _value_ids(attribute: int, values: frozenset[str]) -> tuple[int, ...]:
    if attribute == POS:
        return tuple(POS_IDS[value] for value in values if value in POS_IDS)
    return tuple(get_string_id(value) for value in values)


def entities_of(doc: Doc) -> dict[str, EntityRecord]:
    records = doc._.polgraph_entities
    if records is None:
        records = doc._.polgraph_entities = {}
    return records


def mention_spans(doc: Doc) -> list[Span]:
    """The mention spans (``doc.spans["polgraph_mentions"]``), made once per Doc until they
    change (see :func:`invalidate_index`)."""
    spans = doc.user_data.get(_SPANS)
    if spans is None:
        spans = doc.user_data[_SPANS] = tuple(doc.spans[MENTIONS]) if MENTIONS in doc.spans \
            else ()
    return list(spans)


def mention_offsets(doc: Doc) -> list[tuple[int, int, str]]:
    """``(start_char, end_char, entity key)`` of every mention span."""
    offsets = doc.user_data.get(_OFFSETS)
    if offsets is None:
        offsets = doc.user_data[_OFFSETS] = [(span.start_char, span.end_char, span.kb_id_)
                                             for span in mention_spans(doc)]
    return offsets


def entity_at(doc: Doc, token: Token) -> str | None:
    """The key of the entity whose mention covers ``token``, if any."""
    index = doc.user_data.get(_INDEX)
    if index is None:
        index = {}
        for span in mention_spans(doc):
            for i in range(span.start, span.end):
                index[i] = span.kb_id_
        doc.user_data[_INDEX] = index
    return index.get(token.i)


def invalidate_index(doc: Doc) -> None:
    """Forget what was derived from the mention spans: call after setting them."""
    for key in (_INDEX, _SPANS, _OFFSETS):
        doc.user_data.pop(key, None)


def forget_derived(doc: Doc) -> None:
    """Drop everything the helpers above keep on a Doc (the findings are collected)."""
    invalidate_index(doc)
    doc.user_data.pop(_TEXT, None)
    doc.user_data.pop(_TOKEN_INDEX, None)

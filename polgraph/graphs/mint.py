"""Deterministic IRIs: the one place where polgraph makes identifiers.

Same input, same IRI: a slug is derived from a canonical name by Unicode normalisation,
case folding and replacing every run of other characters by a hyphen. Nothing random,
nothing that depends on the order in which articles are read.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from rdflib import URIRef

from polgraph.graphs.vocab import ID

#: Entity kinds and the path segment their IRIs live under.
ENTITY_KINDS = (
    "person",
    "party",
    "council",
    "party-body",
    "media",
    "community-group",
    "parliament",
    "government",
    "organisation",
    "ward",
    "constituency",
    "council-area",
    "city",
    "region",
    "country",
    "place",
)

#: Kinds of n-ary and bookkeeping nodes (per article, numbered in text order).
NODE_KINDS = (
    "article",
    "statement",
    "membership",
    "result",
    "event",
    "election",
    "mention",
    "evidence",
    "extraction",
    "extractor",
    "graph",
    "curation",
    "role",
)

_NON_SLUG = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=65536)  # the same names recur in every article's graph
def slugify(text: str) -> str:
    """Turn a name into a stable slug: ``"Sir Keir Starmer"`` → ``"sir-keir-starmer"``.

    Accents are folded (``"Zoë"`` → ``"zoe"``), ``&`` becomes ``and`` and apostrophes vanish
    (``"O'Brien"`` → ``"obrien"``) so that typographic variants of one name meet.
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("&", " and ").replace("'", "").replace("\u2019", "")
    slug = _NON_SLUG.sub("-", text.casefold()).strip("-")
    return slug or "unnamed"


def mint(kind: str, *parts: str | int) -> URIRef:
    """Mint the IRI of a node: ``mint("person", "Ken Livingstone")``.

    ``kind`` is one of :data:`ENTITY_KINDS` or :data:`NODE_KINDS`; each part is slugified,
    except integers, which are kept as they are (``mint("statement", "bury-2016", 3)`` →
    ``…/id/statement/bury-2016/3``).
    """
    if kind not in ENTITY_KINDS and kind not in NODE_KINDS:
        raise ValueError(f"unknown IRI kind {kind!r}")
    if not parts:
        raise ValueError("mint needs at least one part after the kind")
    segments = [str(p) if isinstance(p, int) else slugify(p) for p in parts]
    return ID[f"{kind}/" + "/".join(segments)]


def entity_iri(kind: str, name: str, scope: str | None = None) -> URIRef:
    """The IRI of an entity: global by canonical name, or scoped to one article.

    People known only by a first name (``"Mark"``) are scoped to their article so that two
    different Marks in two articles stay apart.
    """
    return mint(kind, scope, name) if scope else mint(kind, name)

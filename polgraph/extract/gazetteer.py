"""The gazetteer: known entities handed to extraction as plain data.

The curated (hand-written) graph is turned into :class:`GazetteerEntry` objects by
``polgraph.graphs.handwritten.gazetteer_entries``; extraction never imports ``graphs``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GazetteerEntry:
    """A known entity: canonical name, kind (see findings.ENTITY_KINDS), aliases, IRI.

    ``within`` is the canonical name of an enclosing place or parent organisation, if any.
    """

    name: str
    kind: str
    iri: str
    aliases: tuple[str, ...] = ()
    within: str | None = None

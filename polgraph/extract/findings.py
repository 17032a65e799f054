"""Findings: what extraction hands to the graph builder. Plain data, no RDF, no spaCy.

Every finding carries :class:`Evidence`: the character span in the article's stored plain
text, the sentence around it, the extractor that produced it and a confidence in [0, 1].
Facts refer to entities by their ``key`` (see :class:`Entity`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

#: Kinds an entity can have (the gold format's kinds, plus person and party).
PERSON = "person"
PARTY = "party"
ORGANISATION_KINDS = (
    "council",
    "party-body",
    "media",
    "community-group",
    "parliament",
    "government",
    "organisation",
)
PLACE_KINDS = ("ward", "constituency", "council-area", "city", "region", "country", "place")
ENTITY_KINDS = (PERSON, PARTY, *ORGANISATION_KINDS, *PLACE_KINDS)

RESULT_KINDS = (
    "won-control",
    "retained-control",
    "lost-control",
    "no-overall-control",
    "won-seat",
    "lost-seat",
    "held-seat",
    "gained-seats",
    "lost-seats",
    "seat-count",
    "turnout",
)

EVENT_TYPES = (
    "election",
    "suspension",
    "expulsion",
    "resignation",
    "visit",
    "ruling",
    "review",
    "campaign",
    "report",
    "vote",
    "apology-demand",
    "other",
)


@dataclass(frozen=True)
class Evidence:
    """Where a finding comes from: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str
    sentence: str
    extractor: str
    confidence: float


@dataclass(frozen=True)
class Entity:
    """A distinct entity of one article, with every form the article uses for it.

    ``key`` is unique within the article's findings (``"person:ken-livingstone"``); facts
    point at entities by key. ``known_iri`` is set when the entity matched the hand-written
    gazetteer; ``scope`` is ``"article"`` for people named only by a first name.
    """

    key: str
    kind: str
    name: str
    aliases: tuple[str, ...] = ()
    known_iri: str | None = None
    scope: str = "global"
    mentions: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Statement:
    """Something somebody said, as the article reports it: a claim, never a fact.

    ``speaker`` is an entity key, or None; then ``speaker_description`` says what the text
    says of the speaker ("An unnamed Labour figure", "a spokesperson").
    """

    text: str
    direct: bool
    evidence: Evidence
    speaker: str | None = None
    speaker_description: str | None = None
    medium: str | None = None
    about: tuple[str, ...] = ()
    date: date | None = None


@dataclass(frozen=True)
class Membership:
    """A person's membership of a party or organisation, with the role the text gives."""

    person: str
    organisation: str
    evidence: Evidence
    role: str | None = None
    area: str | None = None
    former: bool = False
    suspended: bool = False
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class Election:
    """An election the article speaks of, inferred from its date and text."""

    key: str
    kind: str  # local, general, mayoral, devolved, by-election, assembly
    label: str  # "2018 local elections"
    year: int | None = None
    date: date | None = None


@dataclass(frozen=True)
class Result:
    """An election result the article reports: council control, seats, counts, turnout.

    ``value`` is a seat number for seat kinds and a fraction in [0, 1] for turnout.
    """

    kind: str
    area: str
    evidence: Evidence
    party: str | None = None
    value: float | int | None = None
    election: str | None = None
    seats_contested: int | None = None


@dataclass(frozen=True)
class Event:
    """Something that happened: a suspension, a resignation, a visit, a ruling…"""

    type: str
    evidence: Evidence
    who: str | None = None
    date: date | None = None
    date_precision: str | None = None  # "day", "month", "year"
    summary: str | None = None


@dataclass
class ArticleFindings:
    """Everything extraction found in one article."""

    article_id: str
    entities: list[Entity] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    elections: list[Election] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    extractor_settings: dict[str, str] = field(default_factory=dict)

    def entity(self, key: str) -> Entity:
        for entity in self.entities:
            if entity.key == key:
                return entity
        raise KeyError(key)

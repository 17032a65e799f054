"""``polgraph eval``: how close a build comes to hand-made gold annotations.

The build is read through the contract queries (``mentions``, ``statements``,
``memberships``, ``results``, ``events``); the scoring itself, :func:`evaluate`, is a pure
function of those rows and the gold dicts (format: ``tests/gold/README.md``), so it can be
tested without a build.

Conventions (from the gold README):

* people marked ``mentioned_only`` count neither as found nor as missed, and an extracted
  person matching one is no false hit either;
* a person matches when the names agree after dropping titles (Mr, Sir, Cllr…), or when one
  name's words are all in the other and the surname is the same;
* parties and organisations compare through their usual aliases (Tories = Conservative
  Party, Lib Dems = Liberal Democrats): the aliases of the curated base graphs and those the
  gold file lists, ignoring case, spaces, punctuation and a leading "the";
* a quote is found when its first six words (lower-cased, punctuation dropped, quotation
  marks and apostrophes normalised) occur in an extracted statement of the same article;
  its speaker is right when the names match, or when both leave it unattributed; a quote
  given to a wrong named speaker is *misattributed*, the most serious error;
* a result matches on area (ignoring words like "Council", "ward", "the"), party, kind,
  and value where both give one (turnout in per cent);
* a membership matches on person and party (the role is scored apart);
* an event matches on type and who (a person's or an organisation's name), and on the date
  where both give one.

Each gold item and each extracted row is matched at most once: the best-scoring pairs first
(greedy one-to-one).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from polgraph.errors import UsageError

#: The contract queries the build is read through, with the columns each must give.
CONTRACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "mentions": ("article", "kind", "name"),
    "statements": ("article", "speaker", "quote", "direct", "medium"),
    "memberships": ("article", "person", "party", "role"),
    "results": ("article", "area", "party", "kind", "value", "election"),
    "events": ("article", "type", "who", "date"),
}

#: Scored kinds, in the order they are printed.
KINDS = (
    "people",
    "parties",
    "organisations",
    "places",
    "quotes",
    "quotes-direct",
    "quotes-reported",
    "memberships",
    "results",
    "events",
)

#: What ``--min-f1`` accepts: the kinds (their F1) and ``speakers`` (speaker accuracy).
THRESHOLD_KINDS = (*KINDS, "speakers")

#: Mention kinds (the ``mentions`` query, or an entity kind of findings) → scored family.
MENTION_FAMILIES = {
    "person": "people",
    "party": "parties",
    "council": "organisations",
    "media": "organisations",
    "organisation": "organisations",
    "party-body": "organisations",
    "community-group": "organisations",
    "parliament": "organisations",
    "government": "organisations",
    "ward": "places",
    "constituency": "places",
    "place": "places",
    "council-area": "places",
    "city": "places",
    "region": "places",
    "country": "places",
}

#: How many opening words of a gold quote must occur in an extracted statement.
QUOTE_WORDS = 6

TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady", "baroness", "baron",
    "cllr", "councillor", "rev", "revd", "reverend", "prof", "professor", "rt", "hon", "the",
})
POSTNOMINALS = frozenset({"mp", "msp", "mep", "kc", "qc", "obe", "mbe", "cbe"})
AREA_NOISE = frozenset({
    "the", "council", "councils", "ward", "wards", "borough", "constituency", "city", "of",
    "metropolitan", "royal",
})

_QUOTE_MARKS = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u00b4": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
})
_NOT_WORD = re.compile(r"[^\w]+|_")


# -- results -----------------------------------------------------------------------------------
@dataclass
class Score:
    """Precision, recall and F1 of one kind, with what was missed and what was wrongly found.

    ``misses`` and ``false_hits`` are ``(article, description)`` pairs.
    """

    kind: str
    gold: int = 0
    found: int = 0
    matched: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)
    false_hits: list[tuple[str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self, details: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "gold": self.gold, "found": self.found, "matched": self.matched,
            "precision": round(self.precision, 4), "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }
        if details:
            data["misses"] = [{"article": a, "item": d} for a, d in self.misses]
            data["false_hits"] = [{"article": a, "item": d} for a, d in self.false_hits]
        return data


@dataclass
class SpeakerScore:
    """Speakers of the quotes that were found: right, misattributed or left unattributed.

    ``misattributed`` counts quotes given to a wrong named speaker (whether the gold names
    one or leaves the quote unattributed); ``unattributed`` counts quotes whose gold speaker
    is named but which the build left without one. ``errors`` are ``(article,
    description)`` pairs.
    """

    judged: int = 0
    right: int = 0
    misattributed: int = 0
    unattributed: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.judged if self.judged else 1.0

    def as_dict(self, details: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "judged": self.judged, "right": self.right, "misattributed": self.misattributed,
            "unattributed": self.unattributed, "accuracy": round(self.accuracy, 4),
        }
        if details:
            data["errors"] = [{"article": a, "item": d} for a, d in self.errors]
        return data


@dataclass
class RoleScore:
    """Role agreement of the matched memberships whose gold membership gives a role."""

    judged: int = 0
    agree: int = 0

    @property
    def agreement(self) -> float:
        return self.agree / self.judged if self.judged else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {"judged": self.judged, "agree": self.agree,
                "agreement": round(self.agreement, 4)}


@dataclass
class Report:
    """The scores of a build against a gold set.

    ``articles`` are the gold articles scored; ``missing`` those of them the build has no
    row for; ``unscored`` the build's articles that have no gold file.
    """

    articles: list[str]
    scores: dict[str, Score]
    speakers: SpeakerScore
    roles: RoleScore
    missing: list[str] = field(default_factory=list)
    unscored: list[str] = field(default_factory=list)

    def value(self, kind: str) -> float:
        """The number ``--min-f1`` checks: F1 of a kind, or the speaker accuracy."""
        if kind == "speakers":
            return self.speakers.accuracy
        return self.scores[kind].f1

    def as_dict(self, details: bool = False) -> dict[str, Any]:
        """Plain data for JSON: the same numbers as the text report."""
        return {
            "articles": self.articles,
            "missing": self.missing,
            "unscored": self.unscored,
            "scores": {kind: self.scores[kind].as_dict(details) for kind in KINDS},
            "speakers": self.speakers.as_dict(details),
            "roles": self.roles.as_dict(),
        }


# -- names -------------------------------------------------------------------------------------
def fold(text: str | None) -> str:
    """Lower-case words without accents or punctuation: ``"Sinn Féin’s"`` → ``"sinn feins"``.

    Curly and straight apostrophes vanish (``it’s`` → ``its``), ``&`` is ``and``, any other
    run of non-word characters is one space.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text.translate(_QUOTE_MARKS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("'", "").replace("&", " and ")
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def quote_words(text: str | None) -> list[str]:
    """The words of a quote as they are compared: lower-case, no punctuation."""
    return fold(text).split()


def name_key(name: str | None) -> str:
    """An organisation's or party's name for comparison: folded, no leading "the", no spaces.

    ``"The Huffington Post UK"`` and ``"Huffington Post UK"`` meet, and so do
    ``"LabourList"`` and ``"Labour List"``.
    """
    words = fold(name).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return "".join(words)


def person_words(name: str | None) -> list[str]:
    """A person's name without titles and post-nominals: ``"Sir Jo Bloggs MP"`` → jo bloggs."""
    words = fold(name).split()
    while len(words) > 1 and words[0] in TITLES:
        words = words[1:]
    while len(words) > 1 and words[-1] in POSTNOMINALS:
        words = words[:-1]
    return words


def area_key(name: str | None) -> str:
    """An area's name without words like "Council", "ward", "the": Barnet Council → barnet."""
    words = fold(name).split()
    kept = [w for w in words if w not in AREA_NOISE]
    return "".join(kept or words)


def names_agree(a: str | None, b: str | None) -> bool:
    """Two people's names agree: equal without titles, or one inside the other, same surname."""
    wa, wb = person_words(a), person_words(b)
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return set(short) <= set(long_) and short[-1] == long_[-1]


class Aliases:
    """Usual aliases: any known form of a name → its canonical name.

    Forms compare by :func:`name_key`; a form two entities share is dropped (it says nothing).
    """

    def __init__(self, groups: Iterable[Sequence[str]] = ()) -> None:
        self._canonical: dict[str, str] = {}
        clashes: set[str] = set()
        for names in groups:
            names = [n for n in names if n]
            if not names:
                continue
            canonical = names[0]
            for form in names:
                key = name_key(form)
                if not key:
                    continue
                known = self._canonical.get(key)
                if known is not None and name_key(known) != name_key(canonical):
                    clashes.add(key)
                self._canonical.setdefault(key, canonical)
        for key in clashes:
            del self._canonical[key]

    def canonical(self, name: str | None) -> str | None:
        """The canonical name of ``name``, or ``name`` itself when it is not a known form."""
        if not name:
            return name
        return self._canonical.get(name_key(name), name)

    def forms(self, name: str | None) -> set[str]:
        """``name`` and its canonical name."""
        if not name:
            return set()
        return {name, self.canonical(name) or name}


@functools.lru_cache(maxsize=1)
def default_aliases() -> Aliases:
    """The aliases of polgraph's curated base graphs (parties, places, outlets, people)."""
    from polgraph.graphs.handwritten import base_hand_files, gazetteer_entries, load_hand_files

    entries = gazetteer_entries(load_hand_files(base_hand_files()))
    return Aliases([entry.name, *entry.aliases] for entry in entries)


def _org_match(gold_names: Iterable[str], extracted: str | None, aliases: Aliases) -> int:
    """2 when the extracted name is the gold name, 1 when it is an alias of it, else 0."""
    if not extracted:
        return 0
    names = [n for n in gold_names if n]
    if not names:
        return 0
    if name_key(names[0]) == name_key(extracted):
        return 2
    theirs = {name_key(f) for f in aliases.forms(extracted)}
    for name in names:
        if {name_key(f) for f in aliases.forms(name)} & theirs:
            return 1
    return 0


def _person_match(gold_names: Iterable[str], extracted: str | None, aliases: Aliases) -> int:
    """2 for the same name without titles, 1 for an alias or a contained name, else 0."""
    if not extracted:
        return 0
    names = [n for n in gold_names if n]
    if not names:
        return 0
    if person_words(names[0]) == person_words(extracted):
        return 2
    for name in names:
        for mine in aliases.forms(name):
            for theirs in aliases.forms(extracted):
                if names_agree(mine, theirs):
                    return 1
    return 0


def _area_match(gold: str | None, extracted: str | None, aliases: Aliases) -> bool:
    if not gold or not extracted:
        return False
    return bool({area_key(f) for f in aliases.forms(gold)}
                & {area_key(f) for f in aliases.forms(extracted)})


def _agent_match(gold: str | None, extracted: str | None, aliases: Aliases) -> int:
    """A speaker or an event's subject: a person, a party or an organisation."""
    return max(_person_match([gold or ""], extracted, aliases),
               _org_match([gold or ""], extracted, aliases))


# -- matching ----------------------------------------------------------------------------------
def greedy_match(gold: Sequence[Any], found: Sequence[Any],
                 score: Callable[[Any, Any], Any]) -> list[tuple[int, int]]:
    """Pair gold items with found rows one to one, the best-scoring pairs first.

    ``score(gold_item, row)`` is ``None`` (or false) when the two do not match, else a
    comparable value, higher is better; ties go to the earlier gold item, then row.
    """
    candidates = []
    for i, item in enumerate(gold):
        for j, row in enumerate(found):
            value = score(item, row)
            if value is not None and value is not False and value != 0:
                candidates.append((value, i, j))
    candidates.sort(key=lambda c: c[0], reverse=True)  # stable: ties keep (i, j) order
    used_gold: set[int] = set()
    used_found: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_gold and j not in used_found:
            used_gold.add(i)
            used_found.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def _tally(score: Score, article: str, gold: Sequence, found: Sequence,
           pairs: list[tuple[int, int]], show_gold: Callable, show_found: Callable,
           ignored: frozenset[int] | set[int] = frozenset()) -> None:
    matched_gold = {i for i, _ in pairs}
    matched_found = {j for _, j in pairs}
    score.gold += len(gold)
    score.found += len(found) - len(ignored - matched_found)
    score.matched += len(pairs)
    score.misses.extend((article, show_gold(g)) for i, g in enumerate(gold)
                        if i not in matched_gold)
    score.false_hits.extend((article, show_found(r)) for j, r in enumerate(found)
                            if j not in matched_found and j not in ignored)


# -- the kinds ---------------------------------------------------------------------------------
def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _truthy(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes")


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _score_entities(scores: dict[str, Score], article: str, gold: Mapping,
                    mentions: Sequence[Mapping], aliases: Aliases) -> None:
    by_family: dict[str, list[Mapping]] = {family: [] for family in
                                           ("people", "parties", "organisations", "places")}
    for row in mentions:
        family = MENTION_FAMILIES.get(_text(row.get("kind")))
        if family:
            by_family[family].append(row)

    def names(item: Mapping) -> list[str]:
        return [_text(item.get("name")), *(_text(a) for a in item.get("aliases") or ())]

    def show(row: Mapping) -> str:
        return _text(row.get("name"))

    # People: mentioned-only people are neither found nor missed.
    people = [p for p in gold.get("people") or () if not p.get("mentioned_only")]
    passing = [p for p in gold.get("people") or () if p.get("mentioned_only")]
    rows = by_family["people"]

    def person(item: Mapping, row: Mapping) -> int:
        return _person_match(names(item), row.get("name"), aliases)

    pairs = greedy_match(people, rows, person)
    taken = {j for _, j in pairs}
    rest = [j for j in range(len(rows)) if j not in taken]
    ignored = {rest[j] for _, j in
               greedy_match(passing, [rows[j] for j in rest], person)}
    _tally(scores["people"], article, people, rows, pairs,
           lambda p: _text(p.get("name")), show, ignored)

    def organisation(item: Mapping, row: Mapping) -> int:
        return _org_match(names(item), row.get("name"), aliases)

    def place(item: Mapping, row: Mapping) -> int:
        extracted = row.get("name")
        if name_key(item.get("name")) == name_key(extracted):
            return 2
        return 1 if any(_area_match(n, extracted, aliases) for n in names(item)) else 0

    for family, matches in (("parties", organisation), ("organisations", organisation),
                            ("places", place)):
        items = list(gold.get(family) or ())
        rows = by_family[family]
        _tally(scores[family], article, items, rows, greedy_match(items, rows, matches),
               lambda g: _text(g.get("name")), show)


def _quote_found(gold_words: list[str], row_words: list[str]) -> tuple[bool, bool]:
    """(found anywhere, found at the start) for the gold quote's opening words."""
    if not gold_words or not row_words:
        return False, False
    needle = " " + " ".join(gold_words) + " "
    hay = " " + " ".join(row_words) + " "
    return needle in hay, hay.startswith(needle)


def _score_quotes(scores: dict[str, Score], speakers: SpeakerScore, article: str,
                  gold: Mapping, statements: Sequence[Mapping], aliases: Aliases) -> None:
    quotes = list(gold.get("quotes") or ())
    gold_words = [quote_words(q.get("text_start"))[:QUOTE_WORDS] for q in quotes]
    row_words = [quote_words(r.get("quote")) for r in statements]

    def score(i: int, j: int) -> tuple | None:
        anywhere, at_start = _quote_found(gold_words[i], row_words[j])
        if not anywhere:
            return None
        same_direct = _truthy(statements[j].get("direct")) == bool(quotes[i].get("direct"))
        speaker = _agent_match(quotes[i].get("speaker"), statements[j].get("speaker"), aliases)
        return (at_start, same_direct, speaker > 0, -len(row_words[j]))

    def show_gold(i: int) -> str:
        q = quotes[i]
        who = q.get("speaker") or f"unattributed: {q.get('speaker_description') or '?'}"
        mode = "direct" if q.get("direct") else "reported"
        return f"“{q.get('text_start')}” ({mode}, {who})"

    def show_found(j: int) -> str:
        r = statements[j]
        text = _text(r.get("quote"))
        text = text if len(text) <= 80 else text[:77] + "…"
        mode = "direct" if _truthy(r.get("direct")) else "reported"
        return f"“{text}” ({mode}, {_text(r.get('speaker')) or 'unattributed'})"

    subsets = {
        "quotes": (range(len(quotes)), range(len(statements))),
        "quotes-direct": ([i for i, q in enumerate(quotes) if q.get("direct")],
                          [j for j, r in enumerate(statements) if _truthy(r.get("direct"))]),
        "quotes-reported": ([i for i, q in enumerate(quotes) if not q.get("direct")],
                            [j for j, r in enumerate(statements)
                             if not _truthy(r.get("direct"))]),
    }
    for kind, (gold_ids, row_ids) in subsets.items():
        gold_ids, row_ids = list(gold_ids), list(row_ids)
        pairs = greedy_match(gold_ids, row_ids, score)
        _tally(scores[kind], article, gold_ids, row_ids, pairs, show_gold, show_found)
        if kind == "quotes":
            for gi, rj in pairs:
                _judge_speaker(speakers, article, quotes[gold_ids[gi]],
                               statements[row_ids[rj]], aliases)


def _judge_speaker(speakers: SpeakerScore, article: str, quote: Mapping, row: Mapping,
                   aliases: Aliases) -> None:
    expected = _text(quote.get("speaker"))
    given = _text(row.get("speaker"))
    speakers.judged += 1
    if (not expected and not given) or (expected and given
                                         and _agent_match(expected, given, aliases)):
        speakers.right += 1
        return
    if given:
        speakers.misattributed += 1
        what = "misattributed"
    else:
        speakers.unattributed += 1
        what = "unattributed"
    speakers.errors.append((article, f"{what}: “{quote.get('text_start')}” — gold "
                                     f"{expected or 'unattributed'}, build {given or 'none'}"))


def _roles_agree(gold: str, found: str) -> bool:
    a, b = fold(gold).split(), fold(found).split()
    if not a or not b:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return set(short) <= set(long_)


def _score_memberships(scores: dict[str, Score], roles: RoleScore, article: str,
                       gold: Mapping, rows: Sequence[Mapping], aliases: Aliases) -> None:
    items = list(gold.get("memberships") or ())

    def score(item: Mapping, row: Mapping) -> tuple | None:
        person = _person_match([_text(item.get("person"))], row.get("person"), aliases)
        party = _org_match([_text(item.get("party"))], row.get("party"), aliases)
        if not person or not party:
            return None
        role = bool(item.get("role")) and _roles_agree(_text(item.get("role")),
                                                       _text(row.get("role")))
        return (person + party, role)

    pairs = greedy_match(items, rows, score)
    _tally(scores["memberships"], article, items, rows, pairs,
           lambda m: f"{m.get('person')} — {m.get('party')}"
                     + (f" ({m.get('role')})" if m.get("role") else ""),
           lambda r: f"{_text(r.get('person'))} — {_text(r.get('party'))}"
                     + (f" ({_text(r.get('role'))})" if _text(r.get("role")) else ""))
    for i, j in pairs:
        if items[i].get("role"):
            roles.judged += 1
            roles.agree += _roles_agree(_text(items[i].get("role")), _text(rows[j].get("role")))


def _score_results(scores: dict[str, Score], article: str, gold: Mapping,
                   rows: Sequence[Mapping], aliases: Aliases) -> None:
    items = list(gold.get("results") or ())

    def score(item: Mapping, row: Mapping) -> tuple | None:
        kind = _text(item.get("kind"))
        if kind != _text(row.get("kind")):
            return None
        if not _area_match(_text(item.get("area")), _text(row.get("area")), aliases):
            return None
        mine, theirs = _text(item.get("party")), _text(row.get("party"))
        if mine and theirs:
            if not _org_match([mine], theirs, aliases):
                return None
        elif (mine or theirs) and kind != "turnout":  # a turnout's party is optional
            return None
        expected, value = _number(item.get("value")), _number(row.get("value"))
        if kind == "turnout" and value is not None and expected is not None \
                and value <= 1 < expected:
            value *= 100  # a fraction where the gold gives per cent
        both = expected is not None and value is not None
        if both and abs(expected - value) > 0.05:
            return None
        return (both, bool(mine and theirs))

    def show(r: Mapping) -> str:
        value = _text(r.get("value"))
        party = _text(r.get("party"))
        return (f"{_text(r.get('kind'))} {_text(r.get('area'))}"
                + (f" — {party}" if party else "") + (f" = {value}" if value else ""))

    _tally(scores["results"], article, items, rows, greedy_match(items, rows, score),
           show, show)


def _score_events(scores: dict[str, Score], article: str, gold: Mapping,
                  rows: Sequence[Mapping], aliases: Aliases) -> None:
    items = list(gold.get("events") or ())

    def score(item: Mapping, row: Mapping) -> tuple | None:
        if _text(item.get("type")) != _text(row.get("type")):
            return None
        mine, theirs = _text(item.get("who")), _text(row.get("who"))
        who = 2 if not mine and not theirs else _agent_match(mine, theirs, aliases)
        if not who:
            return None
        day, given = _text(item.get("date"))[:10], _text(row.get("date"))[:10]
        if day and given and day != given:
            return None
        return (who, bool(day and given))

    def show(r: Mapping) -> str:
        who, day = _text(r.get("who")), _text(r.get("date"))
        return (f"{_text(r.get('type'))}: {who or 'nobody named'}"
                + (f" on {day}" if day else "")
                + (f" — {r.get('summary')}" if r.get("summary") else ""))

    _tally(scores["events"], article, items, rows, greedy_match(items, rows, score),
           show, show)


# -- the whole -------------------------------------------------------------------------------
def article_id(name: str) -> str:
    """The article id a gold file's ``article`` names: ``"bury.txt"`` → ``"bury"``."""
    name = Path(str(name)).name
    for suffix in (".gold.json", ".json", ".jsonl", ".html", ".htm", ".txt", ".md"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return Path(name).stem if "." in name else name


def evaluate(rows: Mapping[str, Sequence[Mapping]], gold: Iterable[Mapping],
             aliases: Aliases | None = None) -> Report:
    """Score the contract queries' rows against gold annotations.

    ``rows`` maps query names (``mentions``, ``statements``, ``memberships``, ``results``,
    ``events``; a missing one counts as no rows) to lists of dicts with the columns of
    :data:`CONTRACT_COLUMNS`. ``gold`` is the gold dicts (one per article, its ``article``
    a file name). ``aliases`` defaults to those of polgraph's curated base graphs.
    """
    aliases = default_aliases() if aliases is None else aliases
    gold_by_article: dict[str, Mapping] = {}
    for item in gold:
        gold_by_article[article_id(item.get("article", ""))] = item
    grouped: dict[str, dict[str, list[Mapping]]] = {}
    for query in CONTRACT_COLUMNS:
        for row in rows.get(query) or ():
            article = _text(row.get("article"))
            grouped.setdefault(article, {}).setdefault(query, []).append(row)

    scores = {kind: Score(kind) for kind in KINDS}
    speakers, roles = SpeakerScore(), RoleScore()
    for article in sorted(gold_by_article):
        item = gold_by_article[article]
        found = grouped.get(article, {})
        _score_entities(scores, article, item, found.get("mentions", []), aliases)
        _score_quotes(scores, speakers, article, item, found.get("statements", []), aliases)
        _score_memberships(scores, roles, article, item, found.get("memberships", []),
                           aliases)
        _score_results(scores, article, item, found.get("results", []), aliases)
        _score_events(scores, article, item, found.get("events", []), aliases)
    return Report(
        articles=sorted(gold_by_article),
        scores=scores,
        speakers=speakers,
        roles=roles,
        missing=sorted(a for a in gold_by_article if a not in grouped),
        unscored=sorted(a for a in grouped if a and a not in gold_by_article),
    )


def load_gold(path: Path | str) -> list[dict]:
    """The gold files of a folder (``*.json``, sorted), or one gold file.

    Raises :class:`UsageError` naming the file (and line and column) when one is unreadable.
    """
    path = Path(path)
    if path.is_dir():
        paths = sorted(p for p in path.glob("*.json") if p.is_file())
        if not paths:
            raise UsageError(f"no gold files (*.json) in {path}")
    elif path.is_file():
        paths = [path]
    else:
        raise UsageError(f"no such gold file or folder: {path}")
    gold = []
    for file in paths:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except json.JSONDecodeError as err:
            raise UsageError(f"{file}:{err.lineno}:{err.colno}: not valid JSON: {err.msg}") \
                from None
        except (OSError, UnicodeDecodeError) as err:
            raise UsageError(f"{file}: cannot read the gold file: {err}") from None
        if not isinstance(data, dict):
            raise UsageError(f"{file}: a gold file is one JSON object per article")
        data.setdefault("article", file.name)
        gold.append(data)
    return gold


def build_rows(source: Any) -> dict[str, list[dict]]:
    """The contract queries' rows from a store, an rdflib graph or an endpoint URL."""
    from polgraph.queries import load_query, run_query

    return {name: run_query(load_query(name), source).rows for name in CONTRACT_COLUMNS}


def evaluate_build(build_dir: Path | str, gold_path: Path | str,
                   aliases: Aliases | None = None) -> Report:
    """Score the build in ``build_dir`` against the gold files in ``gold_path``."""
    from polgraph.graphs.store import open_store

    gold = load_gold(gold_path)
    store = open_store(Path(build_dir))
    try:
        rows = build_rows(store)
    finally:
        del store
    return evaluate(rows, gold, aliases)


def parse_thresholds(specs: Iterable[str]) -> dict[str, float]:
    """``["quotes=0.95", "speakers=0.9"]`` → ``{"quotes": 0.95, "speakers": 0.9}``."""
    found: dict[str, float] = {}
    for spec in specs:
        kind, sep, value = spec.partition("=")
        kind = kind.strip()
        if not sep or kind not in THRESHOLD_KINDS:
            raise UsageError(
                f"--min-f1 {spec!r}: expected KIND=VALUE with KIND one of "
                f"{', '.join(THRESHOLD_KINDS)}"
            )
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if not 0.0 <= number <= 1.0:
            raise UsageError(f"--min-f1 {spec!r}: the value must be a number from 0 to 1")
        found[kind] = number
    return found


def below_thresholds(report: Report, minimums: Mapping[str, float]) -> list[str]:
    """One message per kind whose F1 (or speaker accuracy) is below its minimum."""
    failures = []
    for kind, minimum in minimums.items():
        value = report.value(kind)
        if value < minimum:
            what = "speaker accuracy" if kind == "speakers" else f"{kind} F1"
            failures.append(f"{what} {value:.3f} is below {minimum:g}")
    return failures


# -- printing --------------------------------------------------------------------------------
def format_text(report: Report, verbose: bool = False) -> str:
    """A readable table of the scores; with ``verbose``, every miss and false hit."""
    lines = [f"Scored {len(report.articles)} articles against their gold files."]
    if report.missing:
        lines.append(f"Not in the build (all their gold items count as missed): "
                     f"{', '.join(report.missing)}")
    if report.unscored:
        lines.append(f"In the build without a gold file (not scored): "
                     f"{', '.join(report.unscored)}")
    lines.append("")
    header = f"{'kind':<16} {'gold':>5} {'found':>6} {'matched':>8} " \
             f"{'precision':>10} {'recall':>7} {'F1':>6}"
    lines.extend([header, "-" * len(header)])
    for kind in KINDS:
        s = report.scores[kind]
        lines.append(f"{kind:<16} {s.gold:>5} {s.found:>6} {s.matched:>8} "
                     f"{s.precision:>10.3f} {s.recall:>7.3f} {s.f1:>6.3f}")
    sp = report.speakers
    lines.extend([
        "",
        f"speakers: {sp.right} of {sp.judged} found quotes right ({sp.accuracy:.3f}); "
        f"{sp.misattributed} misattributed (given to a wrong named speaker), "
        f"{sp.unattributed} left unattributed",
        f"roles: {report.roles.agree} of {report.roles.judged} matched memberships with a "
        f"gold role agree ({report.roles.agreement:.3f})",
    ])
    if verbose:
        lines.extend(_details(report))
    return "\n".join(lines) + "\n"


def _details(report: Report) -> list[str]:
    lines = []
    for article in report.articles:
        lines.extend(["", f"== {article}"])
        for kind in KINDS:
            score = report.scores[kind]
            misses = [d for a, d in score.misses if a == article]
            false = [d for a, d in score.false_hits if a == article]
            if not misses and not false:
                continue
            lines.append(f"  {kind}:")
            lines.extend(f"    missed     {d}" for d in misses)
            lines.extend(f"    false hit  {d}" for d in false)
        errors = [d for a, d in report.speakers.errors if a == article]
        if errors:
            lines.append("  speakers:")
            lines.extend(f"    {d}" for d in errors)
        if lines[-1] == f"== {article}":
            lines.append("  nothing missed, nothing wrongly found")
    return lines


def format_json(report: Report, verbose: bool = False) -> str:
    """The report as JSON (with every miss and false hit when ``verbose``)."""
    return json.dumps(report.as_dict(details=verbose), ensure_ascii=False, indent=2) + "\n"

"""Dates in news text, normalised against the article's date.

``normalise("on Thursday", date(2016, 5, 6))`` gives the most recent Thursday on or before
the article date; ``"yesterday"`` the day before; ``"5 April 2017"`` and ``"05/04/2017"``
(UK order: day/month) that day. A date the text does not give stays unknown: ``"last
week"`` has no exact day (month precision only when the whole week lies in one month),
``"recently"`` nothing at all, and without an article date every relative expression stays
unknown. Nothing here guesses.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

DAY, MONTH, YEAR = "day", "month", "year"

MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): n for n, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): n for n, name in enumerate(calendar.day_name)}

_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                 "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
                 "twelve": 12}


@dataclass(frozen=True)
class NormalisedDate:
    """A calendar date and how much of it the text gives (``"day"``, ``"month"``,
    ``"year"``). For month precision the day is 1; for year precision day and month are 1."""

    value: date
    precision: str


@dataclass(frozen=True)
class DateMention:
    """A date expression found in a text: its characters, its normalised value, and which
    way a relative one points from the article date (``"past"``, ``"present"``,
    ``"future"``), known even when the article date is not."""

    start: int
    end: int
    text: str
    date: NormalisedDate | None
    direction: str | None = None


# -- patterns (most specific first; each is tried at every position) -------------------------
# Month and day names only capitalised: "may" and "march" are verbs.
_MONTH = (r"(?P<month>" + "|".join(sorted((m.title() for m in MONTHS), key=len, reverse=True))
          + r")\.?")
_WEEKDAY = r"(?P<weekday>" + "|".join(d.title() for d in WEEKDAYS) + r")"
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)\b")),
    ("numeric", re.compile(r"\b(?P<day>\d{1,2})[/.](?P<month>\d{1,2})[/.](?P<year>\d{4}|\d\d)\b")),
    ("day-month", re.compile(
        r"\b(?:" + _WEEKDAY + r",?\s+)?(?:the\s+)?(?P<day>\d{1,2})" + _ORD + r"\s+(?:of\s+)?"
        + _MONTH + r"(?:,?\s+" + _YEAR + r")?\b")),
    ("month-day", re.compile(
        r"\b(?:" + _WEEKDAY + r",?\s+)?" + _MONTH + r"\s+(?P<day>\d{1,2})" + _ORD
        + r"(?:,?\s+" + _YEAR + r")?\b")),
    ("month-year", re.compile(r"\b(?:[Ii]n\s+)?" + _MONTH + r",?\s+" + _YEAR + r"\b")),
    ("relative-day", re.compile(
        r"\b(?P<rel>today|tonight|yesterday|tomorrow|the day before yesterday|"
        r"(?:this|last|yesterday|tomorrow)\s+(?:morning|afternoon|evening|night))\b", re.I)),
    ("ago", re.compile(
        r"\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
        r"\s+(?P<unit>days?|weeks?|months?|years?)\s+ago\b", re.I)),
    ("relative-period", re.compile(
        r"\b(?P<which>last|this|next|earlier this|earlier in the|later this|later in the)\s+"
        r"(?P<unit>week|month|year)\b", re.I)),
    ("weekday", re.compile(
        r"\b(?P<which>(?i:last|this|next|on|this coming|this past))?\s*" + _WEEKDAY
        + r"(?:\s+(?i:morning|afternoon|evening|night))?\b")),
    ("in-month", re.compile(r"\b(?P<which>(?i:in|last|this|next|since|until|by))\s+" + _MONTH
                            + r"\b(?!\s*\d)")),
    ("year", re.compile(r"\b(?:in\s+|since\s+|of\s+)?" + _YEAR + r"\b")),
]


def find_dates(text: str, anchor: date | None = None, tense: str | None = None
               ) -> list[DateMention]:
    """Every date expression in ``text``, left to right, normalised against ``anchor``.

    Expressions do not overlap: at each position the most specific pattern wins. ``tense``
    (``"past"`` or ``"future"``, from the verb the date belongs to) decides the year of a
    day named without one: "resigned on 7 July" is the last 7 July, "will vote on 7 July"
    the next; with no tense, the one nearest the article date.
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            if kind == "weekday" and not match.group("weekday"):
                continue
            if kind == "year" and _looks_like_number(text, start, end):
                continue
            value = _normalise_match(kind, match, anchor, tense)
            taken.append((start, end))
            found.append(DateMention(start, end, text[start:end], value,
                                     _direction(kind, match)))
    return sorted(found, key=lambda m: m.start)


def normalise(expression: str, anchor: date | None = None, tense: str | None = None
              ) -> NormalisedDate | None:
    """The date an expression gives, against the article date ``anchor``; None if unknown.

    >>> normalise("on Thursday", date(2016, 5, 6))
    NormalisedDate(value=datetime.date(2016, 5, 5), precision='day')
    """
    mentions = [m for m in find_dates(expression, anchor, tense) if m.date is not None]
    return mentions[0].date if mentions else None


def _direction(kind: str, match: re.Match[str]) -> str | None:
    """Which way a relative expression points: "tomorrow" future, "on Monday" past."""
    words = match.group(0).lower()
    if kind in {"iso", "numeric", "day-month", "month-day", "month-year", "year"}:
        return None
    if kind == "ago" or words.startswith(("yesterday", "last", "the day before", "earlier",
                                          "this past")):
        return "past"
    if words.startswith(("tomorrow", "next", "later", "this coming")):
        return "future"
    if kind == "weekday":
        return "past"  # "on Thursday": on or before the article date
    if words.startswith(("today", "tonight", "this")):
        return "present"
    return None


def most_recent_weekday(anchor: date, weekday: int, *, strictly_before: bool = False) -> date:
    """The latest date with ``weekday`` (Monday = 0) on or before ``anchor``."""
    back = (anchor.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return anchor - timedelta(days=back)


def _looks_like_number(text: str, start: int, end: int) -> bool:
    """"2018" in "£2018", "2018 votes" or "1,2018" is not a year."""
    before = text[max(0, start - 1) : start]
    after = text[end : end + 8].lower()
    if before in {"£", "$", "€", ",", "."} or (before.isdigit()):
        return True
    return bool(re.match(r"\s*(?:votes|voters|seats|people|members|%|per\s*cent|percent)|"
                         r"-[a-z]", after))


def _number(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_number(text: str) -> int | None:
    return MONTHS.get(text.lower().rstrip("."))


def _normalise_match(kind: str, match: re.Match[str], anchor: date | None,
                     tense: str | None = None) -> NormalisedDate | None:
    groups = match.groupdict()
    if kind in {"iso", "numeric"}:
        year = int(groups["year"])
        if year < 100:
            year += 2000 if year < 70 else 1900
        value = _safe_date(year, int(groups["month"]), int(groups["day"]))
        return NormalisedDate(value, DAY) if value else None
    if kind in {"day-month", "month-day"}:
        month = _month_number(groups["month"])
        if month is None:
            return None
        day = int(groups["day"])
        if groups.get("year"):
            value = _safe_date(int(groups["year"]), month, day)
        elif anchor is not None:
            # "on 5 April": the 5 April nearest the article date (news speaks of days just
            # past or just ahead: "on 20 December" in a January article is last December's)
            options = [d for y in (anchor.year - 1, anchor.year, anchor.year + 1)
                       if (d := _safe_date(y, month, day))]
            if tense == "past":
                options = [d for d in options if d <= anchor]
            elif tense == "future":
                options = [d for d in options if d >= anchor]
            value = min(options, key=lambda d: abs((d - anchor).days)) if options else None
        else:
            return None
        return NormalisedDate(value, DAY) if value else None
    if kind == "month-year":
        month = _month_number(groups["month"])
        return NormalisedDate(date(int(groups["year"]), month, 1), MONTH) if month else None
    if kind == "year":
        return NormalisedDate(date(int(groups["year"]), 1, 1), YEAR)
    if anchor is None:
        return None  # every other expression is relative to the article date
    if kind == "relative-day":
        return _relative_day(groups["rel"].lower(), anchor)
    if kind == "ago":
        return _ago(groups["n"], groups["unit"].lower(), anchor)
    if kind == "relative-period":
        return _relative_period(" ".join(groups["which"].lower().split()),
                                groups["unit"].lower(), anchor)
    if kind == "weekday":
        return _weekday(groups["which"], groups["weekday"], anchor)
    if kind == "in-month":
        return _in_month(groups["which"].lower(), groups["month"], anchor)
    return None


def _relative_day(rel: str, anchor: date) -> NormalisedDate:
    rel = " ".join(rel.split())
    if rel.startswith("the day before yesterday"):
        return NormalisedDate(anchor - timedelta(days=2), DAY)
    if rel.startswith(("yesterday", "last")):
        return NormalisedDate(anchor - timedelta(days=1), DAY)
    if rel.startswith("tomorrow"):
        return NormalisedDate(anchor + timedelta(days=1), DAY)
    return NormalisedDate(anchor, DAY)  # today, tonight, this morning…


def _ago(n_text: str, unit: str, anchor: date) -> NormalisedDate | None:
    n = _number(n_text)
    if n is None:
        return None
    if unit.startswith("day"):
        return NormalisedDate(anchor - timedelta(days=n), DAY)
    if unit.startswith("week"):
        return _month_if_certain(anchor - timedelta(days=7 * n + 3),
                                 anchor - timedelta(days=7 * n - 3))
    if unit.startswith("month"):
        month = anchor.month - n
        year = anchor.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        return NormalisedDate(date(year, month, 1), MONTH)
    return NormalisedDate(date(anchor.year - n, 1, 1), YEAR)


def _month_if_certain(first: date, last: date) -> NormalisedDate | None:
    """Month precision when every day of ``first``…``last`` lies in one month."""
    if (first.year, first.month) == (last.year, last.month):
        return NormalisedDate(date(first.year, first.month, 1), MONTH)
    return None


def _relative_period(which: str, unit: str, anchor: date) -> NormalisedDate | None:
    if unit == "year":
        offset = {"last": -1, "next": 1}.get(which, 0)
        return NormalisedDate(date(anchor.year + offset, 1, 1), YEAR)
    if unit == "month":
        offset = {"last": -1, "next": 1}.get(which, 0)
        month = anchor.month + offset
        year = anchor.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        return NormalisedDate(date(year, month, 1), MONTH)
    monday = anchor - timedelta(days=anchor.weekday())
    if which == "last":
        return _month_if_certain(monday - timedelta(days=7), monday - timedelta(days=1))
    if which == "next":
        return _month_if_certain(monday + timedelta(days=7), monday + timedelta(days=13))
    if which.startswith("earlier"):
        if anchor == monday:
            return None
        return _month_if_certain(monday, anchor - timedelta(days=1))
    if which.startswith("later"):
        return _month_if_certain(anchor + timedelta(days=1), monday + timedelta(days=6))
    return _month_if_certain(monday, monday + timedelta(days=6))  # this week


def _weekday(which: str | None, name: str, anchor: date) -> NormalisedDate:
    weekday = WEEKDAYS[name.lower()]
    which = " ".join((which or "").lower().split())
    if which in {"next", "this coming"}:
        ahead = (weekday - anchor.weekday()) % 7 or 7
        return NormalisedDate(anchor + timedelta(days=ahead), DAY)
    if which in {"last", "this past"}:
        return NormalisedDate(most_recent_weekday(anchor, weekday, strictly_before=True), DAY)
    # "on Thursday", "Thursday": the most recent one on or before the article date.
    return NormalisedDate(most_recent_weekday(anchor, weekday), DAY)


def _in_month(which: str, month_text: str, anchor: date) -> NormalisedDate | None:
    month = _month_number(month_text)
    if month is None:
        return None
    if which == "next":
        year = anchor.year + (1 if month <= anchor.month else 0)
        return NormalisedDate(date(year, month, 1), MONTH)
    if which == "last":
        year = anchor.year - (1 if month >= anchor.month else 0)
        return NormalisedDate(date(year, month, 1), MONTH)
    if month <= anchor.month:
        # "in May" in an article of June: this year's May. A later month is ambiguous
        # (next May or last May): unknown.
        return NormalisedDate(date(anchor.year, month, 1), MONTH)
    return None

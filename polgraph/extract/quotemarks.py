"""Finding quoted text by its marks: a scanner over plain text, no NLP.

Handles curly and straight double marks, doubled ``''`` marks, a closing glyph used as an
opening one (``”Scores”``), single marks for quotes inside quotes and in headlines,
quotes that run over several paragraphs (each paragraph reopening the mark, or not), and
unbalanced marks: an unclosed quote ends with its paragraph; nothing raises, nothing after
it is lost.
"""

from __future__ import annotations

from dataclasses import dataclass

DOUBLE_MARKS = frozenset("“”\"„‟«»")
SINGLE_MARKS = frozenset("‘’'‚‛")
_OPENERS = frozenset("“„‟«‘‚‛")
_CLOSERS = frozenset("”»’")
_BEFORE_OPEN = frozenset(" \t\n([{—–-/:;,")
_AFTER_CLOSE = frozenset(" \t\n.,;:!?)]}—–-/…")


@dataclass(frozen=True)
class QuoteSegment:
    """A stretch of quoted text: ``text[start:end]`` without its marks.

    ``nested`` marks a quote inside another quote; ``continued`` a paragraph that carries on
    the quote of the paragraph before it; ``closed`` whether a closing mark was found.
    """

    start: int
    end: int
    paragraph: int
    nested: bool = False
    continued: bool = False
    closed: bool = True


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line of the text."""
    spans = []
    position = 0
    for line in text.split("\n"):
        end = position + len(line)
        if line.strip():
            lead = len(line) - len(line.lstrip())
            trail = len(line) - len(line.rstrip())
            spans.append((position + lead, end - trail))
        position = end + 1
    return spans


def _can_open(text: str, i: int, width: int, start: int) -> bool:
    before = text[i - 1] if i > start else " "
    after = text[i + width] if i + width < len(text) else " "
    return (i == start or before in _BEFORE_OPEN or before in DOUBLE_MARKS) and not after.isspace()


def _can_close(text: str, i: int, width: int, end: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + width] if i + width < end else " "
    return not before.isspace() and (
        i + width >= end or after in _AFTER_CLOSE or after in DOUBLE_MARKS or after in SINGLE_MARKS
    )


def _double_marks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    marks = []
    i = start
    while i < end:
        ch = text[i]
        if ch in DOUBLE_MARKS:
            marks.append((i, 1))
        elif ch == "'" and i + 1 < end and text[i + 1] == "'":
            marks.append((i, 2))
            i += 1
        i += 1
    return marks


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Without surrounding spaces, and without the comma that belongs to the narration
    ("“We will win,” she said")."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def find_quotes(text: str) -> list[QuoteSegment]:
    """Every quoted segment of ``text`` in order (double-quoted, then the single-quoted ones
    that stand inside them or on their own)."""
    segments: list[QuoteSegment] = []
    carried = False  # the previous paragraph ended inside an unclosed quote
    for number, (p_start, p_end) in enumerate(paragraphs(text)):
        found, carried = _scan_paragraph(text, p_start, p_end, number, carried)
        segments.extend(found)
        segments.extend(_single_quotes(text, p_start, p_end, number, found))
    return sorted(segments, key=lambda s: (s.start, -s.end))


def _scan_paragraph(text, p_start, p_end, number, carried):
    found: list[QuoteSegment] = []
    marks = _double_marks(text, p_start, p_end)
    open_at: int | None = None
    continued = False
    if carried and marks:
        first, width = marks[0]
        # A paragraph carrying on an unclosed quote either reopens it or simply goes on.
        if not (_can_open(text, first, width, p_start) and text[first] not in _CLOSERS) and \
                _can_close(text, first, width, p_end):
            open_at, continued = p_start, True
    elif carried and not marks:
        carried = False
    for i, width in marks:
        if open_at is None:
            if _can_open(text, i, width, p_start) or (
                not _can_close(text, i, width, p_end) and text[i] not in _CLOSERS
            ):
                open_at = i + width
                continued = carried and i == p_start
            continue
        if _can_close(text, i, width, p_end) or text[i] in _CLOSERS:
            start, end = _trimmed(text, open_at, i)
            if end > start:
                found.append(QuoteSegment(start, end, number, continued=continued))
            open_at, continued = None, False
    if open_at is not None:
        start, end = _trimmed(text, open_at, p_end)
        if end > start:
            found.append(QuoteSegment(start, end, number, continued=continued, closed=False))
        return found, True
    return found, False


def _single_quotes(text, p_start, p_end, number, doubles: list[QuoteSegment]):
    """Single-quoted segments: quotes inside quotes, headline quotes, cited phrases."""
    found = []
    i = p_start
    while i < p_end:
        ch = text[i]
        if ch in SINGLE_MARKS and (ch != "'" or text[i + 1 : i + 2] != "'") and \
                (i == p_start or text[i - 1] in _BEFORE_OPEN or text[i - 1] in DOUBLE_MARKS) and \
                i + 1 < p_end and (text[i + 1].isalnum()):
            j = i + 1
            close = None
            while j < p_end:
                if text[j] in SINGLE_MARKS and not text[j - 1].isspace() and (
                    j + 1 >= p_end or not text[j + 1].isalnum()
                ):
                    close = j
                    break
                j += 1
            if close is not None:
                start, end = _trimmed(text, i + 1, close)
                nested = any(d.start <= start and end <= d.end for d in doubles)
                if end > start and not _is_term(text, start, end, close, p_end, nested):
                    found.append(QuoteSegment(start, end, number, nested=nested))
                i = close + 1
                continue
        i += 1
    return found


def _is_term(text: str, start: int, end: int, close: int, p_end: int, nested: bool) -> bool:
    """A single word in single marks before a lower-case noun names a thing ("the
    ‘partygate’ scandal"); it is not somebody's quote."""
    if nested or " " in text[start:end]:
        return False
    rest = text[close + 1 : p_end].lstrip()
    return bool(rest) and rest[0].islower()

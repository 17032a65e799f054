"""Reading articles: ``.txt`` (optional YAML front matter), ``.jsonl`` and ``.html``.

A reader turns one file into :class:`Article` objects. A file that cannot be read raises
:class:`~polgraph.errors.ArticleError`; a JSON Lines file with one bad line yields the good
lines and reports the bad one, so the rest of the corpus still builds.
Offsets of every finding refer to ``Article.text``, which the graph stores verbatim.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import yaml

from polgraph.errors import ArticleError


@dataclass(frozen=True)
class Article:
    """One article: its id (file stem or JSONL ``id``), stored plain text and metadata."""

    id: str
    text: str
    source: str
    title: str | None = None
    date: date | None = None
    publisher: str | None = None
    url: str | None = None


#: What a reader yields: an article, or the error that stopped one article.
ReadOutcome = Article | ArticleError

READERS: dict[str, Callable[[Path], Iterator[ReadOutcome]]] = {}


def reader(*suffixes: str):
    """Register a reader function for file suffixes (a registry, not an if-chain)."""

    def register(func: Callable[[Path], Iterator[ReadOutcome]]):
        for suffix in suffixes:
            READERS[suffix] = func
        return func

    return register


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise ArticleError(str(path), "binary file (contains NUL bytes), not an article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise ArticleError(
            str(path), f"not UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start})", line
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _parse_date(value: object, path: str, line: int | None = None) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ArticleError(path, f"date {value!r} is not an ISO date (YYYY-MM-DD)", line) from None


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.DOTALL)


@reader(".txt", ".text", ".md")
def read_text(path: Path) -> Iterator[ReadOutcome]:
    """A plain-text article, optionally opening with a ``---`` YAML front-matter block."""
    try:
        raw = _decode(path)
        meta: dict = {}
        match = _FRONT_MATTER.match(raw)
        if match:
            try:
                meta = yaml.safe_load(match.group(1)) or {}
            except yaml.YAMLError as err:
                mark = getattr(err, "problem_mark", None)
                line = mark.line + 2 if mark is not None else 1
                reason = f"front matter is not valid YAML: {err}"
                raise ArticleError(str(path), reason, line) from None
            if not isinstance(meta, dict):
                raise ArticleError(str(path), "front matter must be a YAML mapping", 1)
            raw = raw[match.end() :]
        yield _make_article(meta, raw, path.stem, str(path))
    except ArticleError as err:
        yield err


@reader(".jsonl", ".ndjson")
def read_jsonl(path: Path) -> Iterator[ReadOutcome]:
    """One article per line: ``{"id", "title", "date", "publisher", "url", "text"}``."""
    try:
        content = _decode(path)
    except ArticleError as err:
        yield err
        return
    for number, line in enumerate(content.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise ArticleError(str(path), f"malformed JSON: {err.msg}", number) from None
            if not isinstance(record, dict):
                raise ArticleError(str(path), "each line must be a JSON object", number)
            if not record.get("id"):
                raise ArticleError(str(path), "article has no 'id'", number)
            yield _make_article(record, record.get("text"), str(record["id"]), str(path), number)
        except ArticleError as err:
            yield err


@reader(".html", ".htm")
def read_html(path: Path) -> Iterator[ReadOutcome]:
    """The main text of a web page, extracted with trafilatura; metadata from the page."""
    try:
        html = _decode(path)
        import trafilatura

        text = trafilatura.extract(html, include_comments=False, include_tables=False)
        meta = trafilatura.extract_metadata(html)
        record = {}
        if meta is not None:
            record = {
                "title": meta.title,
                "date": meta.date,
                "publisher": meta.sitename,
                "url": meta.url,
            }
        if not text:
            raise ArticleError(str(path), "no article text found in the HTML page")
        yield _make_article(record, text, path.stem, str(path))
    except ArticleError as err:
        yield err


def _make_article(
    meta: dict, text: object, article_id: str, source: str, line: int | None = None
) -> Article:
    if not isinstance(text, str) or not text.strip():
        raise ArticleError(source, "article is empty (no text)", line)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Article(
        id=article_id,
        text=text,
        source=source if line is None else f"{source}:{line}",
        title=_clean(meta.get("title")),
        date=_parse_date(meta.get("date"), source, line),
        publisher=_clean(meta.get("publisher")),
        url=_clean(meta.get("url")),
    )


def _clean(value: object) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def article_files(paths: Iterable[Path]) -> list[Path]:
    """Every readable article file under the given files and folders, sorted by path."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(p for p in path.rglob("*") if p.is_file() and p.suffix in READERS)
        elif path.exists():
            found.add(path)
        else:
            raise FileNotFoundError(path)
    return sorted(found)


def read_articles(paths: Iterable[Path]) -> Iterator[ReadOutcome]:
    """Read every article under ``paths``, yielding articles and errors in path order."""
    for path in article_files(paths):
        read = READERS.get(path.suffix.lower())
        if read is None:
            yield ArticleError(str(path), f"unsupported file type {path.suffix!r}")
            continue
        yield from read(path)

"""Printing a :class:`~polgraph.queries.runner.QueryResult`: aligned table, CSV or JSON.

:func:`format_chunks` writes CSV and JSON as the rows come (a stream from
:func:`~polgraph.queries.runner.stream_query`), so a large result is never held as text;
a table needs every row first (for the column widths).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from polgraph.errors import QueryError
from polgraph.queries.runner import QueryResult, QueryStream, Row

FORMATS = ("table", "csv", "json")
#: Rows per piece of text :func:`format_chunks` yields.
CHUNK_ROWS = 2000


def format_result(result: QueryResult, fmt: str) -> str:
    """The result as ``table`` (aligned text), ``csv`` (with a header) or ``json``.

    JSON is a list of objects, keys in column order, ``null`` where unbound; the table and
    CSV show unbound values as empty cells. The text ends with a newline.
    """
    if fmt == "table":
        return _table(result)
    if fmt == "csv":
        return _csv(result)
    if fmt == "json":
        rows = [{name: row.get(name) for name in result.columns} for row in result.rows]
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    raise QueryError(f"unknown output format {fmt!r} (one of: {', '.join(FORMATS)})")


def format_chunks(result: QueryResult | QueryStream, fmt: str) -> Iterator[str]:
    """The text of :func:`format_result`, in pieces, reading the rows as they come (CSV,
    JSON) or all first (table)."""
    if fmt == "csv":
        yield from _csv_chunks(result.columns, _rows(result))
    elif fmt == "json":
        yield from _json_chunks(result.columns, _rows(result))
    else:
        rows = result.rows if isinstance(result, QueryResult) else list(result)
        yield format_result(QueryResult(result.columns, rows), fmt)


def _rows(result: QueryResult | QueryStream) -> Iterable[Row]:
    return result.rows if isinstance(result, QueryResult) else result


def _csv_chunks(columns: list[str], rows: Iterable[Row]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for n, row in enumerate(rows, 1):
        writer.writerow(["" if row.get(name) is None else row.get(name) for name in columns])
        if n % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json_chunks(columns: list[str], rows: Iterable[Row]) -> Iterator[str]:
    """What ``json.dumps(rows, ensure_ascii=False, indent=2)`` writes, row by row."""
    pieces = ["["]
    count = 0
    for row in rows:
        text = json.dumps({name: row.get(name) for name in columns}, ensure_ascii=False,
                          indent=2)
        pieces.append(("\n" if count == 0 else ",\n") + "\n".join(
            "  " + line for line in text.split("\n")))
        count += 1
        if count % CHUNK_ROWS == 0:
            yield "".join(pieces)
            pieces = []
    pieces.append("\n]\n" if count else "]\n")
    yield "".join(pieces)


def _cell(value: str | None) -> str:
    if value is None:
        return ""
    return " ".join(value.split()) if any(c in value for c in "\n\r\t") else value


def _table(result: QueryResult) -> str:
    columns = result.columns
    cells = [[_cell(row.get(name)) for name in columns] for row in result.rows]
    widths = [len(name) for name in columns]
    for line in cells:
        widths = [max(width, len(cell)) for width, cell in zip(widths, line, strict=True)]

    def line(values: list[str]) -> str:
        padded = (value.ljust(width) for value, width in zip(values, widths, strict=True))
        return "  ".join(padded).rstrip()

    out = [line(columns), line(["-" * width for width in widths])]
    out.extend(line(values) for values in cells)
    return "\n".join(out) + "\n"


def _csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow(["" if row.get(name) is None else row.get(name) for name in result.columns])
    return buffer.getvalue()

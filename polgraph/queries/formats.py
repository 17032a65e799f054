"""Printing a :class:`~polgraph.queries.runner.QueryResult`: aligned table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json

from polgraph.errors import QueryError
from polgraph.queries.runner import QueryResult

FORMATS = ("table", "csv", "json")


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

"""Just enough reading of SPARQL text to find the query form and the main ``WHERE`` group.

Comments, strings and IRIs are skipped, so a ``{`` or a keyword inside them is never taken
for syntax. Used to put a ``VALUES`` clause of parameter bindings at the start of the
query's main group, where it binds the variables for the whole pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from polgraph.errors import QueryError

FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")

_IRIREF = re.compile(r"<[^\x00-\x20<>\"{}|^`\\]*>")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_\-.:]*")
_VARIABLE = re.compile(r"[?$]([A-Za-z0-9_]+)")


def scan(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, token) for braces, bare words (upper-cased) and variables (``?name``),
    skipping comments, strings and IRIs."""
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        elif char in "\"'":
            i = _skip_string(text, i)
        elif char == "<":
            match = _IRIREF.match(text, i)
            i = match.end() if match else i + 1
        elif char in "?$":
            match = _VARIABLE.match(text, i)
            if match:
                yield i, match.end(), "?" + match.group(1)
                i = match.end()
            else:
                i += 1
        elif char in "{}":
            yield i, i + 1, char
            i += 1
        elif char.isalpha() or char == "_":
            match = _WORD.match(text, i)
            assert match is not None
            yield i, match.end(), match.group(0).upper()
            i = match.end()
        else:
            i += 1


def _tokens(text: str):
    """Yield (position, token) for braces and bare words, skipping everything else."""
    for start, _end, token in scan(text):
        if not token.startswith("?"):
            yield start, token


def _skip_string(text: str, i: int) -> int:
    quote = text[i]
    long_quote = quote * 3
    if text.startswith(long_quote, i):
        end = i + 3
        while True:
            found = text.find(long_quote, end)
            if found < 0:
                return len(text)
            backslashes = len(text[end:found]) - len(text[end:found].rstrip("\\"))
            if backslashes % 2 == 0:
                return found + 3
            end = found + 1
    j = i + 1
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text[j] == quote or text[j] == "\n":
            return j + 1
        j += 1
    return j


def query_form(text: str) -> str:
    """SELECT, CONSTRUCT, DESCRIBE or ASK: the form of the query (QueryError if none)."""
    for _, token in _tokens(text):
        if token in FORMS:
            return token
    raise QueryError("not a SPARQL query: no SELECT, CONSTRUCT, DESCRIBE or ASK")


def main_group_start(text: str) -> int:
    """The index just after the ``{`` that opens the query's main (WHERE) group."""
    form = None
    previous = None
    depth = 0
    groups = 0  # groups closed at the top level (a CONSTRUCT template comes first)
    for position, token in _tokens(text):
        if token == "{":
            if depth == 0 and form is not None and (
                form != "CONSTRUCT" or previous == "WHERE" or groups > 0
            ):
                return position + 1
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0 and form is not None:
                groups += 1
        elif form is None and token in FORMS:
            form = token
        previous = token
    raise QueryError("cannot find the WHERE clause of the query")


def with_values(text: str, names: list[str], terms: list[str]) -> str:
    """The query with ``VALUES (?a ?b) { (t1 t2) }`` first in its main group.

    ``terms`` must already be SPARQL terms (see :func:`polgraph.queries.terms.sparql_term`).
    """
    if not names:
        return text
    variables = " ".join(f"?{name}" for name in names)
    clause = f"\n  VALUES ({variables}) {{ ({' '.join(terms)}) }}\n"
    at = main_group_start(text)
    return text[:at] + clause + text[at:]

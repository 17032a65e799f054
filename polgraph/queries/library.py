"""The named-query library: ``.rq`` files with a comment header, parsed into :class:`NamedQuery`.

A named query opens with comment lines::

    # title: Everything said about someone
    # description: Statements whose pol:about is the person, …
    #   (a description, or any field, continues on lines indented after the "#")
    # param: person — a name or alias, matched case-insensitively
    # param: below (decimal) — the confidence limit (default: 0.7)
    # param: party — only this party (optional)

A parameter is a SPARQL variable of the query (``?person``). Its type, in brackets after the
name, is one of :data:`PARAM_TYPES`; without one, a value that looks like an ``http(s)://``
IRI binds as an IRI and any other value as a plain string literal. ``(default: …)`` at the end
of its description gives the value used when none is passed; ``(optional)`` means the
variable stays unbound when none is passed; a parameter with neither is required.

Writing a query: a parameter binds its variable for the query's main ``WHERE`` group and
for every sub-select whose group names it, so use it there (in a triple pattern, a
``FILTER`` or a ``BIND``), not only in a ``UNION`` branch's ``FILTER``, where Oxigraph and
remote endpoints would see it unbound. A parameter may get several values; the query then
answers for any of them. The default graph is the union of all named graphs; in Oxigraph
that union repeats a triple once per graph holding it (an entity's label is in every
article graph that mentions the entity), so look labels and classes up in grouped
sub-selects, one row per entity, as the library's queries do, rather than joining them
directly.

Narrowing lines: a comment line ``#if NAME: <SPARQL>`` is part of the query only when the
parameter ``NAME`` has a value; otherwise it stays a comment. It lets an optional parameter
narrow the query where the store can use an index (``#if article: ?doc pol:articleId
?article .`` as the first pattern), and narrow each grouped sub-select to the entities the
narrowed rows need, instead of filtering every row of the whole graph. Without the
parameter the text is a plain query that any SPARQL tool runs as it is. A narrowing line
must only take rows away, never change a kept row, so that the narrowed query returns
exactly the full query's rows for that value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from polgraph.errors import QueryError

#: Parameter types a header may declare; values are checked and bound with this datatype.
PARAM_TYPES = ("string", "iri", "decimal", "integer", "boolean", "date")

#: Folder (inside the package) of the queries the code itself uses; not listed.
INTERNAL = "internal"

_FIELD = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*)$")
_CONTINUATION = re.compile(r"^#\s{2,}(\S.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\((?P<type>[a-z]+)\))?\s*(?:—|–|--|-|:)\s*(?P<rest>.*)$"
)
_DEFAULT = re.compile(r"\s*\((?:default:\s*(?P<default>.*?)|(?P<optional>optional))\)\s*$")
_NAME = re.compile(r"^[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)?$")
_NARROWING = re.compile(r"^(?P<indent>[ \t]*)#if[ \t]+(?P<name>[A-Za-z_][A-Za-z0-9_]*)[ \t]*:[ \t]?"
                        r"(?P<text>.*)$", re.MULTILINE)


@dataclass(frozen=True)
class Param:
    """A query parameter: a SPARQL variable the runner binds.

    ``default`` is ``None`` for a required parameter and ``""`` for an optional one (left
    unbound when no value is passed).
    """

    name: str
    description: str
    default: str | None
    type: str = "auto"

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query with its header: name (file stem), title, description, parameters."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: str

    def param(self, name: str) -> Param | None:
        """The parameter called ``name``, or None."""
        return next((p for p in self.params if p.name == name), None)


def parse_query(text: str, name: str, path: str = "") -> NamedQuery:
    """Read the header of a query's text; raise :class:`QueryError` on a malformed header."""
    fields: dict[str, str] = {}
    params: list[list[str]] = []
    current: list[str] | None = None
    last_key = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        field = _FIELD.match(stripped)
        if field:
            key, value = field.group(1), field.group(2).strip()
            if key == "param":
                params.append([value])
                current = params[-1]
            else:
                fields[key] = value
                current = None
                last_key = key
            continue
        more = _CONTINUATION.match(line.rstrip())
        if more:
            if current is not None:
                current.append(more.group(1))
            elif last_key:
                fields[last_key] += " " + more.group(1)
    query = NamedQuery(
        name=name,
        title=fields.get("title", name),
        description=fields.get("description", ""),
        params=tuple(_parse_param(" ".join(parts), name) for parts in params),
        text=text,
        path=path,
    )
    declared = {p.name for p in query.params}
    unknown = sorted({m.group("name") for m in _NARROWING.finditer(text)} - declared)
    if unknown:
        raise QueryError(
            f"query {name!r}: '#if' lines name {', '.join(unknown)}, which is not a parameter "
            "of its header"
        )
    return query


def activate_lines(text: str, names: set[str]) -> str:
    """``text`` with the narrowing lines (``#if NAME: …``) of the parameters in ``names``
    made part of the query; the others stay comments."""
    if "#if" not in text:
        return text

    def line(match: re.Match[str]) -> str:
        if match.group("name") in names:
            return match.group("indent") + match.group("text")
        return match.group(0)

    return _NARROWING.sub(line, text)


def _parse_param(spec: str, query_name: str) -> Param:
    match = _PARAM.match(spec)
    if not match:
        raise QueryError(
            f"query {query_name!r}: cannot read the parameter line {spec!r} "
            "(expected '# param: name — description (default: value)')"
        )
    kind = match.group("type") or "auto"
    if kind != "auto" and kind not in PARAM_TYPES:
        raise QueryError(
            f"query {query_name!r}: parameter {match.group('name')!r} has unknown type "
            f"{kind!r} (one of: {', '.join(PARAM_TYPES)})"
        )
    rest = match.group("rest").strip()
    default = None
    tail = _DEFAULT.search(rest)
    if tail:
        default = "" if tail.group("optional") else tail.group("default").strip()
        rest = rest[: tail.start()].rstrip()
    return Param(match.group("name"), rest, default, kind)


def _library():
    return files("polgraph.queries")


def list_queries() -> list[NamedQuery]:
    """The packaged library (not the internal queries), sorted by name."""
    found = []
    for entry in _library().iterdir():
        if entry.is_file() and entry.name.endswith(".rq"):
            name = entry.name[: -len(".rq")]
            found.append(parse_query(entry.read_text("utf-8"), name, str(entry)))
    return sorted(found, key=lambda q: q.name)


def library_names() -> list[str]:
    """The names of the packaged queries."""
    return [query.name for query in list_queries()]


def load_query(name_or_path: str) -> NamedQuery:
    """A library query by name (``statements``, ``internal/summary``) or any ``.rq`` file.

    Raises :class:`QueryError` naming the known queries when there is no such query.
    """
    if _NAME.match(name_or_path) and not name_or_path.endswith(".rq"):
        entry = _library().joinpath(*f"{name_or_path}.rq".split("/"))
        if entry.is_file():
            name = name_or_path.rsplit("/", 1)[-1]
            return parse_query(entry.read_text("utf-8"), name, str(entry))
    path = Path(name_or_path)
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise QueryError(f"cannot read the query file {path}: {err}") from None
        return parse_query(text, path.stem, str(path))
    if path.suffix == ".rq" or "/" in name_or_path or "\\" in name_or_path:
        raise QueryError(f"no query file {name_or_path}")
    raise QueryError(
        f"no query named {name_or_path!r}; known queries: {', '.join(library_names())} "
        "(or give the path of a .rq file)"
    )

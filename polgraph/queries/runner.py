"""Running a named query over an Oxigraph store, an rdflib graph or a SPARQL endpoint.

Parameters are bound, never pasted into the query text as they come:

* a ``pyoxigraph.Store`` and a remote endpoint get ``VALUES`` clauses written from escaped
  RDF terms (:func:`polgraph.queries.terms.sparql_term`): one first in the query's main
  group, and one first in the group of every sub-select that uses the variable. Oxigraph's
  own ``substitutions=`` is not used: it only accepts variables that are in the ``SELECT``
  projection (SEP-0007), and a parameter is usually not a column.
* an rdflib ``Graph``/``Dataset`` takes a single value as ``initBindings``, which bind the
  variable everywhere too (sub-selects included); several values go in ``VALUES`` clauses
  as above.

So a parameter binds its variable for the query's main group and for every sub-select that
names it. A parameter may have several values (a list): the query then answers for each.

Before that, the query's narrowing lines (``#if NAME: …``, see
:mod:`polgraph.queries.library`) of the parameters that have a value become part of the
query; the others stay comments. Paging (``limit``, ``offset``) becomes the query's own
``LIMIT``/``OFFSET`` (combined with any it already has), so the store does the paging; pages
are stable only when the query has an ``ORDER BY`` over all its columns, as the library's
queries do.

The union of all named graphs is the default graph: Oxigraph runs with
``use_default_graph_as_union``, an rdflib ``Dataset`` with ``default_union``; an endpoint
must be set up that way itself (Oxigraph server ``--union-default-graph``, Fuseki
``tdb2:unionDefaultGraph``).

Rows come as a stream (:func:`stream_query`) or all at once (:func:`run_query`); terms are
turned into strings once each (a query's rows repeat the same article ids and names).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph

from polgraph.errors import PolgraphError, QueryError
from polgraph.queries.endpoint import construct_ntriples, select_json
from polgraph.queries.library import NamedQuery, activate_lines
from polgraph.queries.sparqltext import main_group_start, query_form, scan
from polgraph.queries.terms import XSD_STRING, Term, param_term, render, sparql_term

TRIPLE_COLUMNS = ["subject", "predicate", "object"]

#: What a parameter may be given as: one value, or several (rows for any of them).
ParamValue = str | Sequence[str]
Row = dict[str, str | None]


@dataclass
class QueryResult:
    """Columns (the projected variables, in order) and rows (``None`` where unbound)."""

    columns: list[str]
    rows: list[Row] = field(default_factory=list)


class QueryStream:
    """The columns of a result and its rows, read as they come (once)."""

    def __init__(self, columns: list[str], rows: Iterable[Row]) -> None:
        self.columns = columns
        self._rows = iter(rows)

    def __iter__(self) -> Iterator[Row]:
        return self._rows

    def result(self) -> QueryResult:
        """All the (remaining) rows at once."""
        return QueryResult(self.columns, list(self._rows))


def bind_params(query: NamedQuery,
                params: Mapping[str, ParamValue] | None) -> dict[str, tuple[Term, ...]]:
    """Check ``params`` against the query's header and turn the values into terms.

    A value is a string or a sequence of strings (several values). Defaults fill in what
    is not given; an optional parameter without a value (or with an empty one) stays
    unbound. Unknown and missing parameters raise :class:`QueryError`.
    """
    given = dict(params or {})
    declared = [p.name for p in query.params]
    unknown = sorted(set(given) - set(declared))
    if unknown:
        takes = ", ".join(declared) if declared else "no parameters"
        raise QueryError(
            f"query {query.name!r} has no parameter {', '.join(unknown)} (it takes: {takes})"
        )
    bound: dict[str, tuple[Term, ...]] = {}
    missing = []
    for param in query.params:
        value = given.get(param.name)
        if value is None:
            values = [param.default]
        elif isinstance(value, str) or not isinstance(value, Iterable):
            values = [str(value)]
        else:
            values = [str(v) for v in value if str(v) != ""] or [param.default or ""]
        values = [v for v in values if v is not None]
        if not values or (values == [""] and param.required):
            missing.append(param)
            continue
        if values == [""]:
            continue
        terms: list[Term] = []
        for text in values:
            term = param_term(param.name, param.type, text)
            if term not in terms:
                terms.append(term)
        bound[param.name] = tuple(terms)
    if missing:
        needed = "; ".join(f"{p.name} ({p.description})" for p in missing)
        raise QueryError(f"query {query.name!r} needs a value for: {needed}")
    return bound


def stream_query(
    query: NamedQuery,
    source,
    params: Mapping[str, ParamValue] | None = None,
    *,
    limit: int | None = None,
    offset: int | None = None,
    timeout: float = 60.0,
) -> QueryStream:
    """Run ``query`` over ``source`` with ``params`` bound; its rows as they come.

    ``source`` is a ``pyoxigraph.Store``, an rdflib ``Graph`` or ``Dataset``, or the URL of
    a SPARQL endpoint. ``limit`` and ``offset`` page a ``SELECT`` query's rows in the store
    (see the module docstring). ``timeout`` (seconds) applies to endpoints.
    """
    bindings = bind_params(query, params)
    if isinstance(source, str):
        return _run_endpoint(query, source, bindings, limit, offset, timeout)
    if isinstance(source, pyoxigraph.Store):
        return _run_oxigraph(query, source, bindings, limit, offset)
    try:
        import rdflib
    except ImportError:  # pragma: no cover - rdflib is a dependency
        rdflib = None
    if rdflib is not None and isinstance(source, rdflib.Graph):
        return _run_rdflib(query, source, bindings, limit, offset)
    raise QueryError(
        f"cannot run a query over {type(source).__name__}: "
        "give a pyoxigraph.Store, an rdflib Graph or Dataset, or an endpoint URL"
    )


def run_query(
    query: NamedQuery,
    source,
    params: Mapping[str, ParamValue] | None = None,
    *,
    limit: int | None = None,
    offset: int | None = None,
    timeout: float = 60.0,
) -> QueryResult:
    """Run ``query`` over ``source`` with ``params`` bound: all its rows at once.

    See :func:`stream_query` for the arguments.
    """
    return stream_query(query, source, params, limit=limit, offset=offset,
                        timeout=timeout).result()


def query_text(query: NamedQuery, bindings: Mapping[str, Sequence[Term]], *,
               limit: int | None = None, offset: int | None = None,
               inline: Iterable[str] | None = None) -> str:
    """The text run for ``query``: its narrowing lines of the bound parameters active, the
    ``inline`` parameters (default: all) as ``VALUES`` clauses, and the paging."""
    text = activate_lines(query.text, set(bindings))
    names = sorted(bindings if inline is None else inline)
    text = _with_values(text, {name: bindings[name] for name in names})
    return _with_paging(text, limit, offset, query.name)


# -- SPARQL text: VALUES in every group that needs it, and paging ------------------------------
_INTEGER = re.compile(r"\s*([0-9]+)")


def _scopes(text: str) -> list[tuple[int, set[str]]]:
    """Where the main group and each sub-select's group start (just after the ``{``), with
    the variables named in that group's own scope: its nested groups and the projections of
    its sub-selects, but not the inside of those sub-selects. The main group comes first."""
    main = main_group_start(text)
    found: list[tuple[int, set[str]]] = []
    stack: list[tuple[bool, int, set[str]]] = []  # (opens a scope, start, variables)
    awaiting: int | None = None  # depth at which a sub-select's group will open
    for _start, end, token in scan(text):
        if token == "{":
            opens = end == main or (awaiting is not None and awaiting == len(stack))
            stack.append((opens, end, set()))
            if opens:
                awaiting = None
        elif token == "}":
            if stack:
                is_scope, at, names = stack.pop()
                if is_scope:
                    found.append((at, names))
                elif stack:
                    stack[-1][2].update(names)
        elif token == "SELECT" and stack:
            awaiting = len(stack)
        elif token.startswith("?") and stack:
            stack[-1][2].add(token[1:])
    return sorted(found, key=lambda scope: scope[0] != main)


def _values_clause(bindings: Mapping[str, Sequence[Term]], names: Iterable[str]) -> str:
    clauses = [
        f"VALUES (?{name}) {{ {' '.join(f'({sparql_term(t)})' for t in bindings[name])} }}"
        for name in sorted(names)
    ]
    return "".join(f"\n  {clause}" for clause in clauses) + "\n"


def _with_values(text: str, bindings: Mapping[str, Sequence[Term]]) -> str:
    """``text`` with a ``VALUES`` clause per bound variable first in the main group and in
    the group of each sub-select that names it.

    A variable with one value is bound in the main group even where that group does not
    name it (as before sub-selects were bound too); one with several values only where it
    is named, since elsewhere its rows would multiply the group's.
    """
    if not bindings:
        return text
    inserts = []
    for n, (at, names) in enumerate(_scopes(text)):
        used = {name for name, terms in bindings.items()
                if name in names or (n == 0 and len(terms) == 1)}
        if used:
            inserts.append((at, _values_clause(bindings, used)))
    for at, clause in sorted(inserts, reverse=True):
        text = text[:at] + clause + text[at:]
    return text


def _solution_modifiers(text: str) -> tuple[dict[str, tuple[int, int, int]], int | None, bool]:
    """The top-level LIMIT/OFFSET (keyword → (start, end, value)), where a trailing VALUES
    clause starts (or None), and whether there is a top-level ORDER BY."""
    main = main_group_start(text)
    depth = 1
    found: dict[str, tuple[int, int, int]] = {}
    values_at = None
    ordered = False
    for start, end, token in scan(text[main:]):
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0 and token in ("LIMIT", "OFFSET"):
            number = _INTEGER.match(text, main + end)
            if number:
                found[token] = (main + start, number.end(), int(number.group(1)))
        elif depth == 0 and token == "ORDER":
            ordered = True
        elif depth == 0 and token == "VALUES" and values_at is None:
            values_at = main + start
    return found, values_at, ordered


def has_order_by(text: str) -> bool:
    """Whether the query orders its rows at the top level (pages are stable then)."""
    return _solution_modifiers(text)[2]


def _with_paging(text: str, limit: int | None, offset: int | None, name: str) -> str:
    if limit is None and not offset:
        return text
    if limit is not None and limit < 0 or offset is not None and offset < 0:
        raise QueryError("--limit and --offset must be 0 or more")
    if query_form(text) != "SELECT":
        raise QueryError(f"query {name!r} is not a SELECT query: only rows can be paged")
    found, values_at, _ = _solution_modifiers(text)
    own_limit = found["LIMIT"][2] if "LIMIT" in found else None
    own_offset = found["OFFSET"][2] if "OFFSET" in found else 0
    skip = offset or 0
    limits = [n for n in (limit, None if own_limit is None else max(0, own_limit - skip))
              if n is not None]
    clause = f"\nLIMIT {min(limits)}" if limits else ""
    if own_offset + skip:
        clause += f"\nOFFSET {own_offset + skip}"
    for start, end, _ in sorted(found.values(), reverse=True):
        text = text[:start] + text[end:]
        if values_at is not None and values_at > start:
            values_at -= end - start
    if values_at is None:
        return text.rstrip() + clause + "\n"
    return text[:values_at] + clause.lstrip("\n") + "\n" + text[values_at:]


# -- turning terms into strings ----------------------------------------------------------------
def _term_converter(convert: Callable[[object], str | None]) -> Callable[[object], str | None]:
    """``convert`` with a memory: a term met again is not converted again."""
    seen: dict[object, str | None] = {}

    def cached(term: object) -> str | None:
        if term is None:
            return None
        try:
            return seen[term]
        except KeyError:
            value = seen[term] = convert(term)
            return value
        except TypeError:  # not hashable
            return convert(term)

    return cached


# -- pyoxigraph --------------------------------------------------------------------------------
def _run_oxigraph(query: NamedQuery, store: pyoxigraph.Store,
                  bindings: dict[str, tuple[Term, ...]], limit: int | None,
                  offset: int | None) -> QueryStream:
    text = query_text(query, bindings, limit=limit, offset=offset)
    try:
        answer = store.query(text, use_default_graph_as_union=True)
        if isinstance(answer, pyoxigraph.QuerySolutions):
            columns = [variable.value for variable in answer.variables]
            return QueryStream(columns, _oxigraph_rows(query, answer, columns))
        if isinstance(answer, pyoxigraph.QueryBoolean):
            return _boolean(bool(answer))
        return _triples(
            (_oxigraph_value(t.subject), _oxigraph_value(t.predicate), _oxigraph_value(t.object))
            for t in answer
        )
    except (SyntaxError, OSError, RuntimeError, ValueError) as err:
        raise QueryError(f"query {query.name!r} failed: {err}") from None


def _oxigraph_rows(query: NamedQuery, solutions: pyoxigraph.QuerySolutions,
                   columns: list[str]) -> Iterator[Row]:
    value = _term_converter(_oxigraph_value)
    try:
        for solution in solutions:
            yield {name: value(term) for name, term in zip(columns, solution, strict=True)}
    except (OSError, RuntimeError, ValueError) as err:
        raise QueryError(f"query {query.name!r} failed: {err}") from None


def _oxigraph_value(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return term.value
        return render(term.value, term.datatype.value)
    if isinstance(term, pyoxigraph.NamedNode):
        return term.value
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    return str(term)


# -- rdflib ------------------------------------------------------------------------------------
def _run_rdflib(query: NamedQuery, graph, bindings: dict[str, tuple[Term, ...]],
                limit: int | None, offset: int | None) -> QueryStream:
    from rdflib import Literal, URIRef, Variable

    single = {name: terms[0] for name, terms in bindings.items() if len(terms) == 1}
    init = {
        Variable(name): URIRef(term.value) if term.is_iri
        else Literal(term.value) if term.datatype == XSD_STRING
        else Literal(term.value, datatype=URIRef(term.datatype))
        for name, term in single.items()
    }
    text = query_text(query, bindings, limit=limit, offset=offset,
                      inline=[name for name in bindings if name not in single])
    union = hasattr(graph, "default_union")  # a Dataset (or ConjunctiveGraph), not a Graph
    previous = graph.default_union if union else None
    try:
        if union:
            graph.default_union = True
        answer = graph.query(text, initBindings=init)
        if answer.type == "SELECT":
            columns = [str(variable) for variable in answer.vars]
            value = _term_converter(_rdflib_value)
            rows = [
                {name: value(row[i]) for i, name in enumerate(columns)}
                for row in answer
            ]
            return QueryStream(columns, rows)
        if answer.type == "ASK":
            return _boolean(bool(answer.askAnswer))
        return _triples(tuple(_rdflib_value(t) for t in triple) for triple in answer)
    except PolgraphError:
        raise
    except Exception as err:  # rdflib raises many kinds: parse errors, type errors…
        raise QueryError(f"query {query.name!r} failed: {err}") from err
    finally:
        if union:
            graph.default_union = previous


def _rdflib_value(term) -> str | None:
    from rdflib import BNode, Literal

    if term is None:
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        return render(str(term), str(term.datatype) if term.datatype else XSD_STRING)
    return str(term)


# -- endpoint ----------------------------------------------------------------------------------
def _run_endpoint(query: NamedQuery, url: str, bindings: dict[str, tuple[Term, ...]],
                  limit: int | None, offset: int | None, timeout: float) -> QueryStream:
    text = query_text(query, bindings, limit=limit, offset=offset)
    form = query_form(text)
    if form in ("CONSTRUCT", "DESCRIBE"):
        data = construct_ntriples(url, text, timeout)
        try:
            triples = list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES))
        except (SyntaxError, ValueError) as err:
            raise QueryError(f"{url} answered with N-Triples that cannot be read: {err}") from None
        return _triples(
            (_oxigraph_value(t.subject), _oxigraph_value(t.predicate), _oxigraph_value(t.object))
            for t in triples
        )
    data = select_json(url, text, timeout)
    if "boolean" in data:
        return _boolean(bool(data["boolean"]))
    columns = list(data.get("head", {}).get("vars", []))
    rows = [
        {name: _json_value(binding.get(name)) for name in columns}
        for binding in data.get("results", {}).get("bindings", [])
    ]
    return QueryStream(columns, rows)


def _json_value(term: dict | None) -> str | None:
    if not term:
        return None
    kind = term.get("type")
    value = term.get("value")
    if kind == "bnode":
        return f"_:{value}"
    if kind in ("literal", "typed-literal"):
        return render(str(value), term.get("datatype") or XSD_STRING)
    if kind == "triple" and isinstance(value, dict):
        parts = [_json_value(value.get(k)) for k in ("subject", "predicate", "object")]
        return "<< " + " ".join(p or "" for p in parts) + " >>"
    return None if value is None else str(value)


# -- other result shapes -----------------------------------------------------------------------
def _boolean(answer: bool) -> QueryStream:
    return QueryStream(["result"], [{"result": "true" if answer else "false"}])


def _triples(triples: Iterable[tuple[str | None, str | None, str | None]]) -> QueryStream:
    rows: list[Row] = [dict(zip(TRIPLE_COLUMNS, triple, strict=True)) for triple in triples]
    rows.sort(key=lambda row: tuple(v or "" for v in row.values()))
    return QueryStream(list(TRIPLE_COLUMNS), rows)

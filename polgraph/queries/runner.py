"""Running a named query over an Oxigraph store, an rdflib graph or a SPARQL endpoint.

Parameters are bound, never pasted into the query text as they come:

* an rdflib ``Graph``/``Dataset`` takes them as ``initBindings``;
* a ``pyoxigraph.Store`` and a remote endpoint get a ``VALUES`` clause first in the query's
  main group, written from escaped RDF terms (:func:`polgraph.queries.terms.sparql_term`).
  Oxigraph's own ``substitutions=`` is not used: it only accepts variables that are in the
  ``SELECT`` projection (SEP-0007), and a parameter is usually not a column.

So a parameter binds its variable for the query's whole main group; the library's queries
use parameters there only (never only inside a sub-select).

The union of all named graphs is the default graph: Oxigraph runs with
``use_default_graph_as_union``, an rdflib ``Dataset`` with ``default_union``; an endpoint
must be set up that way itself (Oxigraph server ``--union-default-graph``, Fuseki
``tdb2:unionDefaultGraph``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pyoxigraph

from polgraph.errors import PolgraphError, QueryError
from polgraph.queries.endpoint import construct_ntriples, select_json
from polgraph.queries.library import NamedQuery
from polgraph.queries.sparqltext import query_form, with_values
from polgraph.queries.terms import XSD_STRING, Term, param_term, render, sparql_term

TRIPLE_COLUMNS = ["subject", "predicate", "object"]


@dataclass
class QueryResult:
    """Columns (the projected variables, in order) and rows (``None`` where unbound)."""

    columns: list[str]
    rows: list[dict[str, str | None]] = field(default_factory=list)


def bind_params(query: NamedQuery, params: Mapping[str, str] | None) -> dict[str, Term]:
    """Check ``params`` against the query's header and turn the values into terms.

    Defaults fill in what is not given; an optional parameter without a value (or with an
    empty one) stays unbound. Unknown and missing parameters raise :class:`QueryError`.
    """
    given = dict(params or {})
    declared = [p.name for p in query.params]
    unknown = sorted(set(given) - set(declared))
    if unknown:
        takes = ", ".join(declared) if declared else "no parameters"
        raise QueryError(
            f"query {query.name!r} has no parameter {', '.join(unknown)} (it takes: {takes})"
        )
    bound: dict[str, Term] = {}
    missing = []
    for param in query.params:
        value = given.get(param.name)
        value = param.default if value is None else str(value)
        if value is None or (value == "" and param.required):
            missing.append(param)
            continue
        if value == "":
            continue
        bound[param.name] = param_term(param.name, param.type, value)
    if missing:
        needed = "; ".join(f"{p.name} ({p.description})" for p in missing)
        raise QueryError(f"query {query.name!r} needs a value for: {needed}")
    return bound


def run_query(
    query: NamedQuery,
    source,
    params: Mapping[str, str] | None = None,
    *,
    timeout: float = 60.0,
) -> QueryResult:
    """Run ``query`` over ``source`` with ``params`` bound; see the module docstring.

    ``source`` is a ``pyoxigraph.Store``, an rdflib ``Graph`` or ``Dataset``, or the URL of
    a SPARQL endpoint. ``timeout`` (seconds) applies to endpoints.
    """
    bindings = bind_params(query, params)
    if isinstance(source, str):
        return _run_endpoint(query, source, bindings, timeout)
    if isinstance(source, pyoxigraph.Store):
        return _run_oxigraph(query, source, bindings)
    try:
        import rdflib
    except ImportError:  # pragma: no cover - rdflib is a dependency
        rdflib = None
    if rdflib is not None and isinstance(source, rdflib.Graph):
        return _run_rdflib(query, source, bindings)
    raise QueryError(
        f"cannot run a query over {type(source).__name__}: "
        "give a pyoxigraph.Store, an rdflib Graph or Dataset, or an endpoint URL"
    )


def _with_bindings(query: NamedQuery, bindings: dict[str, Term]) -> str:
    names = sorted(bindings)
    return with_values(query.text, names, [sparql_term(bindings[n]) for n in names])


# -- pyoxigraph --------------------------------------------------------------------------------
def _run_oxigraph(query: NamedQuery, store: pyoxigraph.Store,
                  bindings: dict[str, Term]) -> QueryResult:
    text = _with_bindings(query, bindings)
    try:
        answer = store.query(text, use_default_graph_as_union=True)
        if isinstance(answer, pyoxigraph.QuerySolutions):
            columns = [variable.value for variable in answer.variables]
            rows = [
                {name: _oxigraph_value(solution[name]) for name in columns}
                for solution in answer
            ]
            return QueryResult(columns, rows)
        if isinstance(answer, pyoxigraph.QueryBoolean):
            return _boolean(bool(answer))
        return _triples(
            (_oxigraph_value(t.subject), _oxigraph_value(t.predicate), _oxigraph_value(t.object))
            for t in answer
        )
    except (SyntaxError, OSError, RuntimeError, ValueError) as err:
        raise QueryError(f"query {query.name!r} failed: {err}") from None


def _oxigraph_value(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return term.value
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, pyoxigraph.Literal):
        return render(term.value, term.datatype.value)
    return str(term)


# -- rdflib ------------------------------------------------------------------------------------
def _run_rdflib(query: NamedQuery, graph, bindings: dict[str, Term]) -> QueryResult:
    from rdflib import Literal, URIRef, Variable

    init = {
        Variable(name): URIRef(term.value) if term.is_iri
        else Literal(term.value) if term.datatype == XSD_STRING
        else Literal(term.value, datatype=URIRef(term.datatype))
        for name, term in bindings.items()
    }
    union = hasattr(graph, "default_union")  # a Dataset (or ConjunctiveGraph), not a Graph
    previous = graph.default_union if union else None
    try:
        if union:
            graph.default_union = True
        answer = graph.query(query.text, initBindings=init)
        if answer.type == "SELECT":
            columns = [str(variable) for variable in answer.vars]
            rows = [
                {name: _rdflib_value(row[i]) for i, name in enumerate(columns)}
                for row in answer
            ]
            return QueryResult(columns, rows)
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
def _run_endpoint(query: NamedQuery, url: str, bindings: dict[str, Term],
                  timeout: float) -> QueryResult:
    text = _with_bindings(query, bindings)
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
    return QueryResult(columns, rows)


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
def _boolean(answer: bool) -> QueryResult:
    return QueryResult(["result"], [{"result": "true" if answer else "false"}])


def _triples(triples: Iterable[tuple[str | None, str | None, str | None]]) -> QueryResult:
    rows = [dict(zip(TRIPLE_COLUMNS, triple, strict=True)) for triple in triples]
    rows.sort(key=lambda row: tuple(v or "" for v in row.values()))
    return QueryResult(list(TRIPLE_COLUMNS), rows)

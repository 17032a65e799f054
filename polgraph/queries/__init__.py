"""The query library: named SPARQL queries, run over a store, a graph or an endpoint.

Each ``.rq`` file in this package is a named query with a comment header (title,
description, parameters; see :mod:`polgraph.queries.library`). The contract queries
(``mentions``, ``statements``, ``memberships``, ``results``, ``events``) have fixed columns
that other tools read; the others answer a researcher's questions. Queries the code itself
uses live in ``internal/`` and are not listed.

>>> query = load_query("statements")                      # doctest: +SKIP
>>> result = run_query(query, store)                      # doctest: +SKIP
>>> print(format_result(result, "table"))                 # doctest: +SKIP

This package imports nothing from :mod:`polgraph.graphs`.
"""

from __future__ import annotations

from polgraph.queries.formats import FORMATS, format_result
from polgraph.queries.library import NamedQuery, Param, list_queries, load_query, parse_query
from polgraph.queries.runner import QueryResult, bind_params, run_query

__all__ = [
    "FORMATS",
    "NamedQuery",
    "Param",
    "QueryResult",
    "bind_params",
    "format_result",
    "list_queries",
    "load_query",
    "parse_query",
    "run_query",
]

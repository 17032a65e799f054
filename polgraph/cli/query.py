"""``polgraph queries`` and ``polgraph query``: the named-query library on the command line."""

from __future__ import annotations

from pathlib import Path

import click

from polgraph.cli import cli
from polgraph.cli._common import build_option, default_build_dir, handle_errors
from polgraph.errors import UsageError
from polgraph.queries import (
    FORMATS,
    NamedQuery,
    Param,
    QueryResult,
    format_result,
    list_queries,
    load_query,
)
from polgraph.queries.formats import format_chunks
from polgraph.queries.runner import has_order_by, stream_query

format_option = click.option(
    "--format", "-f", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
    help="Aligned table, CSV with a header, or JSON (a list of objects).",
)


def _param_usage(param: Param) -> str:
    """``person``, ``below=0.7`` or ``[party]``: a parameter as the list shows it."""
    if param.default is None:
        return param.name
    if param.default == "":
        return f"[{param.name}]"
    return f"{param.name}={param.default}"


@cli.command(name="queries")
@click.argument("name", required=False)
@format_option
@handle_errors
def queries_command(name: str | None, fmt: str) -> None:
    """List the named queries: name, title and parameters.

    Parameters show as NAME (required), NAME=DEFAULT, or [NAME] (optional). Give a
    query's NAME to see what it answers and what each parameter means.

    \b
    Examples:
        polgraph queries
        polgraph queries said-about
        polgraph queries --format json
    """
    if name:
        click.echo(_describe(load_query(name)), nl=False)
        return
    rows = [
        {"name": q.name, "title": q.title, "params": " ".join(_param_usage(p) for p in q.params)}
        for q in list_queries()
    ]
    click.echo(format_result(QueryResult(["name", "title", "params"], rows), fmt), nl=False)


def _describe(query: NamedQuery) -> str:
    lines = [f"{query.name}: {query.title}", ""]
    if query.description:
        lines.extend(click.wrap_text(query.description, width=88).splitlines())
        lines.append("")
    if query.params:
        lines.append("Parameters:")
        for param in query.params:
            kind = "" if param.type == "auto" else f" ({param.type})"
            if param.default is None:
                when = "required"
            elif param.default == "":
                when = "optional"
            else:
                when = f"default: {param.default}"
            lines.append(f"  {param.name}{kind}: {param.description} [{when}]")
        lines.append("")
    lines.append(f"Source: {query.path}")
    return "\n".join(lines) + "\n"


def _parse_params(ctx: click.Context, option: click.Parameter,
                  values: tuple[str, ...]) -> dict[str, str | list[str]]:
    """NAME=VALUE pairs; a NAME given more than once gets all its values (a list)."""
    params: dict[str, str | list[str]] = {}
    for value in values:
        name, sep, text = value.partition("=")
        name = name.strip()
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", ctx, option)
        if name in params:
            before = params[name]
            params[name] = [*([before] if isinstance(before, str) else before), text]
        else:
            params[name] = text
    return params


@cli.command(name="query")
@click.argument("query_name", metavar="NAME|FILE")
@build_option
@click.option("--endpoint", metavar="URL",
              help="Ask this SPARQL endpoint instead of the build's store.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              callback=_parse_params,
              help="A value for a query parameter; repeatable. The same NAME again adds a "
                   "value: rows for any of them.")
@click.option("--limit", type=click.IntRange(min=0), default=None, metavar="N",
              help="Only N rows: a page (SPARQL LIMIT, done by the store).")
@click.option("--offset", type=click.IntRange(min=0), default=0, metavar="M",
              help="Skip the first M rows (SPARQL OFFSET, done by the store).")
@format_option
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=60.0,
              show_default=True, help="Seconds to wait for an endpoint's answer.")
@handle_errors
def query_command(query_name: str, build_dir: Path | None, endpoint: str | None,
                  params: dict[str, str | list[str]], limit: int | None, offset: int,
                  fmt: str, timeout: float) -> None:
    """Run a named query (see 'polgraph queries') or a .rq FILE over the build.

    The union of all named graphs is the default graph. A FILE needs the same header as
    the library's queries for its parameters ('# param: name — description').

    On a large graph, narrow a query rather than reading it all: the contract queries
    (mentions, statements, memberships, results, events) take 'article' (an article id)
    and 'entity' (a name or alias as the graph writes it, or an IRI), which the store
    answers from its indexes. --limit and --offset page the rows in the store: the
    library's queries sort on all their columns, so pages are consecutive and disjoint
    (page k is --limit N --offset k×N); the store still sorts the whole answer for each
    page, so a page of a large query is not much quicker to compute than all of it, only
    to print. CSV and JSON are printed as the rows come.

    \b
    Examples:
        polgraph query statements
        polgraph query statements -p article=bury-2016-local-elections
        polgraph query memberships -p entity="Labour Party" --format csv
        polgraph query mentions --limit 100 --offset 200
        polgraph query said-about -p person="Ken Livingstone" --format csv
        polgraph query review -p below=0.8 --build news-build
        polgraph query my-question.rq --format json
        polgraph query results --endpoint http://localhost:7878/query
    """
    if endpoint and build_dir is not None:
        raise click.UsageError("give --build or --endpoint, not both")
    query = load_query(query_name)
    if endpoint:
        source = endpoint
    else:
        from polgraph.graphs.store import open_store

        folder = build_dir if build_dir is not None else default_build_dir()
        try:
            source = open_store(folder, read_only=True)
        except OSError as err:
            raise UsageError(f"cannot open the store in {folder}: {err}") from None
    if (limit is not None or offset) and not has_order_by(query.text):
        click.echo(f"Warning: {query.name} has no ORDER BY: its pages may overlap or miss "
                   "rows.", err=True)
    stream = stream_query(query, source, params, limit=limit, offset=offset or None,
                          timeout=timeout)
    if fmt == "table":
        result = stream.result()
        click.echo(format_result(result, fmt), nl=False)
        if not result.rows:
            click.echo("(no rows)", err=True)
        return
    for chunk in format_chunks(stream, fmt):
        click.echo(chunk, nl=False)

"""``polgraph load``: send the build's named graphs to a SPARQL store and check the counts."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from polgraph.cli import cli
from polgraph.cli._common import (
    EXIT_CHECK_FAILED,
    build_option,
    default_build_dir,
    handle_errors,
)
from polgraph.graphs.http import HttpClient, credentials_from_env, redact, split_userinfo
from polgraph.graphs.load import (
    PROTOCOLS,
    LoadReport,
    ProgressBar,
    load_build,
    resolve_target,
)


@cli.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="The store's SPARQL query endpoint (used for the count check).")
@click.option("--graph-store", metavar="URL",
              help="Its Graph Store Protocol URL [default: guessed from --endpoint for "
                   "Oxigraph, Virtuoso, Fuseki and GraphDB].")
@click.option("--update-endpoint", metavar="URL",
              help="Its SPARQL Update URL, for --protocol update, and to drop graphs a "
                   "dataset load replaces [default: guessed].")
@click.option("--protocol", type=click.Choice(PROTOCOLS), default="auto", show_default=True,
              help="dataset: graph.nq as N-Quads in large POSTs to the graph store URL; "
                   "gsp: SPARQL 1.1 Graph Store Protocol, one graph at a time; update: "
                   "SPARQL 1.1 Update (INSERT DATA) for stores without it; auto: dataset "
                   "for Oxigraph, gsp for others.")
@click.option("--user", metavar="U", help="User name for HTTP Basic or Digest authentication.")
@click.option("--password-env", metavar="VAR",
              help="Environment variable that holds the password (never a flag).")
@click.option("--token-env", metavar="VAR",
              help="Environment variable that holds a bearer token.")
@build_option
@click.option("--replace/--append", default=True, show_default=True,
              help="Replace each graph of the build in the store (loading twice changes "
                   "nothing) or add to it.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              metavar="S", help="Seconds to wait for each answer.")
@click.option("--retries", type=click.IntRange(min=0), default=3, show_default=True, metavar="N",
              help="Further tries after a connection error, a timeout or a 5xx answer, "
                   "waiting 1, 2, 4 … s.")
@click.option("--batch-size", type=click.IntRange(min=1), default=None, metavar="N",
              help="Quads per request [default: 250000 (and 8 MB) for dataset, 10000 for "
                   "gsp, 1000 for update].")
@handle_errors
def load(
    endpoint: str,
    graph_store: str | None,
    update_endpoint: str | None,
    protocol: str,
    user: str | None,
    password_env: str | None,
    token_env: str | None,
    build_dir: Path | None,
    replace: bool,
    timeout: float,
    retries: int,
    batch_size: int | None,
) -> None:
    """Load the build into a SPARQL store, and check it.

    Into Oxigraph, graph.nq goes as N-Quads in a few large requests (its bulk loader); into
    other stores, one named graph at a time over the Graph Store Protocol (or SPARQL
    Update). Then the triples of each graph are counted through the query endpoint: a count
    that differs from the build fails (exit 1). A progress bar is shown on a terminal.
    Credentials are read from environment variables and never printed.

    \b
    Examples:
        oxigraph serve --location data --union-default-graph &
        polgraph load --endpoint http://localhost:7878/query
        read -rs POLGRAPH_PW && export POLGRAPH_PW     # the password, not echoed
        polgraph load --endpoint http://localhost:8890/sparql-auth \\
            --user polgraph --password-env POLGRAPH_PW
        polgraph query statements --endpoint http://localhost:7878/query
    """
    endpoint, url_credentials = split_userinfo(endpoint)
    if graph_store:
        graph_store, store_credentials = split_userinfo(graph_store)
        url_credentials = url_credentials or store_credentials
    if update_endpoint:
        update_endpoint, update_credentials = split_userinfo(update_endpoint)
        url_credentials = url_credentials or update_credentials
    credentials = credentials_from_env(user, password_env, token_env) or url_credentials
    target = resolve_target(endpoint, graph_store, update_endpoint, protocol)
    build_dir = build_dir or default_build_dir()
    interactive = sys.stderr.isatty()

    def bar(total: int | None, unit: str) -> ProgressBar:
        from tqdm import tqdm

        return tqdm(total=total, desc="  loading", unit=unit, unit_scale=True,
                    file=sys.stderr, disable=not interactive, leave=False)

    with HttpClient(credentials, timeout=timeout, retries=retries) as client:
        report = load_build(build_dir, target, client, replace=replace,
                            batch_size=batch_size, bar=bar)
    _print_report(report)
    if report.mismatches:
        for count in report.mismatches:
            expected = "" if count.exact else "at least "
            click.echo(
                f"Error: graph <{count.graph}> has {count.store} triples in the store, "
                f"{expected}{count.build} expected from the build",
                err=True,
            )
        sys.exit(EXIT_CHECK_FAILED)


def _print_report(report: LoadReport) -> None:
    target = report.target
    verb = "replaced" if report.replace else "added to"
    how = {"dataset": "as N-Quads", "gsp": "graph by graph", "update": "by SPARQL Update"}
    click.echo(
        f"Loaded {len(report.graphs)} named graphs ({report.triples} triples, "
        f"{report.requests} requests, {verb}) into {redact(target.write_url)} "
        f"{how.get(target.protocol, '')}".rstrip()
    )
    checked = [c for c in report.graphs if c.store is not None]
    if checked and not report.mismatches:
        click.echo(
            f"Checked: the triples of all {len(checked)} graphs counted through "
            f"{redact(target.endpoint)} match the build."
        )

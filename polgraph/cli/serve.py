"""``polgraph serve``: the build as a local SPARQL endpoint (the Oxigraph server)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from polgraph.cli import cli
from polgraph.cli._common import build_option, default_build_dir, handle_errors
from polgraph.graphs.serve import LOOPBACK, Endpoints
from polgraph.graphs.serve import serve as serve_build


@cli.command()
@build_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default is reachable from this machine only.")
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True,
              help="Port to listen on.")
@click.option("--read-only/--read-write", default=True, show_default=True,
              help="Read-only never modifies the build; --read-write also accepts SPARQL "
                   "Update and Graph Store writes into the build's store.")
@handle_errors
def serve(build_dir: Path | None, host: str, port: int, read_only: bool) -> None:
    """Serve the build as a SPARQL endpoint until Ctrl-C.

    Queries see the union of the named graphs, as locally, so every named query gives the
    same rows over HTTP.

    \b
    Example:
        polgraph serve --build build --port 7878
        polgraph query statements --endpoint http://127.0.0.1:7878/query
    """
    build_dir = build_dir or default_build_dir()

    def announce(urls: Endpoints) -> None:
        mode = "read-only" if read_only else "read-write"
        click.echo(f"Serving {build_dir} ({mode}) as a SPARQL endpoint; Ctrl-C to stop.")
        click.echo(f"  query:        {urls.query}")
        if urls.update:
            click.echo(f"  update:       {urls.update}")
        click.echo(f"  graph store:  {urls.graph_store}")
        click.echo(f"Query it:  polgraph query statements --endpoint {urls.query}")
        if host not in LOOPBACK:
            click.echo(f"Warning: listening on {host}: reachable from other machines.", err=True)
        sys.stdout.flush()

    serve_build(build_dir, host, port, read_only, on_ready=announce)

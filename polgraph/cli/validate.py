"""``polgraph validate``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from polgraph.cli import cli
from polgraph.cli._common import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    build_option,
    default_build_dir,
    handle_errors,
)
from polgraph.errors import UsageError

#: The file of a build that is validated.
BUILD_FILE = "graph.nq"


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@build_option
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "turtle", "json"]),
              default="text", show_default=True,
              help="text: grouped by shape, with article and sentence; turtle: the SHACL "
                   "report graph; json: one object per result.")
@click.option("--engine", type=click.Choice(["oxigraph", "pyshacl"]), default="oxigraph",
              show_default=True,
              help="oxigraph: the shapes compiled to SPARQL and run in the build's Oxigraph "
                   "store (FILES: in an in-memory one); pyshacl: the reference SHACL engine "
                   "on rdflib (the same results; slow and memory-hungry beyond a few hundred "
                   "articles).")
@click.option("--workers", "-j", type=click.IntRange(1), default=1, show_default=True,
              help="With the oxigraph engine on a build: share the checks among this many "
                   "processes, each reading the store.")
@handle_errors
def validate(files: tuple[Path, ...], build_dir: Path | None, fmt: str, engine: str,
             workers: int) -> None:
    """Check a build, or RDF FILES, against polgraph's SHACL shapes.

    Without FILES, validates the build folder (its Oxigraph store, or graph.nq). FILES may be
    Turtle (read as hand-written graphs, as 'polgraph build' reads them), TriG, N-Quads or
    N-Triples; they are validated together. Each violation names the rule, the node, its
    label and, for an extracted fact, the article and the sentence it comes from. Exit code:
    0 conforms (warnings allowed), 1 violations, 2 bad input (no build, unreadable or broken
    file, with its line and column).

    \b
    Examples:
        polgraph validate                          # build/graph.nq
        polgraph validate --build news-build --format json > report.json
        polgraph validate my-facts/people.ttl      # check a hand-written file first
        polgraph validate --engine pyshacl         # cross-check with the reference engine
        polgraph validate --build big-build -j 2   # a large build, over two processes
    """
    from polgraph.graphs.store import open_store, store_path
    from polgraph.graphs.store_validation import validate_files_in_store
    from polgraph.graphs.validate import validate_files

    if files and build_dir is not None:
        raise UsageError("give FILES or --build, not both")
    store = location = None
    if not files:
        folder = build_dir if build_dir is not None else default_build_dir()
        target = Path(folder) / BUILD_FILE
        if not target.is_file():
            raise UsageError(f"no build in {folder} (no {BUILD_FILE}): run 'polgraph build' first")
        files = (target,)
        if engine == "oxigraph" and store_path(folder).is_dir():
            store = open_store(folder, read_only=True)
            location = store_path(folder)
    if engine == "pyshacl":
        report = validate_files(files)
    else:
        from tqdm import tqdm

        from polgraph.graphs.store_validation import check_count, validate_store

        with tqdm(total=check_count(), desc="  validating", unit=" checks", file=sys.stderr,
                  disable=not sys.stderr.isatty(), leave=False) as bar:
            if store is not None:  # the build's own store: nothing to read into memory
                report = validate_store(store, progress=bar.update, workers=workers,
                                        location=location)
            else:
                report = validate_files_in_store(files, progress=bar.update)
    if fmt == "turtle":
        click.echo(report.as_turtle(), nl=False)
    elif fmt == "json":
        click.echo(report.as_json(), nl=False)
    else:
        click.echo(report.as_text(), nl=False)
    sys.exit(EXIT_OK if report.conforms else EXIT_CHECK_FAILED)

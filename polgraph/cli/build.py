"""``polgraph build``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from polgraph.cli import cli
from polgraph.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_CHECK_FAILED,
    config,
    config_path,
    handle_errors,
)


@cli.command()
@click.argument("articles", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "-o", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Build folder [default: 'out' of [tool.polgraph], build/].")
@click.option("--hand", multiple=True, type=click.Path(path_type=Path, exists=True),
              help="A folder (or file) of your own hand-written Turtle; repeatable.")
@click.option("--model", default=None,
              help="Any installed spaCy pipeline [default: en_core_web_sm].")
@click.option("--threshold", type=click.FloatRange(0, 1), default=None,
              help="Findings below this confidence go to review.jsonl [default: 0.5].")
@click.option("--no-validate", is_flag=True, help="Skip the SHACL validation at the end.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@handle_errors
def build(articles: tuple[Path, ...], out: Path | None, hand: tuple[Path, ...],
          model: str | None, threshold: float | None, no_validate: bool, quiet: bool) -> None:
    """Build the graph of ARTICLES (files or folders of .txt, .jsonl, .html).

    Writes to the build folder: the embedded Oxigraph store (store/), graph.nq (sorted,
    reproducible), graph.trig, graph.ttl (union of all graphs), graph.jsonld, review.jsonl
    (findings under the confidence threshold) and validation.txt. Turtle files found
    beside the articles are hand-written graphs for them. An unreadable article is
    reported with its reason and skipped; the exit code is then 1.

    \b
    Examples:
        polgraph build                       # articles/ -> build/
        polgraph build news/ more.jsonl --out news-build
        polgraph build --hand my-facts/ --threshold 0.7
    """
    from polgraph.graphs.build import BuildOptions
    from polgraph.graphs.build import build as run_build

    settings = config()
    paths = list(articles) or [config_path(p) for p in settings["articles"]]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        click.echo(f"Error: no such file or folder: {', '.join(missing)}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    options = BuildOptions(
        articles=paths,
        out=out or config_path(settings["out"]),
        hand=[*(config_path(p) for p in settings.get("hand", [])), *hand],
        model=model or settings["model"],
        threshold=threshold if threshold is not None else float(settings["confidence-threshold"]),
        validate=not no_validate,
    )
    interactive = sys.stderr.isatty() and not quiet

    def progress(message: str) -> None:
        if interactive:
            click.echo(f"  {message}", err=True)

    result = run_build(options, progress=progress)
    for error in result.errors:
        click.echo(f"Error: {error}", err=True)
    if not quiet:
        click.echo(
            f"Built {result.out}: {result.articles} articles, {result.quads} triples, "
            f"{result.people} people, {result.statements} statements, "
            f"{result.reviewed} findings to review"
            + ("" if result.violations is None else f", {result.violations} violations")
        )
        if result.violations:
            click.echo(f"See {result.out / 'validation.txt'} or run 'polgraph validate'.")
    if result.errors or result.violations:
        sys.exit(EXIT_CHECK_FAILED)

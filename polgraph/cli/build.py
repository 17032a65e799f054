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
@click.option("--full-validation", is_flag=True,
              help="Validate the whole graph at once instead of incrementally (only new or "
                   "changed article graphs and what they touch); slow on a large corpus.")
@click.option("--workers", "-j", type=click.IntRange(1), default=1, show_default=True,
              help="Extract (and validate) in this many processes; each loads the pipeline "
                   "once. The output is identical whatever the number.")
@click.option("--executor", type=click.Choice(["processes", "dask"]), default="processes",
              show_default=True,
              help="'dask' maps the extraction over a Dask cluster (pip install "
                   "'polgraph[dask]'): a local one of --workers processes, or --scheduler.")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="With --executor dask: the address of a running Dask scheduler "
                   "(tcp://host:8786) instead of a local cluster.")
@click.option("--no-cache", is_flag=True,
              help="Extract every article again, even those whose text and settings are "
                   "unchanged since the last build into this folder (BUILD/cache/).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@handle_errors
def build(articles: tuple[Path, ...], out: Path | None, hand: tuple[Path, ...],
          model: str | None, threshold: float | None, no_validate: bool, full_validation: bool,
          workers: int, executor: str, scheduler: str | None, no_cache: bool,
          quiet: bool) -> None:
    """Build the graph of ARTICLES (files or folders of .txt, .jsonl, .html).

    Writes to the build folder: the embedded Oxigraph store (store/), graph.nq (sorted,
    reproducible), graph.trig, graph.ttl (union of all graphs), graph.jsonld, review.jsonl
    (findings under the confidence threshold) and validation.txt. Turtle files found
    beside the articles are hand-written graphs for them. An unreadable article is
    reported with its reason and skipped; the exit code is then 1.

    Builds are incremental: an article whose text, metadata and extraction settings (model
    and version, polgraph version, threshold, gazetteer) are unchanged is not extracted
    again (BUILD/cache/ keeps each article's graph); the store is updated in place (the
    graphs of changed and removed articles replaced or dropped), the export files are put
    together from cached pieces, and validation checks again only what the changes can
    affect (--full-validation checks everything). The output is byte-identical to a build
    from scratch (--no-cache).

    \b
    Examples:
        polgraph build                       # articles/ -> build/
        polgraph build news/ more.jsonl --out news-build
        polgraph build --hand my-facts/ --threshold 0.7
        polgraph build big-corpus/ --workers 4
        polgraph build big-corpus/ --executor dask --scheduler tcp://10.0.0.5:8786
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
        workers=workers,
        executor=executor,
        scheduler=scheduler,
        cache=not no_cache,
        full_validation=full_validation,
    )
    if scheduler and executor != "dask":
        click.echo("Error: --scheduler needs --executor dask", err=True)
        sys.exit(EXIT_BAD_INPUT)
    interactive = sys.stderr.isatty() and not quiet

    def progress(message: str) -> None:
        if interactive:
            click.echo(f"  {message}", err=True)

    def bar(total: int | None, description: str):
        from tqdm import tqdm

        return tqdm(total=total, desc=f"  {description}", unit=" articles", file=sys.stderr,
                    disable=not interactive, leave=False)

    result = run_build(options, progress=progress, bar=bar)
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

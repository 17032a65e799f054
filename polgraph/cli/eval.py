"""``polgraph eval``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from polgraph.cli import cli
from polgraph.cli._common import (
    EXIT_CHECK_FAILED,
    build_option,
    config,
    config_path,
    default_build_dir,
    handle_errors,
)
from polgraph.errors import UsageError


@cli.command(name="eval")
@build_option
@click.option("--gold", "gold_path", type=click.Path(path_type=Path), default=None,
              help="Folder of gold files (*.json, one per article) or one gold file "
                   "[default: 'gold' of [tool.polgraph]].")
@click.option("--verbose", "-v", is_flag=True,
              help="List every miss and false hit, per article and kind.")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="A readable table, or the same numbers as JSON.")
@click.option("--min-f1", "min_f1", multiple=True, metavar="KIND=VALUE",
              help="Exit with 1 when KIND's F1 is below VALUE; repeatable. KIND: people, "
                   "parties, organisations, places, quotes, quotes-direct, quotes-reported, "
                   "memberships, results, events, or speakers (speaker accuracy).")
@handle_errors
def eval_command(build_dir: Path | None, gold_path: Path | None, verbose: bool, fmt: str,
                 min_f1: tuple[str, ...]) -> None:
    """Score a build against gold annotations: precision, recall and F1 per kind.

    Kinds: people, parties, organisations, places, quotes found (all, direct, reported),
    memberships, results and events; then the accuracy of the found quotes' speakers,
    with the number of quotes given to a wrong named speaker, and how often matched
    memberships agree on the role. Scoring conventions: tests/gold/README.md.

    \b
    Examples:
        polgraph eval --gold tests/gold
        polgraph eval --build news-build --gold gold/ --verbose
        polgraph eval --gold tests/gold --min-f1 quotes=0.95 --min-f1 speakers=0.9
        polgraph eval --gold tests/gold --format json > scores.json
    """
    from polgraph.evaluate import (
        below_thresholds,
        evaluate_build,
        format_json,
        format_text,
        parse_thresholds,
    )

    minimums = parse_thresholds(min_f1)
    if gold_path is None:
        configured = config().get("gold")
        if not configured:
            raise UsageError("give the gold annotations with --gold DIR")
        gold_path = config_path(configured)
    report = evaluate_build(build_dir or default_build_dir(), gold_path)
    if fmt == "json":
        click.echo(format_json(report, verbose), nl=False)
    else:
        click.echo(format_text(report, verbose), nl=False)
    failures = below_thresholds(report, minimums)
    for failure in failures:
        click.echo(f"Failed: {failure}", err=True)
    if failures:
        sys.exit(EXIT_CHECK_FAILED)

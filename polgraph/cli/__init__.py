"""The ``polgraph`` command line: thin commands over library functions.

Each command lives in its own module under ``polgraph/cli/`` and registers itself on
:data:`cli`. Exit codes: 0 success, 1 a failed check (SHACL violations, eval below a
threshold, unreadable articles), 2 bad usage or bad input.
"""

from __future__ import annotations

import importlib

import click

from polgraph import __version__

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="polgraph")
def cli() -> None:
    """Build a knowledge graph of political news: who said what about whom, who belongs
    to which party, which council changed hands, and where each fact came from.

    \b
    Start here:
        polgraph build            # articles/ -> build/, validated
        polgraph queries          # the named queries
        polgraph query statements # who said what
    """


#: Command modules; each defines one click command and adds it to ``cli``.
COMMAND_MODULES = (
    "build",
    "validate",
    "query",
    "eval",
    "draw",
    "load",
    "serve",
)

for _name in COMMAND_MODULES:
    try:
        importlib.import_module(f"polgraph.cli.{_name}")
    except ModuleNotFoundError as _err:  # a command not written yet
        if _err.name != f"polgraph.cli.{_name}":
            raise

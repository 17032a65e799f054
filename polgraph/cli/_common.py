"""What every command shares: configuration from pyproject.toml, errors, exit codes."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from polgraph.errors import PolgraphError, UsageError

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2

DEFAULTS: dict[str, Any] = {
    "articles": ["articles"],
    "out": "build",
    "hand": [],
    "model": "en_core_web_sm",
    "confidence-threshold": 0.5,
}


def find_pyproject(start: Path | None = None) -> Path | None:
    """The nearest pyproject.toml at or above the working directory."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


@functools.lru_cache(maxsize=8)
def _load_config(pyproject: Path | None) -> dict[str, Any]:
    config = dict(DEFAULTS)
    if pyproject is None:
        return config
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise UsageError(f"{pyproject}: cannot read [tool.polgraph]: {err}") from None
    section = data.get("tool", {}).get("polgraph", {})
    config.update(section)
    config["_root"] = str(pyproject.parent)
    return config


def config() -> dict[str, Any]:
    """Defaults from ``[tool.polgraph]`` in the nearest pyproject.toml; flags override them.

    Relative paths in the configuration are relative to the folder of that pyproject.toml.
    """
    return _load_config(find_pyproject())


def config_path(value: str) -> Path:
    """A path from the configuration, resolved against the pyproject.toml folder."""
    root = config().get("_root")
    path = Path(value)
    if root and not path.is_absolute():
        return Path(root) / path
    return path


def default_build_dir() -> Path:
    """The build folder when ``--build`` is not given."""
    return config_path(config()["out"])


build_option = click.option(
    "--build",
    "build_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Build folder made by 'polgraph build' [default: 'out' of [tool.polgraph], build/].",
)


def handle_errors(func: Callable) -> Callable:
    """Turn polgraph's errors into a one-line message and exit code 2 (bad input)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except PolgraphError as err:
            click.echo(f"Error: {err}", err=True)
            sys.exit(EXIT_BAD_INPUT)

    return wrapper

"""The build's embedded triple store: an on-disk Oxigraph store in ``BUILD/store``."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph

from polgraph.errors import UsageError

STORE_FOLDER = "store"


def store_path(build_dir: Path) -> Path:
    return Path(build_dir) / STORE_FOLDER


def open_store(build_dir: Path, *, read_only: bool = True) -> pyoxigraph.Store:
    """Open the build's Oxigraph store; a clear error when there is no build there."""
    path = store_path(build_dir)
    if not path.is_dir():
        raise UsageError(
            f"no build in {build_dir} (no {STORE_FOLDER}/ folder): run 'polgraph build' first"
        )
    if read_only:
        return pyoxigraph.Store.read_only(str(path))
    return pyoxigraph.Store(str(path))

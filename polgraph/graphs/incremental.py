"""What a rebuild can reuse from the previous build in the same folder.

A build records what its store holds (:class:`StoreState`: the digest of the fixed graphs and
the (article, hash) of every article graph) in ``cache/store-state.json``. The next build
compares: when the fixed graphs are the same and few articles changed, it removes the graphs
of changed and removed articles from the store and loads the new ones, instead of loading the
whole corpus again. The record is deleted before the store is touched and written again once
the store is complete, so a build that stops half-way leaves no record and the next one
reloads everything.

:class:`Changes` also tells validation (:mod:`polgraph.graphs.checks`) which article graphs
differ from those the previous report was made on, with the files of their old and new
versions (the cache keeps the previous build's files until the end of this one).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from polgraph.graphs.cache import CACHE_FOLDER, ArticleCache
from polgraph.graphs.export import write_atomic

#: The store is reloaded from scratch when more than this share of the articles changed
#: (one bulk load is then faster than many removals and small loads).
RELOAD_SHARE = 0.2

STORE_STATE = "store-state.json"


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_stamp(path: Path) -> list[int]:
    """Size and modification time of a file ([] when there is none): enough to tell that
    the ``graph.nq`` a build wrote is still the one in the folder."""
    try:
        status = Path(path).stat()
    except OSError:
        return []
    return [status.st_size, status.st_mtime_ns]


@dataclass
class StoreState:
    """What a build's store holds: the fixed graphs' digest and each article's hash, and
    the stamp of the ``graph.nq`` written with it (a rebuild edits that file in one pass)."""

    fixed: str
    entries: dict[str, str] = field(default_factory=dict)
    graph_nq: list[int] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> StoreState | None:
        try:
            data = json.loads(Path(path).read_text("utf-8"))
            return cls(fixed=str(data["fixed"]), entries=dict(data["entries"]),
                       graph_nq=list(data.get("graph_nq", [])))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write(self, path: Path) -> None:
        write_atomic(path, json.dumps({"fixed": self.fixed, "entries": self.entries,
                                       "graph_nq": self.graph_nq}, sort_keys=True))


@dataclass
class Changes:
    """The article graphs that differ between two builds."""

    added: list[tuple[str, str]]  #: (article, hash) new or changed
    removed: list[tuple[str, str]]  #: (article, previous hash) changed or gone

    @classmethod
    def between(cls, before: dict[str, str], entries: Iterable[tuple[str, str]]) -> Changes:
        now = dict(entries)
        added = [(a, d) for a, d in now.items() if before.get(a) != d]
        removed = [(a, d) for a, d in before.items() if now.get(a) != d]
        return cls(sorted(added), sorted(removed))

    @property
    def articles(self) -> list[str]:
        """The articles whose graphs changed, appeared or went."""
        return sorted({a for a, _ in self.added} | {a for a, _ in self.removed})

    def __len__(self) -> int:
        return len(self.articles)

    def files_present(self, cache: ArticleCache) -> bool:
        """True when the cache still has every old and new article graph."""
        return all(cache.path(a, d).is_file() for a, d in [*self.added, *self.removed])


def state_path(out: Path) -> Path:
    return Path(out) / CACHE_FOLDER / STORE_STATE


def update_store(store: pyoxigraph.Store, changes: Changes, cache: ArticleCache) -> None:
    """Replace the changed article graphs in ``store`` by their new versions."""
    from polgraph.graphs.rdf import graph_iri

    for article_id, _ in changes.removed:
        store.remove_graph(pyoxigraph.NamedNode(str(graph_iri(article_id))))
    for article_id, digest in changes.added:
        store.load(path=str(cache.path(article_id, digest)),
                   format=pyoxigraph.RdfFormat.N_QUADS)


def can_update(previous: StoreState | None, fixed: str, entries: list[tuple[str, str]],
               cache: ArticleCache, store_folder: Path) -> Changes | None:
    """The changes to apply to the existing store, or None when it must be loaded afresh."""
    if previous is None or previous.fixed != fixed or not cache.enabled:
        return None
    if not store_folder.is_dir():
        return None
    changes = Changes.between(previous.entries, entries)
    if len(changes) > RELOAD_SHARE * max(len(entries), 1) or not changes.files_present(cache):
        return None
    return changes

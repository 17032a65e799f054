"""Per-article extraction, in this process, in worker processes or on a Dask cluster.

The unit of work is one article → :class:`ArticleOutput`: the sorted, de-duplicated N-Quads
lines of its named graph and its review records (findings under the threshold) as JSON lines.
Articles travel in chunks; each worker loads the pipeline once (the first chunk it gets) and
keeps it. Results come back in input order whatever the executor, so the build's output does
not depend on how many workers made it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from polgraph.extract.findings import ArticleFindings
from polgraph.extract.gazetteer import GazetteerEntry
from polgraph.extract.read import Article

FACT_LISTS = ("statements", "memberships", "results", "events")
EXECUTORS = ("processes", "dask")

#: (article as read, article with curated metadata for extraction)
Pair = tuple[Article, Article]


@dataclass(frozen=True)
class ExtractionSettings:
    """What every worker needs to turn an article into its graph."""

    model: str
    gazetteer: tuple[GazetteerEntry, ...]
    threshold: float

    @property
    def key(self) -> str:
        text = json.dumps([self.model, self.threshold,
                           [dataclasses.astuple(e) for e in self.gazetteer]], default=list)
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class ArticleOutput:
    """One article's graph as sorted N-Quads lines (no newline) and its review JSON lines."""

    article_id: str
    lines: list[str]
    review: list[str]


def split_by_confidence(findings: ArticleFindings, threshold: float
                        ) -> tuple[ArticleFindings, list[dict]]:
    """Findings at or above the threshold, and review records for the rest."""
    review = []
    kept = dataclasses.replace(findings)
    for name in FACT_LISTS:
        keep = []
        for item in getattr(findings, name):
            if item.evidence.confidence >= threshold:
                keep.append(item)
            else:
                record = {"article": findings.article_id, "kind": name[:-1]}
                record.update(dataclasses.asdict(item))
                review.append(record)
        setattr(kept, name, keep)
    return kept, review


def article_output(original: Article, findings: ArticleFindings, threshold: float,
                   model: str) -> ArticleOutput:
    """The graph lines and review lines of one extracted article."""
    from polgraph.graphs.rdf import article_nquads

    kept, low = split_by_confidence(findings, threshold)
    review = [json.dumps(record, default=str, ensure_ascii=False, sort_keys=True) + "\n"
              for record in low]
    # The article graph states only what the file says; curated metadata stays curated.
    lines = sorted(set(article_nquads(original, kept, model)))
    return ArticleOutput(original.id, lines, review)


def extract_pairs(pairs: Iterable[Pair], nlp, threshold: float) -> Iterator[ArticleOutput]:
    """Extract articles with a loaded pipeline, streamed (one batch of Docs at a time)."""
    from polgraph.extract.pipeline import extract, model_description

    model = model_description(nlp)
    originals: dict[str, Article] = {}

    def enriched(items: Iterable[Pair]) -> Iterator[Article]:
        for original, article in items:
            originals[article.id] = original
            yield article

    for article, findings in extract(enriched(pairs), nlp):
        yield article_output(originals.pop(article.id), findings, threshold, model)


# -- in a worker --------------------------------------------------------------------------------

_PIPELINES: dict[str, object] = {}


def _pipeline(settings: ExtractionSettings):
    """The worker's pipeline for these settings, loaded on first use and kept."""
    key = settings.key
    if key not in _PIPELINES:
        from polgraph.extract.pipeline import load_pipeline

        _PIPELINES.clear()
        _PIPELINES[key] = load_pipeline(settings.model, settings.gazetteer)
    return _PIPELINES[key]


def extract_chunk(settings: ExtractionSettings, chunk: list[Pair]) -> list[ArticleOutput]:
    """Extract one chunk of articles in a worker (process-pool or Dask task)."""
    return list(extract_pairs(chunk, _pipeline(settings), settings.threshold))


# -- executors ----------------------------------------------------------------------------------


def chunked(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _in_order(submit: Callable[[list[Pair]], object], result: Callable[[object], list],
              chunks: Iterable[list[Pair]], window: int) -> Iterator[ArticleOutput]:
    """Keep ``window`` chunks in flight; yield their outputs in input order."""
    pending: deque = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield from result(pending.popleft())
    while pending:
        yield from result(pending.popleft())


def run_processes(pairs: Iterable[Pair], settings: ExtractionSettings, workers: int,
                  chunk_size: int = 8) -> Iterator[ArticleOutput]:
    """Extract over ``workers`` processes (spawned: each loads the pipeline once)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from _in_order(lambda chunk: pool.submit(extract_chunk, settings, chunk),
                             lambda future: future.result(),
                             chunked(pairs, chunk_size), window=3 * workers)


def run_dask(pairs: Iterable[Pair], settings: ExtractionSettings, workers: int,
             scheduler: str | None = None, chunk_size: int = 8) -> Iterator[ArticleOutput]:
    """Map extraction over a Dask cluster: the scheduler at ``scheduler``, or a
    LocalCluster of ``workers`` single-threaded worker processes started for this build."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        from polgraph.errors import UsageError

        raise UsageError("--executor dask needs dask.distributed: "
                         "pip install 'polgraph[dask]'") from None
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        shared = client.scatter(settings, broadcast=True)
        total = max(1, sum(client.nthreads().values()))
        yield from _in_order(
            lambda chunk: client.submit(extract_chunk, shared, chunk, pure=False),
            lambda future: future.result(),
            chunked(pairs, chunk_size), window=3 * total)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)

"""``polgraph build``: articles and hand-written Turtle → a validated dataset in a folder.

The flow (docs/graph-model.md): read the hand-written graphs and turn them into the
gazetteer; read the articles (an unreadable one is reported and skipped); extract findings;
keep those above the confidence threshold and send the rest to ``review.jsonl``; write one
named graph per article; resolve across articles; load the store; export; validate.

Scale (DESIGN.md, "Scale"): articles are streamed; each article's graph is written to the build
cache as sorted N-Quads under a content hash (:mod:`polgraph.graphs.cache`), so an unchanged
article is never extracted again; extraction runs here, over ``--workers`` processes or over a
Dask cluster (:mod:`polgraph.graphs.workers`), with results in input order. ``graph.nq`` is a
merge of the sorted per-article files (never all lines in memory). A cold build bulk-loads the
store from that merge; a rebuild replaces only the graphs of changed and removed articles in
the store it left (:mod:`polgraph.graphs.incremental`). TriG, Turtle and JSON-LD are put
together from per-article pieces cached like the N-Quads (:mod:`polgraph.graphs.export_files`).
Validation is incremental (:mod:`polgraph.graphs.checks`) unless a full check is asked.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import heapq
import itertools
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import pyoxigraph

from polgraph.errors import ArticleError, UsageError
from polgraph.extract.gazetteer import GazetteerEntry
from polgraph.extract.read import Article, read_articles
from polgraph.graphs import handwritten
from polgraph.graphs.cache import (
    CACHE_FOLDER,
    ArticleCache,
    article_hash,
    code_fingerprint,
    model_identity,
    settings_fingerprint,
)
from polgraph.graphs.export import nquads_lines, write_atomic
from polgraph.graphs.export_files import FORMATS, PieceSource, piece_kind, write_exports
from polgraph.graphs.incremental import (
    StoreState,
    can_update,
    file_digest,
    file_stamp,
    state_path,
    update_store,
)
from polgraph.graphs.mint import mint
from polgraph.graphs.rdf import graph_iri
from polgraph.graphs.store import store_path
from polgraph.graphs.workers import (
    EXECUTORS,
    ArticleOutput,
    ExtractionSettings,
    Pair,
    extract_pairs,
    run_dask,
    run_processes,
    split_by_confidence,
)

__all__ = ["BuildOptions", "BuildResult", "build", "merge_runs", "split_by_confidence"]

#: A progress counter factory: ``bar(total or None, description)``.
BarFactory = Callable[[int | None, str], object]


@dataclass
class BuildOptions:
    """What to build: article files or folders, extra hand-written Turtle, where to."""

    articles: list[Path]
    out: Path
    hand: list[Path] = field(default_factory=list)
    model: str = "en_core_web_sm"
    threshold: float = 0.5
    validate: bool = True
    workers: int = 1  #: extraction processes (and validation processes)
    executor: str = "processes"  #: "processes" (--workers on this machine) or "dask"
    scheduler: str | None = None  #: a Dask scheduler address; None: a LocalCluster
    cache: bool = True  #: reuse the per-article graphs of unchanged articles
    full_validation: bool = False  #: validate the whole graph at once instead
    chunk_size: int = 8  #: articles per task sent to a worker


@dataclass
class BuildResult:
    """What a build did, for the summary and the exit code."""

    out: Path
    articles: int = 0
    errors: list[ArticleError] = field(default_factory=list)
    quads: int = 0
    people: int = 0
    statements: int = 0
    reviewed: int = 0
    violations: int | None = None
    report: object | None = None
    extracted: int = 0  #: articles extracted by this build
    reused: int = 0  #: unchanged articles whose cached graph was used
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.violations


def hand_files(options: BuildOptions) -> list[Path]:
    """The package's base graphs, Turtle beside the articles, and ``--hand`` files/folders."""
    paths = list(handwritten.base_hand_files())
    for source in [*options.articles, *options.hand]:
        source = Path(source)
        if source.is_dir():
            paths.extend(handwritten.hand_files_in(source))
        elif source.suffix == ".ttl" and source.is_file():
            paths.append(source)
    seen: set[Path] = set()
    unique = []
    for path in paths:
        resolved = Path(path).resolve()
        if resolved not in seen:
            seen.add(resolved)
            unique.append(path)
    return unique


def ontology_lines() -> list[str]:
    """The ontology and its alignments as the named graph ``id:graph/ontology``: result
    kinds and event types carry their notations, and the subclass axioms let a store with
    RDFS inference answer in schema.org, ORG, PROV-O or FOAF terms."""
    from rdflib import Graph

    from polgraph.ontology import ontology_graph

    graph = Graph(identifier=mint("graph", "ontology"))
    for triple in ontology_graph():
        graph.add(triple)
    return nquads_lines(graph)


def _internal_query(name: str) -> str:
    return files("polgraph.queries").joinpath("internal", f"{name}.rq").read_text("utf-8")


def build(options: BuildOptions, progress: Callable[[str], None] | None = None,
          nlp=None, bar: BarFactory | None = None) -> BuildResult:
    """Build the dataset described by ``options``; see the module docstring.

    ``progress`` receives messages; ``bar(total, description)`` makes a progress counter
    (an object with ``update(n)`` and ``close()``) for the long stages. ``nlp``, a loaded
    pipeline, is used in this process instead of loading ``options.model`` (one worker).
    """
    from polgraph.extract.pipeline import model_description

    say = progress or (lambda message: None)
    make_bar = bar or _NoBar
    clock = _Clock()
    result = BuildResult(out=Path(options.out))
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    cache = ArticleCache(out, enabled=options.cache)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=out))
    try:
        hand_paths = hand_files(options)
        hand = handwritten.load_hand_files(hand_paths)
        fixed: list[str] = ontology_lines()
        for graph in hand:
            fixed.extend(nquads_lines(handwritten.curate(graph)))
        fixed_run = staging / "fixed.nq"
        fixed_run.write_text("".join(line + "\n" for line in sorted(set(fixed))), "utf-8")
        del fixed
        gazetteer = _gazetteer(hand, hand_paths, out, options.cache)
        curated = curated_metadata(hand)
        say(f"{len(hand)} hand-written graphs, {len(gazetteer)} known entities")
        settings = ExtractionSettings(options.model, tuple(gazetteer), options.threshold)
        identity = model_description(nlp) if nlp is not None else model_identity(options.model)
        fingerprint = settings_fingerprint(identity, options.threshold, gazetteer)
        clock.lap("setup")

        entries: list[tuple[str, str]] = []
        digests: dict[str, str] = {}
        counter = make_bar(None, "articles")

        def misses() -> Iterator[Pair]:
            for original in _readable(options.articles, result):
                article = _with_curated(original, curated)
                digest = article_hash(original, article, fingerprint)
                entries.append((original.id, digest))
                digests[original.id] = digest
                if cache.has(original.id, digest):
                    result.reused += 1
                    counter.update(1)
                    continue
                yield original, article

        outputs = _extraction(misses(), settings, options, nlp)
        for output in outputs:
            cache.store(output.article_id, digests[output.article_id], output.lines,
                        output.review)
            result.extracted += 1
            counter.update(1)
        counter.close()
        result.articles = len(entries)
        say(f"{result.extracted} articles extracted, {result.reused} unchanged (cached)")
        clock.lap("extract")

        runs = [fixed_run, *(cache.path(article_id, digest) for article_id, digest in entries)]
        fixed_digest = file_digest(fixed_run)
        state_file = state_path(out)
        previous = StoreState.read(state_file) if options.cache else None
        changes = can_update(previous, fixed_digest, entries, cache, store_path(out))
        state_file.unlink(missing_ok=True)  # until the store is whole again
        if changes is None:
            merged = staging / "merged.nq"
            merge_runs(runs, merged, staging)
            clock.lap("merge")
            store = _load_store(out, merged)
        else:
            store = pyoxigraph.Store(str(store_path(out)))
            update_store(store, changes, cache)
            say(f"store updated: {len(changes)} article graphs replaced or removed")
        clock.lap("store")
        kept_resolution = out / CACHE_FOLDER / "resolution.nq"
        resolution = staging / "resolution.nq"
        resolution.write_text("".join(line + "\n" for line in sorted(set(_resolve(store)))),
                              "utf-8")
        if changes is None:  # the cold load's merge, with the resolution graph
            result.quads = merge_runs([merged, resolution], staging / "graph.nq", staging)
        elif previous.graph_nq == file_stamp(out / "graph.nq"):
            result.quads = replace_graphs(
                out / "graph.nq",
                [*(str(graph_iri(a)) for a in changes.articles), str(mint("graph", "resolution"))],
                [*(cache.path(a, d) for a, d in changes.added), resolution], staging / "graph.nq")
        else:  # graph.nq is not the one the store was made with
            result.quads = merge_runs([*runs, resolution], staging / "graph.nq", staging)
        os.replace(staging / "graph.nq", out / "graph.nq")
        StoreState(fixed_digest, dict(entries), file_stamp(out / "graph.nq")).write(state_file)
        clock.lap("resolve")
        write_exports(out, itertools.chain(
            [PieceSource(fixed_run)],
            (PieceSource(cache.path(a, d), {fmt: cache.path(a, d, piece_kind(fmt))
                                            for fmt in FORMATS}) for a, d in entries),
            [PieceSource(resolution)]))
        clock.lap("export")
        with (out / ".review.jsonl.tmp").open("w", encoding="utf-8") as review:
            for article_id, digest in entries:
                text = cache.path(article_id, digest, "review.jsonl").read_text("utf-8")
                result.reviewed += text.count("\n")
                review.write(text)
        os.replace(out / ".review.jsonl.tmp", out / "review.jsonl")
        summary = next(iter(store.query(_internal_query("summary"),
                                        use_default_graph_as_union=True)))
        result.people = int(summary["people"].value)
        result.statements = int(summary["statements"].value)
        if options.validate:
            say("validating")
            if options.full_validation:
                from polgraph.graphs.store_validation import check_count, validate_store

                counter = make_bar(check_count(), "validating (SHACL checks)")
                report = validate_store(store, progress=counter.update,
                                        workers=options.workers, location=store_path(out))
                counter.close()
                del store
            else:
                from polgraph.graphs.checks import validate_incrementally

                report = validate_incrementally(
                    store, entries, cache, fixed_run, (kept_resolution, resolution),
                    workers=options.workers, use_cache=options.cache, bar=make_bar)
                del store
            result.report = report
            result.violations = len(report.violations)
            write_atomic(out / "validation.txt", report.as_text())
            clock.lap("validate")
        else:
            del store
        gc.collect()
        shutil.copyfile(resolution, kept_resolution)
        cache.prune(set(entries))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result.timings = clock.laps
    write_atomic(out / CACHE_FOLDER / "last-build.json", json.dumps({
        "articles": result.articles, "extracted": result.extracted, "reused": result.reused,
        "quads": result.quads, "workers": options.workers, "executor": options.executor,
        "validation": None if not options.validate else
        ("full" if options.full_validation else "incremental"),
        "violations": result.violations, "timings": result.timings}, indent=1) + "\n")
    return result


def _extraction(pairs: Iterable[Pair], settings: ExtractionSettings, options: BuildOptions,
                nlp) -> Iterator[ArticleOutput]:
    """Articles → outputs in input order: here, over processes, or over Dask."""
    if options.executor == "dask":
        return run_dask(pairs, settings, options.workers, options.scheduler, options.chunk_size)
    if options.executor != "processes":
        raise UsageError(f"--executor must be one of {', '.join(EXECUTORS)}")
    if options.workers > 1 and nlp is None:
        return run_processes(pairs, settings, options.workers, options.chunk_size)
    return _local(pairs, settings, nlp)


def _local(pairs: Iterable[Pair], settings: ExtractionSettings, nlp) -> Iterator[ArticleOutput]:
    """Extract in this process; the pipeline is loaded only when some article needs it."""
    pairs = iter(pairs)
    first = next(pairs, None)
    if first is None:
        return
    if nlp is None:
        from polgraph.extract.pipeline import load_pipeline

        nlp = load_pipeline(settings.model, settings.gazetteer)
    yield from extract_pairs(itertools.chain([first], pairs), nlp, settings.threshold)


def _gazetteer(hand, paths: list[Path], out: Path, use_cache: bool) -> list[GazetteerEntry]:
    """The gazetteer of the hand-written graphs, cached by the files' content."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for path in paths:
        digest.update(Path(path).name.encode() + b"\0" + Path(path).read_bytes() + b"\0")
    cached = out / CACHE_FOLDER / f"gazetteer.{digest.hexdigest()[:24]}.json"
    if use_cache and cached.is_file():
        return [GazetteerEntry(**{**entry, "aliases": tuple(entry["aliases"])})
                for entry in json.loads(cached.read_text("utf-8"))]
    entries = handwritten.gazetteer_entries(hand)
    for old in cached.parent.glob("gazetteer.*.json"):
        old.unlink(missing_ok=True)
    write_atomic(cached, json.dumps([dataclasses.asdict(e) for e in entries],
                                    ensure_ascii=False, indent=0))
    return entries


#: Runs merged at once; more are merged in rounds through temporary files.
MERGE_FAN_IN = 256


def merge_runs(runs: list[Path], target: Path, scratch: Path) -> int:
    """Merge sorted N-Quads files into one sorted, de-duplicated file; the number of lines.

    The same lines give the same bytes as sorting them all in memory (UTF-8 keeps code
    point order).
    """
    runs = list(runs)
    round_ = 0
    while len(runs) > MERGE_FAN_IN:
        merged = []
        for start in range(0, len(runs), MERGE_FAN_IN):
            part = scratch / f"round{round_}-{start}.nq"
            merge_runs(runs[start : start + MERGE_FAN_IN], part, scratch)
            merged.append(part)
        runs, round_ = merged, round_ + 1
    handles = [run.open("rb") for run in runs]
    try:
        return _merge_streams(handles, target)
    finally:
        for handle in handles:
            handle.close()


def replace_graphs(previous: Path, graphs: Iterable[str], runs: list[Path], target: Path) -> int:
    """``previous`` (a sorted N-Quads file) without the quads of ``graphs``, merged with
    the sorted ``runs``: the bytes :func:`merge_runs` gives for the new set of graphs, with
    one pass over the old file instead of a merge of every article's. The number of lines."""
    endings = tuple(f" <{graph}> .\n".encode() for graph in graphs)
    handles = [run.open("rb") for run in runs]
    try:
        with previous.open("rb") as old:
            kept = (line for line in old if not line.endswith(endings)) if endings else old
            return _merge_streams([kept, *handles], target)
    finally:
        for handle in handles:
            handle.close()


def _merge_streams(streams: list[Iterable[bytes]], target: Path) -> int:
    """Merge sorted streams of N-Quads lines into ``target``, de-duplicated."""
    # Bytes, not text: UTF-8 sorts as code points do, and no line of N-Quads is a prefix of
    # another, so the line feed at the end never decides an order.
    count = 0
    lines = [(line if line.endswith(b"\n") else line + b"\n" for line in stream)
             for stream in streams]
    with target.open("wb") as sink:
        previous = None
        for line in heapq.merge(*lines):
            if line == previous or line == b"\n":
                continue
            previous = line
            sink.write(line)
            count += 1
    return count


def curated_metadata(hand) -> dict[str, dict]:
    """Headline, date and publisher that hand-written graphs give, by article id."""
    from datetime import date

    from rdflib import Graph

    union = Graph()
    for graph in hand:
        union += graph.graph
    found = {}
    for row in union.query(_internal_query("article-metadata")):
        value = row.date.toPython() if row.date is not None else None
        found[str(row.id)] = {
            "title": str(row.title) if row.title is not None else None,
            "date": value if isinstance(value, date) else None,
            "publisher": str(row.publisher) if row.publisher is not None else None,
        }
    return found


def _with_curated(article: Article, curated: dict[str, dict]) -> Article:
    """The article, with curated metadata where its own file is silent."""
    known = curated.get(article.id)
    if not known:
        return article
    return dataclasses.replace(
        article,
        title=article.title or known["title"],
        date=article.date or known["date"],
        publisher=article.publisher or known["publisher"],
    )


def _readable(paths: Iterable[Path], result: BuildResult):
    seen: set[str] = set()
    for outcome in read_articles(paths):
        if isinstance(outcome, ArticleError):
            result.errors.append(outcome)
            continue
        article: Article = outcome
        if article.id in seen:
            reason = f"duplicate article id {article.id!r}"
            result.errors.append(ArticleError(article.source, reason))
            continue
        seen.add(article.id)
        yield article


def _load_store(out: Path, nquads: Path) -> pyoxigraph.Store:
    """Build the Oxigraph store in a temporary folder from a file, then swap it into place."""
    target = store_path(out)
    staging = Path(tempfile.mkdtemp(prefix=".store-", dir=out))
    store = pyoxigraph.Store(str(staging))
    bulk_load_in_parts(store, nquads)
    del store
    gc.collect()  # close the store before its folder moves
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=".store-old-", dir=out))
        target.rename(old / "store")
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return pyoxigraph.Store(str(target))


#: Lines of N-Quads per call of Oxigraph's bulk loader.
BULK_LOAD_LINES = 100_000


def bulk_load_in_parts(store: pyoxigraph.Store, nquads: Path,
                       lines_per_part: int = BULK_LOAD_LINES) -> None:
    """Bulk-load an N-Quads file a part at a time: one call over the whole file buffers
    batches of a million quads per thread (1.5 GB at 10,000 articles); parts of 100,000
    lines keep it near 250 MB and load as fast. A blank node is renamed apart on each call,
    so the lines that hold one are loaded together, in the last part."""
    with Path(nquads).open("rb") as handle:
        blank: list[bytes] = []
        part: list[bytes] = []
        for line in handle:
            if b"_:" in line:
                blank.append(line)
                continue
            part.append(line)
            if len(part) >= lines_per_part:
                store.bulk_load(input=b"".join(part), format=pyoxigraph.RdfFormat.N_QUADS)
                part = []
        for rest in (part, blank):
            if rest:
                store.bulk_load(input=b"".join(rest), format=pyoxigraph.RdfFormat.N_QUADS)


class _NoBar:
    def __init__(self, total=None, description=""):
        pass

    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


class _Clock:
    """Wall-clock seconds per stage."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(self.laps.get(name, 0.0) + now - self._last, 3)
        self._last = now


def _resolve(store: pyoxigraph.Store) -> list[str]:
    """Cross-article links and contradictions, as the resolution graph's N-Quads lines."""
    graph = pyoxigraph.NamedNode(str(mint("graph", "resolution")))
    store.remove_graph(graph) if store.contains_named_graph(graph) else None
    triples = list(store.query(_internal_query("contradictions"), use_default_graph_as_union=True))
    lines = []
    for triple in triples:
        store.add(pyoxigraph.Quad(triple.subject, triple.predicate, triple.object, graph))
        lines.append(f"{triple.subject} {triple.predicate} {triple.object} {graph} .")
    return lines

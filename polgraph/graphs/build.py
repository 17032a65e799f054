"""``polgraph build``: articles and hand-written Turtle → a validated dataset in a folder.

The flow (docs/graph-model.md): read the hand-written graphs and turn them into the
gazetteer; read the articles (an unreadable one is reported and skipped); extract findings;
keep those above the confidence threshold and send the rest to ``review.jsonl``; write one
named graph per article; resolve across articles; load the store; export; validate.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import pyoxigraph

from polgraph.errors import ArticleError
from polgraph.extract.findings import ArticleFindings
from polgraph.extract.read import Article, read_articles
from polgraph.graphs import handwritten
from polgraph.graphs.export import nquads_lines, sorted_nquads, write_atomic, write_exports
from polgraph.graphs.mint import mint
from polgraph.graphs.rdf import article_graph
from polgraph.graphs.store import store_path

EXPORTS = ("trig", "ttl", "jsonld")
FACT_LISTS = ("statements", "memberships", "results", "events")


@dataclass
class BuildOptions:
    """What to build: article files or folders, extra hand-written Turtle, where to."""

    articles: list[Path]
    out: Path
    hand: list[Path] = field(default_factory=list)
    model: str = "en_core_web_sm"
    threshold: float = 0.5
    validate: bool = True


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

    @property
    def ok(self) -> bool:
        return not self.errors and not self.violations


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
          nlp=None) -> BuildResult:
    """Build the dataset described by ``options``; see the module docstring."""
    from polgraph.extract.pipeline import extract, load_pipeline, model_description

    say = progress or (lambda message: None)
    result = BuildResult(out=Path(options.out))
    hand = handwritten.load_hand_files(hand_files(options))
    lines: list[str] = ontology_lines()
    for graph in hand:
        lines.extend(nquads_lines(handwritten.curate(graph)))
    gazetteer = handwritten.gazetteer_entries(hand)
    say(f"{len(hand)} hand-written graphs, {len(gazetteer)} known entities")
    if nlp is None:
        nlp = load_pipeline(options.model, gazetteer)
    model = model_description(nlp)
    review: list[dict] = []
    curated = curated_metadata(hand)
    as_read: dict[str, Article] = {}

    def enriched(article: Article) -> Article:
        as_read[article.id] = article
        return _with_curated(article, curated)

    articles = (enriched(article) for article in _readable(options.articles, result))
    for article, findings in extract(articles, nlp):
        kept, low = split_by_confidence(findings, options.threshold)
        review.extend(low)
        # The article graph states only what the file says; curated metadata stays curated.
        original = as_read.pop(article.id)
        lines.extend(nquads_lines(article_graph(original, kept, model)))
        result.articles += 1
        say(f"extracted {article.id}")
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    store = _load_store(out, lines)
    resolution = _resolve(store)
    lines.extend(resolution)
    data = sorted_nquads(lines)
    write_atomic(out / "graph.nq", data)
    write_exports(store, out, EXPORTS)
    write_atomic(out / "review.jsonl", "".join(
        json.dumps(record, default=str, ensure_ascii=False, sort_keys=True) + "\n"
        for record in review))
    result.reviewed = len(review)
    result.quads = data.count(b"\n")
    summary = next(iter(store.query(_internal_query("summary"), use_default_graph_as_union=True)))
    result.people = int(summary["people"].value)
    result.statements = int(summary["statements"].value)
    del store
    gc.collect()
    if options.validate:
        from polgraph.graphs.validate import validate_files

        say("validating")
        report = validate_files([out / "graph.nq"])
        result.report = report
        result.violations = len(report.violations)
        write_atomic(out / "validation.txt", report.as_text())
    return result


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


def _load_store(out: Path, lines: list[str]) -> pyoxigraph.Store:
    """Build the Oxigraph store in a temporary folder, then swap it into place."""
    target = store_path(out)
    staging = Path(tempfile.mkdtemp(prefix=".store-", dir=out))
    store = pyoxigraph.Store(str(staging))
    store.bulk_load(sorted_nquads(lines), format=pyoxigraph.RdfFormat.N_QUADS)
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


def _resolve(store: pyoxigraph.Store) -> list[str]:
    """Cross-article links and contradictions, as the resolution graph's N-Quads lines."""
    graph = pyoxigraph.NamedNode(str(mint("graph", "resolution")))
    triples = list(store.query(_internal_query("contradictions"), use_default_graph_as_union=True))
    lines = []
    for triple in triples:
        store.add(pyoxigraph.Quad(triple.subject, triple.predicate, triple.object, graph))
        lines.append(f"{triple.subject} {triple.predicate} {triple.object} {graph} .")
    return lines

"""The build's incremental validation reports what a full check of the same store reports.

No model: each "article" is a fixture of tests/shapes with its IRIs renamed to the article's
id, written to the build cache as extraction would write it; the store is loaded from the
merged N-Quads as the build loads it. The people, extractors, areas and elections the fixtures
share are nodes several article graphs state; the statements are each one article's.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pyoxigraph
import pytest

from polgraph.graphs import checks
from polgraph.graphs.build import merge_runs, ontology_lines
from polgraph.graphs.cache import ArticleCache
from polgraph.graphs.checks import validate_incrementally
from polgraph.graphs.store_validation import validate_store

SHAPES = Path(__file__).parent / "shapes"
BASE = "https://w3id.org/polgraph/id/"


def article_lines(fixture: str, article_id: str) -> list[str]:
    text = (SHAPES / fixture).read_text("utf-8").replace("saltmarsh-housing", article_id)
    quads = pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.TRIG, base_iri=BASE)
    return sorted({str(quad) + " ." for quad in quads})


class Build:
    """The validation stage of a build, on a corpus of fixtures."""

    def __init__(self, folder: Path) -> None:
        self.out = folder
        self.cache = ArticleCache(folder)
        self.fixed = folder / "fixed.nq"
        self.fixed.write_text("".join(f"{line}\n" for line in sorted(set(ontology_lines()))),
                              "utf-8")
        self.scopes: list[set[str] | None] = []

    def run(self, corpus: dict[str, str]):
        entries = []
        for article_id, fixture in sorted(corpus.items()):
            lines = article_lines(fixture, article_id)
            digest = hashlib.sha256("".join(lines).encode()).hexdigest()[:24]
            if not self.cache.has(article_id, digest):
                self.cache.store(article_id, digest, lines, [])
            entries.append((article_id, digest))
        merged = self.out / "merged.nq"
        merge_runs([self.fixed, *(self.cache.path(a, d) for a, d in entries)], merged,
                   self.out)
        store = pyoxigraph.Store()
        store.bulk_load(path=str(merged), format=pyoxigraph.RdfFormat.N_QUADS)
        from polgraph.graphs import store_validation

        real = store_validation.validate_store

        def spy(checked, focus=None, progress=None, **options):
            if checked is store:  # not the check of the context alone
                self.scopes.append(None if focus is None else set(focus))
            return real(checked, focus, progress, **options)

        store_validation.validate_store = spy
        try:
            report = validate_incrementally(store, entries, self.cache, self.fixed)
        finally:
            store_validation.validate_store = real
        self.cache.prune(set(entries))
        return report, validate_store(store)


def focus(report) -> list[tuple[str, str]]:
    return [(v.shape, v.focus_node) for v in report.violations]


@pytest.fixture(autouse=True)
def scoped_however_much_changed(monkeypatch):
    # A build checks everything when more than a fifth of its articles changed; these
    # corpora are small, so every rebuild here would be such a build.
    monkeypatch.setattr(checks, "SCOPED_SHARE", 1.0)


@pytest.fixture
def build(tmp_path):
    return Build(tmp_path)


def test_a_cold_build_checks_everything_at_once(build):
    report, full = build.run({"one": "invalid/statement-without-speaker.trig",
                              "two": "valid/statement-extracted.trig"})
    assert build.scopes == [None]
    assert report.violations == full.violations
    assert focus(report) == [("polsh:Statement-speaker-or-unattributed",
                              BASE + "statement/one/1")]
    assert report.violations[0].article == "one"


def test_a_changed_article_is_checked_without_the_unchanged_ones(build):
    build.run({"one": "invalid/statement-without-speaker.trig",
               "two": "valid/statement-extracted.trig"})
    report, full = build.run({"one": "invalid/statement-without-speaker.trig",
                              "two": "invalid/speaker-is-a-place.trig"})
    scope = build.scopes[-1]
    assert BASE + "statement/two/1" in scope  # the changed article
    assert BASE + "extractor/polgraph" in scope  # a node it states
    assert BASE + "statement/one/1" not in scope  # unchanged: its result is the last report's
    assert report.violations == full.violations
    assert set(focus(report)) == {
        ("polsh:Statement-speaker-or-unattributed", BASE + "statement/one/1"),
        ("polsh:Statement-speaker", BASE + "statement/two/1"),
    }


def test_an_unchanged_corpus_checks_nothing_again(build):
    corpus = {"one": "invalid/statement-without-speaker.trig",
              "two": "valid/statement-extracted.trig"}
    build.run(corpus)
    report, full = build.run(corpus)
    assert build.scopes == [None]  # the second build ran no check
    assert report.violations == full.violations


def test_a_removed_article_takes_its_results_with_it(build):
    build.run({"one": "invalid/statement-without-speaker.trig",
               "two": "invalid/speaker-is-a-place.trig"})
    report, full = build.run({"two": "invalid/speaker-is-a-place.trig"})
    assert report.violations == full.violations
    assert focus(report) == [("polsh:Statement-speaker", BASE + "statement/two/1")]


def test_a_node_that_stops_being_shared_is_still_checked(build):
    # Mira Sandoval is stated by both articles, then by "two" alone; the second article
    # gives her a second type.
    build.run({"one": "valid/statement-extracted.trig",
               "two": "invalid/person-is-also-a-party.trig"})
    report, full = build.run({"two": "invalid/person-is-also-a-party.trig"})
    assert report.violations == full.violations
    assert report.violations
    report, full = build.run({"two": "invalid/person-is-also-a-party.trig"})
    assert report.violations == full.violations


def test_a_result_compared_with_another_articles_is_checked_again(build):
    # Seats gained in one article, seats contested for the same area and election in
    # another: changing the second changes the first one's result.
    build.run({"a": "invalid/seats-gained-exceed-contested.trig",
               "b": "valid/results-extracted.trig"})
    report, full = build.run({"a": "invalid/seats-gained-exceed-contested.trig"})
    assert report.violations == full.violations


FIXTURES = sorted(str(p.relative_to(SHAPES)) for p in SHAPES.glob("*/*.trig"))


@pytest.mark.parametrize("seed", range(6))
def test_rebuilds_over_random_changes_report_what_full_checks_report(tmp_path, seed):
    # Articles made from random fixtures, then changed, removed and added at random: after
    # each rebuild the incremental report equals a full check of the same store.
    rng = random.Random(seed)
    build = Build(tmp_path)
    corpus = {f"a{n}": rng.choice(FIXTURES) for n in range(6)}
    for step in range(5):
        report, full = build.run(corpus)
        assert report.violations == full.violations, (seed, step)
        assert report.warnings == full.warnings, (seed, step)
        for _ in range(rng.randint(1, 2)):
            action = rng.choice(("change", "remove", "add"))
            if action == "change" and corpus:
                corpus[rng.choice(sorted(corpus))] = rng.choice(FIXTURES)
            elif action == "remove" and len(corpus) > 1:
                del corpus[rng.choice(sorted(corpus))]
            else:
                corpus[f"a{len(corpus) + 10 * step + 10}"] = rng.choice(FIXTURES)
    assert None in build.scopes and any(scope for scope in build.scopes if scope)


def test_a_changed_shape_or_context_checks_everything_again(build, monkeypatch):
    corpus = {"one": "invalid/statement-without-speaker.trig"}
    build.run(corpus)
    monkeypatch.setattr(checks, "shapes_fingerprint", lambda: "other shapes")
    build.run(corpus)
    assert build.scopes[-1] is None

"""Building at scale: the per-article cache, removal, --workers and Dask give the same graph.

Content only: timing goals live in bench/ (python -m bench), never in tests.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner

from polgraph.cli import cli
from polgraph.graphs import build as build_module
from polgraph.graphs import incremental
from polgraph.graphs.build import BuildOptions, build, merge_runs
from polgraph.graphs.export import sorted_nquads

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "articles"
OUTPUTS = ("graph.nq", "graph.trig", "graph.ttl", "graph.jsonld", "review.jsonl")


def stats(out: Path) -> dict:
    return json.loads((out / "cache" / "last-build.json").read_text("utf-8"))


def same_outputs(a: Path, b: Path) -> None:
    for name in OUTPUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert store_lines(a) == store_lines(b)


def store_lines(out: Path) -> list[str]:
    """The quads of a build's store, as sorted N-Quads lines."""
    store = pyoxigraph.Store.read_only(str(out / "store"))
    return sorted(f"{quad} ." for quad in store)


def run_build(corpus: Path, out: Path, **options) -> build_module.BuildResult:
    return build(BuildOptions(articles=[corpus], out=out, **options))


# -- merging sorted runs (no model) ----------------------------------------------------------


def test_merge_runs_gives_the_bytes_of_an_in_memory_sort(tmp_path, monkeypatch):
    monkeypatch.setattr(build_module, "MERGE_FAN_IN", 3)  # force merge rounds
    rng = random.Random(7)
    alphabet = ["<https://x/a>", "<https://x/b>", '"ü"', '"a\\"b"', "<https://x/é>", '"z"',
                "<https://x/a b>", '"\\n"']
    every: list[str] = []
    runs = []
    for number in range(8):
        lines = [" ".join(rng.choice(alphabet) for _ in range(4)) + " ."
                 for _ in range(rng.randrange(0, 40))]
        every.extend(lines)
        run = tmp_path / f"run{number}.nq"
        run.write_text("".join(f"{line}\n" for line in sorted(set(lines))), "utf-8")
        runs.append(run)
    count = merge_runs(runs, tmp_path / "out.nq", tmp_path)
    assert (tmp_path / "out.nq").read_bytes() == sorted_nquads(every)
    assert count == len(set(every))


# -- builds of the example corpus -------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("scale") / "articles"
    shutil.copytree(ARTICLES, folder)
    return folder


@pytest.fixture(scope="module")
def fresh(corpus, tmp_path_factory) -> Path:
    """A build of the example corpus without the cache: the reference."""
    out = tmp_path_factory.mktemp("fresh") / "build"
    run_build(corpus, out, cache=False, validate=False)
    return out


@pytest.mark.model
def test_a_rebuild_reuses_every_unchanged_article_and_gives_the_same_bytes(
        corpus, fresh, tmp_path):
    out = tmp_path / "build"
    first = run_build(corpus, out, validate=False)
    assert (first.extracted, first.reused) == (4, 0)
    cached = sorted(p.name for p in (out / "cache" / "articles").glob("*.nq"))
    assert len(cached) == 4 and cached[0].startswith("barnet-2018-local-elections.")
    second = run_build(corpus, out, validate=False)
    assert (second.extracted, second.reused) == (0, 4)
    assert stats(out)["reused"] == 4
    same_outputs(out, fresh)


@pytest.fixture
def loads(monkeypatch) -> list[Path]:
    """The stores loaded from scratch; the store is updated in place however much changed."""
    monkeypatch.setattr(incremental, "RELOAD_SHARE", 1.0)
    found: list[Path] = []
    real = build_module._load_store

    def spy(out, nquads):
        found.append(out)
        return real(out, nquads)

    monkeypatch.setattr(build_module, "_load_store", spy)
    return found


@pytest.mark.model
def test_a_changed_article_is_extracted_again_and_a_removed_one_goes(corpus, tmp_path, loads):
    articles = tmp_path / "articles"
    shutil.copytree(corpus, articles)
    out = tmp_path / "build"
    run_build(articles, out, validate=False)
    changed = articles / "bury-2016-local-elections.txt"
    changed.write_text(changed.read_text("utf-8") + "\nThe council meets on Monday.\n",
                       "utf-8")
    again = run_build(articles, out, validate=False)
    assert (again.extracted, again.reused) == (1, 3)
    assert loads == [out]  # the first build's: the rebuild updated the store in place
    reference = tmp_path / "reference"
    run_build(articles, reference, cache=False, validate=False)
    same_outputs(out, reference)
    assert len(list((out / "cache" / "articles").glob("bury-2016-local-elections.*.nq"))) == 1

    (articles / "jlm-livingstone-ruling-2017.txt").unlink()
    after = run_build(articles, out, validate=False)
    assert (after.articles, after.extracted) == (3, 0)
    graph = (out / "graph.nq").read_text("utf-8")
    assert "id/graph/article/jlm-livingstone-ruling-2017>" not in graph
    assert "id/graph/article/bury-2016-local-elections>" in graph
    assert not list((out / "cache" / "articles").glob("jlm-livingstone-ruling-2017.*"))
    reference = tmp_path / "reference-3"
    run_build(articles, reference, cache=False, validate=False)
    same_outputs(out, reference)
    assert loads.count(out) == 1


@pytest.mark.model
def test_a_build_that_stopped_half_way_is_followed_by_a_full_load(corpus, tmp_path, loads):
    out = tmp_path / "build"
    run_build(corpus, out, validate=False)
    state = out / "cache" / "store-state.json"
    assert state.is_file()
    state.unlink()  # as a build that stopped while it changed the store leaves it
    run_build(corpus, out, validate=False)
    assert loads == [out, out]
    assert state.is_file()
    # A graph.nq that is not the one the store was made with is merged again in full.
    expected = (out / "graph.nq").read_bytes()
    (out / "graph.nq").unlink()
    run_build(corpus, out, validate=False)
    assert loads == [out, out]  # the store was right: kept
    assert (out / "graph.nq").read_bytes() == expected


@pytest.mark.model
def test_a_changed_threshold_extracts_again(corpus, tmp_path):
    out = tmp_path / "build"
    run_build(corpus, out, validate=False)
    again = run_build(corpus, out, validate=False, threshold=0.95)
    assert again.extracted == 4


@pytest.mark.model
def test_two_worker_processes_give_the_same_graph(corpus, fresh, tmp_path):
    out = tmp_path / "build"
    result = run_build(corpus, out, cache=False, validate=False, workers=2, chunk_size=1)
    assert result.extracted == 4
    same_outputs(out, fresh)


@pytest.mark.model
def test_dask_on_a_local_cluster_of_two_workers_gives_the_same_graph(corpus, fresh, tmp_path):
    pytest.importorskip("dask.distributed",
                        reason="dask.distributed is not installed (pip install 'polgraph[dask]')")
    out = tmp_path / "build"
    result = run_build(corpus, out, cache=False, validate=False, workers=2, executor="dask",
                       chunk_size=1)
    assert result.extracted == 4
    same_outputs(out, fresh)


@pytest.mark.model
def test_incremental_validation_reports_what_the_full_check_reports(corpus, tmp_path):
    runner = CliRunner()
    incremental, full = tmp_path / "incremental", tmp_path / "full"
    for out, extra in ((incremental, []), (full, ["--full-validation"])):
        result = runner.invoke(cli, ["build", str(corpus), "--out", str(out), *extra],
                               catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert "4 articles" in result.output and "0 violations" in result.output
    assert (incremental / "validation.txt").read_text() == (full / "validation.txt").read_text()
    assert (incremental / "graph.nq").read_bytes() == (full / "graph.nq").read_bytes()
    # A rebuild checks nothing again: every part comes from the cache.
    result = runner.invoke(cli, ["build", str(corpus), "--out", str(incremental)],
                           catch_exceptions=False)
    assert "0 violations" in result.output
    assert stats(incremental)["reused"] == 4


def test_build_help_names_the_scale_options():
    result = CliRunner().invoke(cli, ["build", "--help"])
    for option in ("--workers", "--executor", "--scheduler", "--no-cache", "--full-validation"):
        assert option in result.output


def test_the_resolution_graph_marks_an_extracted_membership_a_curated_one_contradicts():
    store = pyoxigraph.Store()
    store.load(path=str(ROOT / "tests" / "shapes" / "valid" / "contradiction.trig"),
               format=pyoxigraph.RdfFormat.TRIG, base_iri="https://w3id.org/polgraph/id/")
    resolution = pyoxigraph.NamedNode("https://w3id.org/polgraph/id/graph/resolution")
    expected = sorted(f"{quad} ." for quad in store.quads_for_pattern(None, None, None,
                                                                      resolution))
    assert len(expected) == 1
    store.remove_graph(resolution)  # the build makes it again
    assert sorted(build_module._resolve(store)) == expected
    assert sorted(f"{quad} ." for quad in store.quads_for_pattern(None, None, None,
                                                                  resolution)) == expected


def test_a_store_loaded_in_parts_keeps_each_blank_node_whole(tmp_path):
    lines = [f"<https://x/s{n}> <https://x/p> \"{n}\" <https://x/g> .\n" for n in range(7)]
    lines += ["_:b <https://x/p> \"b\" <https://x/g> .\n",
              "<https://x/s0> <https://x/q> _:b <https://x/g> .\n"]
    source = tmp_path / "in.nq"
    source.write_text("".join(sorted(lines)), "utf-8")
    store = pyoxigraph.Store()
    build_module.bulk_load_in_parts(store, source, lines_per_part=3)
    assert len(store) == 9
    blank = {quad.subject for quad in store if isinstance(quad.subject, pyoxigraph.BlankNode)}
    assert blank == {quad.object for quad in store
                     if isinstance(quad.object, pyoxigraph.BlankNode)}
    assert len(blank) == 1

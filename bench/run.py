"""The benchmark: ``python -m bench [--sizes 100 1000] [--workers 2] [--out bench/work]``.

For each corpus size N it generates N distinct articles (:mod:`bench.corpus`) and measures,
in one run on one machine:

* extraction: bare ``nlp.pipe`` of the spaCy model vs the polgraph pipeline (the same model
  plus polgraph's components and findings) vs that plus the article graphs (N-Quads), over
  the same texts, in this process, one after the other;
* ``polgraph build`` from scratch with 1 worker (incremental validation, cold) and with
  ``--workers W`` (no validation): wall time, stages, peak RSS of the process tree;
* a rebuild after one article changed (the cache at work), and a rebuild after one removed;
* the full (whole-graph) validation, for N up to ``--full-validation-max``;
* the store: ``polgraph load`` into a fresh ``oxigraph serve`` vs ``oxigraph load`` of the
  same graph.nq;
* each contract query on the built store, and ``polgraph draw`` with --types and --focus.

It writes ``bench/RESULTS.md`` (and ``results.json`` beside the work folder).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import psutil

from bench import corpus

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
QUERIES = ("mentions", "statements", "memberships", "results", "events")


class PeakRSS:
    """Polls the RSS of a process and its children (summed) every 50 ms."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
                total = 0
                for proc in procs:
                    with contextlib.suppress(psutil.Error):
                        total += proc.memory_info().rss
                self.peak = max(self.peak, total)
            except psutil.Error:
                return
            time.sleep(0.05)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def run(cmd: list[str], **kwargs) -> dict:
    """Run a command; its wall time, peak RSS (tree) and output."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            **kwargs)
    rss = PeakRSS(proc.pid)
    output, _ = proc.communicate()
    wall = time.perf_counter() - start
    return {"cmd": " ".join(map(str, cmd)), "seconds": round(wall, 2), "rc": proc.returncode,
            "peak_rss_mb": round(rss.stop() / 2**20), "output": output[-2000:]}


def polgraph(*args) -> list[str]:
    return [str(BIN / "polgraph"), *map(str, args)]


def build_stats(out: Path) -> dict:
    return json.loads((out / "cache" / "last-build.json").read_text())


# -- extraction ---------------------------------------------------------------------------


def extraction(corpus_file: Path, model: str) -> dict:
    """Bare nlp.pipe vs polgraph's pipeline vs pipeline + graph lines, same texts."""
    from polgraph.extract.pipeline import extract, load_model, load_pipeline
    from polgraph.extract.read import read_articles
    from polgraph.graphs import handwritten
    from polgraph.graphs.build import BuildOptions, hand_files
    from polgraph.graphs.workers import extract_pairs

    articles = [a for a in read_articles([corpus_file]) if not isinstance(a, Exception)]
    texts = [a.text for a in articles]
    hand = handwritten.load_hand_files(hand_files(BuildOptions([corpus_file], Path("."))))
    gazetteer = handwritten.gazetteer_entries(hand)
    bare = load_model(model)
    ours = load_pipeline(model, gazetteer)
    warm = texts[: min(10, len(texts))]
    list(bare.pipe(warm))
    list(extract(articles[: len(warm)], ours))
    result = {}
    start = time.perf_counter()
    tokens = sum(len(doc) for doc in bare.pipe(texts, batch_size=16))
    result["bare_s"] = time.perf_counter() - start
    start = time.perf_counter()
    for _ in extract(articles, ours):
        pass
    result["pipeline_s"] = time.perf_counter() - start
    start = time.perf_counter()
    for _ in extract_pairs(((a, a) for a in articles), ours, 0.5):
        pass
    result["graph_s"] = time.perf_counter() - start
    result["tokens"] = tokens
    result["articles"] = len(texts)
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in result.items()}


# -- store ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def store_load(build: Path, work: Path) -> dict:
    """polgraph load into a fresh oxigraph serve, vs oxigraph load of graph.nq."""
    from polgraph.graphs.serve import oxigraph_binary, wait_for_port

    oxigraph = oxigraph_binary()
    plain = work / "oxigraph-load"
    shutil.rmtree(plain, ignore_errors=True)
    baseline = run([oxigraph, "load", "--location", plain, "--file", build / "graph.nq"])
    shutil.rmtree(plain, ignore_errors=True)
    served = work / "oxigraph-served"
    shutil.rmtree(served, ignore_errors=True)
    port = free_port()
    server = subprocess.Popen([oxigraph, "serve", "--location", served, "--bind",
                               f"127.0.0.1:{port}", "--union-default-graph"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port("127.0.0.1", port, 30)
        ours = run(polgraph("load", "--endpoint", f"http://127.0.0.1:{port}/query",
                            "--build", build))
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(served, ignore_errors=True)
    return {"oxigraph_load_s": baseline["seconds"], "polgraph_load_s": ours["seconds"],
            "polgraph_load_rc": ours["rc"], "polgraph_load_tail": ours["output"][-300:]}


def queries(build: Path) -> dict:
    """Each contract query over the store, in this process: the whole answer (seconds, rows),
    and the forms a user of a large graph asks for: narrowed to one article (median of 5),
    to one entity (median of 5, and the entity in the most rows), and a page of 100 rows."""
    import statistics

    import pyoxigraph

    from polgraph.queries import load_query, run_query

    store = pyoxigraph.Store.read_only(str(build / "store"))
    entity_columns = {"mentions": ["name"], "statements": ["speaker", "medium"],
                      "memberships": ["person", "party"], "results": ["area", "party"],
                      "events": ["who"]}

    def timed(query, params=None, **paging) -> tuple[float, int]:
        start = time.perf_counter()
        rows = len(run_query(query, store, params, **paging).rows)
        return round(time.perf_counter() - start, 3), rows

    found = {}
    for name in QUERIES:
        query = load_query(name)
        start = time.perf_counter()
        every = run_query(query, store).rows
        found[name] = {"seconds": round(time.perf_counter() - start, 3), "rows": len(every)}
        articles = sorted({row["article"] for row in every if row["article"]})
        if not articles:
            continue
        picks = [articles[i * (len(articles) - 1) // 4] for i in range(5)]
        found[name]["article_s"] = statistics.median(timed(query, {"article": a})[0]
                                                     for a in picks)
        counts = Counter(row[c] for row in every for c in entity_columns[name] if row[c])
        names = sorted(counts)
        picks = [names[i * (len(names) - 1) // 4] for i in range(5)]
        found[name]["entity_s"] = statistics.median(timed(query, {"entity": e})[0]
                                                    for e in picks)
        busiest = counts.most_common(1)[0][0]
        seconds, rows = timed(query, {"entity": busiest})
        found[name]["busiest_entity"] = {"entity": busiest, "seconds": seconds, "rows": rows}
        found[name]["page_s"] = timed(query, limit=100, offset=len(every) // 2)[0]
    return found


def draw(build: Path, corpus_file: Path) -> dict:
    """polgraph draw --types person,party and --focus (the most frequent speaker), and the
    whole network for comparison."""
    names: Counter[str] = Counter()
    with corpus_file.open(encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line)["text"]
            for first in corpus.FIRST:
                for part in text.split(f"{first} ")[1:]:
                    last = part.split()[0].strip(",.:")
                    if last in corpus.LAST:
                        names[f"{first} {last}"] += 1
    focus = names.most_common(1)[0][0]
    types = run(polgraph("draw", "--build", build, "--types", "person,party",
                         "--out", build / "types.html"))
    around = run(polgraph("draw", "--build", build, "--focus", focus,
                          "--out", build / "focus.html"))
    whole = run(polgraph("draw", "--build", build, "--format", "json",
                         "--out", build / "network.json"))
    return {"types_s": types["seconds"], "types_rc": types["rc"],
            "focus_s": around["seconds"], "focus_rc": around["rc"], "focus": focus,
            "whole_s": whole["seconds"], "whole_rc": whole["rc"],
            "tail": (types["output"] + around["output"] + whole["output"])[-400:]}


# -- one size ---------------------------------------------------------------------------------


def bench_size(n: int, work: Path, workers: int, full_max: int, model: str,
               light: bool = False) -> dict:
    """Everything for one corpus size; ``light`` (for very large N) skips the extraction
    comparison and the one-worker build, and validates in the workers' build instead."""
    folder = work / str(n)
    shutil.rmtree(folder, ignore_errors=True)
    corpus_dir = folder / "corpus"
    corpus_file = corpus.write(n, corpus_dir / "articles.jsonl")
    result: dict = {"n": n, "light": light}
    say = lambda message: print(f"[N={n}] {message}", flush=True)  # noqa: E731
    if not light:
        say("extraction: bare nlp.pipe vs polgraph")
        result["extraction"] = extraction(corpus_file, model)
        say(str(result["extraction"]))
        one = folder / "build-1"
        say("build, 1 worker, cold cache, incremental validation")
        result["build_1"] = run(polgraph("build", corpus_dir, "--out", one, "--no-cache"))
        result["build_1"]["stats"] = build_stats(one)
        say(f"{result['build_1']['seconds']} s, {result['build_1']['peak_rss_mb']} MB")

    two = folder / f"build-{workers}"
    say(f"build, {workers} workers, " + ("with validation" if light else "no validation"))
    result["build_w"] = run(polgraph("build", corpus_dir, "--out", two, "--no-cache",
                                     *([] if light else ["--no-validate"]),
                                     "--workers", workers))
    result["build_w"]["stats"] = build_stats(two)
    say(f"{result['build_w']['seconds']} s, {result['build_w']['peak_rss_mb']} MB")
    if light:
        one = two
    else:
        result["build_w_same_graph"] = (one / "graph.nq").read_bytes() == (
            two / "graph.nq").read_bytes()
        shutil.rmtree(two, ignore_errors=True)
        say(f"same graph.nq: {result['build_w_same_graph']}")

    say("queries, draw, load")
    result["queries"] = queries(one)
    result["draw"] = draw(one, corpus_file)
    result["load"] = store_load(one, folder)

    say("rebuild after one article changed")
    lines = corpus_file.read_text("utf-8").splitlines(keepends=True)
    record = json.loads(lines[len(lines) // 2])
    record["text"] = record["text"].replace(" said", " said on Friday", 1)
    lines[len(lines) // 2] = json.dumps(record, ensure_ascii=False) + "\n"
    corpus_file.write_text("".join(lines), "utf-8")
    result["rebuild_changed"] = run(polgraph("build", corpus_dir, "--out", one))
    result["rebuild_changed"]["stats"] = build_stats(one)
    # The last one: pol:sourceFile of a JSON Lines article is "file:line", so removing an
    # earlier line changes the graphs of every later article of the file.
    say("rebuild after one article removed")
    del lines[-1]
    corpus_file.write_text("".join(lines), "utf-8")
    result["rebuild_removed"] = run(polgraph("build", corpus_dir, "--out", one))
    result["rebuild_removed"]["stats"] = build_stats(one)
    say("full validation (whole graph, compiled shapes in the build's store)")
    result["full_validation"] = run(polgraph("validate", "--build", one, "--workers", workers))
    if n <= full_max and not light:
        say("full validation with the reference engine (pyshacl)")
        result["full_validation_pyshacl"] = run(polgraph("validate", "--build", one,
                                                         "--engine", "pyshacl"))
    result["graph_nq_mb"] = round((one / "graph.nq").stat().st_size / 2**20, 1)
    say("done")
    return result


# -- the report --------------------------------------------------------------------------------


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "–"


def table(results: list[dict], workers: int) -> str:
    cols = [f"N = {r['n']:,}" for r in results]
    rows: list[tuple[str, list[str]]] = []

    def add(label: str, fn) -> None:
        values = []
        for r in results:
            try:
                values.append(fn(r))
            except (KeyError, TypeError, ZeroDivisionError):
                values.append("–")
        rows.append((label, values))

    ex = lambda r: r["extraction"]  # noqa: E731
    add("tokens", lambda r: f"{ex(r)['tokens']:,}")
    add("bare `nlp.pipe`: articles/s · tokens/s",
        lambda r: f"{r['n'] / ex(r)['bare_s']:.1f} · {ex(r)['tokens'] / ex(r)['bare_s']:,.0f}")
    add("polgraph pipeline (components + findings): articles/s · tokens/s",
        lambda r: f"{r['n'] / ex(r)['pipeline_s']:.1f} · "
                  f"{ex(r)['tokens'] / ex(r)['pipeline_s']:,.0f}")
    add("… as a share of bare throughput (target ≥ 0.8)",
        lambda r: f"{ex(r)['bare_s'] / ex(r)['pipeline_s']:.2f}")
    add("pipeline + article graphs (N-Quads): share of bare",
        lambda r: f"{ex(r)['bare_s'] / ex(r)['graph_s']:.2f}")
    b1 = lambda r: r["build_1"]  # noqa: E731
    add("build, 1 worker, cold, with validation: wall s", lambda r: f"{b1(r)['seconds']:.1f}")
    add("… stages (s)", lambda r: ", ".join(f"{k} {v:.1f}" for k, v in
                                              b1(r)["stats"]["timings"].items()))
    add("… peak RSS (MB, process tree)", lambda r: str(b1(r)["peak_rss_mb"]))
    add("quads in graph.nq · size", lambda r: f"{r['build_w']['stats']['quads']:,} · "
                                              f"{r['graph_nq_mb']} MB")
    add("violations (cold build's check)",
        lambda r: str((r["build_w"] if r.get("light") else b1(r))["stats"]["violations"]))
    add("cold build's validation stage s (compiled shapes in the store)",
        lambda r: f"{(r['build_w'] if r.get('light') else b1(r))['stats']['timings']['validate']:.1f}")  # noqa: E501
    add(f"extraction stage, {workers} workers vs 1 (target ≥ 1.6×)",
        lambda r: ratio(b1(r)["stats"]["timings"]["extract"],
                        r["build_w"]["stats"]["timings"]["extract"]))
    add(f"build, {workers} workers (no validation below the light size, with it from "
        "there): wall s · peak RSS MB",
        lambda r: f"{r['build_w']['seconds']:.1f} · {r['build_w']['peak_rss_mb']}")
    add(f"graph.nq identical with {workers} workers", lambda r: str(r["build_w_same_graph"]))
    add("rebuild, 1 article changed: wall s (share of the cold build with the same "
        "options; target ≤ 10%)",
        lambda r: f"{r['rebuild_changed']['seconds']:.1f} "
                  f"({r['rebuild_changed']['seconds'] / (r['build_w'] if r.get('light') else b1(r))['seconds']:.0%}); "  # noqa: E501
                  f"extracted {r['rebuild_changed']['stats']['extracted']}")
    add("… its validation stage s (target at 10,000: ≤ 60)", lambda r:
        f"{r['rebuild_changed']['stats']['timings']['validate']:.1f}")
    add("… its stages (s) · peak RSS MB", lambda r: ", ".join(
        f"{k} {v:.1f}" for k, v in r["rebuild_changed"]["stats"]["timings"].items())
        + f" · {r['rebuild_changed']['peak_rss_mb']}")
    add("rebuild, 1 article removed: wall s (share)",
        lambda r: f"{r['rebuild_removed']['seconds']:.1f} "
                  f"({r['rebuild_removed']['seconds'] / (r['build_w'] if r.get('light') else b1(r))['seconds']:.0%}; "  # noqa: E501
                  f"{r['rebuild_removed']['stats']['articles']} articles)")
    add(f"full validation (`polgraph validate --workers {workers}`, whole graph, compiled): "
        "s · peak RSS MB",
        lambda r: f"{r['full_validation']['seconds']:.1f} · "
                  f"{r['full_validation']['peak_rss_mb']}")
    add("… the same with `--engine pyshacl` (reference): s · peak RSS MB",
        lambda r: f"{r['full_validation_pyshacl']['seconds']:.1f} · "
                  f"{r['full_validation_pyshacl']['peak_rss_mb']}")
    add("export stage (TriG, Turtle, JSON-LD) s",
        lambda r: f"{(r['build_w'] if r.get('light') else b1(r))['stats']['timings']['export']:.1f}")  # noqa: E501
    add("`oxigraph load` of graph.nq s", lambda r: f"{r['load']['oxigraph_load_s']:.1f}")
    add("`polgraph load` into `oxigraph serve` s (ratio; target ≤ 1.5×)",
        lambda r: f"{r['load']['polgraph_load_s']:.1f} "
                  f"({ratio(r['load']['polgraph_load_s'], r['load']['oxigraph_load_s'])})")
    for name in QUERIES:
        add(f"query `{name}` s (rows)",
            lambda r, name=name: f"{r['queries'][name]['seconds']:.3f} "
                                 f"({r['queries'][name]['rows']:,})")
    for name in QUERIES:
        add(f"… `{name}` narrowed: one article · one entity · busiest entity (rows) · "
            "a page of 100 rows, s",
            lambda r, name=name: (
                f"{r['queries'][name]['article_s']:.3f} · {r['queries'][name]['entity_s']:.3f}"
                f" · {r['queries'][name]['busiest_entity']['seconds']:.3f} "
                f"({r['queries'][name]['busiest_entity']['rows']:,}) · "
                f"{r['queries'][name]['page_s']:.3f}"))
    add("draw --types person,party s", lambda r: f"{r['draw']['types_s']:.1f}")
    add("draw --focus (most quoted person) s", lambda r: f"{r['draw']['focus_s']:.1f}")
    add("draw, whole network (JSON) s", lambda r: f"{r['draw']['whole_s']:.1f}")
    lines = ["| measure | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    lines += [f"| {label} | " + " | ".join(values) + " |" for label, values in rows]
    return "\n".join(lines)


def machine() -> str:
    memory = psutil.virtual_memory().total / 2**30
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GB RAM, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")


def write_report(results: list[dict], workers: int, command: str, path: Path) -> None:
    import spacy

    from polgraph import __version__

    text = [
        "# polgraph benchmark",
        "",
        f"* date: {datetime.datetime.now().isoformat(timespec='minutes')}",
        f"* machine: {machine()}",
        f"* polgraph {__version__}, spaCy {spacy.__version__}, model en_core_web_sm",
        f"* commands: {command}",
        "* '–': not measured at that size (see the notes)",
        "* corpus: `bench/corpus.py`, seeded, N distinct generated articles (one JSON Lines "
        "file)",
        "",
        table(results, workers),
        "",
    ]
    existing = path.read_text("utf-8") if path.is_file() else ""
    notes = existing.split("<!-- notes -->", 1)[1] if "<!-- notes -->" in existing else "\n"
    path.write_text("\n".join(text) + "<!-- notes -->" + notes, "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "work")
    parser.add_argument("--report", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--full-validation-max", type=int, default=100,
                        help="run the whole-graph pyshacl validation for N up to this")
    parser.add_argument("--model", default="en_core_web_sm")
    parser.add_argument("--light-from", type=int, default=5000,
                        help="from this N on, skip the extraction comparison and the "
                             "one-worker build (hours on a small machine)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    results_file = args.out / "results.json"
    # Sizes measured by an earlier run stay in the report unless measured again.
    results = json.loads(results_file.read_text()) if results_file.is_file() else []
    command = "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:])
    for n in args.sizes:
        found = bench_size(n, args.out, args.workers, args.full_validation_max, args.model,
                           light=n >= args.light_from)
        found["command"] = command
        results = sorted([r for r in results if r["n"] != n] + [found], key=lambda r: r["n"])
        results_file.write_text(json.dumps(results, indent=1))
    commands = sorted({r.get("command", command) for r in results})
    write_report(results, args.workers, "; ".join(f"`{c}`" for c in commands), args.report)
    print(table(results, args.workers))
    return 0


if __name__ == "__main__":
    sys.exit(main())

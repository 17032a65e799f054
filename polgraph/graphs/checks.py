"""Incremental SHACL validation: check what is new or changed and what it touches.

A full check (:func:`polgraph.graphs.validate.validate_files` over ``graph.nq``) holds the whole
dataset in rdflib and costs about a second per article; this one splits the work into parts
whose results are cached in the build cache:

1. **The context**: the ontology and the hand-written graphs, checked on their own (cached by
   their content and the shapes).
2. **Each article graph**, checked together with the context, in batches (over ``workers``
   processes). A result whose focus node is a subject of the article's graph belongs to the
   article and is cached under its content hash: an unchanged article is not checked again.
3. **What crosses articles**: every subject that has quads in more than one named graph
   (people, parties, councils, elections, extractors… as the merge of ``graph.nq`` finds
   them), and every election result compared with results of other articles (same area and
   election, the shapes' SHACL-SPARQL joins), checked together with the union of their
   triples and the triples of the nodes they point to, read from the store. They are cut into
   units of about :data:`UNIT` focus nodes by a hash of the subject (or of the area and
   election, whose results stay together); each unit is cached by the content of its extract,
   so a changed article re-checks only the units whose extract it changes. Only results whose
   focus node is in the unit are kept.

The results are merged and de-duplicated. The limit: a shape that joins an article's nodes to
nodes of other articles further than one step away from a shared node would be seen by the
full check only (``polgraph build --full-validation`` or ``polgraph validate``); none of the
present shapes does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pyoxigraph

from polgraph.graphs.cache import ArticleCache, code_fingerprint

#: Articles per pyshacl run in part 2 (the shapes and the context are prepared once a run).
BATCH = 25

_CROSS_RESULTS = """
PREFIX pol: <https://w3id.org/polgraph/ontology#>
SELECT DISTINCT ?result ?area ?election WHERE {
  { SELECT ?area ?election WHERE { GRAPH ?g { ?r pol:area ?area ; pol:inElection ?election } }
    GROUP BY ?area ?election HAVING (COUNT(DISTINCT ?g) > 1) }
  GRAPH ?h { ?result pol:area ?area ; pol:inElection ?election }
}
"""


@lru_cache(maxsize=1)
def shapes_fingerprint() -> str:
    """The shapes, the ontology, the validation code and polgraph's code, hashed."""
    digest = hashlib.sha256(code_fingerprint().encode())
    root = Path(str(resources.files("polgraph")))
    for path in [*sorted((root / "ontology").glob("*.ttl")), root / "graphs" / "validate.py",
                 root / "graphs" / "checks.py"]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _key(violation: dict) -> tuple:
    return tuple(violation.get(k) or "" for k in
                 ("shape", "focus_node", "path", "value", "message", "severity"))


def check_articles(fixed_run: str, items: list[tuple[str, str]]) -> dict[str, list[dict]]:
    """Check article graphs (``(article id, N-Quads file)``) with the context; the results
    whose focus node is a subject of each article's graph, by article."""
    from polgraph.graphs.validate import validate_files

    report = validate_files([fixed_run, *(path for _, path in items)])
    subjects: dict[str, set[str]] = {}
    for article_id, path in items:
        with open(path, encoding="utf-8") as handle:
            subjects[article_id] = {line.split(" ", 1)[0] for line in handle}
    found: dict[str, list[dict]] = {article_id: [] for article_id, _ in items}
    for violation in report.results:
        node = f"<{violation.focus_node}>"
        owners = [a for a, s in subjects.items() if node in s]
        if not owners and violation.article in found:
            owners = [violation.article]
        for owner in owners:
            found[owner].append(asdict(violation))
    return found


def _context(fixed_run: Path, folder: Path, use_cache: bool) -> list[dict]:
    from polgraph.graphs.validate import validate_files

    digest = hashlib.sha256(shapes_fingerprint().encode() + fixed_run.read_bytes()).hexdigest()
    cached = folder / f"shacl-context.{digest[:24]}.json"
    if use_cache and cached.is_file():
        return json.loads(cached.read_text("utf-8"))
    results = [asdict(v) for v in validate_files([fixed_run]).results]
    for old in folder.glob("shacl-context.*.json"):
        old.unlink(missing_ok=True)
    cached.write_text(json.dumps(results, ensure_ascii=False), "utf-8")
    return results


def _articles(entries: list[tuple[str, str]], cache: ArticleCache, fixed_run: Path,
              workers: int, use_cache: bool, bar) -> list[dict]:
    kind = f"shacl-{shapes_fingerprint()[:12]}.json"
    todo = [(a, d) for a, d in entries
            if not (use_cache and cache.path(a, d, kind).is_file())]
    counter = bar(len(todo), "validating") if todo else None
    batches = [todo[i : i + BATCH] for i in range(0, len(todo), BATCH)]
    digests = dict(todo)

    def save(found: dict[str, list[dict]]) -> None:
        for article_id, results in found.items():
            path = cache.path(article_id, digests[article_id], kind)
            path.write_text(json.dumps(results, ensure_ascii=False), "utf-8")
        if counter is not None:
            counter.update(len(found))

    tasks = [(str(fixed_run), [(a, str(cache.path(a, d))) for a, d in batch])
             for batch in batches]
    if workers > 1 and len(tasks) > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for found in pool.map(check_articles, *zip(*tasks, strict=True)):
                save(found)
    else:
        for task in tasks:
            save(check_articles(*task))
    if counter is not None:
        counter.close()
    results: list[dict] = []
    for article_id, digest in entries:
        results.extend(json.loads(cache.path(article_id, digest, kind).read_text("utf-8")))
    return results


#: Focus nodes per pyshacl run in part 3.
UNIT = 150


def _units(store: pyoxigraph.Store, shared: Path | None) -> list[list[str]]:
    """Part 3's focus nodes cut into units that do not depend on the order of articles:
    the results of one (area, election) stay together; the buckets go by a hash of the
    group or subject, so a change touches the units of what it touches only."""
    groups: dict[str, set[str]] = {}
    for row in store.query(_CROSS_RESULTS):
        if isinstance(row["result"], pyoxigraph.NamedNode):
            key = f"{row['area']} {row['election']}"
            groups.setdefault(key, set()).add(row["result"].value)
    if shared is not None and shared.is_file():
        for line in shared.read_text("utf-8").splitlines():
            if line.startswith("<"):
                groups.setdefault(line, set()).add(line[1:-1])
    total = sum(len(members) for members in groups.values())
    buckets = max(1, -(-total // UNIT))
    units: list[set[str]] = [set() for _ in range(buckets)]
    for key, members in groups.items():
        bucket = int(hashlib.sha1(key.encode()).hexdigest()[:8], 16) % buckets
        units[bucket].update(members)
    return [sorted(unit) for unit in units if unit]


def _unit_extract(store: pyoxigraph.Store, focus: list[str]) -> str:
    """The union triples of the focus nodes and of the nodes they point to, as N-Triples."""
    inside = set(focus)
    lines: set[str] = set()
    around: set[str] = set()
    for iri in focus:
        for quad in store.quads_for_pattern(pyoxigraph.NamedNode(iri), None, None, None):
            lines.add(f"{quad.triple} .")
            if isinstance(quad.object, pyoxigraph.NamedNode) and quad.object.value not in inside:
                around.add(quad.object.value)
    for iri in sorted(around):
        for quad in store.quads_for_pattern(pyoxigraph.NamedNode(iri), None, None, None):
            lines.add(f"{quad.triple} .")
    return "".join(line + "\n" for line in sorted(lines))


def check_unit(path: str, focus: list[str]) -> list[dict]:
    """Check one extract; the results whose focus node is one of ``focus``."""
    from polgraph.graphs.validate import validate_files

    inside = set(focus)
    return [asdict(v) for v in validate_files([path]).results if v.focus_node in inside]


def _crossing(store: pyoxigraph.Store, shared: Path | None, folder: Path, workers: int,
              use_cache: bool, bar) -> list[dict]:
    units = _units(store, shared)
    unit_folder = folder / "crossing"
    unit_folder.mkdir(parents=True, exist_ok=True)
    wanted: dict[Path, tuple[Path, list[str]]] = {}
    for focus in units:
        text = _unit_extract(store, focus)
        digest = hashlib.sha256(shapes_fingerprint().encode() + text.encode("utf-8")).hexdigest()
        result = unit_folder / f"{digest[:24]}.json"
        if use_cache and result.is_file():
            wanted[result] = (result, focus)
            continue
        extract = unit_folder / f"{digest[:24]}.nt"
        extract.write_text(text, "utf-8")
        wanted[result] = (extract, focus)
    todo = [(result, extract, focus) for result, (extract, focus) in wanted.items()
            if extract.suffix == ".nt"]
    counter = bar(len(todo), "checking across articles") if todo else None
    try:
        if workers > 1 and len(todo) > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                found = pool.map(check_unit, [str(e) for _, e, _ in todo],
                                 [f for _, _, f in todo])
                for (result, _, _), results in zip(todo, found, strict=True):
                    result.write_text(json.dumps(results, ensure_ascii=False), "utf-8")
                    if counter is not None:
                        counter.update(1)
        else:
            for result, extract, focus in todo:
                result.write_text(json.dumps(check_unit(str(extract), focus),
                                             ensure_ascii=False), "utf-8")
                if counter is not None:
                    counter.update(1)
    finally:
        for _, extract, _ in todo:
            extract.unlink(missing_ok=True)
        if counter is not None:
            counter.close()
    for old in unit_folder.iterdir():
        if old not in wanted:
            old.unlink(missing_ok=True)
    results: list[dict] = []
    for result in wanted:
        results.extend(json.loads(result.read_text("utf-8")))
    return results


def merge_results(groups: Iterable[list[dict]]):
    """One report from result lists: de-duplicated (the fullest record of each result
    kept), sorted as :func:`polgraph.graphs.validate.validate` sorts."""
    from polgraph.graphs.validate import ValidationReport, Violation

    best: dict[tuple, dict] = {}
    for group in groups:
        for result in group:
            key = _key(result)
            known = best.get(key)
            if known is None or sum(v is not None for v in result.values()) > sum(
                    v is not None for v in known.values()):
                best[key] = result
    results = [Violation(**result) for result in best.values()]
    results.sort(key=lambda v: (v.shape, v.focus_node, v.path or "", v.value or "", v.message))
    violations = [v for v in results if v.severity == "Violation"]
    return ValidationReport(conforms=not violations, violations=violations,
                            warnings=[v for v in results if v.severity != "Violation"])


def validate_incrementally(store: pyoxigraph.Store, entries: list[tuple[str, str]],
                           cache: ArticleCache, fixed_run: Path, shared: Path | None, *,
                           workers: int = 1, use_cache: bool = True,
                           bar: Callable | None = None):
    """The build's validation report from the three parts (see the module docstring)."""
    from polgraph.graphs.build import _NoBar

    folder = cache.folder.parent
    return merge_results([
        _context(fixed_run, folder, use_cache),
        _articles(entries, cache, fixed_run, workers, use_cache, bar or _NoBar),
        _crossing(store, shared, folder, workers, use_cache, bar or _NoBar),
    ])

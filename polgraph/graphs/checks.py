"""The build's SHACL validation: compiled shapes in the store, incremental over the cache.

The shapes run as SPARQL inside the build's Oxigraph store (:mod:`.store_validation`), which
checks a whole corpus in a fraction of the time pyshacl needs. The work is still split so
that a rebuild re-checks only what changed:

1. **The context**: the ontology and the hand-written graphs (``fixed.nq``), checked on their
   own and cached by their content and the shapes.
2. **Each article**: the results whose focus node is a subject of the article's graph and no
   other graph's are cached beside the article's N-Quads, under a key made of the shapes and
   the context, so a changed shape or hand-written file re-checks everything.
3. **What crosses articles**: subjects that have quads in more than one named graph (people,
   parties, councils, elections, extractors… as the merge of ``graph.nq`` finds them) and
   election results compared with results of other articles (same area and election, the
   shapes' SHACL-SPARQL joins) are checked on every build, with the subjects of new or changed
   articles, as one scoped run. Those of the previous build are checked again too, so a node
   that stops being shared (its other article removed) is not lost.

A cold build checks the whole store at once. The limit: a shape that joins an article's nodes
to nodes of other articles further than one step from a shared node would be seen by the full
check only (``polgraph build --full-validation`` or ``polgraph validate``); none of the present
shapes does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pyoxigraph

from polgraph.graphs.cache import ArticleCache, code_fingerprint

#: The file (in the cache folder) with the nodes the last build checked as shared.
SHARED_FILE = "shacl-shared.txt"


@lru_cache(maxsize=1)
def shapes_fingerprint() -> str:
    """The shapes, the ontology, the validation code and polgraph's code, hashed."""
    digest = hashlib.sha256(code_fingerprint().encode())
    root = Path(str(resources.files("polgraph")))
    for path in [*sorted((root / "ontology").glob("*.ttl")),
                 *(root / "graphs" / name for name in (
                     "validate.py", "checks.py", "shacl_sparql.py", "store_validation.py"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _key(violation: dict) -> tuple:
    return tuple(violation.get(k) or "" for k in
                 ("shape", "focus_node", "path", "value", "message", "severity"))


def _internal_query(name: str) -> str:
    return resources.files("polgraph.queries").joinpath("internal", f"{name}.rq").read_text(
        "utf-8")


def _context(fixed_run: Path, folder: Path, use_cache: bool) -> list[dict]:
    from polgraph.graphs.store_validation import validate_files_in_store

    digest = hashlib.sha256(shapes_fingerprint().encode() + fixed_run.read_bytes()).hexdigest()
    cached = folder / f"shacl-context.{digest[:24]}.json"
    if use_cache and cached.is_file():
        return json.loads(cached.read_text("utf-8"))
    results = [asdict(v) for v in validate_files_in_store([fixed_run]).results]
    for old in folder.glob("shacl-context.*.json"):
        old.unlink(missing_ok=True)
    cached.write_text(json.dumps(results, ensure_ascii=False), "utf-8")
    return results


def _subjects(path: Path) -> set[str]:
    """The IRI subjects of an N-Quads file (no brackets)."""
    found = set()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("<"):
                found.add(line[1 : line.index(">")])
    return found


def _shared(store: pyoxigraph.Store, shared: Path | None) -> set[str]:
    """Subjects in more than one graph, and results joined across articles."""
    nodes: set[str] = set()
    if shared is not None and shared.is_file():
        nodes.update(line[1:-1] for line in shared.read_text("utf-8").splitlines()
                     if line.startswith("<"))
    for row in store.query(_internal_query("cross-article-results")):
        if isinstance(row["result"], pyoxigraph.NamedNode):
            nodes.add(row["result"].value)
    return nodes


def _owners(store: pyoxigraph.Store, focus: str, articles: dict[str, str]) -> list[str]:
    """The articles whose graphs hold ``focus`` as a subject."""
    if focus.startswith("_:"):
        return []
    graphs = {quad.graph_name for quad in store.quads_for_pattern(
        pyoxigraph.NamedNode(focus), None, None, None)}
    return sorted(articles[g.value] for g in graphs
                  if isinstance(g, pyoxigraph.NamedNode) and g.value in articles)


def merge_results(groups):
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
    """The build's validation report from the three parts (see the module docstring).

    A cold check shares the checks among ``workers`` processes (read-only views of the
    build's store); a scoped one runs here (it marks its focus nodes in the store).
    """
    from polgraph.graphs.build import _NoBar
    from polgraph.graphs.rdf import graph_iri
    from polgraph.graphs.store import store_path
    from polgraph.graphs.store_validation import check_count, validate_store

    folder = cache.folder.parent
    context_digest = hashlib.sha256(fixed_run.read_bytes()).hexdigest()
    kind = "shacl-" + hashlib.sha256(
        (shapes_fingerprint() + context_digest).encode()).hexdigest()[:12] + ".json"
    todo = [(a, d) for a, d in entries if not (use_cache and cache.path(a, d, kind).is_file())]
    shared_now = _shared(store, shared)
    previous_file = folder / SHARED_FILE
    shared_before = set()
    if use_cache and previous_file.is_file():
        shared_before = set(previous_file.read_text("utf-8").split())

    cold = len(todo) == len(entries)
    scope: set[str] | None = None
    if not cold:
        scope = shared_now | shared_before
        for article_id, digest in todo:
            scope |= _subjects(cache.path(article_id, digest))
    make_bar = bar or _NoBar
    counter = make_bar(check_count(), "validating (SHACL checks)")
    location = store_path(folder.parent)
    fresh = validate_store(store, scope, progress=counter.update, workers=workers,
                           location=location if location.is_dir() else None)
    counter.close()

    articles = {str(graph_iri(a)): a for a, _ in entries}
    by_article: dict[str, list[dict]] = {}
    crossing: list[dict] = []
    for violation in fresh.results:
        record = asdict(violation)
        owners = _owners(store, violation.focus_node, articles)
        if violation.focus_node in shared_now or not owners:
            crossing.append(record)
            continue
        for owner in owners:
            by_article.setdefault(owner, []).append(record)

    todo_set = set(todo)
    kept: list[dict] = []
    for article_id, digest in entries:
        path = cache.path(article_id, digest, kind)
        if (article_id, digest) in todo_set:
            old: list[dict] = []
        else:
            old = json.loads(path.read_text("utf-8"))
        if scope is None:
            new = by_article.get(article_id, [])
        else:
            new = [r for r in old if r["focus_node"] not in scope] + by_article.get(article_id, [])
        if (article_id, digest) in todo_set or new != old:
            path.write_text(json.dumps(new, ensure_ascii=False), "utf-8")
        kept.extend(r for r in new if r["focus_node"] not in shared_now)
    previous_file.write_text("".join(f"{node}\n" for node in sorted(shared_now)), "utf-8")
    return merge_results([_context(fixed_run, folder, use_cache), crossing, kept])

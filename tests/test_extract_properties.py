"""Extraction never raises, and every evidence span reproduces its text (hypothesis);
what the components derive once per Doc is what the Doc gives."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polgraph.extract.components.doc_state import (
    doc_text,
    entity_at,
    forget_derived,
    invalidate_index,
    mention_offsets,
    mention_spans,
    tokens_with,
)
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


# -- what the components keep on a Doc gives what the Doc itself gives ----------------------

DOC_TEXT = ("Labour took control of Northam Council. Jane Roe, the Labour leader, said: "
            "“We won the seats.” Turnout was 43 per cent, and the Tories lost 14 seats.\n"
            "Photo: John Smith")


@pytest.mark.model
@pytest.mark.parametrize("query", [
    {"lower": {"seats", "control", "-", "never-in-any-text"}},
    {"pos": {"VERB", "AUX"}},
    {"dep": {"conj", "nsubj"}},
    {"lower": {"said"}, "pos": {"VERB"}},
])
def test_tokens_with_finds_the_tokens_a_scan_finds(nlp, query):
    doc = nlp(DOC_TEXT)
    expected = [t.i for t in doc if t.lower_ in query.get("lower", ())
                or t.pos_ in query.get("pos", ()) or t.dep_ in query.get("dep", ())]
    assert expected
    assert [t.i for t in tokens_with(doc, **query)] == expected


@pytest.mark.model
def test_derived_doc_state_matches_the_doc_and_follows_new_mentions(nlp):
    doc = nlp(DOC_TEXT)
    assert doc_text(doc) == doc.text
    spans = list(doc.spans["polgraph_mentions"])
    assert [(s.start, s.end, s.kb_id_) for s in mention_spans(doc)] == \
        [(s.start, s.end, s.kb_id_) for s in spans]
    assert mention_offsets(doc) == [(s.start_char, s.end_char, s.kb_id_) for s in spans]
    doc.spans["polgraph_mentions"] = spans[:1]
    invalidate_index(doc)
    assert mention_offsets(doc) == [(spans[0].start_char, spans[0].end_char, spans[0].kb_id_)]
    assert entity_at(doc, doc[spans[-1].start]) in (None, spans[0].kb_id_)
    derived = {"polgraph_text", "polgraph_token_entity", "polgraph_mention_spans",
               "polgraph_mention_offsets", "polgraph_token_index"}
    assert derived & set(doc.user_data)
    forget_derived(doc)
    assert not derived & set(doc.user_data)
    assert doc_text(doc) == doc.text


@pytest.mark.model
def test_curated_labels_do_not_grow_the_ner_and_come_back_after_it():
    """Around the NER the curated entities wear a label it knows: it finds the same entities
    as a pipeline without that, and does not grow classes for PARTY, MEDIA, COUNCIL…"""
    from gazetteers import BBC, NORTHAM, NORTHAM_COUNCIL, PARTIES

    from polgraph.extract.pipeline import load_pipeline

    gazetteer = (*PARTIES, BBC, NORTHAM, NORTHAM_COUNCIL)
    ours = load_pipeline("en_core_web_sm", gazetteer)
    plain = load_pipeline("en_core_web_sm", gazetteer)
    plain.remove_pipe("polgraph_hide_labels")
    plain.remove_pipe("polgraph_restore_labels")
    texts = [DOC_TEXT,
             "The Tories held Northam, the BBC reported on Friday. Greens gained Elmford ward.",
             "Labour councillor Ann Bell said: “Northam Council is ours.” Mr Velleman agreed.",
             "Mary Cole of the Conservatives lost the seat in Rosmouth Green to the Greens."]

    def entities(doc):
        return [(t.ent_iob_, t.ent_type_, t.ent_id_, t.ent_kb_id_) for t in doc]

    for text in texts:
        assert entities(ours(text)) == entities(plain(text))
    found = {ent.label_ for text in texts for ent in ours(text).ents}
    assert {"PARTY", "MEDIA", "COUNCIL"} <= found
    assert {"PARTY", "MEDIA", "COUNCIL"} <= set(plain.get_pipe("ner").labels)
    assert not {"PARTY", "MEDIA", "COUNCIL", "WARD"} & set(ours.get_pipe("ner").labels)

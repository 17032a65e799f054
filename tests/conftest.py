"""Shared fixtures. Tests that load the trained spaCy pipeline are marked ``model``."""

from __future__ import annotations

import pytest

from polgraph.extract.gazetteer import GazetteerEntry

#: A small constructed gazetteer: invented people, real party and outlet names.
GAZETTEER = (
    GazetteerEntry("Labour Party", "party", "https://w3id.org/polgraph/id/party/labour-party",
                   ("Labour", "the Labour Party")),
    GazetteerEntry("Conservative Party", "party",
                   "https://w3id.org/polgraph/id/party/conservative-party",
                   ("Conservatives", "Conservative", "Tories", "Tory")),
    GazetteerEntry("Green Party", "party", "https://w3id.org/polgraph/id/party/green-party",
                   ("Greens", "the Green Party")),
    GazetteerEntry("BBC", "media", "https://w3id.org/polgraph/id/media/bbc", ("the BBC",)),
    GazetteerEntry("Twitter", "media", "https://w3id.org/polgraph/id/media/twitter", ("X",)),
    GazetteerEntry("Daily Bugle", "media", "https://w3id.org/polgraph/id/media/daily-bugle",
                   ("the Daily Bugle",)),
    GazetteerEntry("Northam", "city", "https://w3id.org/polgraph/id/city/northam", ()),
)


@pytest.fixture(scope="session")
def nlp():
    """The default trained pipeline with polgraph's components and the test gazetteer."""
    from polgraph.extract.pipeline import load_pipeline

    return load_pipeline("en_core_web_sm", GAZETTEER)


@pytest.fixture(scope="session")
def blank_nlp():
    """A blank English pipeline (no parser, no NER) with polgraph's components."""
    import spacy

    from polgraph.extract.pipeline import add_components

    return add_components(spacy.blank("en"), GAZETTEER)

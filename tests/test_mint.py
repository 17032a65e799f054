"""IRIs are deterministic and come from one function."""

from __future__ import annotations

import pytest

from polgraph.graphs.mint import entity_iri, mint, slugify

ID = "https://w3id.org/polgraph/id/"


@pytest.mark.parametrize(
    "name, slug",
    [
        ("Sir Keir Starmer", "sir-keir-starmer"),
        ("Zoë O’Brien", "zoe-obrien"),
        ("Havering & Redbridge", "havering-and-redbridge"),
        ("  Labour  Party ", "labour-party"),
        ("!!!", "unnamed"),
    ],
)
def test_mint_slugify(name, slug):
    assert slugify(name) == slug


def test_mint_entity_and_fact_iris():
    assert str(mint("person", "Ken Livingstone")) == ID + "person/ken-livingstone"
    assert str(mint("statement", "bury-2016", 3)) == ID + "statement/bury-2016/3"
    assert str(entity_iri("person", "Mark", scope="jlm-2017")) == ID + "person/jlm-2017/mark"


def test_mint_same_input_same_iri_and_unknown_kind_refused():
    assert mint("party", "Labour Party") == mint("party", "labour party")
    with pytest.raises(ValueError):
        mint("spaceship", "x")

"""The quote-mark scanner: which stretches of text are quoted."""

from __future__ import annotations

import pytest

from polgraph.extract.quotemarks import find_quotes


def quoted(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_quotes(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("She said: “We will win.”", ["We will win."]),
        ('She said: "We will win."', ["We will win."]),
        ("She said: ''We will win.''", ["We will win."]),
        ("”Dozens” of members are leaving, the group said.", ["Dozens"]),
        ("He called the plan a “disgrace” and a “shambles”.", ["disgrace", "shambles"]),
        ("It’s the voters’ choice, he’s sure.", []),
    ],
)
def test_quotemarks_find_quotes_in_one_paragraph(text, expected):
    assert quoted(text) == expected


def test_quotemarks_quote_reopened_on_each_paragraph_is_continued():
    text = "She said: “We knew it.\n\n“We know it still.”"
    segments = find_quotes(text)
    assert [text[s.start : s.end] for s in segments] == ["We knew it.", "We know it still."]
    assert not segments[0].closed
    assert segments[1].continued


def test_quotemarks_paragraph_carrying_on_without_opening_mark():
    text = "He said: “First part.\n\nSecond part, still him.”\n\nNarration follows."
    assert quoted(text) == ["First part.", "Second part, still him."]
    assert find_quotes(text)[1].continued


def test_quotemarks_nested_single_quotes_inside_double():
    text = "She said: “People told us, ‘not this time’, and left.”"
    segments = find_quotes(text)
    assert [text[s.start : s.end] for s in segments] == [
        "People told us, ‘not this time’, and left.",
        "not this time",
    ]
    assert segments[1].nested and not segments[0].nested


def test_quotemarks_headline_single_quotes_count_but_a_named_term_does_not():
    assert quoted("Minister says he'll 'wait and see'") == ["wait and see"]
    assert quoted("The ‘beergate’ affair came up, he said.") == []


@pytest.mark.parametrize(
    "text",
    [
        "He said: “This never closes.\n\nNarration, with no marks at all.",
        "“ “ ” ” “",
        "”",
        "'''",
        "She said “",
    ],
)
def test_quotemarks_unbalanced_marks_never_raise_nor_lose_later_quotes(text):
    segments = find_quotes(text + "\n\nLater she said: “Still found.”")
    assert "Still found." in [
        (text + "\n\nLater she said: “Still found.”")[s.start : s.end] for s in segments
    ]

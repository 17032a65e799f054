"""Date expressions normalised against the article date (no model needed)."""

from __future__ import annotations

from datetime import date

import pytest

from polgraph.extract.dates import NormalisedDate, find_dates, most_recent_weekday, normalise

FRIDAY = date(2016, 5, 6)  # a Friday


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("today", date(2016, 5, 6)),
        ("this morning", date(2016, 5, 6)),
        ("this afternoon", date(2016, 5, 6)),
        ("tonight", date(2016, 5, 6)),
        ("yesterday", date(2016, 5, 5)),
        ("last night", date(2016, 5, 5)),
        ("yesterday evening", date(2016, 5, 5)),
        ("the day before yesterday", date(2016, 5, 4)),
        ("tomorrow", date(2016, 5, 7)),
        ("three days ago", date(2016, 5, 3)),
    ],
)
def test_dates_relative_days(expression, expected):
    assert normalise(expression, FRIDAY) == NormalisedDate(expected, "day")


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("on Thursday", date(2016, 5, 5)),  # the most recent Thursday
        ("at 10pm on Thursday", date(2016, 5, 5)),
        ("on Friday", date(2016, 5, 6)),  # on or before: the article's own day
        ("on Monday", date(2016, 5, 2)),
        ("Saturday", date(2016, 4, 30)),
        ("last Friday", date(2016, 4, 29)),  # last: strictly before
        ("next Tuesday", date(2016, 5, 10)),
        ("on Monday morning", date(2016, 5, 2)),
    ],
)
def test_dates_weekdays(expression, expected):
    assert normalise(expression, FRIDAY) == NormalisedDate(expected, "day")


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("5 April 2017", date(2017, 4, 5)),
        ("on 5th April 2017", date(2017, 4, 5)),
        ("April 5, 2017", date(2017, 4, 5)),
        ("Wednesday 5 April 2017", date(2017, 4, 5)),
        ("05/04/2017", date(2017, 4, 5)),  # UK order: day, month
        ("5.4.2017", date(2017, 4, 5)),
        ("2017-04-05", date(2017, 4, 5)),
        ("5 April", date(2016, 4, 5)),  # the article's year
    ],
)
def test_dates_explicit_days(expression, expected):
    assert normalise(expression, FRIDAY) == NormalisedDate(expected, "day")


def test_dates_explicit_dates_need_no_article_date():
    assert normalise("5 April 2017", None) == NormalisedDate(date(2017, 4, 5), "day")
    assert normalise("05/04/2017", None) == NormalisedDate(date(2017, 4, 5), "day")


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("in April 2017", NormalisedDate(date(2017, 4, 1), "month")),
        ("last month", NormalisedDate(date(2016, 4, 1), "month")),
        ("in May", NormalisedDate(date(2016, 5, 1), "month")),
        ("in 2014", NormalisedDate(date(2014, 1, 1), "year")),
        ("last year", NormalisedDate(date(2015, 1, 1), "year")),
        ("four years ago", NormalisedDate(date(2012, 1, 1), "year")),
    ],
)
def test_dates_months_and_years(expression, expected):
    assert normalise(expression, FRIDAY) == expected


def test_dates_last_week_has_no_day_and_a_month_only_when_certain():
    # The week before 6 May 2016 ran from 25 April to 1 May: two months, so unknown.
    assert normalise("last week", FRIDAY) is None
    # The week before 20 May 2016 ran from 9 to 15 May: May for certain.
    assert normalise("last week", date(2016, 5, 20)) == NormalisedDate(date(2016, 5, 1),
                                                                        "month")


@pytest.mark.parametrize(
    "expression",
    ["on Thursday", "yesterday", "this morning", "last week", "three days ago", "in May",
     "tomorrow", "5 April"],
)
def test_dates_relative_without_an_article_date_stay_unknown(expression):
    assert normalise(expression, None) is None


@pytest.mark.parametrize(
    "expression",
    ["recently", "overnight", "in recent years", "at the weekend", "soon", "in June"],
)
def test_dates_that_the_text_does_not_give_stay_unknown(expression):
    # "in June" in an article of May: last June or next June, nobody knows
    assert normalise(expression, FRIDAY) is None


@pytest.mark.parametrize(
    "text",
    ["Labour may win", "they march on", "2018 votes were cast", "£2016 was raised",
     "a 2017-seat chamber"],
)
def test_dates_words_that_are_not_dates(text):
    assert normalise(text, FRIDAY) is None


def test_dates_find_dates_gives_offsets_in_text_order():
    text = "He resigned on Thursday, a week after the vote on 28 April 2016."
    found = find_dates(text, FRIDAY)
    assert [m.text for m in found] == ["on Thursday", "28 April 2016"]
    for mention in found:
        assert text[mention.start : mention.end] == mention.text
    assert [m.date.value for m in found] == [date(2016, 5, 5), date(2016, 4, 28)]


def test_dates_most_recent_weekday():
    assert most_recent_weekday(FRIDAY, 4) == FRIDAY
    assert most_recent_weekday(FRIDAY, 4, strictly_before=True) == date(2016, 4, 29)
    assert most_recent_weekday(FRIDAY, 0) == date(2016, 5, 2)


def test_dates_day_without_a_year_follows_the_tense():
    anchor = date(2021, 5, 7)
    assert normalise("on 7 July", anchor, "past") == NormalisedDate(date(2020, 7, 7), "day")
    assert normalise("on 7 July", anchor, "future") == NormalisedDate(date(2021, 7, 7), "day")
    # with no tense, the 20 December nearest a January article is last December's
    assert normalise("on 20 December", date(2021, 1, 10)) == NormalisedDate(
        date(2020, 12, 20), "day")

"""opassess.dates: a typed date is read day first, whole, or refused with a sentence."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opassess.dates import DateError, parse_date
from opassess.wording import MONTHS, format_date

TODAY = date(2026, 12, 5)


@pytest.mark.parametrize(
    "text",
    [
        "31/03/2027",
        "31/3/27",
        "31/3/2027",
        "31 Mar 2027",
        "31 March 2027",
        "31 march 2027",
        "31st March 2027",
        "31-Mar-27",
        "31.03.2027",
        "2027-03-31",
        "  31 / 3 / 27 ",
        "Wednesday 31 March 2027",
    ],
)
def test_every_form_a_person_types_is_the_same_day(text):
    assert parse_date(text, TODAY) == date(2027, 3, 31)


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("15 January 2027", date(2027, 1, 15)),  # once read as 8 January
        ("15/01/2027", date(2027, 1, 15)),
        ("04/03/2027", date(2027, 3, 4)),  # day first, never the month
        ("4/3/27", date(2027, 3, 4)),
        ("2027-03-04", date(2027, 3, 4)),  # year first is ISO: 4 March, never 3 April
        ("2027/3/4", date(2027, 3, 4)),
        ("1/1/2000", date(2000, 1, 1)),  # a real date, not "no date"
    ],
)
def test_day_first_and_iso(text, wanted):
    assert parse_date(text, TODAY) == wanted


@pytest.mark.parametrize("text", ["t", "T", "today", "Today", " today "])
def test_t_and_today_are_today(text):
    assert parse_date(text, TODAY) == TODAY
    assert parse_date(text) == date.today()


@pytest.mark.parametrize("text", ["", "   ", "\t"])
def test_blank_is_no_date(text):
    assert parse_date(text, TODAY) is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("15 January", "has no year"),  # never this year or the default's year
        ("March 2027", "has no day"),
        ("2027", "put / between"),  # never 1 January
        ("20270331", "put / between"),
        ("31/02/2027", "is not a day of the calendar"),
        ("32/01/2027", "is not a day of the calendar"),
        ("31/13/2027", "is not a day of the calendar"),
        ("banana", "is not a date"),
        ("next friday", "is not a date"),
        ("tomorrow", "is not a date"),
        ("31 March 2027 10:00", "has a time"),
        ("Mon 31 March 2027", "is a Wednesday, not a Monday"),
        ("1/2/3", "Write the year"),
        ("31/03/1027", "check the year"),
        ("99999999999/1/1", "is not a date"),
        ("31/03/2027 " * 10, "That is not a date"),
    ],
)
def test_anything_else_is_refused_with_a_sentence(text, says):
    with pytest.raises(DateError, match=says) as refused:
        parse_date(text, TODAY)
    assert isinstance(refused.value, ValueError)
    message = str(refused.value)
    assert not message[0].islower()
    assert message.endswith(".")


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2149, 12, 31)))
def test_every_written_form_reads_back(day):
    forms = [
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}",
        format_date(day),  # what the program shows reads back as itself
        day.isoformat(),
    ]
    for text in forms:
        assert parse_date(text, TODAY) == day, text


@pytest.mark.parametrize("text", ["12/13/2027", "3/31/2027", "12-25-27"])
def test_a_date_written_month_first_is_refused_not_turned_round(text):
    with pytest.raises(DateError, match="puts the month first: write the day first"):
        parse_date(text)


@pytest.mark.parametrize("text", ["31 Mar 2027 t", "31 March 2027 approx", "about 31/03/2027"])
def test_a_stray_word_is_refused_not_passed_over(text):
    with pytest.raises(DateError, match="which is not part of a date"):
        parse_date(text)

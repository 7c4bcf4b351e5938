"""Reading a date a person typed: one function for every date field and the command line.

Day first always, as people write dates in the UK, never the computer's language settings:
31/03/2027, 31/3/27, 31 Mar 2027, 31 March 2027 and 31st March 2027, and year first only as
2027-03-31. "t" or "today" is today. Nothing is guessed: a date without its year, month or day,
with a time, with a weekday that is not its own, or that is not a date at all is refused with a
sentence that says what to type instead, and the caller keeps what it had.

The reading itself is python-dateutil's, imported when first needed; this module adds the rules
above around it. A date for people to read is opassess.wording.format_date, not here.
"""

from __future__ import annotations

import re
from datetime import date, datetime

# What a person may type, for a hint under a field or in --help.
DATE_FORMS = "31/03/2027, 31 Mar 2027 or 2027-03-31, or t for today"
TODAY_WORDS = frozenset({"t", "today"})
EARLIEST_YEAR = 1900
LATEST_YEAR = 2199

# Two defaults that differ in every part: whatever the text leaves out comes out differently.
_DEFAULTS = (datetime(2001, 1, 1, 0, 0), datetime(2002, 2, 2, 1, 1))
_YEAR_FIRST = re.compile(r"\d{4}\D")
_DIGITS = re.compile(r"\d+")
_WORDS = re.compile(r"[^\W\d_]+")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class DateError(ValueError):
    """Text that is not one whole date, with a sentence a person can act on."""


def parse_date(text: str, today: date | None = None) -> date | None:
    """The date `text` names, None for blank text; DateError for anything else.

    `today` is what "t" and "today" mean (the computer's date unless given)."""
    typed = " ".join(text.split())
    if len(typed) > 40:  # a date is never this long: say so without quoting a paragraph back
        raise DateError("That is not a date: write it as 31/03/2027, 31 Mar 2027 or 2027-03-31.")
    if not typed:
        return None
    if typed.lower() in TODAY_WORDS:
        return today or date.today()
    if typed.isdigit():
        raise DateError(
            f"“{typed}” is not a date: put / between the day, month and year, as in 31/03/2027."
        )
    stray = [word for word in _WORDS.findall(typed.lower()) if not _belongs_in_a_date(word)]
    if stray and _DIGITS.search(typed):  # a date with a word the reader would pass over
        raise DateError(
            f"“{typed}” has “{stray[0]}”, which is not part of a date: write it as "
            "31/03/2027, 31 Mar 2027 or 2027-03-31."
        )
    readings = [_read(typed, default) for default in _DEFAULTS]
    first, second = readings
    missing = [
        part
        for part, same in (
            ("day", first.day == second.day),
            ("month", first.month == second.month),
            ("year", first.year == second.year),
        )
        if not same
    ]
    if missing:
        raise DateError(f"“{typed}” has no {_and(missing)}: write it as 31/03/2027.")
    if first.hour == second.hour or first.minute == second.minute or first.tzinfo is not None:
        raise DateError(f"“{typed}” has a time: give the date alone, as in 31/03/2027.")
    day = first.date()
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise DateError(f"“{typed}” is in the year {day.year}: check the year.")
    if not _year_written_out(typed, day.year):
        raise DateError(f"Write the year of “{typed}” as 2 or 4 figures, as in 31/03/2027.")
    runs = _DIGITS.findall(typed)
    numeric = len(runs) == 3 and not _WORDS.findall(typed.lower())
    if numeric and not _YEAR_FIRST.match(typed) and int(runs[0]) != day.day:
        # the reader falls back to month first when the first number cannot be a month
        raise DateError(
            f"“{typed}” puts the month first: write the day first, as in "
            f"{day.day}/{day.month:02d}/{day.year}."
        )
    named = _day_named(typed)
    if named is not None and named != day.weekday():
        raise DateError(
            f"{day.day}/{day.month:02d}/{day.year} is a {_DAY_NAMES[day.weekday()]}, "
            f"not a {_DAY_NAMES[named]}."
        )
    return day


def _read(typed: str, default: datetime) -> datetime:
    from dateutil import parser

    year_first = _YEAR_FIRST.match(typed) is not None  # 2027-03-04 is 4 March, never 3 April
    try:
        return parser.parse(typed, dayfirst=not year_first, yearfirst=year_first, default=default)
    except (ValueError, OverflowError) as error:
        if "out of range" in str(error) or "must be in" in str(error):
            raise DateError(f"“{typed}” is not a day of the calendar.") from None
        raise DateError(
            f"“{typed}” is not a date: write it as 31/03/2027, 31 Mar 2027 or 2027-03-31."
        ) from error


def _year_written_out(typed: str, year: int) -> bool:
    """Whether the year appears in full or as its last two figures (not '3' for 2003)."""
    runs = _DIGITS.findall(typed)
    return str(year) in runs or f"{year % 100:02d}" in runs


_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "sept",
)  # fmt: skip
_JOINING_WORDS = frozenset({"st", "nd", "rd", "th", "of", "the"})


def _belongs_in_a_date(word: str) -> bool:
    """A month or weekday (whole, or its first three letters or more), 'st' as in 31st, 'of'."""
    if word in _JOINING_WORDS:
        return True
    names = (*_MONTH_NAMES, *(day.lower() for day in _DAY_NAMES))
    return len(word) >= 3 and any(name.startswith(word) for name in names)


def _day_named(typed: str) -> int | None:
    """The weekday a word of `typed` names (Monday is 0), if one does."""
    for word in _WORDS.findall(typed.lower()):
        for number, name in enumerate(_DAY_NAMES):
            if len(word) >= 3 and name.lower().startswith(word):
                return number
    return None


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} or {parts[-1]}"

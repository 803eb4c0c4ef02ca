"""Reading typed dates and times with the locale's patterns: what people type, round trips,
and a clear refusal (never a guess) for what cannot be read."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diary.date_input import (
    DateInputError,
    format_date_input,
    format_moment_input,
    format_time_input,
    parse_date,
    parse_moment,
    parse_time,
)
from diary.ui.settings_dialog import LOCALES

DEC_4 = datetime(2026, 12, 4, 12, 0)


@pytest.mark.parametrize(
    ("locale", "typed", "meant"),
    [
        # The issue's own example: month 12 and PM were refused, the value silently changed.
        ("en_US", "12/4/2026 12:00 PM", DEC_4),
        ("en_US", "12/4/26 12 pm", DEC_4),
        ("en_US", "12/04/2026 12:00", DEC_4),
        ("en_US", "Dec 4, 2026, 12:00 p.m.", DEC_4),
        ("en_US", "Friday, December 4, 2026 12:00 PM", DEC_4),
        ("en_US", "2026-12-04T12:00", DEC_4),
        ("en_US", "12/4/2026 12:00 AM", datetime(2026, 12, 4, 0, 0)),
        ("en_US", "12/4/2026 1430", datetime(2026, 12, 4, 14, 30)),
        ("de_DE", "4.12.2026 12:00", DEC_4),
        ("de_DE", "04.12.26 12.00", DEC_4),
        ("de_DE", "4. Dezember 2026 12 Uhr", DEC_4),
        ("de_DE", "Fr., 4.12.2026 12:00", DEC_4),
        ("de_DE", "2026-12-04 12:00", DEC_4),
        ("fr_FR", "04/12/2026 12:00", DEC_4),
        ("fr_FR", "4 déc. 2026 12h00", DEC_4),
        ("fr_FR", "04/12/2026 à 12h", DEC_4),
        ("fr_FR", "4/12/2026 12:00 PM", DEC_4),
        ("en_GB", "04/12/2026 12:00 pm", DEC_4),
        ("nl_NL", "04-12-2026 12:00", DEC_4),
        ("ja_JP", "2026/12/04 12:00", DEC_4),
    ],
)
def test_what_people_type_is_read_as_meant(locale: str, typed: str, meant: datetime) -> None:
    assert parse_moment(typed, locale) == meant


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("en_US", "13/45/2026 10:00"),  # no 13th month
        ("en_US", "12/4/2026 13:00 PM"),  # no 13 PM
        ("en_US", "2/30/2026 10:00"),  # no 30 February
        ("en_US", "12/4/2026"),  # a start needs its time
        ("en_US", "next tuesday"),
        ("de_DE", "4.12.2026 24:00"),
        ("de_DE", "4.12.2026 12:60"),
        ("fr_FR", ""),
    ],
)
def test_what_cannot_be_read_is_refused_with_an_example(locale: str, typed: str) -> None:
    with pytest.raises(DateInputError, match="Type it like"):
        parse_moment(typed, locale)


def test_a_date_without_a_year_takes_the_one_given() -> None:
    assert parse_date("3/7", "en_US", default_year=2027) == date(2027, 3, 7)
    assert parse_date("7.3.", "de_DE", default_year=2027) == date(2027, 3, 7)
    with pytest.raises(DateInputError):
        parse_date("3/7", "en_US")


def test_times_alone_in_both_clocks() -> None:
    assert parse_time("7:30 AM", "en_US") == time(7, 30)
    assert parse_time("19:30", "en_US") == time(19, 30)
    assert parse_time("7 pm", "de_DE") == time(19, 0)
    assert parse_time("14.30", "fi_FI") == time(14, 30)
    with pytest.raises(DateInputError, match="is not a time of day"):
        parse_time("25:00", "en_GB")


@given(
    locale=st.sampled_from([name for name in LOCALES] + ["ja_JP", "ko_KR", "hu_HU", "fi_FI"]),
    moment=st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31)),
)
def test_what_a_field_shows_reads_back_as_the_same_value(locale: str, moment: datetime) -> None:
    moment = moment.replace(second=0, microsecond=0)
    assert parse_moment(format_moment_input(moment, locale), locale) == moment
    assert parse_date(format_date_input(moment.date(), locale), locale) == moment.date()
    assert parse_time(format_time_input(moment.time(), locale), locale) == moment.time()


def test_a_pasted_page_is_refused_at_once_and_quoted_short() -> None:
    # As much as a line edit takes (32,767 characters), spaces and all.
    page = ("12/4/2026 " * 3277)[:32767]
    for parse in (parse_moment, parse_date, parse_time):
        with pytest.raises(DateInputError) as refused:
            parse(page, "en_US")
        assert len(str(refused.value)) < 200  # the start of it, not all of it

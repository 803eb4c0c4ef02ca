"""A series' travel and wrap-up as recurring busy events: what a phone expands from them.

Dates are in 2030 on purpose (far from any real today); nothing reads a clock.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Calendar

from diary.domain.model import Appointment
from diary.interchange.records import ExportItem, SeriesInfo
from diary.interchange.sync_bands import BandOccurrence, render_series_bands

TZ = ZoneInfo("Europe/Berlin")
NOW = datetime(2030, 3, 1, 8, tzinfo=UTC)


def _series(rrule: str) -> tuple[ExportItem, Appointment]:
    template = Appointment(
        uid="visit",
        title="Visit",
        start=datetime(2030, 3, 4, 10, tzinfo=TZ),
        end=datetime(2030, 3, 4, 11, tzinfo=TZ),
        zone="Europe/Berlin",
    )
    return ExportItem(template, series=SeriesInfo(rrule)), template


def _occurrence(template: Appointment, week: int, travel: int = 20) -> BandOccurrence:
    start = template.start + timedelta(weeks=week)
    one = replace(template, start=start, end=start + timedelta(hours=1), recurrence_id=start)
    return BandOccurrence(one, travel, "Office", 15)


def _starts(text: str) -> list[str]:
    events = recurring_ical_events.of(Calendar.from_ical(text)).between(
        datetime(2030, 1, 1, tzinfo=UTC), datetime(2031, 1, 1, tzinfo=UTC)
    )
    return sorted(f"{e['DTSTART'].dt.astimezone(TZ):%m-%d %H:%M}" for e in events)


def test_a_wrapup_after_the_last_meeting_survives_an_until() -> None:
    """UNTIL at the last meeting's start would cut off its wrap-up, which starts later."""
    series, template = _series("FREQ=WEEKLY;UNTIL=20300318T090000Z")
    occurrences = [_occurrence(template, week) for week in range(3)]
    texts = render_series_bands(series, occurrences, lo=NOW, previous={}, now=NOW)
    assert _starts(texts["visit-wrapup"]) == ["03-04 11:00", "03-11 11:00", "03-18 11:00"]
    assert _starts(texts["visit-travel"]) == ["03-04 09:40", "03-11 09:40", "03-18 09:40"]


def test_an_override_before_the_window_is_kept_when_the_window_moves_on() -> None:
    series, template = _series("FREQ=WEEKLY;COUNT=4")
    first = [_occurrence(template, 0, travel=5), *(_occurrence(template, w) for w in (1, 2, 3))]
    sent = render_series_bands(series, first, lo=NOW, previous={}, now=NOW)
    assert _starts(sent["visit-travel"])[0] == "03-04 09:55"
    later = NOW + timedelta(days=7)  # the first occurrence is past now: no longer judged
    again = render_series_bands(series, first[1:], lo=later, previous=sent, now=later)
    assert _starts(again["visit-travel"]) == _starts(sent["visit-travel"])

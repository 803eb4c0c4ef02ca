"""The corpus in and out: diary lists what recurring-ical-events lists, and its export is
read alike by icalendar (with recurring-ical-events), vobject and ical.js.

Every corpus file that imports goes into an in-memory diary (clock fixed at 30 Nov 2026,
zone Europe/London) and is listed over three years from its first event; the original
file is expanded by recurring-ical-events over the same window; diary's export of it is
read by the three parsers. Where diary and recurring-ical-events differ on purpose, the
file is named in AGREED_DIFFERENCES with the RFC clause or the repair that decides it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from diary.interchange.ics_import import parse_calendar
from diary.services import DiaryService
from diary.services.clock import FixedClock

from . import readers
from .test_corpus import EXPECTED, ICALENDAR

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)  # fixed: the corpus' dates are long past
LONDON = ZoneInfo("Europe/London")

# Files recurring-ical-events (with icalendar beneath it) stops on, and how: a TZID given
# before its VTIMEZONE or an RDATE list read as one value ('list' has no 'dt'), an event
# without DTSTART, a broken content line, two calendars in one file, a DATE-TIME compared
# with a TIME. diary reads each (tests/interchange/test_corpus.py has what it makes of them).
THEY_CANNOT_READ: dict[str, type[Exception]] = {
    "calendars/america_new_york_forward_reference.ics": AttributeError,
    "calendars/pacific_fiji.ics": AttributeError,
    "fuzzing_corpus/america_new_york.ics": AttributeError,
    "fuzzing_corpus/pacific_fiji.ics": AttributeError,
    "calendars/created_calendar_with_unicode_fields.ics": KeyError,
    "calendars/issue_722_missing_timezones.ics": KeyError,
    "calendars/issue_104_broken_calendar.ics": ValueError,
    "calendars/multiple_calendar_components.ics": ValueError,
    "calendars/multiple_timezones.ics": TypeError,
}

# file -> why diary's list differs from recurring-ical-events' on the original file.
AGREED_DIFFERENCES = {
    "calendars/example.ics": (
        "all-day events without DTEND last one day (RFC 5545 §3.6.1); "
        "recurring-ical-events gives them no length"
    ),
    "calendars/invalid_duration.ics": (
        "repaired: its unreadable DURATION is left out and the event kept; "
        "recurring-ical-events drops the event"
    ),
    "events/issue_464_invalid_rdate.ics": (
        "repaired: the unreadable RDATE value is left out, the others kept"
    ),
    "fuzzing_corpus/issue_464_invalid_rdate.ics": (
        "repaired: the unreadable RDATE value is left out, the others kept"
    ),
    **{
        f"{folder}/event_with_recurrence.ics": (
            "a floating DTSTART with UTC EXDATEs: diary reads the floating times in the "
            "diary's zone (RFC 5545 §3.3.5: 'the local time of the observer'), "
            "recurring-ical-events then reads the whole series as UTC; both leave out the "
            "same three days"
        )
        for folder in ("events", "fuzzing_corpus")
    },
    **{
        f"calendars/issue_526_calendar_with_{name}.ics": (
            "TZID 'Western/Central Europe' has no VTIMEZONE (RFC 5545 §3.2.19 requires "
            "one): read in the diary's zone and reported; recurring-ical-events guesses"
        )
        for name in ("different_events", "event_subset", "events", "shuffeled_events")
    },
}


@dataclass
class Case:
    name: str
    lo: datetime
    hi: datetime
    listed: set[readers.Occurrence]
    export: Path


def _window(path: Path) -> tuple[datetime, datetime]:
    parsed = parse_calendar(path.read_bytes(), source=str(path), default_zone="Europe/London")
    starts = [e.start for e in parsed.events] + [s.template.start for s in parsed.series]
    lo = min(starts).astimezone(UTC) - timedelta(days=1)
    return lo, lo + timedelta(days=3 * 365)


def _importable() -> list[str]:
    return sorted(name for name, value in EXPECTED.items() if value not in ("error", 0))


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Case]]:
    folder = tmp_path_factory.mktemp("corpus-out")
    found: dict[str, Case] = {}
    for number, name in enumerate(_importable()):
        path = ICALENDAR / name
        lo, hi = _window(path)
        service = DiaryService.open("sqlite://", zone="Europe/London", clock=FixedClock(NOW))
        try:
            service.calendar().import_calendar(path)
            listed = readers.listed(service.listing(lo, hi), lo, hi)
            export = folder / f"{number}.ics"
            margin = timedelta(days=400)
            service.calendar().export_calendar(export, lo - margin, hi + margin)
        finally:
            service.close()
        found[name] = Case(name, lo, hi, listed, export)
    yield found


def test_every_importable_file_is_compared(cases: dict[str, Case]) -> None:
    assert len(cases) == len(_importable()) > 100


@pytest.mark.parametrize("name", _importable())
def test_diary_lists_what_recurring_ical_events_lists(
    name: str, cases: dict[str, Case]
) -> None:
    case = cases[name]
    data = (ICALENDAR / name).read_bytes()
    if name in THEY_CANNOT_READ:
        # diary imported and listed it (the `cases` fixture); there is nothing to compare
        # with until recurring-ical-events reads it, and then this says so.
        with pytest.raises(THEY_CANNOT_READ[name]):
            readers.icalendar_occurrences(data, case.lo, case.hi, floating=LONDON)
        return
    theirs = readers.icalendar_occurrences(data, case.lo, case.hi, floating=LONDON)
    ours = readers.without_made_up_uids(case.listed)
    if name in AGREED_DIFFERENCES:
        assert theirs != ours, f"{name} now agrees: drop it from AGREED_DIFFERENCES"
        return
    assert ours == theirs


@pytest.mark.parametrize("name", _importable())
def test_the_export_is_read_alike_by_icalendar_and_vobject(
    name: str, cases: dict[str, Case]
) -> None:
    case = cases[name]
    data = case.export.read_bytes()
    assert readers.icalendar_occurrences(data, case.lo, case.hi) == case.listed
    assert readers.vobject_occurrences(data, case.lo, case.hi) == case.listed


@pytest.mark.slow
def test_the_export_is_read_alike_by_ical_js(cases: dict[str, Case]) -> None:
    if not readers.icaljs_ready():
        pytest.skip("node/npm not installed: ical.js check not run")
    jobs = [(case.export, case.lo, case.hi) for case in cases.values()]
    theirs = readers.icaljs_many(jobs)
    differing = [
        name for name, case in cases.items() if theirs[str(case.export)] != case.listed
    ]
    assert differing == []

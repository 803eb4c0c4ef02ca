"""Random series across DST changes: export then import gives the same occurrences, and
recurring-ical-events lists what diary lists.

Series start near a clock change (Europe/London, America/New_York) in daytime hours, so
no occurrence spans the change itself (there diary keeps exact lengths, RFC 5545
§3.8.5.3, and recurring-ical-events wall-clock ones). Clocks are fixed (FixedClock).
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diary.services import DiaryService
from diary.services.clock import FixedClock

from ..interchange import readers

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
CHANGES = {  # a clock change in each zone, near which the series start
    "Europe/London": datetime(2027, 3, 28),
    "America/New_York": datetime(2027, 11, 7),
}


@dataclass(frozen=True)
class Plan:
    zone: str
    start: datetime  # naive wall-clock time of the first occurrence
    minutes: int
    rule: str
    exdates: tuple[int, ...]  # indexes of occurrences removed
    moved: tuple[tuple[int, int], ...]  # (index, minutes later) of moved occurrences
    cancelled: tuple[int, ...]  # indexes cancelled by a STATUS:CANCELLED override
    future: tuple[int, int] | None  # THISANDFUTURE at index, moved by minutes


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    zone = draw(st.sampled_from(sorted(CHANGES)))
    start = CHANGES[zone] - timedelta(days=draw(st.integers(1, 20)))
    start = start.replace(hour=draw(st.integers(8, 17)), minute=draw(st.sampled_from([0, 30])))
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "WEEKLY;BYDAY=MO,TH", "MONTHLY"]))
    end = draw(st.sampled_from(["COUNT=12", "UNTIL", ""]))
    if end == "UNTIL":
        until = (start + timedelta(days=70)).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
        end = f"UNTIL={until:%Y%m%dT%H%M%SZ}"
    rule = f"FREQ={freq}" + (f";{end}" if end else "")
    indexes = st.integers(1, 9)
    exdates = tuple(sorted(set(draw(st.lists(indexes, max_size=2)))))
    taken = set(exdates)
    moved = tuple(
        (i, draw(st.sampled_from([-60, 45, 90])))
        for i in sorted(set(draw(st.lists(indexes, max_size=2))) - taken)
    )
    taken |= {i for i, _ in moved}
    cancelled = tuple(sorted(set(draw(st.lists(indexes, max_size=1))) - taken))
    taken |= set(cancelled)
    future = None
    if draw(st.booleans()):
        index = draw(st.integers(3, 10))
        if index not in taken and all(i < index for i in taken):
            future = (index, draw(st.sampled_from([60, -30, 120])))
    return Plan(
        zone, start, draw(st.sampled_from([30, 60, 90])), rule, exdates, moved, cancelled, future
    )


def _occurrence_starts(plan: Plan, count: int) -> list[datetime]:
    """The first `count` wall-clock starts of the plan's rule (to name the overrides)."""
    from itertools import islice

    from dateutil.rrule import rrulestr

    aware = plan.start.replace(tzinfo=ZoneInfo(plan.zone))
    return [
        moment.replace(tzinfo=None) for moment in islice(rrulestr(plan.rule, dtstart=aware), count)
    ]


def _ics(plan: Plan, uid: str) -> str:
    tzid = plan.zone
    fmt = "%Y%m%dT%H%M%S"
    starts = _occurrence_starts(plan, 12)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//t//t//EN",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20260101T000000Z",
        "SEQUENCE:0",
        f"DTSTART;TZID={tzid}:{plan.start:{fmt}}",
        f"DTEND;TZID={tzid}:{plan.start + timedelta(minutes=plan.minutes):{fmt}}",
        f"RRULE:{plan.rule}",
        "SUMMARY:Visit",
    ]
    lines += [f"EXDATE;TZID={tzid}:{starts[i]:{fmt}}" for i in plan.exdates if i < len(starts)]
    lines.append("END:VEVENT")

    def override(index: int, shift: int, extra: list[str], title: str) -> list[str]:
        original = starts[index]
        moved = original + timedelta(minutes=shift)
        return [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            "DTSTAMP:20260101T000000Z",
            "SEQUENCE:1",
            *extra,
            f"DTSTART;TZID={tzid}:{moved:{fmt}}",
            f"DTEND;TZID={tzid}:{moved + timedelta(minutes=plan.minutes):{fmt}}",
            f"SUMMARY:{title}",
            "END:VEVENT",
        ]

    for index, shift in plan.moved:
        if index < len(starts):
            rid = f"RECURRENCE-ID;TZID={tzid}:{starts[index]:{fmt}}"
            lines += override(index, shift, [rid], "Visit (moved)")
    for index in plan.cancelled:
        if index < len(starts):
            rid = f"RECURRENCE-ID;TZID={tzid}:{starts[index]:{fmt}}"
            lines += override(index, 0, [rid, "STATUS:CANCELLED"], "Visit")
    if plan.future is not None and plan.future[0] < len(starts):
        index, shift = plan.future
        rid = f"RECURRENCE-ID;RANGE=THISANDFUTURE;TZID={tzid}:{starts[index]:{fmt}}"
        lines += override(index, shift, [rid], "Visit (new time)")
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def _titled(
    service: DiaryService, uid: str, lo: datetime, hi: datetime
) -> set[tuple[str, str, str]]:
    return {
        (a.start.astimezone(UTC).isoformat(), a.end.astimezone(UTC).isoformat(), a.title)
        for a in (i.appointment for i in service.listing(lo, hi))
        if a.uid == uid
    }


def _mine(found: set[readers.Occurrence], uid: str) -> set[readers.Occurrence]:
    return {occurrence for occurrence in found if occurrence[0] == uid}


@pytest.fixture(scope="module")
def diaries() -> Iterator[tuple[DiaryService, DiaryService, Path]]:
    """Two diaries (in memory) and a folder, shared by the examples (each its own UID)."""
    first = DiaryService.open("sqlite://", zone="Europe/London", clock=FixedClock(NOW))
    second = DiaryService.open("sqlite://", zone="Europe/London", clock=FixedClock(NOW))
    with tempfile.TemporaryDirectory() as folder:
        yield first, second, Path(folder)
    first.close()
    second.close()


_numbers = itertools.count()


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(plan=plans())
def test_series_round_trip_and_agree_with_recurring_ical_events(
    plan: Plan, diaries: tuple[DiaryService, DiaryService, Path]
) -> None:
    first, second, folder = diaries
    uid = f"series-{next(_numbers)}@test"
    source = folder / f"{uid}.ics"
    source.write_text(_ics(plan, uid), encoding="utf-8")
    lo = plan.start.replace(tzinfo=ZoneInfo(plan.zone)).astimezone(UTC) - timedelta(days=1)
    hi = lo + timedelta(days=400)
    summary = first.calendar().import_calendar(source)
    assert summary.repairs == () and summary.series == 1
    listed = _mine(readers.listed(first.listing(lo, hi), lo, hi), uid)
    assert listed, plan
    # recurring-ical-events on the original file lists the same.
    assert readers.icalendar_occurrences(source.read_bytes(), lo, hi) == listed
    # Export, import into another diary: the same occurrences and titles, one series.
    out = folder / f"{uid}-out.ics"
    first.calendar().export_calendar(out, lo - timedelta(days=30), buffers=False)
    again = second.calendar().import_calendar(out)
    assert again.repairs == ()
    assert _titled(second, uid, lo, hi) == _titled(first, uid, lo, hi)
    data = out.read_bytes()
    assert _mine(readers.icalendar_occurrences(data, lo, hi), uid) == listed
    if plan.future is None:  # vobject knows nothing of RANGE=THISANDFUTURE
        assert _mine(readers.vobject_occurrences(data, lo, hi), uid) == listed

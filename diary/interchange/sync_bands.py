"""Travel and wrap-up of a repeating appointment as the phone should see them: one busy
event per band that repeats with the series (its RRULE, RDATE and EXDATE moved by the
band's offset), plus an override (RECURRENCE-ID) for every occurrence whose band is not
where the rule puts it: a moved occurrence, another travel time (another job before it),
a renamed one. An occurrence that needs no such band, or is cancelled, is an EXDATE.

One resource per band UID holding the master and its overrides (RFC 4791 §4.1), so a
phone shows each band beside its occurrence and a moved occurrence takes its bands along.
Only the occurrences in the sync's window are judged by the rules; overrides the last
upload had before the window are kept (past appointments keep the bands they had), and
beyond it the rule's own values stand.

Pure: texts and diary's value types in, texts out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

from diary.domain.model import Appointment
from diary.interchange.ics_export import _years_of as years_of
from diary.interchange.records import ExportItem
from diary.interchange.vtimezone import vtimezone

PRODID = "-//diary//travel and wrap-up//EN"
PARTS = ("travel", "wrapup")
_UNTIL = re.compile(r"UNTIL=(\d{8}T\d{6}Z)")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class BandOccurrence:
    """One live occurrence of the series as it is now (its `recurrence_id` is its original
    start) and the bands the rules give it, in minutes."""

    appointment: Appointment
    travel_minutes: int
    travel_from: str | None
    wrapup_minutes: int

    def minutes(self, part: str) -> int:
        return self.travel_minutes if part == "travel" else self.wrapup_minutes


@dataclass(frozen=True, slots=True)
class _Shape:
    """Where one occurrence's band lies and what it says."""

    start: datetime
    end: datetime
    summary: str
    description: str | None

    def same_as(self, other: _Shape) -> bool:
        return (
            self.start.timestamp() == other.start.timestamp()
            and self.end.timestamp() == other.end.timestamp()
            and self.summary == other.summary
            and self.description == other.description
        )


def band_uid(meeting_uid: str, part: str) -> str:
    """The UID of a meeting's travel or wrap-up event (as the export names them)."""
    return f"{meeting_uid}-{part}"


def _place(appointment: Appointment) -> str:
    return appointment.location.label if appointment.location is not None else appointment.title


def _shape(part: str, appointment: Appointment, minutes: int, travel_from: str | None) -> _Shape:
    length = timedelta(minutes=minutes)
    if part == "travel":
        return _Shape(
            appointment.start - length,
            appointment.start,
            f"Travel to {_place(appointment)}",
            f"From {travel_from}" if travel_from else None,
        )
    return _Shape(appointment.end, appointment.end + length, f"Wrap-up: {appointment.title}", None)


def _most_common(values: Sequence[T]) -> T:
    """The commonest value, the earliest of equals (so the choice is stable)."""
    counts = Counter(values)
    best = max(counts.values())
    return next(v for v in values if counts[v] == best)


def _shifted_rule(rule: str, shift: timedelta) -> str:
    """The RRULE with its UNTIL moved by the band's offset: a wrap-up starts after its
    meeting, and an UNTIL at the last meeting's start would cut off its wrap-up."""
    rule = rule.strip().removeprefix("RRULE:")
    found = _UNTIL.search(rule)
    if found is None or shift <= timedelta(0):
        return rule
    until = datetime.strptime(found.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC) + shift
    return rule.replace(found.group(0), f"UNTIL={until:%Y%m%dT%H%M%SZ}")


def _key(moment: datetime) -> float:
    return moment.timestamp()


def _moment(component: Any, name: str) -> datetime | None:
    """A date-time property of a component (None when absent or a plain date)."""
    prop = component.get(name)
    value = getattr(prop, "dt", None)
    return value if isinstance(value, datetime) else None


def _kept(
    previous: str | None, master_start: datetime, lo: datetime
) -> tuple[list[tuple[float, Event]], list[datetime]]:
    """The overrides (by instant) and EXDATEs the last upload had before `lo`, if its
    master starts where the new one does (else their RECURRENCE-IDs name no instance)."""
    if not previous:
        return [], []
    try:
        calendar = Calendar.from_ical(previous)
    except (ValueError, KeyError, IndexError, TypeError):
        return [], []
    events: list[Any] = list(calendar.walk("VEVENT"))
    master = next((e for e in events if e.get("RECURRENCE-ID") is None), None)
    start = _moment(master, "DTSTART") if master is not None else None
    if master is None or start is None or _key(start) != _key(master_start):
        return [], []
    overrides: list[tuple[float, Event]] = []
    for event in events:
        original = _moment(event, "RECURRENCE-ID")
        if original is not None and _key(original) < _key(lo):
            overrides.append((_key(original), event))
    exdates: list[datetime] = []
    found: Any = master.get("EXDATE")
    for prop in found if isinstance(found, list) else [found] if found is not None else []:
        exdates.extend(
            d.dt for d in prop.dts if isinstance(d.dt, datetime) and _key(d.dt) < _key(lo)
        )
    return overrides, exdates


def _event(
    uid: str, meeting_uid: str, part: str, shape: _Shape, zone: ZoneInfo, now: datetime
) -> Event:
    event = Event()
    event.add("UID", uid)
    event.add("DTSTAMP", now.astimezone(UTC))
    event.add("DTSTART", shape.start.astimezone(zone))
    event.add("DTEND", shape.end.astimezone(zone))
    event.add("SUMMARY", shape.summary)
    if shape.description:
        event.add("DESCRIPTION", shape.description)
    event.add("RELATED-TO", meeting_uid, parameters={"RELTYPE": "PARENT"})
    event.add("STATUS", "CONFIRMED")
    event.add("TRANSP", "OPAQUE")
    event.add("X-DIARY-BUFFER", part)
    return event


def render_series_bands(
    series: ExportItem,
    occurrences: Sequence[BandOccurrence],
    *,
    lo: datetime,
    previous: Mapping[str, str],
    now: datetime,
) -> dict[str, str]:
    """The travel and wrap-up resources of one series, by UID (none for a band that no
    occurrence in the window needs).

    `series`: the series as export writes it (`series.series` set: its rule, removed
    dates including cancelled occurrences, and its moved occurrences); `occurrences`: its
    live occurrences in the window [lo, ...) with their bands; `previous`: band UID -> the
    text last sent, whose overrides before `lo` are kept.
    """
    if series.appointment.all_day:
        return {}
    texts: dict[str, str] = {}
    for part in PARTS:
        text = _render_part(part, series, occurrences, lo=lo, previous=previous, now=now)
        if text is not None:
            texts[band_uid(series.appointment.uid, part)] = text
    return texts


def _render_part(
    part: str,
    series: ExportItem,
    occurrences: Sequence[BandOccurrence],
    *,
    lo: datetime,
    previous: Mapping[str, str],
    now: datetime,
) -> str | None:
    """One band of the series (see `render_series_bands`); None when none is needed."""
    info, template = series.series, series.appointment
    assert info is not None
    zone = ZoneInfo(template.zone)
    needed = [o for o in occurrences if o.minutes(part) > 0]
    if not needed:
        return None
    # The rule carries the commonest band; the others are overrides.
    minutes = _most_common([o.minutes(part) for o in needed])
    origin = _most_common([o.travel_from for o in needed if o.minutes(part) == minutes])
    origin = origin if part == "travel" else None
    master = _shape(part, template, minutes, origin)
    shift = master.start - template.start  # wall-clock offset of the band in the rule
    uid = band_uid(template.uid, part)
    master_event = _event(uid, template.uid, part, master, zone, now)
    for rule in info.rrule.splitlines():
        if rule.strip():
            master_event.add("RRULE", vRecur.from_ical(_shifted_rule(rule, shift)))

    def instant(original: datetime) -> datetime:
        """Where the rule puts the band of the occurrence that starts at `original`."""
        return original.astimezone(zone) + shift

    removed = [instant(m) for m in info.exdates]
    overrides: dict[float, Event] = {}
    judged: set[float] = set()
    for occurrence in occurrences:
        original = occurrence.appointment.recurrence_id or occurrence.appointment.start
        at = instant(original)
        judged.add(_key(at))
        if occurrence.minutes(part) <= 0:
            removed.append(at)
            continue
        expected = _shape(part, _at(template, original), minutes, origin)
        shape = _shape(
            part,
            occurrence.appointment,
            occurrence.minutes(part),
            occurrence.travel_from if part == "travel" else None,
        )
        if not shape.same_as(expected):
            overrides[_key(at)] = _override(uid, template.uid, part, shape, at, zone, now)
    # Moved occurrences outside the window: their band goes along, at the rule's length.
    for moved in info.overrides:
        moved_from = moved.appointment.recurrence_id
        if moved_from is None or moved.this_and_future or moved.appointment.cancelled:
            continue
        at = instant(moved_from)
        if _key(at) in judged or _key(at) < _key(lo):
            continue
        shape = _shape(part, moved.appointment, minutes, None)
        overrides[_key(at)] = _override(uid, template.uid, part, shape, at, zone, now)
    past_overrides, past_removed = _kept(previous.get(uid), master.start, lo)
    for key, event in past_overrides:
        overrides.setdefault(key, event)
    removed.extend(past_removed)
    removed_keys = {_key(m) for m in removed}
    for moment in info.rdates:
        master_event.add("RDATE", instant(moment))
    for moment in sorted({_key(m): m for m in removed}.values(), key=_key):
        master_event.add("EXDATE", moment)
    events = [master_event] + [overrides[k] for k in sorted(overrides) if k not in removed_keys]
    return _calendar(template.zone, years_of(series, now), events)


def _at(template: Appointment, original: datetime) -> Appointment:
    """The template as the rule puts it at `original` (same wall-clock duration)."""
    start = original.astimezone(template.start.tzinfo)
    return replace(template, start=start, end=start + template.duration, recurrence_id=original)


def _override(
    uid: str,
    meeting_uid: str,
    part: str,
    shape: _Shape,
    at: datetime,
    zone: ZoneInfo,
    now: datetime,
) -> Event:
    event = _event(uid, meeting_uid, part, shape, zone, now)
    event.add("RECURRENCE-ID", at.astimezone(zone))
    return event


def _calendar(zone: str, years: set[int], events: list[Event]) -> str:
    """The events in one VCALENDAR with the VTIMEZONE of their zone for `years` (as the
    export writes it for the series)."""
    head = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:{PRODID}\r\nCALSCALE:GREGORIAN\r\n"
    timezone = vtimezone(zone, min(years) - 1, max(years) + 1) if zone != "UTC" else ""
    body = "".join(event.to_ical().decode("utf-8") for event in events)
    return head + timezone + body + "END:VCALENDAR\r\n"

"""Appointments and promises out as one RFC 5545 calendar made for phones."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Event, Todo, vDuration

from diary.domain.model import Appointment
from diary.interchange.records import ExportItem, ExportPromise
from diary.interchange.vtimezone import vtimezone

PRODID = "-//diary//diary 1.0//EN"
LEAVE_EARLY_MINUTES = 10
PROMISE_EVENT_MINUTES = 15
FLAG_PREFIXES: dict[str, str] = {
    "double-booking": "[double-booked] ",
    "buffer": "[buffer] ",
    "reserve": "[reserve] ",
    "after-hours": "[after-hours] ",
}
_TEXT = ";VALUE=TEXT"  # so readers unescape diary's X- text properties
_PROMISE_STATUS = {"open": "NEEDS-ACTION", "done": "COMPLETED", "cancelled": "CANCELLED"}


def export_calendar(
    items: Sequence[ExportItem],
    *,
    calendar_name: str,
    now: datetime,
    buffers: bool = True,
    promises: Sequence[ExportPromise] = (),
) -> bytes:
    """The whole diary as iCalendar bytes (UTF-8, CRLF, folded at 75 octets).

    Events are written as text directly: building an icalendar component per event and
    serialising it costs several times more than the events themselves (see
    bench/ical_bench.py). Promises, few, go through icalendar.
    """
    out = _Lines(now)
    out.raw("BEGIN:VCALENDAR")
    out.text("PRODID", PRODID)
    out.raw("VERSION:2.0")
    out.raw("CALSCALE:GREGORIAN")
    out.raw("METHOD:PUBLISH")
    out.text("X-WR-CALNAME", calendar_name)
    zones: set[str] = set()
    years: set[int] = set()
    body = _Lines(now)
    for item in items:
        appointment = item.appointment
        zones.add(appointment.zone)
        years.update(_years_of(item, now))
        write_item(body, item, buffers=buffers)
    promise_parts: list[bytes] = []
    for promise in promises:
        zones.add(_zone_of(promise.due))
        years.add(promise.due.year)
        for part in promise_components(promise, now=now):
            promise_parts.append(bytes(part.to_ical()))
    years = years or {now.year}
    head = "".join(out.lines).encode()
    zone_parts = [
        vtimezone(zone, min(years) - 1, max(years) + 1).encode()
        for zone in sorted(zones)
        if zone != "UTC"
    ]
    return b"".join(
        [
            head,
            *zone_parts,
            "".join(body.lines).encode(),
            *promise_parts,
            b"END:VCALENDAR\r\n",
        ]
    )


# How far ahead the VTIMEZONE of a series without end reaches (the issue: at least ten
# years): a phone reading the file years later still has the rules.
UNBOUNDED_YEARS = 12


def _years_of(item: ExportItem, now: datetime) -> set[int]:
    """Every year an item's times fall in (a series: from its start to its last start)."""
    appointment = item.appointment
    years = {appointment.start.year, appointment.end.year}
    series = item.series
    if series is not None:
        last = series.last_start
        end_year = last.year if last is not None else max(now.year, appointment.start.year)
        if last is None:
            end_year += UNBOUNDED_YEARS
        years.update(range(appointment.start.year, end_year + 1))
        for override in series.overrides:
            years.update({override.appointment.start.year, override.appointment.end.year})
        years.update(moment.year for moment in (*series.rdates, *series.exdates))
    return years


def _escape(value: str) -> str:
    """RFC 5545 TEXT escaping."""
    if not value.isalnum():
        value = (
            value.replace("\\", "\\\\")
            .replace(";", "\\;")
            .replace(",", "\\,")
            .replace("\r\n", "\\n")
            .replace("\n", "\\n")
        )
    return value


def _fold(line: str) -> str:
    """The line, folded at 75 octets without splitting a character, with its CRLF."""
    if len(line) <= 75 and (line.isascii() or len(line.encode()) <= 75):
        return line + "\r\n"
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = 1 if char < "\x80" else len(char.encode())
        if size + width > 75:
            parts.append("".join(current))
            current = [" "]
            size = 1
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n".join(parts) + "\r\n"


def _duration(delta: timedelta) -> str:
    return _DURATIONS.get(delta) or _DURATIONS.setdefault(
        delta, vDuration(delta).to_ical().decode()
    )


_DURATIONS: dict[timedelta, str] = {}


class _Lines:
    """Content lines of an iCalendar text, written directly (folded, with CRLF)."""

    def __init__(self, now: datetime) -> None:
        self.lines: list[str] = []
        self.stamp = f"{now.astimezone(UTC):%Y%m%dT%H%M%SZ}"
        self._zones: dict[str, ZoneInfo] = {}

    def raw(self, line: str) -> None:
        self.lines.append(_fold(line))

    def text(self, name: str, value: str, params: str = "") -> None:
        self.lines.append(_fold(f"{name}{params}:{_escape(value)}"))

    def utc(self, name: str, moment: datetime) -> None:
        self.lines.append(f"{name}:{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}\r\n")

    def zone(self, name: str) -> ZoneInfo:
        found = self._zones.get(name)
        if found is None:
            found = self._zones[name] = ZoneInfo(name)
        return found

    def local(self, name: str, moment: datetime, zone: str) -> None:
        """A date-time in `zone` (with TZID; UTC ones with Z)."""
        if zone == "UTC":
            self.utc(name, moment)
            return
        local = moment.astimezone(self.zone(zone))
        self.lines.append(_fold(f"{name};TZID={zone}:{local:%Y%m%dT%H%M%S}"))

    def day(self, name: str, day: date) -> None:
        self.lines.append(f"{name};VALUE=DATE:{day:%Y%m%d}\r\n")

    def moments(self, name: str, moments: Sequence[datetime], zone: str, all_day: bool) -> None:
        """A date-list property (EXDATE, RDATE) in the zone of its event, one value a line
        (several values on one line are read as one by some clients)."""
        tz = self.zone(zone)
        for moment in moments:
            if all_day:
                self.lines.append(f"{name};VALUE=DATE:{moment.astimezone(tz):%Y%m%d}\r\n")
            elif zone == "UTC":
                self.lines.append(f"{name}:{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}\r\n")
            else:
                self.raw(f"{name};TZID={zone}:{moment.astimezone(tz):%Y%m%dT%H%M%S}")


def write_item(out: _Lines, item: ExportItem, *, buffers: bool = True) -> None:
    """The meeting's VEVENT (with its series overrides) and its travel and wrap-up events."""
    master_uid = item.appointment.uid
    appointment_event(out, item)
    if buffers:
        buffer_events(out, item, uid=master_uid)
    if item.series is not None:
        for override in item.series.overrides:
            appointment_event(out, override, uid=master_uid)
            if buffers:
                buffer_events(out, override, uid=_override_buffer_uid(master_uid, override))


def _override_buffer_uid(master_uid: str, override: ExportItem) -> str:
    """A stable UID stem for the buffers of one changed occurrence of a series."""
    recurrence_id = override.appointment.recurrence_id or override.appointment.start
    return f"{master_uid}-{recurrence_id.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def flagged_title(title: str, flags: Sequence[str]) -> str:
    """The title with a "[double-booked] "-style prefix for every flag."""
    return "".join(FLAG_PREFIXES.get(flag, f"[{flag}] ") for flag in flags) + title


def event_description(item: ExportItem) -> str:
    """Customer, notes and one "Flag: ..." line per reason."""
    appointment = item.appointment
    lines = []
    if appointment.customer is not None:
        lines.append(f"Customer: {appointment.customer.name}")
    if appointment.notes:
        lines.append(appointment.notes)
    lines.extend(f"Flag: {reason}" for reason in item.flag_reasons)
    return "\n".join(lines)


def appointment_event(out: _Lines, item: ExportItem, *, uid: str | None = None) -> None:
    """One appointment as a VEVENT, with diary's X- properties for an exact re-import."""
    appointment = item.appointment
    out.lines.append("BEGIN:VEVENT\r\n")
    out.text("UID", uid or appointment.uid)
    out.lines.append(f"DTSTAMP:{out.stamp}\r\n")
    _add_times(out, appointment, appointment.start, appointment.end)
    if appointment.recurrence_id is not None:
        # RFC 5545 §3.8.4.4: this override also governs every later occurrence.
        name = "RECURRENCE-ID;RANGE=THISANDFUTURE" if item.this_and_future else "RECURRENCE-ID"
        if appointment.all_day:
            tz = out.zone(appointment.zone)
            out.day(name, appointment.recurrence_id.astimezone(tz).date())
        else:
            out.local(name, appointment.recurrence_id, appointment.zone)
    out.text("SUMMARY", flagged_title(appointment.title, item.flags))
    _add_change_marks(out, appointment)
    if appointment.location is not None:
        out.text("LOCATION", appointment.location.label)
    description = event_description(item)
    if description:
        out.text("DESCRIPTION", description)
    out.text("CATEGORIES", str(appointment.kind))
    out.lines.append("STATUS:CANCELLED\r\n" if appointment.cancelled else "STATUS:CONFIRMED\r\n")
    out.lines.append("TRANSP:TRANSPARENT\r\n" if appointment.all_day else "TRANSP:OPAQUE\r\n")
    _add_series(out, item)
    _add_diary_marks(out, item)
    if item.travel_minutes > 0 and not appointment.all_day:
        travel = _duration(timedelta(minutes=item.travel_minutes))
        out.lines.append(f"X-APPLE-TRAVEL-DURATION;VALUE=DURATION:{travel}\r\n")
    if appointment.timed:
        leave_alarm(out, appointment.title, item.travel_minutes)
    out.lines.append("END:VEVENT\r\n")


def _add_times(out: _Lines, appointment: Appointment, start: datetime, end: datetime) -> None:
    """DTSTART/DTEND in the appointment's zone; all-day ones as dates with exclusive end."""
    if appointment.all_day:
        tz = out.zone(appointment.zone)
        first = start.astimezone(tz).date()
        local_end = end.astimezone(tz)
        after_last = (
            local_end.date()
            if local_end.time() == local_end.time().min
            else local_end.date() + timedelta(days=1)
        )
        out.day("DTSTART", first)
        out.day("DTEND", max(after_last, first + timedelta(days=1)))
        return
    out.local("DTSTART", start, appointment.zone)
    out.local("DTEND", end, appointment.zone)


def _add_change_marks(out: _Lines, appointment: Appointment) -> None:
    """SEQUENCE, CREATED and LAST-MODIFIED, so phones update instead of duplicating."""
    out.lines.append(f"SEQUENCE:{appointment.sequence}\r\n")
    if appointment.created is not None:
        out.utc("CREATED", appointment.created)
    if appointment.updated is not None:
        out.utc("LAST-MODIFIED", appointment.updated)


def _rrules(rrule: str) -> list[str]:
    return [line.strip().removeprefix("RRULE:") for line in rrule.splitlines() if line.strip()]


def _add_series(out: _Lines, item: ExportItem) -> None:
    """RRULE, RDATE and EXDATE of a repeating appointment."""
    if item.series is None:
        return
    appointment = item.appointment
    for rule in _rrules(item.series.rrule):
        out.raw(f"RRULE:{rule}")
    if item.series.rdates:
        out.moments("RDATE", item.series.rdates, appointment.zone, appointment.all_day)
    if item.series.exdates:
        out.moments("EXDATE", item.series.exdates, appointment.zone, appointment.all_day)


def _add_diary_marks(out: _Lines, item: ExportItem) -> None:
    """diary's own X- properties: kind, customer, place, wrap-up, override, flags, notes."""
    appointment = item.appointment
    out.lines.append(f"X-DIARY-KIND:{appointment.kind}\r\n")
    if appointment.customer is not None:
        out.text("X-DIARY-CUSTOMER", appointment.customer.name, _TEXT)
    location = appointment.location
    if location is not None:
        # Enough to recreate the place in an empty diary: name, address, remote, position.
        out.text("X-DIARY-LOCATION", location.name, _TEXT)
        if location.address:
            out.text("X-DIARY-LOCATION-ADDRESS", location.address, _TEXT)
        out.lines.append(
            "X-DIARY-LOCATION-REMOTE:TRUE\r\n"
            if location.remote
            else "X-DIARY-LOCATION-REMOTE:FALSE\r\n"
        )
        if location.lat is not None and location.lon is not None:
            out.raw(f"GEO:{location.lat!r};{location.lon!r}")
    if appointment.wrapup_minutes is not None:
        out.lines.append(f"X-DIARY-WRAPUP:{appointment.wrapup_minutes}\r\n")
    if appointment.override_reason is not None:
        out.text("X-DIARY-OVERRIDE", appointment.override_reason, _TEXT)
    if item.flags:
        out.raw("X-DIARY-FLAGS:" + ",".join(item.flags))
    if appointment.notes:
        out.text("X-DIARY-NOTES", appointment.notes, _TEXT)


def leave_alarm(out: _Lines, title: str, travel_minutes: int) -> None:
    """A display alarm travel time plus ten minutes before the start."""
    text = f"Time to leave for {title}" if travel_minutes > 0 else f"Soon: {title}"
    trigger = _duration(-timedelta(minutes=travel_minutes + LEAVE_EARLY_MINUTES))
    out.lines.append("BEGIN:VALARM\r\nACTION:DISPLAY\r\n")
    out.text("DESCRIPTION", text)
    out.lines.append(f"TRIGGER:{trigger}\r\nEND:VALARM\r\n")


def buffer_events(out: _Lines, item: ExportItem, *, uid: str | None = None) -> None:
    """Travel before and wrap-up after a timed appointment, as busy events of their own.

    A series' buffers repeat with it, minus the changed occurrences, whose buffers stand alone.
    """
    appointment = item.appointment
    if appointment.all_day:
        return
    meeting_uid = uid or appointment.uid
    place = appointment.location.label if appointment.location is not None else appointment.title
    if item.travel_minutes > 0:
        travel = timedelta(minutes=item.travel_minutes)
        _buffer_event(
            out,
            item,
            meeting_uid,
            "travel",
            f"Travel to {place}",
            appointment.start - travel,
            appointment.start,
            -travel,
        )
    if item.wrapup_minutes > 0:
        wrapup = timedelta(minutes=item.wrapup_minutes)
        _buffer_event(
            out,
            item,
            meeting_uid,
            "wrapup",
            f"Wrap-up: {appointment.title}",
            appointment.end,
            appointment.end + wrapup,
            appointment.duration,
        )


def _buffer_event(
    out: _Lines,
    item: ExportItem,
    meeting_uid: str,
    part: str,
    summary: str,
    start: datetime,
    end: datetime,
    shift: timedelta,
) -> None:
    """One travel or wrap-up event tied to its meeting by UID and RELATED-TO."""
    appointment = item.appointment
    out.lines.append("BEGIN:VEVENT\r\n")
    out.text("UID", f"{meeting_uid}-{part}")
    out.lines.append(f"DTSTAMP:{out.stamp}\r\n")
    _add_times(out, appointment, start, end)
    out.text("SUMMARY", summary)
    if part == "travel" and item.travel_from:
        out.text("DESCRIPTION", f"From {item.travel_from}")
    _add_change_marks(out, appointment)
    out.text("RELATED-TO", meeting_uid, ";RELTYPE=PARENT")
    out.lines.append("STATUS:CANCELLED\r\n" if appointment.cancelled else "STATUS:CONFIRMED\r\n")
    out.lines.append(f"TRANSP:OPAQUE\r\nX-DIARY-BUFFER:{part}\r\n")
    if item.series is not None:
        for rule in _rrules(item.series.rrule):
            out.raw(f"RRULE:{rule}")
        removed = [*item.series.exdates]
        removed.extend(
            override.appointment.recurrence_id or override.appointment.start
            for override in item.series.overrides
        )
        if removed:
            out.moments(
                "EXDATE",
                [moment + shift for moment in sorted(removed, key=lambda m: m.timestamp())],
                appointment.zone,
                all_day=False,
            )
    out.lines.append("END:VEVENT\r\n")


def promise_components(promise: ExportPromise, *, now: datetime) -> list[Todo | Event]:
    """A promise as a VTODO, plus an event at the due time with a 24-hour alarm for phones."""
    summary = f"Promise to {promise.customer}: {promise.what}"
    zone = _zone_of(promise.due)
    todo = Todo()
    todo.add("UID", promise.uid)
    todo.add("DTSTAMP", now.astimezone(UTC))
    todo.add("SUMMARY", summary)
    todo.add("DUE", promise.due.astimezone(ZoneInfo(zone)))
    todo.add("STATUS", _PROMISE_STATUS.get(promise.status.lower(), "NEEDS-ACTION"))
    todo.add("SEQUENCE", promise.sequence)
    if promise.updated is not None:
        todo.add("LAST-MODIFIED", promise.updated.astimezone(UTC))
    event = Event()
    event.add("UID", f"{promise.uid}-due")
    event.add("DTSTAMP", now.astimezone(UTC))
    event.add("DTSTART", promise.due.astimezone(ZoneInfo(zone)))
    event.add(
        "DTEND", promise.due.astimezone(ZoneInfo(zone)) + timedelta(minutes=PROMISE_EVENT_MINUTES)
    )
    event.add("SUMMARY", f"Due: {summary}")
    check = promise.check_at.astimezone(ZoneInfo(zone))
    event.add("DESCRIPTION", f"{summary}\n24-hour check: {check:%Y-%m-%d %H:%M} ({zone})")
    event.add("SEQUENCE", promise.sequence)
    if promise.updated is not None:
        event.add("LAST-MODIFIED", promise.updated.astimezone(UTC))
    event.add("RELATED-TO", promise.uid, parameters={"RELTYPE": "PARENT"})
    event.add("TRANSP", "TRANSPARENT")
    event.add("X-DIARY-PROMISE", promise.uid)
    if todo["STATUS"] != "NEEDS-ACTION":
        event.add("STATUS", "CANCELLED")
    else:
        alarm = Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("DESCRIPTION", f"Is everything in hand? {summary}")
        alarm.add("TRIGGER", -timedelta(hours=24))
        event.add_component(alarm)
    return [todo, event]


def _zone_of(moment: datetime) -> str:
    """The IANA name of an aware datetime's zone, UTC when it has none."""
    key = getattr(moment.tzinfo, "key", None)
    return key if isinstance(key, str) else "UTC"

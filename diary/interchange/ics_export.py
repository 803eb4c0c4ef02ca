"""Appointments and promises out as one RFC 5545 calendar made for phones."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Todo, vDuration, vRecur, vText

from diary.domain.model import Appointment
from diary.interchange.records import ExportItem, ExportPromise

PRODID = "-//diary//diary 1.0//EN"
LEAVE_EARLY_MINUTES = 10
PROMISE_EVENT_MINUTES = 15
FLAG_PREFIXES: dict[str, str] = {
    "double-booking": "[double-booked] ",
    "buffer": "[buffer] ",
    "reserve": "[reserve] ",
    "after-hours": "[after-hours] ",
}
_TEXT = {"VALUE": "TEXT"}  # so readers unescape diary's X- text properties
_PROMISE_STATUS = {"open": "NEEDS-ACTION", "done": "COMPLETED", "cancelled": "CANCELLED"}


def export_calendar(
    items: Sequence[ExportItem],
    *,
    calendar_name: str,
    now: datetime,
    buffers: bool = True,
    promises: Sequence[ExportPromise] = (),
) -> bytes:
    """The whole diary as iCalendar bytes (UTF-8, CRLF, folded at 75 octets)."""
    calendar = new_calendar(calendar_name)
    for item in items:
        for component in item_components(item, now=now, buffers=buffers):
            calendar.add_component(component)
    for promise in promises:
        for part in promise_components(promise, now=now):
            calendar.add_component(part)
    add_timezones(calendar, _instants(items, promises))
    return bytes(calendar.to_ical())


def new_calendar(calendar_name: str) -> Calendar:
    """An empty published calendar with diary's PRODID and a display name."""
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("X-WR-CALNAME", calendar_name)
    return calendar


def add_timezones(calendar: Calendar, instants: Iterable[datetime]) -> None:
    """Add a VTIMEZONE for every TZID used, covering the exported years."""
    years = [instant.year for instant in instants] or [datetime.now(UTC).year]
    calendar.add_missing_timezones(
        first_date=date(max(min(years) - 1, 1971), 1, 1),
        last_date=date(min(max(years) + 2, 2099), 1, 1),
    )


def _instants(items: Sequence[ExportItem], promises: Sequence[ExportPromise]) -> list[datetime]:
    """Every start and end that goes into the file, to bound the VTIMEZONE rules."""
    instants = [
        moment for item in items for moment in (item.appointment.start, item.appointment.end)
    ]
    instants.extend(promise.due for promise in promises)
    return instants


def item_components(item: ExportItem, *, now: datetime, buffers: bool = True) -> list[Event]:
    """The meeting's VEVENT (with its series overrides) and its travel and wrap-up events."""
    master_uid = item.appointment.uid
    components = [appointment_event(item, now=now)]
    if buffers:
        components.extend(buffer_events(item, now=now, uid=master_uid))
    if item.series is not None:
        for override in item.series.overrides:
            components.append(appointment_event(override, now=now, uid=master_uid))
            if buffers:
                components.extend(
                    buffer_events(override, now=now, uid=_override_buffer_uid(master_uid, override))
                )
    return components


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


def appointment_event(item: ExportItem, *, now: datetime, uid: str | None = None) -> Event:
    """One appointment as a VEVENT, with diary's X- properties for an exact re-import."""
    appointment = item.appointment
    event = Event()
    event.add("UID", uid or appointment.uid)
    event.add("DTSTAMP", now.astimezone(UTC))
    _add_times(event, appointment, appointment.start, appointment.end)
    if appointment.recurrence_id is not None:
        event.add(
            "RECURRENCE-ID",
            _local(appointment.recurrence_id, appointment.zone, appointment.all_day),
        )
    event.add("SUMMARY", flagged_title(appointment.title, item.flags))
    _add_change_marks(event, appointment)
    if appointment.location is not None:
        event.add("LOCATION", appointment.location.label)
    description = event_description(item)
    if description:
        event.add("DESCRIPTION", description)
    event.add("CATEGORIES", [str(appointment.kind)])
    event.add("STATUS", "CANCELLED" if appointment.cancelled else "CONFIRMED")
    event.add("TRANSP", "TRANSPARENT" if appointment.all_day else "OPAQUE")
    _add_series(event, item)
    _add_diary_marks(event, item)
    if item.travel_minutes > 0 and not appointment.all_day:
        event.add(
            "X-APPLE-TRAVEL-DURATION",
            vDuration(timedelta(minutes=item.travel_minutes)),
            parameters={"VALUE": "DURATION"},
        )
    if appointment.timed:
        event.add_component(leave_alarm(appointment.title, item.travel_minutes))
    return event


def _add_times(event: Event, appointment: Appointment, start: datetime, end: datetime) -> None:
    """DTSTART/DTEND in the appointment's zone; all-day ones as dates with exclusive end."""
    if appointment.all_day:
        first = start.astimezone(ZoneInfo(appointment.zone)).date()
        local_end = end.astimezone(ZoneInfo(appointment.zone))
        after_last = (
            local_end.date()
            if local_end.time() == local_end.time().min
            else local_end.date() + timedelta(days=1)
        )
        event.add("DTSTART", first)
        event.add("DTEND", max(after_last, first + timedelta(days=1)))
        return
    event.add("DTSTART", _local(start, appointment.zone, all_day=False))
    event.add("DTEND", _local(end, appointment.zone, all_day=False))


def _local(moment: datetime, zone: str, all_day: bool) -> datetime | date:
    """A moment in the appointment's zone (a date for all-day appointments)."""
    local = moment.astimezone(ZoneInfo(zone))
    return local.date() if all_day else local


def _add_change_marks(event: Event, appointment: Appointment) -> None:
    """SEQUENCE, CREATED and LAST-MODIFIED, so phones update instead of duplicating."""
    event.add("SEQUENCE", appointment.sequence)
    if appointment.created is not None:
        event.add("CREATED", appointment.created.astimezone(UTC))
    if appointment.updated is not None:
        event.add("LAST-MODIFIED", appointment.updated.astimezone(UTC))


def _add_series(event: Event, item: ExportItem) -> None:
    """RRULE and EXDATE of a repeating appointment."""
    if item.series is None:
        return
    appointment = item.appointment
    event.add("RRULE", vRecur.from_ical(item.series.rrule.removeprefix("RRULE:")))
    if item.series.exdates:
        event.add(
            "EXDATE",
            [
                _local(moment, appointment.zone, appointment.all_day)
                for moment in item.series.exdates
            ],
        )


def _add_diary_marks(event: Event, item: ExportItem) -> None:
    """diary's own X- properties: kind, customer, wrap-up, override, flags, notes."""
    appointment = item.appointment
    event.add("X-DIARY-KIND", str(appointment.kind))
    if appointment.customer is not None:
        event.add("X-DIARY-CUSTOMER", vText(appointment.customer.name), parameters=_TEXT)
    if appointment.wrapup_minutes is not None:
        event.add("X-DIARY-WRAPUP", str(appointment.wrapup_minutes))
    if appointment.override_reason is not None:
        event.add("X-DIARY-OVERRIDE", vText(appointment.override_reason), parameters=_TEXT)
    location = appointment.location
    if location is not None:
        # Enough to recreate the place in an empty diary: name, address, remote, position.
        event.add("X-DIARY-LOCATION", vText(location.name), parameters=_TEXT)
        if location.address:
            event.add("X-DIARY-LOCATION-ADDRESS", vText(location.address), parameters=_TEXT)
        event.add("X-DIARY-LOCATION-REMOTE", "TRUE" if location.remote else "FALSE")
        if location.lat is not None and location.lon is not None:
            event.add("GEO", (location.lat, location.lon))
    if item.flags:
        event.add("X-DIARY-FLAGS", ",".join(item.flags))
    if appointment.notes:
        event.add("X-DIARY-NOTES", vText(appointment.notes), parameters=_TEXT)


def leave_alarm(title: str, travel_minutes: int) -> Alarm:
    """A display alarm travel time plus ten minutes before the start."""
    alarm = Alarm()
    alarm.add("ACTION", "DISPLAY")
    text = f"Time to leave for {title}" if travel_minutes > 0 else f"Soon: {title}"
    alarm.add("DESCRIPTION", text)
    alarm.add("TRIGGER", -timedelta(minutes=travel_minutes + LEAVE_EARLY_MINUTES))
    return alarm


def buffer_events(item: ExportItem, *, now: datetime, uid: str | None = None) -> list[Event]:
    """Travel before and wrap-up after a timed appointment, as busy events of their own.

    A series' buffers repeat with it, minus the changed occurrences, whose buffers stand alone.
    """
    appointment = item.appointment
    if appointment.all_day:
        return []
    meeting_uid = uid or appointment.uid
    place = appointment.location.label if appointment.location is not None else appointment.title
    events = []
    if item.travel_minutes > 0:
        travel = timedelta(minutes=item.travel_minutes)
        summary = f"Travel to {place}"
        events.append(
            _buffer_event(
                item,
                meeting_uid,
                "travel",
                summary,
                appointment.start - travel,
                appointment.start,
                -travel,
                now,
            )
        )
    if item.wrapup_minutes > 0:
        wrapup = timedelta(minutes=item.wrapup_minutes)
        summary = f"Wrap-up: {appointment.title}"
        events.append(
            _buffer_event(
                item,
                meeting_uid,
                "wrapup",
                summary,
                appointment.end,
                appointment.end + wrapup,
                appointment.duration,
                now,
            )
        )
    return events


def _buffer_event(
    item: ExportItem,
    meeting_uid: str,
    part: str,
    summary: str,
    start: datetime,
    end: datetime,
    shift: timedelta,
    now: datetime,
) -> Event:
    """One travel or wrap-up event tied to its meeting by UID and RELATED-TO."""
    appointment = item.appointment
    event = Event()
    event.add("UID", f"{meeting_uid}-{part}")
    event.add("DTSTAMP", now.astimezone(UTC))
    _add_times(event, appointment, start, end)
    event.add("SUMMARY", summary)
    if part == "travel" and item.travel_from:
        event.add("DESCRIPTION", f"From {item.travel_from}")
    _add_change_marks(event, appointment)
    event.add("RELATED-TO", meeting_uid, parameters={"RELTYPE": "PARENT"})
    event.add("STATUS", "CANCELLED" if appointment.cancelled else "CONFIRMED")
    event.add("TRANSP", "OPAQUE")
    event.add("X-DIARY-BUFFER", part)
    if item.series is not None:
        event.add("RRULE", vRecur.from_ical(item.series.rrule.removeprefix("RRULE:")))
        removed = [*item.series.exdates]
        removed.extend(
            override.appointment.recurrence_id or override.appointment.start
            for override in item.series.overrides
        )
        if removed:
            event.add(
                "EXDATE",
                [
                    _local(moment + shift, appointment.zone, all_day=False)
                    for moment in sorted(removed)
                ],
            )
    return event


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

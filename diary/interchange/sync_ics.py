"""iCalendar for a two-way sync: one resource per UID, hashes that ignore cosmetics, uploads
built on the server's own copy so what a phone set survives, and never an invitation.

Pure functions over texts and diary's value types; the decisions are the sync service's.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from icalendar import Calendar, Component

from diary.domain.model import Appointment
from diary.interchange.errors import ImportFailure
from diary.interchange.ics_export import _escape as escape_text
from diary.interchange.ics_export import _fold as fold
from diary.interchange.ics_export import export_calendar
from diary.interchange.ics_import import parse_calendar
from diary.interchange.records import ExportItem, ImportedEvent

# Properties servers and clients rewrite without anything having changed (vdirsyncer's
# list, plus PRODID): a changed hash must mean a changed meaning.
COSMETIC = frozenset({"DTSTAMP", "LAST-MODIFIED", "PRODID", "X-RADICALE-NAME"})
# The iCalendar properties behind each field diary keeps, so an upload replaces exactly
# the fields diary changed and leaves every other property (alarms, colours, the phone's
# own X- properties) as the server has it.
FIELD_PROPERTIES: dict[str, tuple[str, ...]] = {
    "title": ("SUMMARY",),
    "when": ("DTSTART", "DTEND", "DURATION"),
    "location": (
        "LOCATION",
        "GEO",
        "X-DIARY-LOCATION",
        "X-DIARY-LOCATION-ADDRESS",
        "X-DIARY-LOCATION-REMOTE",
    ),
    "notes": ("DESCRIPTION", "X-DIARY-NOTES"),
    "customer": ("X-DIARY-CUSTOMER",),
    "kind": ("X-DIARY-KIND",),
    "wrapup": ("X-DIARY-WRAPUP",),
    "cancelled": ("STATUS",),
    "override_reason": ("X-DIARY-OVERRIDE",),
}
FIELDS = tuple(FIELD_PROPERTIES)
_DIARY_ONLY = ("X-DIARY-FLAGS", "METHOD", "X-WR-CALNAME")
_SAFE_NAME = re.compile(r"[A-Za-z0-9._@+-]{1,120}")


def resource_name(uid: str) -> str:
    """The resource name for a new UID: the UID itself when it is plainly safe in a path,
    else a digest of it (never random, so a resumed sync writes the same name again)."""
    if _SAFE_NAME.fullmatch(uid):
        return f"{uid}.ics"
    return f"{hashlib.sha256(uid.encode('utf-8')).hexdigest()[:40]}.ics"


def unfolded_lines(text: str) -> list[tuple[int, str]]:
    """(line number, content line) with folded lines joined (RFC 5545 §3.1: a line that
    starts with a space or a tab continues the one before)."""
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + raw[1:])
        elif raw:
            lines.append((number, raw))
    return lines


# ------------------------------------------------------------------ hashing


def normalised_hash(text: str) -> str:
    """A SHA-256 of the calendar's meaning: content lines sorted within each component,
    components sorted, DTSTAMP/LAST-MODIFIED/PRODID ignored (servers reorder and restamp)."""
    stack: list[tuple[str, list[str]]] = [("", [])]
    for _number, line in unfolded_lines(text):
        head, _, value = line.partition(":")
        name = head.split(";", 1)[0].strip().upper()
        if name == "BEGIN":
            stack.append((value.strip().upper(), []))
        elif name == "END" and len(stack) > 1:
            component, lines = stack.pop()
            body = "\n".join(sorted(lines))
            stack[-1][1].append(f"BEGIN:{component}\n{body}\nEND:{component}")
        elif name not in COSMETIC:
            stack[-1][1].append(line.rstrip())
    return hashlib.sha256("\n".join(sorted(stack[0][1])).encode("utf-8")).hexdigest()


# ------------------------------------------------------------------ reading


@dataclass(frozen=True, slots=True)
class RemoteItem:
    """What a resource holds: its UID and kind ('event', 'band', 'other'), and for an event
    the master as diary reads it plus its field values (see `event_fields`)."""

    uid: str | None
    kind: str
    event: ImportedEvent | None = None
    recurring: bool = False
    fields: dict[str, Any] | None = None
    problem: str | None = None  # why an event could not be read, if it could not


def _components(text: str) -> list[Component]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(Calendar.from_ical(text, multiple=True))


def read_item(text: str, *, default_zone: str, source: str) -> RemoteItem:
    """The resource's UID, kind and (for a single event) diary's reading of it."""
    try:
        calendars = _components(text)
    except (ValueError, KeyError, IndexError, TypeError) as error:
        return RemoteItem(None, "other", problem=f"not valid iCalendar: {error}")
    events = [e for calendar in calendars for e in calendar.walk("VEVENT")]
    if not events:
        return RemoteItem(None, "other")
    uid = str(events[0].get("UID", "")).strip() or None
    if any(e.get("X-DIARY-BUFFER") is not None for e in events):
        return RemoteItem(uid, "band")
    if any(e.get("RRULE") is not None or e.get("RDATE") is not None for e in events) or any(
        e.get("RECURRENCE-ID") is not None for e in events
    ):
        return RemoteItem(uid, "event", recurring=True)
    try:
        parsed = parse_calendar(text.encode("utf-8"), source=source, default_zone=default_zone)
    except ImportFailure as failure:
        return RemoteItem(uid, "event", problem=str(failure))
    if not parsed.events:
        return RemoteItem(uid, "other")
    event = parsed.events[0]
    return RemoteItem(event.uid, "event", event, fields=event_fields(event))


def when_key(start: datetime, end: datetime, zone: str, all_day: bool) -> str:
    """The time of an appointment as one comparable text: "START/END/ZONE" with the
    instants in UTC ISO 8601, or "FIRST-DAY/DAY-AFTER/all-day" for an all-day one."""
    if all_day:
        tz = _zone(zone)
        return f"{start.astimezone(tz).date()}/{end.astimezone(tz).date()}/all-day"
    return f"{start.astimezone(UTC).isoformat()}/{end.astimezone(UTC).isoformat()}/{zone}"


def parse_when(key: str, zone: str) -> tuple[datetime, datetime, str, bool]:
    """The (start, end, zone, all-day) a `when_key` text stands for; ValueError if none."""
    first, last, rest = key.split("/", 2)
    if rest == "all-day":
        tz = _zone(zone)
        start_day, end_day = date.fromisoformat(first), date.fromisoformat(last)
        return (
            datetime(start_day.year, start_day.month, start_day.day, tzinfo=tz),
            datetime(end_day.year, end_day.month, end_day.day, tzinfo=tz),
            zone,
            True,
        )
    tz = _zone(rest)
    return (
        datetime.fromisoformat(first).astimezone(tz),
        datetime.fromisoformat(last).astimezone(tz),
        rest,
        False,
    )


def _zone(name: str) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def event_location(event: ImportedEvent) -> str | None:
    """The place an event names: diary's own description of it while the LOCATION text is
    still what diary wrote, else the LOCATION text (a phone changed it)."""
    text = (event.location or "").strip() or None
    place = event.place
    if place is not None and (text is None or text in (place.address, place.name)):
        return place.name
    return text


def event_fields(event: ImportedEvent) -> dict[str, Any]:
    """The fields diary keeps, as the server's copy has them (DESCRIPTION is the notes)."""
    return {
        "title": event.title,
        "when": when_key(event.start, event.end, event.zone, event.all_day),
        "location": event_location(event),
        "notes": event.description,
        "customer": event.customer,
        "kind": str(event.kind),
        "wrapup": event.wrapup_minutes,
        "cancelled": event.cancelled,
        "override_reason": event.override_reason,
    }


def appointment_fields(appointment: Appointment) -> dict[str, Any]:
    """The same fields as diary has them."""
    return {
        "title": appointment.title,
        "when": when_key(appointment.start, appointment.end, appointment.zone, appointment.all_day),
        "location": appointment.location.name if appointment.location is not None else None,
        "notes": appointment.notes,
        "customer": appointment.customer.name if appointment.customer is not None else None,
        "kind": str(appointment.kind),
        "wrapup": appointment.wrapup_minutes,
        "cancelled": appointment.cancelled,
        "override_reason": appointment.override_reason,
    }


# ------------------------------------------------------------------ writing


def clean_calendar(text: str) -> Calendar:
    """The calendar with what a stored resource must not carry removed (RFC 4791 §4.1)."""
    calendar = Calendar.from_ical(text)
    for name in _DIARY_ONLY:
        calendar.pop(name, None)
    return calendar


def render_event(appointment: Appointment, *, now: datetime) -> str:
    """One appointment as a calendar object resource: no METHOD, no flags in the title,
    DESCRIPTION holding exactly the notes (a phone shows and edits that)."""
    return render_item(ExportItem(appointment), now=now)


def render_item(item: ExportItem, *, now: datetime) -> str:
    """One appointment, or a series with all its overrides (one resource per UID, RFC 4791
    §4.1), as a calendar object resource: each VEVENT's DESCRIPTION is its own notes.

    Edited as lines, not through a parsed component: a first sync renders thousands.
    """
    data = export_calendar([item], calendar_name="", now=now, buffers=False, promises=()).decode(
        "utf-8"
    )
    overrides = item.series.overrides if item.series is not None else ()
    notes = [item.appointment.notes, *(o.appointment.notes for o in overrides)]
    out: list[str] = []
    stack: list[str] = []
    events = 0
    notes_written = True
    for _number, line in unfolded_lines(data):
        head, _, value = line.partition(":")
        name = head.split(";", 1)[0].strip().upper()
        inside_event = bool(stack) and stack[-1] == "VEVENT"
        if inside_event and name in ("BEGIN", "END") and not notes_written:
            # The event's own properties come before its alarms (RFC 5545 §3.6.1).
            out.append(fold(f"DESCRIPTION:{escape_text(notes[events - 1])}"))
            notes_written = True
        if name == "BEGIN":
            stack.append(value.strip().upper())
            if stack[-1] == "VEVENT" and len(stack) == 2:
                events += 1
                notes_written = events > len(notes) or not notes[events - 1]
        elif name == "END":
            if stack:
                stack.pop()
        elif name in _DIARY_ONLY and len(stack) == 1:
            continue  # METHOD, X-WR-CALNAME of the calendar
        elif inside_event and name in ("DESCRIPTION", "X-DIARY-FLAGS"):
            continue
        out.append(fold(line))
    return "".join(out)


def render_bands(
    appointment: Appointment,
    *,
    travel_minutes: int,
    travel_from: str | None,
    wrapup_minutes: int,
    now: datetime,
) -> dict[str, str]:
    """The travel and wrap-up events of a timed appointment, one resource each, by UID.

    Busy (OPAQUE), linked to their appointment with RELATED-TO, marked X-DIARY-BUFFER.
    """
    item = ExportItem(
        appointment,
        travel_minutes=travel_minutes,
        travel_from=travel_from,
        wrapup_minutes=wrapup_minutes,
    )
    data = export_calendar([item], calendar_name="", now=now, buffers=True, promises=())
    calendar = clean_calendar(data.decode("utf-8"))
    timezones = [c for c in calendar.subcomponents if c.name == "VTIMEZONE"]
    bands: dict[str, str] = {}
    for event in calendar.walk("VEVENT"):
        if event.get("X-DIARY-BUFFER") is None:
            continue
        single = Calendar()
        for name in ("PRODID", "VERSION", "CALSCALE"):
            if name in calendar:
                single.add(name, calendar[name])
        for timezone in timezones:
            single.add_component(timezone)
        single.add_component(event)
        bands[str(event["UID"])] = single.to_ical().decode("utf-8")
    return bands


def _master(calendar: Calendar) -> Component | None:
    for event in calendar.walk("VEVENT"):
        if event.get("RECURRENCE-ID") is None:
            return event
    return None


def tzids(component: Component) -> set[str]:
    found = set()
    for _name, value in component.property_items():
        params = getattr(value, "params", None)
        if params is not None and params.get("TZID"):
            found.add(str(params["TZID"]))
    return found


def build_upload(base: str, local: str, fields: Iterable[str], *, now: datetime) -> str:
    """The server's copy `base` with the given fields taken from diary's rendering `local`.

    Every other property and component of the server's copy stays as it is (the phone's
    alarms, colours, categories, attendees). The VTIMEZONEs the new times need come along.
    DTSTAMP and LAST-MODIFIED are now; SEQUENCE goes up by one.
    """
    target = clean_calendar(base)
    source = Calendar.from_ical(local)
    mine, theirs = _master(source), _master(target)
    if mine is None or theirs is None:
        return no_invitations(local)
    for field in fields:
        for prop in FIELD_PROPERTIES[field]:
            theirs.pop(prop, None)
            if prop in mine:
                theirs[prop] = mine[prop]
    have = {str(c.get("TZID")) for c in target.subcomponents if c.name == "VTIMEZONE"}
    needed = tzids(theirs) - have
    for timezone in source.subcomponents:
        if timezone.name == "VTIMEZONE" and str(timezone.get("TZID")) in needed:
            target.subcomponents.insert(0, timezone)
    sequence = int_value(theirs.get("SEQUENCE"))
    theirs.pop("SEQUENCE", None)
    theirs.add("SEQUENCE", max(sequence + 1, int_value(mine.get("SEQUENCE"))))
    for prop in ("DTSTAMP", "LAST-MODIFIED"):
        theirs.pop(prop, None)
        theirs.add(prop, now.astimezone(UTC))
    return no_invitations(target.to_ical().decode("utf-8"))


def int_value(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def no_invitations(text: str) -> str:
    """The calendar with every ORGANIZER and ATTENDEE marked SCHEDULE-AGENT=CLIENT (RFC 6638
    §7.1): the server sends no invitation or update for anything diary writes."""
    if "ATTENDEE" not in text and "ORGANIZER" not in text:
        return text
    calendar = Calendar.from_ical(text)
    for event in calendar.walk("VEVENT"):
        for name in ("ORGANIZER", "ATTENDEE"):
            value = event.get(name)
            if value is None:
                continue
            for one in value if isinstance(value, list) else [value]:
                one.params["SCHEDULE-AGENT"] = "CLIENT"
    return calendar.to_ical().decode("utf-8")


# ------------------------------------------------------------------ busy time


def busy_intervals(
    text: str, *, lo: datetime, hi: datetime, default_zone: str
) -> tuple[str, list[tuple[datetime, datetime, str]]]:
    """The busy time a resource of a busy calendar holds in [lo, hi): its title and
    (start, end, zone) per occurrence. Transparent and cancelled events are not busy."""
    import recurring_ical_events

    try:
        calendars = _components(text)
    except (ValueError, KeyError, IndexError, TypeError):
        return "", []
    title = ""
    found: list[tuple[datetime, datetime, str]] = []
    for calendar in calendars:
        try:
            occurrences = recurring_ical_events.of(calendar).between(lo, hi)
        except Exception:  # noqa: BLE001 - a broken rule in someone else's calendar
            continue
        for event in occurrences:
            if event.name != "VEVENT":
                continue
            title = title or str(event.get("SUMMARY", ""))
            if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
                continue
            if str(event.get("STATUS", "")).upper() == "CANCELLED":
                continue
            start = event.get("DTSTART")
            if start is None:
                continue
            first = start.dt
            end_prop = event.get("DTEND")
            last = end_prop.dt if end_prop is not None else None
            if last is None:
                duration = event.get("DURATION")
                last = first + duration.dt if duration is not None else None
            zone = _zone_name(first, start.params.get("TZID"), default_zone)
            first_at = _instant(first, zone)
            last_at = _instant(last, zone) if last is not None else first_at
            if not isinstance(first, datetime) and last is None:
                last_at = first_at + timedelta(days=1)
            if last_at > first_at:
                found.append((first_at, last_at, zone))
    return title, found


def _zone_name(value: date, tzid: Any, default_zone: str) -> str:
    if isinstance(value, datetime) and value.tzinfo is not None:
        key = getattr(value.tzinfo, "key", None)
        if isinstance(key, str):
            return key
        if value.utcoffset() == timedelta(0):
            return "UTC"
    return default_zone


def _instant(value: date, zone: str) -> datetime:
    tz = _zone(zone)
    if isinstance(value, datetime):
        return value.replace(tzinfo=tz) if value.tzinfo is None else value
    return datetime(value.year, value.month, value.day, tzinfo=tz)

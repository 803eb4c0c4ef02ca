"""One VEVENT in: read it as the best clients do, repair what they repair, and say so.

Repairs (each reported with file:line, UID and what was done):
- a property icalendar cannot read (not DTSTART, RECURRENCE-ID or RRULE) is left out;
- a property given twice (DTSTART, DTEND, ...) keeps its first value;
- DTEND and DURATION together: DTEND is kept (RFC 5545 §3.6.1 allows one of them);
- DTSTART and DTEND of different value types: DTEND follows DTSTART's;
- an end before the start: the event keeps its start with no length (all-day: one day);
- DTEND equal to DTSTART: kept as a zero-length event, not stretched;
- a TZID with no VTIMEZONE and no known name: read in the calendar's zone.
An event without a readable DTSTART, RECURRENCE-ID or RRULE cannot be placed: it is
skipped (EventSkipped) and reported.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Component, vDDDTypes, vDuration, vText
from icalendar.parser import Contentline

from diary.domain.model import Kind
from diary.interchange.ics_zones import ZoneResolver
from diary.interchange.records import ImportedEvent, Place
from diary.interchange.tz import iana_zone, in_zone, zone_name

# A component's property by its upper-case name: what Component.get returns, minus the
# case folding (icalendar stores every name upper-case), which adds up over 10,000 events.
_get = dict.get
_SINGLE = ("DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "SEQUENCE", "UID")
_VITAL = {"DTSTART": "DTSTART", "RECURRENCE-ID": "RECURRENCE-ID", "RRULE": "RRULE"}
_ZONED = ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE")
_FLAG_PREFIXES = {
    "double-booking": "[double-booked] ",
    "buffer": "[buffer] ",
    "reserve": "[reserve] ",
    "after-hours": "[after-hours] ",
}

# (property or None for the event's first line, what) -> a reported repair
Report = Callable[[str | None, str], None]


class EventSkipped(Exception):
    """An event that cannot be read at all; `prop` names the property at fault."""

    def __init__(self, what: str, prop: str | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.prop = prop


def event_uid(event: Component) -> str:
    """The event's UID; one derived from its content if it has none, stable across imports."""
    uid = _get(event, "UID")
    if isinstance(uid, list):
        uid = uid[0]
    if uid is not None and str(uid).strip():
        return str(uid).strip()
    digest = hashlib.sha256(event.to_ical()).hexdigest()[:24]
    return f"import-{digest}"


def decoded(value: Any) -> Any:
    """A property's decoded value (its .dt), or the value itself; None for a broken one
    (icalendar raises on reading .dt of a value it could not parse)."""
    if value is None or type(value).__name__ == "vBroken":
        return None
    return getattr(value, "dt", value)


def value_of(event: Component, prop: str) -> Any:
    """The decoded value of a property, or None."""
    return decoded(_get(event, prop))


def unreadable_line(block_text: str) -> int:
    """How many lines into a block the first line icalendar cannot split is (0: none)."""
    lines: list[tuple[int, str]] = []
    for offset, raw in enumerate(block_text.split("\n")):
        physical = raw.removesuffix("\r")
        if physical[:1] in (" ", "\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + physical[1:])
        elif physical:
            lines.append((offset, physical))
    for offset, line in lines:
        try:
            Contentline(line).parts()
        except ValueError:
            return offset
    return 0


@dataclass(slots=True)
class EventReader:
    """Reads the VEVENTs of one calendar: zones from `resolver`, floating times and dates
    in `date_zone`; every repair goes to `report`."""

    resolver: ZoneResolver
    date_zone: str

    # -- repairs before reading -----------------------------------------------------

    def repair(self, event: Component, report: Report) -> None:
        """Fix what can be fixed in place; EventSkipped when the event cannot be placed."""
        for prop, problem in list(event.errors):
            if prop is None:
                report(None, f"a line that cannot be read was left out ({problem})")
                continue
            name = prop.upper()
            if name in _VITAL:
                raise EventSkipped(f"{name} cannot be read ({problem})", name)
            self._drop_broken(event, name)
            report(name, f"{name} cannot be read and was left out ({problem})")
        for name in _SINGLE:
            value = _get(event, name)
            if isinstance(value, list):
                event[name] = value[0]
                report(name, f"{name} is given {len(value)} times: the first one is kept")
        if _get(event, "DTSTART") is None:
            raise EventSkipped("no DTSTART", "DTSTART")
        start = value_of(event, "DTSTART")
        if not isinstance(start, date):
            raise EventSkipped(f"DTSTART is not a date or date-time: {start!r}", "DTSTART")
        self._repair_end(event, report)

    @staticmethod
    def _drop_broken(event: Component, name: str) -> None:
        value = _get(event, name)
        if isinstance(value, list):
            kept = [item for item in value if type(item).__name__ != "vBroken"]
            if kept:
                event[name] = kept if len(kept) > 1 else kept[0]
                return
        if name in event:
            del event[name]

    def retime(self, event: Component, report: Report) -> None:
        """Read every zoned time through what its TZID means in this file (before floating
        times are placed, which drops TZID parameters)."""
        for name in _ZONED:
            value = _get(event, name)
            for item in value if isinstance(value, list) else [value] if value else []:
                tzid = item.params.get("TZID") if hasattr(item, "params") else None
                if not tzid:
                    continue
                resolved = self.resolver.resolve(str(tzid))
                if resolved is None:
                    reader: tzinfo = ZoneInfo(self.date_zone)
                    if name == "DTSTART":
                        report(
                            name,
                            f"unknown time zone {str(tzid)!r} (no VTIMEZONE): "
                            f"read in {self.date_zone}",
                        )
                elif resolved.note is not None and name == "DTSTART":
                    reader = resolved.reader
                    report(name, resolved.note)
                else:
                    reader = resolved.reader
                zone = iana_zone(resolved.name) if resolved else ZoneInfo(self.date_zone)
                assert zone is not None
                _set_zone(item, reader, zone)

    def _repair_end(self, event: Component, report: Report) -> None:
        start = value_of(event, "DTSTART")
        end = value_of(event, "DTEND")
        duration = value_of(event, "DURATION")
        if end is not None and duration is not None:
            del event["DURATION"]
            duration = None
            report("DURATION", "DTEND and DURATION both given: DTEND is kept")
        if duration is not None and not isinstance(duration, timedelta):
            del event["DURATION"]
            report("DURATION", "DURATION is not a duration and was left out")
        elif isinstance(duration, timedelta) and duration < timedelta(0):
            del event["DURATION"]
            report("DURATION", "DURATION is negative: kept as a zero-length event")
        if end is None:
            return
        if not isinstance(end, date):
            del event["DTEND"]
            report("DTEND", "DTEND is not a date or date-time and was left out")
            return
        timed = isinstance(start, datetime)
        if isinstance(end, datetime) != timed:
            end = _like(start, end)
            event["DTEND"] = vDDDTypes(end)
            kind = "DATE-TIME" if timed else "DATE"
            report("DTEND", f"DTEND is not a {kind} like DTSTART: read as one")
        if _instant(end) < _instant(start):
            del event["DTEND"]
            what = "kept as a zero-length event" if timed else "kept as one day"
            report("DTEND", f"DTEND is before DTSTART: {what}")
        elif timed and _instant(end) == _instant(start):
            report("DTEND", "DTEND equals DTSTART: kept as a zero-length event")

    # -- reading ---------------------------------------------------------------------

    def read(self, event: Component, report: Report) -> ImportedEvent:
        """One repaired VEVENT (or series occurrence) as an ImportedEvent."""
        uid = event_uid(event)
        first = value_of(event, "DTSTART")
        all_day = not isinstance(first, datetime)
        tzid = event["DTSTART"].params.get("TZID") if "DTSTART" in event else None
        if all_day:
            zone = self.date_zone
        elif tzid and (resolved := self.resolver.resolve(str(tzid))) is not None:
            zone = resolved.name
        elif tzid:
            zone = self.date_zone
        else:
            zone = zone_name(first.tzinfo, None, first)
        last = _end_of(event, first)
        recurrence = value_of(event, "RECURRENCE-ID")
        range_param = (
            event["RECURRENCE-ID"].params.get("RANGE", "") if recurrence is not None else ""
        )
        kind_text = str(_get(event, "X-DIARY-KIND", "")).strip()
        kind = (
            Kind.ALL_DAY
            if all_day
            else Kind(kind_text)
            if kind_text in {k.value for k in Kind}
            else Kind.MEETING
        )
        description = str(_get(event, "DESCRIPTION", ""))
        notes = _x_text(event, "X-DIARY-NOTES")
        travel = _travel(event)
        return ImportedEvent(
            uid=uid,
            recurrence_id=in_zone(recurrence, zone) if isinstance(recurrence, date) else None,
            title=_plain_title(event),
            start=in_zone(first, zone),
            end=in_zone(last, zone),
            zone=zone,
            all_day=all_day,
            location=str(event["LOCATION"]) if _get(event, "LOCATION") is not None else None,
            description=description,
            notes=notes if notes is not None else "" if _from_diary(event) else description,
            customer=_x_text(event, "X-DIARY-CUSTOMER"),
            kind=kind,
            wrapup_minutes=_int(event, "X-DIARY-WRAPUP", report),
            override_reason=_x_text(event, "X-DIARY-OVERRIDE"),
            sequence=_int(event, "SEQUENCE", report) or 0,
            last_modified=_aware(value_of(event, "LAST-MODIFIED")),
            created=_aware(value_of(event, "CREATED")),
            cancelled=str(_get(event, "STATUS", "")).upper() == "CANCELLED",
            travel_minutes=(
                int(travel.total_seconds() // 60) if isinstance(travel, timedelta) else None
            ),
            place=_place(event),
            this_and_future=str(range_param).upper() == "THISANDFUTURE",
        )


def _set_zone(item: Any, reader: tzinfo, zone: ZoneInfo) -> None:
    """Give a property's date-times the instant `reader` assigns their wall-clock time."""

    def fix(value: Any) -> Any:
        if isinstance(value, tuple):
            return tuple(fix(part) for part in value)
        if isinstance(value, datetime):
            local = value.replace(tzinfo=None)
            return local.replace(tzinfo=reader).astimezone(UTC).astimezone(zone)
        return value

    if hasattr(item, "dts"):
        for entry in item.dts:
            entry.dt = fix(entry.dt)
    elif hasattr(item, "dt"):
        item.dt = fix(item.dt)


def _like(start: date, end: date) -> date:
    """DTEND turned into DTSTART's value type (a date's midnight, or a date-time's day)."""
    if isinstance(start, datetime):
        return datetime.combine(end, datetime.min.time(), start.tzinfo)
    assert isinstance(end, datetime)
    day = end.date()
    return day if day > start else start + timedelta(days=1)


def _instant(value: date) -> float:
    """A date (midnight UTC) or a date-time (floating: as if UTC) as a number to compare."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return moment.timestamp()
    return datetime(value.year, value.month, value.day, tzinfo=UTC).timestamp()


def _end_of(event: Component, start: date) -> date:
    """DTEND, else DTSTART plus DURATION, else a day for dates and nothing for date-times."""
    end = value_of(event, "DTEND")
    if isinstance(end, date):
        return end
    duration = value_of(event, "DURATION")
    if isinstance(duration, timedelta) and duration >= timedelta(0):
        return start + duration
    if isinstance(start, datetime):
        return start
    return start + timedelta(days=1)


def _place(event: Component) -> Place | None:
    """The location diary's own export described (name, address, remote, GEO), if any."""
    name = _x_text(event, "X-DIARY-LOCATION")
    if name is None or not name.strip():
        return None
    remote = str(_get(event, "X-DIARY-LOCATION-REMOTE", "")).strip().upper() == "TRUE"
    lat = lon = None
    geo = _get(event, "GEO")
    if geo is not None:
        lat = getattr(geo, "latitude", None)
        lon = getattr(geo, "longitude", None)
    return Place(
        name=name.strip(),
        address=_x_text(event, "X-DIARY-LOCATION-ADDRESS") or "",
        remote=remote,
        lat=float(lat) if lat is not None else None,
        lon=float(lon) if lon is not None else None,
    )


def _from_diary(event: Component) -> bool:
    """Whether the event was written by diary's own export."""
    return _get(event, "X-DIARY-KIND") is not None


def _x_text(event: Component, prop: str) -> str | None:
    """An X- text property unescaped (icalendar leaves unknown properties raw), or None."""
    value = _get(event, prop)
    if value is None:
        return None
    if isinstance(value, list):
        value = value[0]
    if isinstance(value, vText):
        return str(value)
    raw = value.to_ical()
    return unescape_text(raw.decode() if isinstance(raw, bytes) else str(raw))


def unescape_text(raw: str) -> str:
    """RFC 5545 TEXT unescaping (backslash, semicolon, comma, newline)."""
    out: list[str] = []
    chars = iter(raw)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            out.append("\n" if following in ("n", "N") else following)
        else:
            out.append(char)
    return "".join(out)


def _travel(event: Component) -> timedelta | None:
    """X-APPLE-TRAVEL-DURATION as a duration, whether or not VALUE=DURATION was given."""
    value = _get(event, "X-APPLE-TRAVEL-DURATION")
    if value is None:
        return None
    duration = decoded(value)
    if isinstance(duration, timedelta):
        return duration
    raw = value.to_ical()
    try:
        parsed = vDuration.from_ical(raw.decode() if isinstance(raw, bytes) else str(raw))
    except ValueError:
        return None
    return parsed if isinstance(parsed, timedelta) else None


def _plain_title(event: Component) -> str:
    """SUMMARY without the flag prefixes diary's own export put in front of it."""
    title = str(_get(event, "SUMMARY", ""))
    flags = _get(event, "X-DIARY-FLAGS")
    if flags is not None and _from_diary(event):
        for flag in str(flags).split(","):
            title = title.removeprefix(_FLAG_PREFIXES.get(flag.strip(), f"[{flag.strip()}] "))
    return title


def _int(event: Component, prop: str, report: Report) -> int | None:
    """An integer property; one that is not a whole number is left out and reported."""
    value = _get(event, prop)
    if value is None:
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        report(prop, f"{prop} is not a whole number ({str(value)!r}) and was left out")
        return None


def _aware(value: Any) -> datetime | None:
    """A timestamp as an aware datetime (UTC for floating ones), or None."""
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo is not None else in_zone(value, "UTC")

"""Calendar files in: parse, resolve zones, expand series; all or nothing."""

from __future__ import annotations

import hashlib
import os
import stat
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import x_wr_timezone
from icalendar import Calendar, Component, Event, vDuration, vText
from icalendar.parser import Contentline

from diary.domain.model import Kind, later
from diary.interchange.errors import ImportFailure
from diary.interchange.records import ImportedEvent, ImportedSeries, ParsedCalendar, Place
from diary.interchange.recurrence import Recurrence, RuleError
from diary.interchange.tz import iana_name_for_tzid, iana_zone, in_zone, zone_name

# A component's property by its upper-case name: what Component.get returns, minus the
# case folding (icalendar stores every name upper-case), which adds up over 10,000 events.
_get = dict.get
MAX_FILE_BYTES = 50 * 1024 * 1024
_KNOWN_TOP_LEVEL = {"VCALENDAR", "VEVENT", "VTODO", "VJOURNAL", "VTIMEZONE", "VALARM", "VFREEBUSY"}
_TIME_PROPERTIES = ("DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "RRULE", "RDATE", "EXDATE")
_FLAG_PREFIXES = {
    "double-booking": "[double-booked] ",
    "buffer": "[buffer] ",
    "reserve": "[reserve] ",
    "after-hours": "[after-hours] ",
}


@dataclass(slots=True)
class _Block:
    """Where one component sits in the raw text: its lines, by line number."""

    name: str
    first_line: int
    lines: list[tuple[int, str]] = field(default_factory=list)

    def line_of(self, prop: str | None) -> int:
        """The line of the first `prop` content line in the block, else the BEGIN line."""
        if prop:
            wanted = prop.upper()
            for number, text in self.lines:
                head = text.split(":", 1)[0].split(";", 1)[0].strip().upper()
                if head == wanted:
                    return number
        return self.first_line


class _Lines:
    """The VEVENT blocks of the raw text, found only when an error must name a line.

    Tracking lines costs a pass over the whole text, and only error messages need them.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.count = 0  # VEVENTs handed a place so far, in document order
        self._vevents: list[_Block] | None = None

    def next_ref(self) -> _BlockRef:
        """The place of the next VEVENT in document order."""
        ref = _BlockRef(self, self.count)
        self.count += 1
        return ref

    def vevent(self, index: int) -> _Block | None:
        if self._vevents is None:
            self._vevents = [b for b in component_blocks(self.text) if b.name == "VEVENT"]
        return self._vevents[index] if index < len(self._vevents) else None


@dataclass(slots=True, frozen=True)
class _BlockRef:
    """The n-th VEVENT block of a text, resolved on demand."""

    lines: _Lines
    index: int

    def resolve(self) -> _Block | None:
        return self.lines.vevent(self.index)


def read_calendar_file(
    path: str | os.PathLike[str],
    *,
    default_zone: str,
    max_bytes: int = MAX_FILE_BYTES,
) -> ParsedCalendar:
    """Parse a calendar file, refusing files over `max_bytes` before reading them."""
    source = str(path)
    try:
        found = os.stat(path)
        if not stat.S_ISREG(found.st_mode):
            # A device, FIFO or folder: /dev/zero would be read for ever, a FIFO wait.
            raise ImportFailure(source, "is not a regular file")
        size = found.st_size
        if size > max_bytes:
            raise ImportFailure(
                source, f"file is {size} bytes, more than the {max_bytes // (1024 * 1024)} MB limit"
            )
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ImportFailure(source, f"cannot read the file: {exc.strerror or exc}") from exc
    return parse_calendar(data, source=source, default_zone=default_zone)


def parse_calendar(data: bytes, *, source: str, default_zone: str) -> ParsedCalendar:
    """Every event and series in `data`, or ImportFailure on the first broken one."""
    if iana_zone(default_zone) is None:
        raise ValueError(f"default_zone {default_zone!r} is not an IANA time zone")
    text = decode_text(data, source)
    components = parse_components(text, source)
    result = ParsedCalendar(source=source)
    vevent_blocks = _Lines(text)
    for calendar in _calendars(components, source, result.skipped):
        name = calendar.get("X-WR-CALNAME")
        if name is not None and result.calendar_name is None:
            object.__setattr__(result, "calendar_name", str(name))
        _read_calendar(calendar, source, default_zone, vevent_blocks, result)
    return result


def decode_text(data: bytes, source: str) -> str:
    """The text of a UTF-8 file (a BOM is allowed); ImportFailure names the first bad byte."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportFailure(
            source, f"not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start}", line=line
        ) from exc
    if "\x00" in text:
        offset = text.index("\x00")
        raise ImportFailure(
            source, "NUL character in the text", line=text.count("\n", 0, offset) + 1
        )
    return text


def unfolded_lines(text: str) -> list[tuple[int, str]]:
    """Content lines with folds joined, each with the line number it starts on."""
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        physical = raw.removesuffix("\r")
        if physical[:1] in (" ", "\t") and lines:
            start, previous = lines[-1]
            lines[-1] = (start, previous + physical[1:])
        elif physical:
            lines.append((number, physical))
    return lines


def component_blocks(text: str) -> list[_Block]:
    """Every BEGIN/END block in document order, with the lines directly inside it."""
    blocks: list[_Block] = []
    stack: list[_Block] = []
    for number, line in unfolded_lines(text):
        head, _, value = line.partition(":")
        head = head.strip().upper()
        if head == "BEGIN":
            block = _Block(value.strip().upper(), number)
            blocks.append(block)
            stack.append(block)
        elif head == "END":
            if stack:
                stack.pop()
        elif stack:
            stack[-1].lines.append((number, line))
    return blocks


def parse_components(text: str, source: str) -> list[Component]:
    """The top-level components of the text; ImportFailure with a line if it is not iCalendar."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            components = Calendar.from_ical(text, multiple=True)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, OverflowError) as exc:
        raise ImportFailure(
            source, f"not valid iCalendar: {exc}", line=first_bad_line(text)
        ) from exc
    if not components:
        raise ImportFailure(
            source, "no complete calendar found (missing BEGIN:VCALENDAR or END:VCALENDAR?)"
        )
    return list(components)


def first_bad_line(text: str) -> int | None:
    """The number of the first content line that icalendar cannot split or read."""
    for number, line in unfolded_lines(text):
        try:
            name, _params, value = Contentline(line).parts()
            if name.upper() in ("BEGIN", "END"):
                if not value.strip().replace("-", "").isalnum():
                    return number
                continue
            Calendar.from_ical(f"BEGIN:VCALENDAR\r\n{line}\r\nEND:VCALENDAR\r\n")
        except (ValueError, KeyError, IndexError, TypeError, AttributeError, OverflowError):
            return number
    return None


def _calendars(
    components: Sequence[Component], source: str, skipped: Counter[str]
) -> Iterator[Calendar]:
    """The VCALENDARs of a file; bare events or to-dos count as one calendar."""
    loose = Calendar()
    for component in components:
        label = (component.name or "").strip()
        name = label.upper()
        if name not in _KNOWN_TOP_LEVEL:
            raise ImportFailure(source, f"not an iCalendar file: top-level component {label!r}")
        if isinstance(component, Calendar) and name == "VCALENDAR":
            yield component
        else:
            loose.add_component(component)
    if loose.subcomponents:
        yield loose


def _read_calendar(
    calendar: Calendar,
    source: str,
    default_zone: str,
    vevent_blocks: _Lines,
    result: ParsedCalendar,
) -> None:
    """Add the events and series of one VCALENDAR to `result`."""
    for component in calendar.subcomponents:
        if component.name not in ("VEVENT", "VTIMEZONE"):
            result.skipped[(component.name or "").strip()] += 1
    _check_timezones(calendar, source)
    events = [component for component in calendar.walk("VEVENT")]
    blocks = {id(event): vevent_blocks.next_ref() for event in events}
    for event in events:
        _check_event(event, source, blocks[id(event)])
    zone = floating_zone(calendar, default_zone, source)
    standard = standard_calendar(calendar, zone)
    by_uid: dict[str, list[Component]] = {}
    for event in standard.walk("VEVENT"):
        if _get(event, "X-DIARY-BUFFER") is not None:
            result.skipped["diary buffer event"] += 1
        elif _get(event, "X-DIARY-PROMISE") is not None:
            result.skipped["diary promise event"] += 1
        else:
            by_uid.setdefault(event_uid(event), []).append(event)
    for uid, group in by_uid.items():
        masters = [event for event in group if _get(event, "RECURRENCE-ID") is None]
        block = blocks.get(id(group[0]))
        if len(masters) > 1:
            raise ImportFailure(
                source,
                "the same UID is used by more than one event",
                line=_line(block, "UID"),
                uid=uid,
            )
        master = masters[0] if masters else None
        if master is not None and (
            _get(master, "RRULE") is not None or _get(master, "RDATE") is not None
        ):
            result.series.append(_series(master, group, source, blocks, zone))
        else:
            result.events.extend(
                _imported(event, source, blocks.get(id(event)), zone) for event in group
            )


def _line(ref: _BlockRef | None, prop: str | None) -> int | None:
    """The line number of `prop` in a block, if the block is known."""
    block = ref.resolve() if ref is not None else None
    return block.line_of(prop) if block is not None else None


def event_uid(event: Component) -> str:
    """The event's UID; one derived from its content if it has none, stable across imports."""
    uid = _get(event, "UID")
    if uid is not None and str(uid).strip():
        return str(uid).strip()
    digest = hashlib.sha256(event.to_ical()).hexdigest()[:24]
    return f"import-{digest}"


def _check_timezones(calendar: Calendar, source: str) -> None:
    """ImportFailure for a VTIMEZONE icalendar could not read."""
    for timezone in calendar.walk("VTIMEZONE"):
        for component in timezone.walk():
            if component.errors:
                prop, problem = component.errors[0]
                raise ImportFailure(
                    source, f"broken time zone {timezone.get('TZID', '?')}: {problem}", prop=prop
                )


def _check_event(event: Component, source: str, block: _BlockRef | None) -> None:
    """ImportFailure for a broken, missing or contradictory time property of one VEVENT."""
    uid = str(_get(event, "UID", "")) or None
    for prop, problem in event.errors:
        raise ImportFailure(
            source,
            problem,
            line=_line(block, prop) if prop else _bad_line(block),
            uid=uid,
            prop=prop,
        )
    for prop in _TIME_PROPERTIES[:4]:
        value = _get(event, prop)
        if isinstance(value, list):
            raise ImportFailure(
                source,
                f"{prop} appears more than once",
                line=_line(block, prop),
                uid=uid,
                prop=prop,
            )
    start = _value(event, "DTSTART")
    if start is None:
        raise ImportFailure(
            source, "missing DTSTART", line=_line(block, None), uid=uid, prop="DTSTART"
        )
    if not isinstance(start, date):
        raise ImportFailure(
            source,
            f"not a date or date-time: {start!r}",
            line=_line(block, "DTSTART"),
            uid=uid,
            prop="DTSTART",
        )
    param = event["DTSTART"].params.get("TZID")
    if isinstance(start, datetime) and start.tzinfo is None and param:
        raise ImportFailure(
            source,
            f"unknown time zone {param!r} (no VTIMEZONE for it)",
            line=_line(block, "DTSTART"),
            uid=uid,
            prop="DTSTART",
        )
    end = _value(event, "DTEND")
    duration = _value(event, "DURATION")
    if end is not None and duration is not None:
        raise ImportFailure(
            source,
            "both DTEND and DURATION given",
            line=_line(block, "DURATION"),
            uid=uid,
            prop="DURATION",
        )
    if end is not None:
        if not isinstance(end, date) or isinstance(end, datetime) != isinstance(start, datetime):
            raise ImportFailure(
                source,
                "DTEND is not of the same type as DTSTART",
                line=_line(block, "DTEND"),
                uid=uid,
                prop="DTEND",
            )
        if isinstance(end, datetime) and end.tzinfo is None and event["DTEND"].params.get("TZID"):
            raise ImportFailure(
                source,
                f"unknown time zone {event['DTEND'].params.get('TZID')!r}",
                line=_line(block, "DTEND"),
                uid=uid,
                prop="DTEND",
            )
        if _comparable(end) < _comparable(start):
            raise ImportFailure(
                source, "end is before start", line=_line(block, "DTEND"), uid=uid, prop="DTEND"
            )
    if duration is not None and (not isinstance(duration, timedelta) or duration < timedelta(0)):
        raise ImportFailure(
            source,
            "DURATION is negative or not a duration",
            line=_line(block, "DURATION"),
            uid=uid,
            prop="DURATION",
        )


def _bad_line(ref: _BlockRef | None) -> int | None:
    """The first line in a block that icalendar cannot split, else the block's start."""
    block = ref.resolve() if ref is not None else None
    if block is None:
        return None
    for number, line in block.lines:
        try:
            Contentline(line).parts()
        except ValueError:
            return number
    return block.first_line


def _value(event: Component, prop: str) -> Any:
    """The decoded value of a property, or None."""
    value = _get(event, prop)
    if value is None:
        return None
    return getattr(value, "dt", value)


def _comparable(value: date) -> datetime:
    """A date or datetime as a naive-or-aware datetime that compares with its own kind."""
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day)


def floating_zone(calendar: Calendar, default_zone: str, source: str) -> str:
    """The zone of floating times: the calendar's X-WR-TIMEZONE, else `default_zone`."""
    declared = calendar.get("X-WR-TIMEZONE")
    if declared is None:
        return default_zone
    zone = iana_name_for_tzid(str(declared))
    if zone is None:
        raise ImportFailure(
            source, f"unknown X-WR-TIMEZONE {str(declared)!r}", prop="X-WR-TIMEZONE"
        )
    return zone


def standard_calendar(calendar: Calendar, zone: str) -> Calendar:
    """The calendar with X-WR-TIMEZONE applied and floating times placed in `zone`."""
    if calendar.get("X-WR-TIMEZONE") is not None:
        return x_wr_timezone.to_standard(calendar, timezone=iana_zone(zone))
    if not any(_floating_event(c) for c in calendar.subcomponents if isinstance(c, Event)):
        return calendar  # what the walker returns when it places nothing
    return _FloatingWalker(iana_zone(zone)).walk(calendar)


def _floating_event(event: Component) -> bool:
    """Whether _FloatingWalker would place a value of the event (it walks the same ones)."""
    for name in x_wr_timezone.CalendarWalker.VALUE_ATTRIBUTES:
        value = _get(event, name)
        if value is not None and _floating_value(value):
            return True
    return False


def _floating_value(value: Any) -> bool:
    """A floating date-time in a value, found the way CalendarWalker dispatches (by type name)."""
    kind = type(value).__name__
    if kind == "list":
        return any(_floating_value(item) for item in value)
    if kind == "vDDDLists":
        return any(_floating_value(item.dt) for item in value.dts)
    if kind == "vDDDTypes":
        return _floating_value(value.dt)
    return kind == "datetime" and value.tzinfo is None


class _FloatingWalker(x_wr_timezone.CalendarWalker):
    """Places floating date-times in one zone and leaves every other value alone."""

    def __init__(self, zone: tzinfo | None) -> None:
        self.zone = zone

    def walk_value_datetime(self, value: datetime) -> datetime:
        """A floating date-time gets the zone; aware ones stay."""
        return value.replace(tzinfo=self.zone) if value.tzinfo is None else value


def _imported(
    event: Component, source: str, block: _BlockRef | None, date_zone: str
) -> ImportedEvent:
    """One VEVENT (or series occurrence) as an ImportedEvent; dates are days in `date_zone`."""
    uid = event_uid(event)
    first = _value(event, "DTSTART")
    all_day = not isinstance(first, datetime)
    tzid = event["DTSTART"].params.get("TZID") if "DTSTART" in event else None
    zone = date_zone if all_day else zone_name(first.tzinfo, tzid, first)
    last = _end_of(event, first)
    recurrence = _value(event, "RECURRENCE-ID")
    range_param = event["RECURRENCE-ID"].params.get("RANGE", "") if recurrence is not None else ""
    kind_text = str(_get(event, "X-DIARY-KIND", "")).strip()
    kind = (
        Kind.ALL_DAY
        if all_day
        else Kind(kind_text)
        if kind_text in {k.value for k in Kind}
        else Kind.MEETING
    )
    wrapup = _int(_get(event, "X-DIARY-WRAPUP"), source, uid, "X-DIARY-WRAPUP", block)
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
        wrapup_minutes=wrapup,
        override_reason=_x_text(event, "X-DIARY-OVERRIDE"),
        sequence=_int(_get(event, "SEQUENCE"), source, uid, "SEQUENCE", block) or 0,
        last_modified=_aware(_value(event, "LAST-MODIFIED")),
        created=_aware(_value(event, "CREATED")),
        cancelled=str(_get(event, "STATUS", "")).upper() == "CANCELLED",
        travel_minutes=int(travel.total_seconds() // 60) if isinstance(travel, timedelta) else None,
        place=_place(event),
        this_and_future=str(range_param).upper() == "THISANDFUTURE",
    )


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
    decoded = getattr(value, "dt", None)
    if isinstance(decoded, timedelta):
        return decoded
    raw = value.to_ical()
    try:
        parsed = vDuration.from_ical(raw.decode() if isinstance(raw, bytes) else str(raw))
    except ValueError:
        return None
    return parsed if isinstance(parsed, timedelta) else None


def _end_of(event: Component, start: date) -> date:
    """DTEND, else DTSTART plus DURATION, else a day for dates and nothing for date-times."""
    end = _value(event, "DTEND")
    if isinstance(end, date):
        return end
    duration = _value(event, "DURATION")
    if isinstance(duration, timedelta):
        return start + duration
    if isinstance(start, datetime):
        return start
    return start + timedelta(days=1)


def _plain_title(event: Component) -> str:
    """SUMMARY without the flag prefixes diary's own export put in front of it."""
    title = str(_get(event, "SUMMARY", ""))
    flags = _get(event, "X-DIARY-FLAGS")
    if flags is not None and _from_diary(event):
        for flag in str(flags).split(","):
            title = title.removeprefix(_FLAG_PREFIXES.get(flag.strip(), f"[{flag.strip()}] "))
    return title


def _int(value: Any, source: str, uid: str, prop: str, block: _BlockRef | None) -> int | None:
    """An integer property, ImportFailure if it is not one."""
    if value is None:
        return None
    try:
        return int(str(value).strip())
    except ValueError as exc:
        raise ImportFailure(
            source,
            f"not a whole number: {str(value)!r}",
            line=_line(block, prop),
            uid=uid,
            prop=prop,
        ) from exc


def _aware(value: Any) -> datetime | None:
    """A timestamp as an aware datetime (UTC for floating ones), or None."""
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo is not None else in_zone(value, "UTC")


def _series(
    master: Component,
    group: list[Component],
    source: str,
    blocks: dict[int, _BlockRef],
    date_zone: str,
) -> ImportedSeries:
    """A repeating event as its rule, its template and its overrides (nothing expanded)."""
    block = blocks.get(id(master))
    template = _imported(master, source, block, date_zone)
    uid = template.uid
    overrides = [
        _imported(event, source, blocks.get(id(event)), date_zone)
        for event in group
        if event is not master
    ]
    rules = _get(master, "RRULE")
    rule_list = rules if isinstance(rules, list) else [rules] if rules is not None else []
    rrule = "\n".join(rule.to_ical().decode() for rule in rule_list)
    rdates, periods = _rdates(master, template)
    exdates, exdays = _exdates(master, template.zone)
    recurrence = Recurrence(
        start=template.start,
        zone=template.zone,
        rules=tuple(line for line in rrule.splitlines() if line.strip()),
        rdates=tuple(rdates),
        all_day=template.all_day,
    )
    try:
        expander = recurrence.compile()
        for day in exdays:
            # A DATE EXDATE of a timed series removes whatever falls on that day.
            first = in_zone(day, template.zone)
            exdates.extend(expander.between(first, first + timedelta(days=1)))
    except RuleError as error:
        prop = "RRULE" if rule_list else "RDATE"
        raise ImportFailure(
            source, f"cannot expand the series: {error.problem}", line=_line(block, prop),
            uid=uid, prop=prop,
        ) from error
    known = {o.recurrence_id.timestamp() for o in overrides if o.recurrence_id is not None}
    for start, end in periods:
        # RDATE;VALUE=PERIOD: an occurrence with its own end, i.e. an override of one.
        if start.timestamp() not in known:
            overrides.append(replace(template, recurrence_id=start, start=start, end=end))
    return ImportedSeries(
        uid=uid,
        rrule=rrule,
        exdates=sorted(exdates, key=lambda moment: moment.timestamp()),
        rdates=rdates,
        template=template,
        overrides=overrides,
    )


def _rdates(
    event: Component, template: ImportedEvent
) -> tuple[list[datetime], list[tuple[datetime, datetime]]]:
    """RDATE starts, and the (start, end) of those given as a PERIOD."""
    values = _get(event, "RDATE")
    starts: list[datetime] = []
    periods: list[tuple[datetime, datetime]] = []
    for entry in values if isinstance(values, list) else [values] if values is not None else []:
        for item in getattr(entry, "dts", []):
            value = item.dt
            if isinstance(value, tuple):
                first = in_zone(value[0], template.zone)
                second = value[1]
                if isinstance(second, timedelta):
                    last = later(first, second)
                else:
                    last = in_zone(second, template.zone)
                starts.append(first)
                if last.timestamp() > first.timestamp():
                    periods.append((first, last))
            elif isinstance(value, date):
                starts.append(in_zone(value, template.zone))
    return sorted(starts, key=lambda moment: moment.timestamp()), periods


def _exdates(event: Component, zone: str) -> tuple[list[datetime], list[date]]:
    """EXDATE instants, and the DATE values of a timed series' EXDATEs (whole days)."""
    values = _get(event, "EXDATE")
    first = _value(event, "DTSTART")
    timed = isinstance(first, datetime)
    moments: list[datetime] = []
    days: list[date] = []
    for entry in values if isinstance(values, list) else [values] if values is not None else []:
        for item in getattr(entry, "dts", []):
            value = item.dt
            if isinstance(value, tuple):
                value = value[0]
            if timed and isinstance(value, date) and not isinstance(value, datetime):
                days.append(value)
            elif isinstance(value, date):
                moments.append(in_zone(value, zone))
    return moments, days

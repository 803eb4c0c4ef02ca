"""A repeating appointment as one calendar object resource: the master VEVENT (RRULE, RDATE,
EXDATE) and every override (RECURRENCE-ID) under one UID (RFC 4791 §4.1), read and
compared by meaning.

A phone that adds an alarm, or a server that re-serialises the text, changes no digest;
a moved occurrence, a cancelled one (EXDATE or STATUS:CANCELLED override), a changed rule
or a changed field of the master or of an override does.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from icalendar import Calendar, Component

from diary.interchange.errors import ImportFailure
from diary.interchange.ics_import import parse_calendar
from diary.interchange.records import ImportedEvent, ImportedSeries
from diary.interchange.sync_ics import (
    FIELD_PROPERTIES,
    clean_calendar,
    event_fields,
    int_value,
    no_invitations,
    tzids,
)


def read_series(text: str, *, default_zone: str, source: str) -> ImportedSeries | None:
    """The series a resource holds, or None when it holds none diary can read."""
    try:
        parsed = parse_calendar(text.encode("utf-8"), source=source, default_zone=default_zone)
    except ImportFailure:
        return None
    return parsed.series[0] if len(parsed.series) == 1 else None


def _instants(moments: list[datetime]) -> list[str]:
    return sorted({m.astimezone(UTC).isoformat() for m in moments})


def _override_key(event: ImportedEvent) -> str:
    moment = event.recurrence_id or event.start
    return moment.astimezone(UTC).isoformat() + ("+" if event.this_and_future else "")


def series_digest(series: ImportedSeries) -> str:
    """A digest of what the series says: rule, dates, the master's fields and each override's.

    A cancelled override and an EXDATE of the same occurrence say the same thing, so both
    count as "that occurrence is removed".
    """
    removed = list(series.exdates) + [
        o.recurrence_id
        for o in series.overrides
        if o.cancelled and o.recurrence_id is not None and not o.this_and_future
    ]
    overrides = {
        _override_key(o): event_fields(o)
        for o in series.overrides
        if o.recurrence_id is not None and (o.this_and_future or not o.cancelled)
    }
    parts = {
        "rrule": sorted(line.strip() for line in series.rrule.splitlines() if line.strip()),
        "exdates": _instants(removed),
        "rdates": _instants(list(series.rdates)),
        "master": event_fields(series.template),
        "overrides": overrides,
    }
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def text_digest(text: str, *, default_zone: str, source: str) -> str | None:
    """`series_digest` of a resource's text; None when it holds no readable series."""
    series = read_series(text, default_zone=default_zone, source=source)
    return series_digest(series) if series is not None else None


def series_summary(text: str, *, default_zone: str) -> str:
    """A series in a line for the owner: title, rule and first start, the occurrences
    changed (original -> new start) and how many are cancelled."""
    from zoneinfo import ZoneInfo

    series = read_series(text, default_zone=default_zone, source="conflict")
    if series is None:
        return "(a repeating event diary cannot read)"
    template = series.template
    zone = ZoneInfo(template.zone)
    rule = "; ".join(line.strip() for line in series.rrule.splitlines() if line.strip())
    parts = [f"{template.title}: {rule} from {template.start.astimezone(zone):%Y-%m-%d %H:%M}"]
    moved = [o for o in series.overrides if o.recurrence_id is not None and not o.cancelled]
    if moved:
        parts.append(
            "changed "
            + ", ".join(
                f"{o.recurrence_id.astimezone(zone):%m-%d %H:%M} -> "  # type: ignore[union-attr]
                f"{o.start.astimezone(zone):%m-%d %H:%M} {o.title}"
                for o in moved
            )
        )
    cancelled = len(series.exdates) + sum(1 for o in series.overrides if o.cancelled)
    if cancelled:
        parts.append(f"{cancelled} cancelled")
    return "; ".join(parts)


# Besides the fields, what diary says of a series: its rule and dates. Everything else a
# VEVENT holds (the phone's alarms, colours, categories, X- properties) is the server's.
_SERIES_PROPERTIES = ("RRULE", "RDATE", "EXDATE", "EXRULE")


def _occurrence_key(event: Component) -> str:
    """ "" for the master, else the instant (or day) its RECURRENCE-ID names."""
    prop = event.get("RECURRENCE-ID")
    if prop is None:
        return ""
    value = prop.dt
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    return str(value)


def build_series_upload(base: str, local: str, *, now: datetime) -> str:
    """The server's copy `base` of a series with what diary says taken from its rendering
    `local`: per VEVENT (the master, each override by RECURRENCE-ID) the fields diary keeps
    and the rule, dates and removed dates replace the server's; every other property and
    component of an event both have stays as the server has it (the phone's alarms,
    colours). An override only diary has comes as diary renders it; one diary no longer
    has is dropped. SEQUENCE goes up, DTSTAMP and LAST-MODIFIED are now.

    Falls back to `local` when `base` is no calendar with a master (RFC 5545 §3.8.4.4).
    """
    try:
        target = clean_calendar(base)
    except (ValueError, KeyError, IndexError, TypeError):
        return no_invitations(local)
    source = Calendar.from_ical(local)
    theirs = {_occurrence_key(e): e for e in target.walk("VEVENT")}
    mine = {_occurrence_key(e): e for e in source.walk("VEVENT")}
    if "" not in theirs or "" not in mine:
        return no_invitations(local)
    target.subcomponents = [
        c for c in target.subcomponents if c.name != "VEVENT" or _occurrence_key(c) in mine
    ]
    replaced = [p for field in FIELD_PROPERTIES.values() for p in field] + list(_SERIES_PROPERTIES)
    for key, event in mine.items():
        kept = theirs.get(key)
        if kept is None:
            target.add_component(event)
            continue
        for prop in replaced:
            kept.pop(prop, None)
            if prop in event:
                kept[prop] = event[prop]
        sequence = max(int_value(kept.get("SEQUENCE")) + 1, int_value(event.get("SEQUENCE")))
        kept.pop("SEQUENCE", None)
        kept.add("SEQUENCE", sequence)
        for prop in ("DTSTAMP", "LAST-MODIFIED"):
            kept.pop(prop, None)
            kept.add(prop, now.astimezone(UTC))
    have = {str(c.get("TZID")) for c in target.subcomponents if c.name == "VTIMEZONE"}
    needed = set().union(*(tzids(e) for e in target.walk("VEVENT"))) - have
    for timezone in source.subcomponents:
        if timezone.name == "VTIMEZONE" and str(timezone.get("TZID")) in needed:
            target.subcomponents.insert(0, timezone)
    return no_invitations(target.to_ical().decode("utf-8"))

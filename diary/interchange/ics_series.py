"""A repeating VEVENT in: its rule, RDATE/EXDATE and overrides, checked by the one engine."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from icalendar import Component

from diary.domain.model import later
from diary.interchange.ics_events import EventSkipped, decoded
from diary.interchange.records import ImportedEvent, ImportedSeries
from diary.interchange.recurrence import Recurrence, RuleError
from diary.interchange.tz import in_zone

_get = dict.get
# More starts than this in a series' first week: not an appointment series (a FREQ=SECONDLY
# rule, say). Refused with the number, never cut short.
MAX_PER_WEEK = 7 * 24 * 12  # every five minutes, around the clock


def series_of(
    master: Component,
    template: ImportedEvent,
    overrides: list[ImportedEvent],
    *,
    floating: bool = False,
) -> ImportedSeries:
    """The series `master` describes (`floating`: its DTSTART had no zone in the file);
    EventSkipped when its rule cannot be expanded."""
    rules = _get(master, "RRULE")
    rule_list = rules if isinstance(rules, list) else [rules] if rules is not None else []
    rrule = "\n".join(rule.to_ical().decode() for rule in rule_list)
    rdates, periods = _rdates(master, template)
    exdates, exdays = _exdates(master, template.zone, floating=floating)
    prop = "RRULE" if rule_list else "RDATE"
    try:
        expander = Recurrence(
            start=template.start,
            zone=template.zone,
            rules=tuple(line for line in rrule.splitlines() if line.strip()),
            rdates=tuple(rdates),
            all_day=template.all_day,
        ).compile()
        first_week = expander.between(
            template.start, template.start + timedelta(days=7), limit=MAX_PER_WEEK + 1
        )
        if len(first_week) > MAX_PER_WEEK:
            raise RuleError(
                f"repeats more than {MAX_PER_WEEK:,} times a week (every five minutes): "
                "not an appointment series"
            )
        for day in exdays:
            # A DATE EXDATE of a timed series removes whatever falls on that day.
            first = in_zone(day, template.zone)
            exdates.extend(expander.between(first, first + timedelta(days=1)))
    except RuleError as error:
        raise EventSkipped(f"the series cannot be expanded: {error.problem}", prop) from error
    known = {o.recurrence_id.timestamp() for o in overrides if o.recurrence_id is not None}
    for start, end in periods:
        # RDATE;VALUE=PERIOD: an occurrence with its own end, i.e. an override of one.
        if start.timestamp() not in known:
            overrides.append(replace(template, recurrence_id=start, start=start, end=end))
    return ImportedSeries(
        uid=template.uid,
        rrule=rrule,
        exdates=sorted(exdates, key=lambda moment: moment.timestamp()),
        rdates=rdates,
        template=template,
        overrides=overrides,
    )


def _entries(values: Any) -> list[Any]:
    """The readable values of a property given once or many times."""
    found = values if isinstance(values, list) else [values] if values is not None else []
    return [value for value in found if type(value).__name__ != "vBroken"]


def _rdates(
    event: Component, template: ImportedEvent
) -> tuple[list[datetime], list[tuple[datetime, datetime]]]:
    """RDATE starts, and the (start, end) of those given as a PERIOD."""
    starts: list[datetime] = []
    periods: list[tuple[datetime, datetime]] = []
    for entry in _entries(_get(event, "RDATE")):
        for item in getattr(entry, "dts", []):
            value = item.dt
            if isinstance(value, tuple):
                first = in_zone(value[0], template.zone)
                second = value[1]
                last = (
                    later(first, second)
                    if isinstance(second, timedelta)
                    else in_zone(second, template.zone)
                )
                starts.append(first)
                if last.timestamp() > first.timestamp():
                    periods.append((first, last))
            elif isinstance(value, date):
                starts.append(in_zone(value, template.zone))
    return sorted(starts, key=lambda moment: moment.timestamp()), periods


def _exdates(
    event: Component, zone: str, *, floating: bool = False
) -> tuple[list[datetime], list[date]]:
    """EXDATE instants, and the DATE values of a timed series' EXDATEs (whole days).

    A floating series' EXDATEs written in UTC are read as its wall-clock times: the file
    names the occurrences by their local time, whatever the suffix (RFC 5545 §3.8.5.1
    wants EXDATE of DTSTART's own value type).
    """
    timed = isinstance(decoded(_get(event, "DTSTART")), datetime)
    moments: list[datetime] = []
    days: list[date] = []
    for entry in _entries(_get(event, "EXDATE")):
        for item in getattr(entry, "dts", []):
            value = item.dt
            if isinstance(value, tuple):
                value = value[0]
            if timed and isinstance(value, date) and not isinstance(value, datetime):
                days.append(value)
            elif floating and isinstance(value, datetime) and value.utcoffset() == timedelta(0):
                moments.append(in_zone(value.replace(tzinfo=None), zone))
            elif isinstance(value, date):
                moments.append(in_zone(value, zone))
    return moments, days

"""What a TZID means in one file: a real IANA region name, else its VTIMEZONE.

RFC 5545 §3.2.19: a TZID names the VTIMEZONE of the same file, whatever the name says.
Feeds write `TZID:GMT` with UK summer time, or "Eastern Standard Time" with US rules, or
a vendor's own name. A TZID that is an IANA region ("Europe/London") is read by its name,
as every client does. For any other name diary compares the file's VTIMEZONE with IANA
zones by UTC offsets across the years it covers, and takes:
- the zone its name stands for (IANA, Windows, vendor-prefixed), if the offsets agree;
- else the most used IANA zone with the same offsets (America/New_York before
  America/Detroit, Europe/London before Europe/Guernsey);
- else none: the times keep their exact instants (read through the VTIMEZONE itself) and
  are shown in UTC, and the import says so.
A TZID without a VTIMEZONE falls back to its name, then to the calendar's zone.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from icalendar import Timezone

from diary.interchange.tz import candidate_names, iana_name_for_tzid, iana_zone

_SAMPLE_DAYS = 7
_SPAN_YEARS = 6  # years compared, from the VTIMEZONE's first observance on (1971 at least)


@dataclass(frozen=True, slots=True)
class ResolvedZone:
    """An IANA name for a TZID, and how to read wall-clock times written with it.

    `reader` is the tzinfo that gives a wall-clock time in the file its instant: the IANA
    zone itself when the two agree, else the VTIMEZONE's own definition. `note` says
    what was decided when that is worth telling the owner.
    """

    name: str
    reader: tzinfo
    note: str | None = None


_RECENT = 2010  # an open-ended VTIMEZONE is compared from here (its rules are for now)


def _first_year(timezone: Timezone) -> int:
    """The first of the years to compare: recent ones that the VTIMEZONE itself covers.

    Windows writes DTSTART:1601... with today's rules, icalendar writes explicit
    transitions for a few years only; either way the years it was written for count.
    """
    starts: list[int] = []
    explicit: list[int] = []
    open_ended = False
    for observance in timezone.walk():
        if observance is timezone:
            continue
        start = observance.get("DTSTART")
        value = None if type(start).__name__ == "vBroken" else getattr(start, "dt", None)
        if isinstance(value, date):
            starts.append(value.year)
            explicit.append(value.year)
        rdates = observance.get("RDATE")
        for entry in rdates if isinstance(rdates, list) else [rdates] if rdates else []:
            explicit.extend(
                item.dt.year for item in getattr(entry, "dts", []) if isinstance(item.dt, date)
            )
        rule = observance.get("RRULE")
        if rule is not None and not rule.get("UNTIL") and not rule.get("COUNT"):
            open_ended = True
    first = max(min(starts, default=_RECENT), 1971)
    if open_ended:
        return max(first, _RECENT)
    last = max(explicit, default=first)
    return max(first, last - _SPAN_YEARS + 1, 1971)


def _samples(first_year: int) -> list[datetime]:
    first = datetime(first_year, 1, 1, 12, tzinfo=UTC)
    count = (_SPAN_YEARS * 366) // _SAMPLE_DAYS
    return [first + timedelta(days=_SAMPLE_DAYS * index) for index in range(count)]


def _offsets(zone: tzinfo, samples: list[datetime]) -> tuple[timedelta | None, ...]:
    return tuple(instant.astimezone(zone).utcoffset() for instant in samples)


def _same(name: str, samples: list[datetime], wanted: tuple[timedelta | None, ...]) -> bool:
    """Whether IANA zone `name` has the offsets `wanted` at `samples` (stops at the first
    difference: most zones differ at the first sample already)."""
    zone = _zone(name)
    return all(
        instant.astimezone(zone).utcoffset() == offset
        for instant, offset in zip(samples, wanted, strict=True)
    )


@functools.cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _matching(custom: tzinfo, first_year: int, named: str | None) -> str | None:
    samples = _samples(first_year)
    try:
        wanted = _offsets(custom, samples)
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None
    if named is not None and _same(named, samples, wanted):
        return named
    for name in candidate_names():
        if _same(name, samples, wanted):
            return name
    return None


class ZoneResolver:
    """The meaning of each TZID of one file (VTIMEZONEs parsed once, answers cached)."""

    def __init__(self, timezones: list[Timezone], default_zone: str) -> None:
        self.default_zone = default_zone
        self._timezones: dict[str, Timezone] = {}
        for timezone in timezones:
            tzid = str(timezone.get("TZID", "")).strip()
            if tzid:
                self._timezones.setdefault(tzid, timezone)
        self._resolved: dict[str, ResolvedZone | None] = {}

    def resolve(self, tzid: str) -> ResolvedZone | None:
        """What `tzid` means; None when neither a VTIMEZONE nor its name says."""
        if tzid not in self._resolved:
            self._resolved[tzid] = self._resolve(tzid)
        return self._resolved[tzid]

    def _resolve(self, tzid: str) -> ResolvedZone | None:
        named = iana_name_for_tzid(tzid)
        timezone = self._timezones.get(tzid)
        if named is not None and named == tzid.strip() and "/" in named:
            # A real IANA region ("Europe/London"): every client reads the name, and the
            # database knows its rules better than a VTIMEZONE written years ago.
            return ResolvedZone(named, ZoneInfo(named))
        if timezone is None:
            return ResolvedZone(named, ZoneInfo(named)) if named is not None else None
        try:
            custom = timezone.to_tz(lookup_tzid=False)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError):
            custom = None
        if custom is None:
            return ResolvedZone(named, ZoneInfo(named)) if named is not None else None
        first_year = _first_year(timezone)
        match = _matching(custom, first_year, named)
        if match is not None:
            zone = iana_zone(match)
            assert zone is not None
            note = None
            if named is not None and match != named:
                note = f"time zone {tzid!r} is defined in the file as {match}'s rules"
            return ResolvedZone(match, zone, note)
        return ResolvedZone(
            "UTC",
            custom,
            f"time zone {tzid!r} matches no known zone: times kept exactly, shown in UTC",
        )

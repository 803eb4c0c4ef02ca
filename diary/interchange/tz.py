"""Time zone names: IANA, Windows, custom VTIMEZONEs and floating times."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

_SAMPLE_DAYS = 7  # spacing of the instants compared when matching a custom zone by offsets


def iana_zone(name: str) -> ZoneInfo | None:
    """The ZoneInfo for an IANA name, or None if it is not one."""
    if not name or name.startswith("/") or ".." in name or "\x00" in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def iana_name_for_tzid(tzid: str) -> str | None:
    """The IANA name a TZID stands for (IANA, Windows, vendor-prefixed), or None."""
    cleaned = tzid.strip().strip('"').strip("/")
    if cleaned.upper() in ("UTC", "Z", "GMT", "ETC/UTC"):
        return "UTC"
    if iana_zone(cleaned) is not None:
        return cleaned
    if cleaned in WINDOWS_TO_OLSON:
        return str(WINDOWS_TO_OLSON[cleaned])
    parts = cleaned.split("/")
    for first in range(1, len(parts)):
        candidate = "/".join(parts[first:])
        if "/" in candidate and iana_zone(candidate) is not None:
            return candidate
    return None


def zone_name(value: tzinfo | None, tzid: str | None, near: datetime) -> str:
    """The IANA name of a tzinfo read from a file; matched by offsets if it is custom."""
    if value is None:
        return "UTC"
    key = getattr(value, "key", None)
    if isinstance(key, str) and iana_zone(key) is not None:
        return "UTC" if key in ("Etc/UTC", "UTC") else key
    if value is UTC or near.astimezone(value).tzname() == "UTC" and _is_fixed_zero(value, near):
        return "UTC"
    if tzid:
        named = iana_name_for_tzid(tzid)
        if named is not None:
            return named
    return _match_by_offsets(value, near.year) or "UTC"


def _is_fixed_zero(value: tzinfo, near: datetime) -> bool:
    """Whether a zone has offset zero all year round."""
    return all(offset == timedelta(0) for offset in _offsets(value, near.year))


def _sample_instants(year: int) -> list[datetime]:
    """Instants a week apart through the year before, of and after `year`."""
    first = datetime(max(year - 1, 1971), 1, 1, 12, tzinfo=UTC)
    last = datetime(min(year + 1, 2099), 12, 31, 12, tzinfo=UTC)
    count = (last - first).days // _SAMPLE_DAYS + 1
    return [first + timedelta(days=_SAMPLE_DAYS * index) for index in range(count)]


def _offsets(value: tzinfo, year: int) -> tuple[timedelta | None, ...]:
    """The UTC offsets of a zone at the sample instants of `year`."""
    return tuple(instant.astimezone(value).utcoffset() for instant in _sample_instants(year))


# The zones most people live in, per set of rules: a custom zone with US Eastern rules is
# America/New_York, not the first such name alphabetically (America/Detroit, Grand_Turk).
MOST_USED = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Halifax",
    "America/St_Johns",
    "America/Toronto",
    "America/Vancouver",
    "America/Mexico_City",
    "America/Bogota",
    "America/Lima",
    "America/Santiago",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Amsterdam",
    "Europe/Brussels",
    "Europe/Vienna",
    "Europe/Zurich",
    "Europe/Stockholm",
    "Europe/Oslo",
    "Europe/Copenhagen",
    "Europe/Warsaw",
    "Europe/Prague",
    "Europe/Budapest",
    "Europe/Athens",
    "Europe/Helsinki",
    "Europe/Kyiv",
    "Europe/Bucharest",
    "Europe/Istanbul",
    "Europe/Moscow",
    "Africa/Casablanca",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Africa/Cairo",
    "Africa/Nairobi",
    "Asia/Jerusalem",
    "Asia/Riyadh",
    "Asia/Tehran",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Jakarta",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Singapore",
    "Asia/Manila",
    "Asia/Taipei",
    "Asia/Seoul",
    "Asia/Tokyo",
    "Australia/Perth",
    "Australia/Darwin",
    "Australia/Adelaide",
    "Australia/Brisbane",
    "Australia/Sydney",
    "Australia/Melbourne",
    "Australia/Hobart",
    "Pacific/Auckland",
    "Pacific/Fiji",
    "UTC",
)


@functools.cache
def candidate_names() -> tuple[str, ...]:
    """IANA names to try when matching a zone by its offsets: the most used first, then the
    canonical Windows targets, then all others (each group sorted)."""
    first = [name for name in MOST_USED if iana_zone(name)]
    windows = sorted(
        {str(name) for name in WINDOWS_TO_OLSON.values() if iana_zone(str(name))} - set(first)
    )
    rest = sorted(available_timezones() - set(first) - set(windows))
    return (*first, *windows, *rest)


@functools.cache
def _iana_offsets(name: str, year: int) -> tuple[timedelta | None, ...]:
    """The offsets of an IANA zone at the sample instants of `year` (cached)."""
    return _offsets(ZoneInfo(name), year)


def _match_by_offsets(value: tzinfo, year: int) -> str | None:
    """The first IANA zone whose offsets equal those of `value` around `year`."""
    try:
        wanted = _offsets(value, year)
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None
    for name in candidate_names():
        if _iana_offsets(name, year) == wanted:
            return name
    return None


def in_zone(value: datetime | date, zone: str) -> datetime:
    """An aware datetime for a value from a file, expressed in `zone` (dates: local midnight)."""
    target = ZoneInfo(zone)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=target)
        return value.astimezone(target)
    return datetime(value.year, value.month, value.day, tzinfo=target)

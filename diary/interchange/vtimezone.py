"""VTIMEZONE components written from the IANA database, readable alike by every client.

Each kind of transition (offset before, offset after, name, summer or not) is one
observance: its first transition is the DTSTART, every later one an RDATE line of its own.
ical.js (Thunderbird's parser) reads several values on one RDATE line as one, so it would
put later years an hour off; one value a line is read the same by icalendar, vobject and
ical.js. DTSTART and RDATE are local times in the offset before the change (RFC 5545
§3.6.5: "the effective onset date and local time").
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

_STEP = timedelta(days=1)  # no zone changes its offset twice within a day
# (offset before, offset after, name after, summer time after): one observance each
_Kind = tuple[timedelta | None, timedelta | None, str | None, bool]


def _offset(delta: timedelta | None) -> str:
    seconds = int((delta or timedelta(0)).total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def transitions(zone: str, first: datetime, last: datetime) -> list[datetime]:
    """The UTC instants in [first, last) at which `zone` changes its offset or name."""
    tz = ZoneInfo(zone)

    def state(moment: datetime) -> tuple[object, ...]:
        local = moment.astimezone(tz)
        return (local.utcoffset(), local.tzname(), local.dst())

    found = []
    moment = first
    current = state(moment)
    while moment < last:
        following = min(moment + _STEP, last)
        after = state(following)
        if after != current:
            low, high = moment, following  # the change lies in (low, high]
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if middle <= low:
                    break
                if state(middle) == current:
                    low = middle
                else:
                    high = middle
            found.append(high)
            current = after
        moment = following
    return found


@functools.lru_cache(maxsize=64)
def vtimezone(zone: str, first_year: int, last_year: int) -> str:
    """The VTIMEZONE text (CRLF lines) of `zone` for every year in [first_year, last_year]."""
    tz = ZoneInfo(zone)
    first = datetime(max(first_year, 1970), 1, 1, tzinfo=UTC)
    last = datetime(min(max(last_year, first_year), 2200) + 1, 1, 1, tzinfo=UTC)
    observances: dict[_Kind, list[datetime]] = {}
    local = first.astimezone(tz)
    opening = (local.utcoffset(), local.utcoffset(), local.tzname(), bool(local.dst()))
    observances[opening] = [first]
    for change in transitions(zone, first, last):
        before = (change - timedelta(seconds=1)).astimezone(tz)
        after = change.astimezone(tz)
        key = (before.utcoffset(), after.utcoffset(), after.tzname(), bool(after.dst()))
        observances.setdefault(key, []).append(change)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{zone}"]
    for (offset_from, offset_to, name, summer), changes in observances.items():
        kind = "DAYLIGHT" if summer else "STANDARD"
        shift = offset_from or timedelta(0)
        onset = [(moment + shift).replace(tzinfo=None) for moment in changes]
        lines.append(f"BEGIN:{kind}")
        lines.append(f"DTSTART:{onset[0]:%Y%m%dT%H%M%S}")
        lines.extend(f"RDATE:{moment:%Y%m%dT%H%M%S}" for moment in onset[1:])
        lines.append(f"TZOFFSETFROM:{_offset(offset_from)}")
        lines.append(f"TZOFFSETTO:{_offset(offset_to)}")
        if name:
            lines.append(f"TZNAME:{name}")
        lines.append(f"END:{kind}")
    lines.append("END:VTIMEZONE")
    return "".join(f"{line}\r\n" for line in lines)

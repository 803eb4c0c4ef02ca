"""RRULE expansion for series stored in the diary: wall-clock occurrences in the series' zone."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rruleset, rrulestr

from diary.interchange.errors import ImportFailure


def rule_set(
    rules: str,
    start: datetime,
    zone: str,
    *,
    exdates: Iterable[datetime] = (),
    rdates: Iterable[datetime] = (),
) -> rruleset:
    """The occurrences of `rules` (RRULE values, one a line) from `start`, as a set.

    Occurrences keep `start`'s wall-clock time in `zone` across DST changes, as RFC 5545
    asks of a DTSTART with a TZID.
    """
    tz = ZoneInfo(zone)
    first = start.astimezone(tz)
    result = rruleset()
    for line in rules.splitlines():
        text = line.strip().removeprefix("RRULE:")
        if not text:
            continue
        try:
            parsed = rrulestr(_utc_until(text, tz), dtstart=first)
        except (ValueError, TypeError) as exc:
            raise ImportFailure("series", f"cannot read the rule {text!r}: {exc}") from exc
        assert isinstance(parsed, rrule)
        result.rrule(parsed)
    for moment in rdates:
        result.rdate(moment.astimezone(tz))
    for moment in exdates:
        result.exdate(moment.astimezone(tz))
    return result


def occurrences(
    rules: str,
    start: datetime,
    zone: str,
    *,
    lo: datetime,
    hi: datetime,
    exdates: Iterable[datetime] = (),
    rdates: Iterable[datetime] = (),
    limit: int = 5000,
) -> list[datetime]:
    """Occurrence starts in [lo, hi) (aware, in `zone`), at most `limit` of them."""
    found: list[datetime] = []
    lo_s, hi_s = lo.timestamp(), hi.timestamp()
    for moment in rule_set(rules, start, zone, exdates=exdates, rdates=rdates):
        instant = moment.timestamp()
        if instant >= hi_s:
            break
        if instant >= lo_s:
            found.append(_normal(moment, zone))
            if len(found) >= limit:
                break
    return found


def ends_before(
    rules: str,
    start: datetime,
    zone: str,
    moment: datetime,
    *,
    exdates: Iterable[datetime] = (),
    rdates: Iterable[datetime] = (),
) -> bool:
    """Whether the series has no occurrence at or after `moment` (a finished series)."""
    tz = ZoneInfo(zone)
    after = rule_set(rules, start, zone, exdates=exdates, rdates=rdates).after(
        moment.astimezone(tz), inc=True
    )
    return after is None


def _utc_until(text: str, tz: ZoneInfo) -> str:
    """The rule with a floating or date UNTIL read in the series' zone and written in UTC."""
    parts = []
    for part in text.split(";"):
        name, _, value = part.partition("=")
        if name.strip().upper() == "UNTIL" and not value.strip().upper().endswith("Z"):
            raw = value.strip()
            local = datetime.strptime(raw, "%Y%m%dT%H%M%S" if "T" in raw else "%Y%m%d")
            if "T" not in raw:
                local = local.replace(hour=23, minute=59, second=59)
            value = f"{local.replace(tzinfo=tz).astimezone(UTC):%Y%m%dT%H%M%SZ}"
        parts.append(f"{name}={value}" if value else name)
    return ";".join(parts)


def _normal(moment: datetime, zone: str) -> datetime:
    """A wall-clock occurrence that exists: times in a DST gap move forward like phones do."""
    tz = ZoneInfo(zone)
    return moment.astimezone(UTC).astimezone(tz)

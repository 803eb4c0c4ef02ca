"""What diary accepts: the years it stores, the largest numbers, and wall-clock times.

Years 1900 to 2200: wide enough for any diary, narrow enough that every instant, every
length and every offset stays inside what `datetime` and the databases represent (year 1
or 9999 plus a day's offset overflows `datetime`). Row ids are 64-bit on every back end.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

FIRST_YEAR = 1900
LAST_YEAR = 2200
# The largest row id SQLite's INTEGER and PostgreSQL's BIGINT hold.
MAX_ID = 2**63 - 1
# The longest length or offset in minutes: the span of the supported years.
MAX_MINUTES = (date(LAST_YEAR + 1, 1, 1) - date(FIRST_YEAR, 1, 1)).days * 24 * 60


def supported(day: date) -> bool:
    """Whether `day` (or a datetime's day) falls in FIRST_YEAR..LAST_YEAR."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


class NonexistentTime(ValueError):
    """A wall-clock time the clocks skip (spring forward)."""


class AmbiguousTime(ValueError):
    """A wall-clock time that happens twice (fall back); `first` and `second` are both."""

    def __init__(self, first: datetime, second: datetime) -> None:
        super().__init__(f"{first.replace(tzinfo=None).isoformat()} happens twice")
        self.first = first
        self.second = second


def wall_time(value: datetime, zone: ZoneInfo) -> datetime:
    """The aware instant a naive wall-clock `value` names in `zone`.

    Raises NonexistentTime inside a gap and AmbiguousTime inside a fold (its `first` and
    `second` carry the two instants with fixed offsets), never guessing (PEP 495 `fold`).
    """
    first = value.replace(tzinfo=zone, fold=0)
    second = value.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != value:
        raise NonexistentTime(f"{value.isoformat()} does not exist in {zone.key}")
    raise AmbiguousTime(_fixed(first), _fixed(second))


def _fixed(moment: datetime) -> datetime:
    """`moment` with its offset as a fixed zone (so `fold` no longer matters)."""
    return moment.astimezone(timezone(moment.utcoffset() or timedelta(0)))

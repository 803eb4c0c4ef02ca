"""Wall-clock times that a clock change makes missing or repeated, found with zoneinfo.

A wall time in the spring gap (02:30 on the night the clocks go forward) names no instant;
one in the autumn fold (01:30 on the night they go back) names two. Whoever turns a typed
or dragged wall time into an instant asks here, and says so instead of guessing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


class MissingWallTime(ValueError):
    """A wall-clock time the clocks skip in that zone on that day."""

    def __init__(self, wall: datetime, zone: str) -> None:
        super().__init__(f"{wall:%Y-%m-%d %H:%M} does not exist in {zone}: the clocks go forward")
        self.wall = wall
        self.zone = zone


def instants_at(wall: datetime, zone: str) -> list[datetime]:
    """The instants (aware, in `zone`) whose wall clock reads `wall` (naive): none in a gap,
    two in a fold (the earlier first), else one."""
    tz = ZoneInfo(zone)
    found: list[datetime] = []
    for fold in (0, 1):
        candidate = wall.replace(tzinfo=tz, fold=fold)
        # A real instant survives the round trip through UTC unchanged.
        back = candidate.astimezone(UTC).astimezone(tz)
        if back.replace(tzinfo=None) == wall.replace(tzinfo=None, fold=0) and all(
            back.timestamp() != f.timestamp() for f in found
        ):
            found.append(back)
    return sorted(found, key=lambda moment: moment.timestamp())


def instant_at(wall: datetime, zone: str, *, later: bool = False) -> datetime:
    """The instant `wall` (naive) names in `zone`: the earlier of two in a fold (the later
    with `later`). Raises MissingWallTime in a gap."""
    found = instants_at(wall, zone)
    if not found:
        raise MissingWallTime(wall, zone)
    return found[-1] if later else found[0]


def is_repeated(moment: datetime, zone: str) -> bool:
    """True when the wall time `moment` shows in `zone` happens twice that day (a fold)."""
    local = moment.astimezone(ZoneInfo(zone))
    return len(instants_at(local.replace(tzinfo=None), zone)) > 1

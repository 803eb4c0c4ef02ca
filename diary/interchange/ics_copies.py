"""Several copies of one event in a file: the newest is kept, the others are reported.

Feeds repeat a stale copy of an event they have since changed (the same UID, and for a
changed occurrence the same RECURRENCE-ID). Of the copies the one with the highest
SEQUENCE is kept, then the latest DTSTAMP, then the latest LAST-MODIFIED, then the last in
the file; each other copy becomes a repair at its own line, naming the line kept.
"""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Component, Event

from diary.interchange.ics_events import decoded, event_uid
from diary.interchange.ics_scan import Block
from diary.interchange.records import Repair

_get = dict.get

Copy = tuple[Block, Event]  # where the copy sits in the file, and the event read from it


def newest_copy(copies: list[Copy], *, override: bool) -> tuple[Copy | None, list[Repair]]:
    """The copy to keep of `copies` (one UID; `override`: copies of one changed occurrence)
    and a repair for each copy dropped, in the order of rank. None and no repairs for no
    copies."""
    if len(copies) <= 1:
        return (copies[0] if copies else None), []
    ranked = sorted(enumerate(copies), key=lambda pair: (copy_rank(pair[1][1]), pair[0]))
    winner = ranked[-1][1]
    what = (
        "a stale copy of this changed occurrence was dropped"
        if override
        else "a stale copy of this event was dropped"
    )
    dropped = [
        Repair(
            block.line,
            event_uid(event),
            f"{what} (SEQUENCE {sequence(event)}; kept the one at line "
            f"{winner[0].line}, SEQUENCE {sequence(winner[1])})",
        )
        for _index, (block, event) in ranked[:-1]
    ]
    return winner, dropped


def copy_rank(event: Component) -> tuple[int, float, float]:
    """Which copy is newest, highest first: SEQUENCE, then DTSTAMP, then LAST-MODIFIED
    (POSIX seconds; 0 where missing or unreadable)."""
    return (sequence(event), _stamp(event, "DTSTAMP"), _stamp(event, "LAST-MODIFIED"))


def recurrence_key(event: Component) -> str:
    """What copies of one changed occurrence share: its RECURRENCE-ID, an aware one in UTC
    (ISO 8601), so that one written in another zone is the same occurrence."""
    value = decoded(_get(event, "RECURRENCE-ID"))
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).isoformat()
    return str(value)


def sequence(event: Component) -> int:
    """The event's SEQUENCE; 0 where missing or not a whole number."""
    try:
        return int(str(_get(event, "SEQUENCE", 0)).strip())
    except ValueError:
        return 0


def _stamp(event: Component, prop: str) -> float:
    value = decoded(_get(event, prop))
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()
    return 0.0

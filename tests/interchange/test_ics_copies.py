"""Copies of one event in a file, on their own: which is kept, and what is said of the others.

Events are built in memory (no file is parsed); the blocks only say at which line each
copy sits. Dates are in 2030, far from any real today; nothing reads a clock.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Event

from diary.interchange.ics_copies import copy_rank, newest_copy, recurrence_key, sequence
from diary.interchange.ics_scan import Block


def _copy(line: int, **props: object) -> tuple[Block, Event]:
    event = Event()
    event.add("UID", "dup")
    for name, value in props.items():
        event.add(name.replace("_", "-"), value)
    return Block("VEVENT", 0, 0, line, "dup"), event


def test_no_copies_and_one_copy_need_no_choice() -> None:
    assert newest_copy([], override=False) == (None, [])
    only = _copy(3, SEQUENCE=1)
    assert newest_copy([only], override=False) == (only, [])


def test_the_highest_sequence_wins_then_the_latest_stamp_then_the_last_in_the_file() -> None:
    old_stamp = datetime(2030, 1, 1, tzinfo=UTC)
    new_stamp = datetime(2030, 2, 1, tzinfo=UTC)
    stale = _copy(10, SEQUENCE=1, DTSTAMP=new_stamp)
    older = _copy(20, SEQUENCE=2, DTSTAMP=old_stamp)
    kept = _copy(30, SEQUENCE=2, DTSTAMP=new_stamp)
    twin = _copy(40, SEQUENCE=2, DTSTAMP=new_stamp, LAST_MODIFIED=old_stamp)
    winner, dropped = newest_copy([stale, older, twin, kept], override=False)
    assert winner is twin  # LAST-MODIFIED breaks the tie with `kept`
    assert [repair.line for repair in dropped] == [10, 20, 30]
    assert dropped[0].uid == "dup"
    assert dropped[0].what == (
        "a stale copy of this event was dropped (SEQUENCE 1; kept the one at line 40, SEQUENCE 2)"
    )
    same = [_copy(5), _copy(6)]
    assert newest_copy(same, override=False)[0] is same[1]


def test_a_changed_occurrence_is_named_as_such() -> None:
    _kept, dropped = newest_copy([_copy(1, SEQUENCE=0), _copy(9, SEQUENCE=4)], override=True)
    assert dropped[0].what.startswith("a stale copy of this changed occurrence was dropped")


def test_rank_and_sequence_read_what_is_there() -> None:
    _block, bare = _copy(1)
    assert sequence(bare) == 0 and copy_rank(bare) == (0, 0.0, 0.0)
    _block, junk = _copy(1)
    junk["SEQUENCE"] = "two"
    assert sequence(junk) == 0
    _block, floating = _copy(1, SEQUENCE=3, DTSTAMP=datetime(2030, 1, 1))
    assert copy_rank(floating) == (3, datetime(2030, 1, 1, tzinfo=UTC).timestamp(), 0.0)


def test_one_occurrence_written_in_two_zones_has_one_key() -> None:
    berlin = datetime(2030, 3, 4, 10, tzinfo=ZoneInfo("Europe/Berlin"))
    _block, local = _copy(1, RECURRENCE_ID=berlin)
    _block, utc = _copy(2, RECURRENCE_ID=berlin.astimezone(UTC))
    assert recurrence_key(local) == recurrence_key(utc) == "2030-03-04T09:00:00+00:00"

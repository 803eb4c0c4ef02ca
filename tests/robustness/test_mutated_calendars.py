"""Mutated calendar files: each is imported or refused with a message, never a traceback, and
a refused one leaves every row of the database as it was (issue 16). What an import stored
is read back (weeks near and far listed and checked, a quarter exported) without a
traceback either. On both back ends.

The files are the interop corpus and the field cases (tests/data), cut, doubled, swapped,
scribbled over and given impossible values by a seeded random generator, so a failing file
can be made again from its number. `make test` imports MUTATED files per back end;
`make soak` DIARY_SOAK_MUTATED (500).
"""

from __future__ import annotations

import random
import traceback
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from diary.services import DiaryService, InputError
from diary.services.clock import FixedClock
from diary.storage.schema import Base

from tests.robustness.counts import report, rounds
from tests.robustness.kill_worker import NOW

DATA = Path(__file__).resolve().parents[1]
MUTATED = rounds("mutated", 40)
SEEDS = sorted(
    path
    for folder in (DATA / "data", DATA / "interchange" / "data")
    for path in folder.rglob("*.ics")
    if path.stat().st_size < 200_000
)
JUNK_LINES = (
    "DTSTART:20261332T256199",
    "DTSTART;TZID=Mars/Olympus_Mons:20261124T100000",
    "DTEND:19000101T000000Z",
    "DURATION:-P99999D",
    "DURATION:PT",
    "RRULE:FREQ=WEEKLY;COUNT=-3",
    "RRULE:FREQ=DAILY;UNTIL=20261124;COUNT=4",
    "RRULE:FREQ=MONTHLY;BYMONTHDAY=31;COUNT=40",
    "RRULE:FREQ=FORTNIGHTLY",
    "RRULE:",
    "EXDATE:not-a-date",
    "RECURRENCE-ID;RANGE=THISANDFUTURE:20991231T000000Z",
    "UID:",
    "SEQUENCE:99999999999999999999999",
    "SUMMARY:" + "x" * 5000,
    "LOCATION:\x00\x01\x02",
    "BEGIN:VEVENT",
    "END:VEVENT",
    "BEGIN:VTIMEZONE",
    "END:VCALENDAR",
    "X-WR-TIMEZONE:Nowhere/Atlantis",
    " folded continuation without a line",
)


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def _delete(chance: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    del lines[chance.randrange(len(lines))]
    return b"".join(lines)


def _double(chance: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    at = chance.randrange(len(lines))
    lines.insert(at, lines[at])
    return b"".join(lines)


def _swap(chance: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    a, b = chance.randrange(len(lines)), chance.randrange(len(lines))
    lines[a], lines[b] = lines[b], lines[a]
    return b"".join(lines)


def _truncate(chance: random.Random, data: bytes) -> bytes:
    return data[: chance.randrange(len(data) + 1)]


def _scribble(chance: random.Random, data: bytes) -> bytes:
    scribbled = bytearray(data)
    for _ in range(chance.randint(1, 8)):
        if scribbled:
            scribbled[chance.randrange(len(scribbled))] = chance.choice(
                [0x00, 0x0A, 0x3A, 0x3B, 0xFF, 0xC3, 0x80, ord("Z"), ord("9")]
            )
    return bytes(scribbled)


def _junk(chance: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    junk = chance.choice(JUNK_LINES).encode("utf-8", "surrogateescape") + b"\r\n"
    lines.insert(chance.randrange(len(lines) + 1), junk)
    return b"".join(lines)


def _values(chance: random.Random, data: bytes) -> bytes:
    """Dates and numbers made impossible: month 13, hour 25, a year 0000 or 9999."""
    text = bytearray(data)
    digits = [i for i, c in enumerate(text) if 0x30 <= c <= 0x39]
    for at in chance.sample(digits, min(len(digits), chance.randint(1, 6))):
        text[at] = ord(chance.choice("09"))
    return bytes(text)


MUTATIONS: tuple[Callable[[random.Random, bytes], bytes], ...] = (
    _delete,
    _double,
    _swap,
    _truncate,
    _scribble,
    _junk,
    _values,
)


def mutated(number: int) -> tuple[str, bytes]:
    """File `number` of the run: which seed it came from, and its bytes."""
    chance = random.Random(number)
    seed = chance.choice(SEEDS)
    data = seed.read_bytes()
    for _ in range(chance.randint(1, 4)):
        data = chance.choice(MUTATIONS)(chance, data)
    return seed.name, data


# What the owner reads after an import: the week of the fixed clock, a week years away (what
# the import did not expand ahead: the readers expand the rules there) and an export.
READ_BACK_WEEKS = (NOW, NOW + timedelta(days=7 * 520), NOW - timedelta(days=7 * 520))


def _read_back(service: DiaryService, out: Path) -> None:
    """Read what an import stored as the owner would: list and check weeks near and far,
    export a quarter. Raises what a reader raises."""
    for monday in READ_BACK_WEEKS:
        service.listing(monday, monday + timedelta(days=7))
        service.check(monday, monday + timedelta(days=7))
    service.calendar().export_calendar(out, NOW - timedelta(days=30), NOW + timedelta(days=60))
    out.unlink()


def _world(service: DiaryService) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table: what must not change when a file is refused."""
    with service.database.session() as session:
        return {
            table.name: [
                tuple(row)
                for row in session.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }


@pytest.mark.slow
def test_mutated_calendars_are_imported_or_refused_and_a_refusal_changes_nothing(
    any_db_url: str, tmp_path: Path
) -> None:
    service = DiaryService.open(any_db_url, zone="Europe/London", clock=FixedClock(NOW))
    calendar_io = service.calendar()
    imported = refused = changed_after_refusal = 0
    tracebacks: list[str] = []
    try:
        for number in range(MUTATED):
            source, data = mutated(number)
            path = tmp_path / f"mutated-{number}.ics"
            path.write_bytes(data)
            before = _world(service)
            try:
                calendar_io.import_calendar(path)
            except InputError as error:
                refused += 1
                assert str(error).strip(), "a refusal says why"
                if _world(service) != before:
                    changed_after_refusal += 1
            except Exception:  # noqa: BLE001 - what the owner would see as a traceback
                tracebacks.append(f"file {number} (from {source}):\n{traceback.format_exc()}")
            else:
                imported += 1
                try:
                    _read_back(service, tmp_path / f"read-back-{number}.ics")
                except Exception:  # noqa: BLE001 - the owner's next `list` would show it
                    tracebacks.append(
                        f"reading back file {number} (from {source}):\n{traceback.format_exc()}"
                    )
            path.unlink()
    finally:
        service.close()
    backend = "postgresql" if any_db_url.startswith("postgresql") else "sqlite"
    report(
        f"ics-{backend}",
        files=MUTATED,
        imported=imported,
        refused=refused,
        tracebacks=len(tracebacks),
        changed_after_refusal=changed_after_refusal,
    )
    assert tracebacks == [], tracebacks[0]
    assert changed_after_refusal == 0

"""CalendarIO: all-or-nothing import, cancel, progress, defaults, and the interop corpus."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from diary.interchange.errors import ImportFailure
from diary.interchange.ics_import import parse_calendar
from diary.services import DiaryService
from diary.services.calendar_io import CalendarIO, ImportCancelled, ImportRefused

from .conftest import NOW

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "data" / "corpus" / "icalendar"


def _events(count: int) -> bytes:
    parts = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN"]
    for number in range(count):
        parts += [
            "BEGIN:VEVENT",
            f"UID:e{number}@t",
            "DTSTAMP:20261101T000000Z",
            f"DTSTART:202612{1 + number % 28:02d}T{8 + number % 9:02d}0000Z",
            "SUMMARY:Visit",
            "END:VEVENT",
        ]
    parts.append("END:VCALENDAR")
    return ("\r\n".join(parts) + "\r\n").encode()


@pytest.fixture
def io(service: DiaryService) -> CalendarIO:
    return CalendarIO(service.store)


def test_cancelling_midway_rolls_everything_back(
    io: CalendarIO, service: DiaryService, tmp_path: Path
) -> None:
    path = tmp_path / "many.ics"
    path.write_bytes(_events(600))
    calls: list[tuple[int, int]] = []
    with pytest.raises(ImportCancelled):
        io.import_calendar(
            path, progress=lambda d, t: calls.append((d, t)), cancelled=lambda: bool(calls[1:])
        )
    december = (datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    assert service.listing(*december) == []
    summary = io.import_calendar(path, progress=lambda d, t: calls.append((d, t)))
    assert summary.added == 600 and calls[-1] == (600, 600)


def test_an_event_without_an_end_stays_zero_length_and_is_not_flagged(
    io: CalendarIO, service: DiaryService, tmp_path: Path
) -> None:
    path = tmp_path / "one.ics"
    path.write_bytes(_events(1))
    summary = io.import_calendar(path)
    assert summary.flagged == 0 and summary.repairs == ()  # RFC 5545 3.6.1: no DTEND is fine
    # Listed on its day, also by a window that starts exactly at it.
    at = datetime(2026, 12, 1, 8, tzinfo=UTC)
    for lo in (datetime(2026, 12, 1, tzinfo=UTC), at):
        [item] = service.listing(lo, datetime(2026, 12, 2, tzinfo=UTC))
        assert item.appointment.start == item.appointment.end == at
        assert item.flags == ()


def test_a_refusal_is_an_input_error_naming_the_file(io: CalendarIO, tmp_path: Path) -> None:
    path = tmp_path / "bad.ics"
    path.write_bytes(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    summary = io.import_calendar(path)
    assert summary.added == 0 and summary.skipped == {"unreadable event": 1}
    assert [r.describe(summary.source) for r in summary.repairs] == [
        f"{path}:2: event x: skipped: no DTSTART"
    ]
    with pytest.raises(ImportRefused) as refused:
        io.import_calendar(path, strict=True)
    assert f"{path}:2" in str(refused.value) and "DTSTART" in str(refused.value)


def _corpus_files() -> Iterator[Path]:
    yield from sorted(CORPUS.rglob("*.ics"))


@pytest.mark.slow
def test_every_corpus_file_the_parser_accepts_imports_without_a_traceback(
    tmp_path: Path,
) -> None:
    imported = 0
    for number, path in enumerate(_corpus_files()):
        try:
            parse_calendar(
                path.read_bytes(),
                source=str(path),
                default_zone="Europe/London",
            )
        except ImportFailure:
            continue
        service = DiaryService.open(
            f"sqlite:///{tmp_path / f'{number}.sqlite3'}", zone="Europe/London", clock=lambda: NOW
        )
        try:
            CalendarIO(service.store).import_calendar(path)
            imported += 1
        finally:
            service.close()
    assert imported > 50

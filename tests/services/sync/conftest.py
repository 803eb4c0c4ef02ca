"""A diary synced with a fresh calendar on a real server, and a phone editing that calendar.

Dates are in 2030 on purpose (far from any real today); the clock is a FixedClock.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from diary.services import DiaryService, Draft
from diary.services.clock import FixedClock
from diary.services.sync.service import SyncReport

from tests.dav_servers import PASSWORD, USER, DavServer, Phone, fresh_calendar

ZONE = "Europe/Berlin"
TZ = ZoneInfo(ZONE)
NOW = datetime(2030, 3, 1, 8, 0, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2030, month, day, hour, minute, tzinfo=TZ)


def phone_event(
    uid: str,
    title: str,
    start: datetime | None = None,
    minutes: int = 60,
    *,
    extra: str = "",
    all_day: str | None = None,
) -> str:
    """A calendar object as a phone writes it (its own PRODID, alarms, colours...)."""
    if all_day is not None:
        times = f"DTSTART;VALUE=DATE:{all_day}\r\n"
    else:
        assert start is not None
        end = start + timedelta(minutes=minutes)
        times = (
            f"DTSTART;TZID={ZONE}:{start:%Y%m%dT%H%M%S}\r\n"
            f"DTEND;TZID={ZONE}:{end:%Y%m%dT%H%M%S}\r\n"
        )
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Phone Inc//Calendar 17//EN\r\n"
        "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"
        "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n"
        "DTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
        "BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n"
        "DTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n"
        "END:VTIMEZONE\r\n"
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20300101T000000Z\r\n{times}"
        f"SUMMARY:{title}\r\n{extra}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


@dataclass
class Desk:
    """The desktop side: a diary with an account "Work" on `phone`'s calendar."""

    service: DiaryService
    phone: Phone
    server: DavServer
    clock: FixedClock

    def sync(self, **options: object) -> SyncReport:
        (report,) = self.service.syncing.sync("Work", **options)  # type: ignore[arg-type]
        assert report.error is None, report.error
        return report

    def book(self, title: str, start: datetime, minutes: int = 60, **more: object) -> str:
        outcome = self.service.book(
            Draft(title=title, start=start, end=start + timedelta(minutes=minutes), **more),  # type: ignore[arg-type]
            force=True,
            reason="test set-up",
        )
        assert outcome.appointment is not None
        return outcome.appointment.uid

    def on_server(self) -> dict[str, str]:
        """Resource name -> text of everything in the calendar (as the phone sees it)."""
        return self.phone.names()

    def by_uid(self) -> dict[str, str]:
        found = {}
        for text in self.on_server().values():
            for line in text.replace("\r\n ", "").replace("\n ", "").splitlines():
                if line.startswith("UID:"):
                    found[line[4:].strip()] = text
                    break
        return found


def make_desk(server: DavServer, folder: Path, calendar: Phone | None = None) -> Desk:
    clock = FixedClock(NOW)
    service = DiaryService.open(f"sqlite:///{folder / 'diary.sqlite3'}", zone=ZONE, clock=clock)
    service.add_location("Müller", address="Hauptstr. 5")
    phone = calendar or fresh_calendar(server, "Jobs")
    service.accounts.add(
        "Work",
        url=server.root,
        username=USER,
        calendar=f"{server.root.rstrip('/')}{phone.path}",
        password=PASSWORD,
        push_bands=False,
    )
    return Desk(service, phone, server, clock)


def desk_with_bands(server: DavServer, folder: Path) -> Desk:
    """A desk whose account sends travel and wrap-up: 25 minutes from the Office (the
    base) to Müller, and the policy's wrap-up after a meeting."""
    desk = make_desk(server, folder)
    desk.service.add_location("Office", address="Ringstr. 2")
    desk.service.set_policy("base", "Office")
    desk.service.set_travel("Office", "Müller", 25)
    desk.service.accounts.remove("Work")
    desk.service.accounts.add(
        "Work",
        url=server.root,
        username=USER,
        calendar=f"{server.root.rstrip('/')}{desk.phone.path}",
        password=PASSWORD,
    )
    return desk


@pytest.fixture
def desk(dav_server: DavServer, tmp_path: Path) -> Iterator[Desk]:
    made = make_desk(dav_server, tmp_path)
    yield made
    made.service.close()

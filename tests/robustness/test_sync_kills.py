"""SIGKILL during syncs: a diary killed part-way through a CalDAV sync leaves no duplicate
on the server, loses nothing on either side, invents no conflict and keeps its database
intact; the next sync finishes the job (issue 16). On Radicale and on Xandikos.

Each round makes a fresh calendar and a fresh diary: DESK_BOOKINGS appointments here,
PHONE_EVENTS made on the phone (tests.dav_servers.Phone). Every other round first syncs
once to completion and then changes both sides (edits, moves, cancellations and new
bookings here; edits, deletions and new events on the phone), so the killed sync is a
later one; the others kill the very first sync, which pushes everything. The sync runs in
a child (`tests.robustness.sync_kill_worker`) that announces each CalDAV request; the
parent SIGKILLs it after a random number of those lines (once or twice a round), never
after a sleep. Then a sync in this process runs to completion and both sides are checked
against what the owner and the phone did. `make test` runs SYNC_KILLS rounds per server;
`make soak` runs DIARY_SOAK_SYNC_KILLS.

Dates are in 2031 (far from any real today) and the clock is a FixedClock.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select, text

from diary.services import DiaryService, Draft
from diary.services.clock import FixedClock
from diary.storage import open_database
from diary.storage.schema import AppointmentRow

from tests.dav_servers import PASSWORD, USER, DavServer, Phone, fresh_calendar
from tests.robustness.counts import report, rounds
from tests.robustness.sync_kill_worker import ACCOUNT, NOW, ZONE

ROOT = Path(__file__).resolve().parents[2]
SYNC_KILLS = rounds("sync_kills", 2)
DESK_BOOKINGS = 20
PHONE_EVENTS = 6
TZ = ZoneInfo(ZONE)


def _at(number: int) -> datetime:
    """The number-th slot: one a day at 9, 11, 14 or 16 o'clock, from March 2031."""
    day = datetime(2031, 3, 3, tzinfo=TZ) + timedelta(days=number // 4)
    return day.replace(hour=(9, 11, 14, 16)[number % 4])


def _phone_event(uid: str, title: str, start: datetime) -> str:
    end = start + timedelta(minutes=45)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Phone Inc//Calendar 17//EN\r\n"
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20310101T000000Z\r\n"
        f"DTSTART:{start.astimezone(ZoneInfo('UTC')):%Y%m%dT%H%M%SZ}\r\n"
        f"DTEND:{end.astimezone(ZoneInfo('UTC')):%Y%m%dT%H%M%SZ}\r\n"
        f"SUMMARY:{title}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def _event(ics: str) -> tuple[str, str, datetime]:
    """UID, SUMMARY and DTSTART (in UTC) of the one event of a calendar object."""
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    start = event["DTSTART"].dt
    assert isinstance(start, datetime), start  # every event here has a time of day
    return str(event["UID"]), str(event.get("SUMMARY", "")), start.astimezone(UTC)


@dataclass
class Tally:
    rounds: int = 0
    kills: int = 0  # SIGKILLs that landed while the sync was under way
    ended_first: int = 0  # counts that outran the sync (it had finished: no kill mid-sync)
    items: int = 0  # appointments checked on both sides after the final sync
    duplicates: int = 0  # extra resources for a UID already on the server
    lost: int = 0  # an appointment or an edit missing on one side
    resurrected: int = 0  # a deleted appointment back on either side
    conflicts: int = 0  # conflicts kept although no field changed on both sides
    unsettled: int = 0  # a sync after the final one still had something to do
    damaged: int = 0


@dataclass
class Round:
    """One diary and one calendar, and what each side should hold at the end."""

    url: str
    service: DiaryService
    phone: Phone
    expected: dict[str, str]  # uid -> title of every appointment that should be live
    gone: set[str]  # uids deleted on one side: they must stay deleted on both
    moved: dict[str, datetime] = field(default_factory=dict)  # uid -> its new start (UTC)

    def sync(self) -> tuple[int, int]:
        (done,) = self.service.syncing.sync(ACCOUNT)
        assert done.error is None, done.error
        return done.pushed, done.pulled


def _start(server: DavServer, folder: Path, name: str) -> Round:
    folder.mkdir()
    url = f"sqlite:///{folder / 'diary.sqlite3'}"
    service = DiaryService.open(url, zone=ZONE, clock=FixedClock(NOW))
    phone = fresh_calendar(server, "Jobs")
    service.accounts.add(
        ACCOUNT,
        url=server.root,
        username=USER,
        calendar=f"{server.root.rstrip('/')}{phone.path}",
        password=PASSWORD,
        push_bands=False,
    )
    expected: dict[str, str] = {}
    for number in range(DESK_BOOKINGS):
        title = f"{name} job {number}"
        start = _at(number)
        booked = service.book(
            Draft(title, start, start + timedelta(minutes=45)), force=True, reason="test set-up"
        )
        assert booked.appointment is not None
        expected[booked.appointment.uid] = title
    for number in range(PHONE_EVENTS):
        uid, title = f"{name}-phone-{number}", f"{name} phone {number}"
        phone.put(f"{uid}.ics", _phone_event(uid, title, _at(200 + number)))
        expected[uid] = title
    return Round(url, service, phone, expected, set())


def _change_both_sides(game: Round, name: str, chance: random.Random) -> None:
    """After a completed sync: the owner and the phone each change different appointments."""
    desk = [uid for uid in game.expected if "-phone-" not in uid]
    chance.shuffle(desk)
    edited, moved, cancelled = desk[:4], desk[4:7], desk[7:10]
    phone_edited, phone_deleted = desk[10:13], desk[13:16]
    for uid in edited:
        current = game.service.get(uid)
        title = f"{game.expected[uid]} (desk)"
        game.service.edit(uid, Draft(title, current.start, current.end), force=True, reason="test")
        game.expected[uid] = title
    for uid in moved:
        current = game.service.get(uid)
        start = current.start + timedelta(days=100)
        game.service.move(uid, start, force=True, reason="test")
        game.moved[uid] = start.astimezone(UTC)
    for uid in cancelled:
        game.service.cancel(uid)
        del game.expected[uid]
        game.gone.add(uid)
    for number in range(3):
        title = f"{name} late job {number}"
        start = _at(300 + number)
        booked = game.service.book(
            Draft(title, start, start + timedelta(minutes=30)), force=True, reason="test"
        )
        assert booked.appointment is not None
        game.expected[booked.appointment.uid] = title
    by_uid = {_event(ics)[0]: (href, ics) for href, ics in game.phone.names().items()}
    for uid in phone_edited:
        href, ics = by_uid[uid]
        title = f"{game.expected[uid]} (phone)"
        game.phone.put(href, ics.replace(f"SUMMARY:{game.expected[uid]}", f"SUMMARY:{title}"))
        game.expected[uid] = title
    for uid in phone_deleted:
        game.phone.delete(by_uid[uid][0])
        del game.expected[uid]
        game.gone.add(uid)
    for number in range(2):
        uid, title = f"{name}-phone-late-{number}", f"{name} phone late {number}"
        game.phone.put(f"{uid}.ics", _phone_event(uid, title, _at(320 + number)))
        game.expected[uid] = title


def _kill_sync(url: str, lines: int) -> bool:
    """Run the sync in a child and SIGKILL it after `lines` request lines; True if the
    kill came while the sync was under way (False: it had finished first)."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.robustness.sync_kill_worker", url],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1", DIARY_CALDAV_PASSWORD=PASSWORD),
    )
    assert worker.stdout is not None
    seen = 0
    finished = False
    for line in worker.stdout:
        if line.startswith("SYNCED"):
            finished = True
            break
        if line.startswith(("SENDING", "ANSWERED")):
            seen += 1
            if seen >= lines:
                break
    worker.send_signal(signal.SIGKILL)
    _rest, errors = worker.communicate(timeout=60)
    assert worker.returncode == -signal.SIGKILL, f"the worker ended by itself:\n{errors[-2000:]}"
    assert "Traceback" not in errors, errors[-2000:]
    return not finished


def _server_side(phone: Phone) -> Counter[str]:
    return Counter(_event(ics)[0] for ics in phone.names().values())


def _check(game: Round, tally: Tally) -> None:
    game.service.close()
    service = DiaryService.open(game.url, zone=ZONE, clock=FixedClock(NOW))
    game.service = service
    game.sync()  # the sync after the kill(s), to completion
    pushed, pulled = game.sync()  # and one more: nothing may be left to do
    tally.unsettled += pushed + pulled != 0
    tally.conflicts += len(service.sync_conflicts.conflicts())
    on_server = _server_side(game.phone)
    tally.duplicates += sum(count - 1 for count in on_server.values())
    there = {uid: (title, start) for uid, title, start in map(_event, game.phone.names().values())}
    database = open_database(game.url)
    try:
        with database.session() as session:
            if session.execute(text("PRAGMA integrity_check")).scalar() != "ok":
                tally.damaged += 1
            here = {
                uid: (title, start.astimezone(UTC))
                for uid, title, start in session.execute(
                    select(
                        AppointmentRow.uid, AppointmentRow.title, AppointmentRow.start_utc
                    ).where(AppointmentRow.cancelled.is_(False), AppointmentRow.series_id.is_(None))
                )
            }
    finally:
        database.close()
    tally.items += len(game.expected)
    for uid, title in game.expected.items():
        for side in (here, there):
            title_there, start = side.get(uid, (None, None))
            tally.lost += title_there != title
            tally.lost += uid in game.moved and start != game.moved[uid]
    tally.resurrected += sum(1 for uid in game.gone if uid in here or uid in on_server)
    tally.resurrected += len((set(here) | set(on_server)) - set(game.expected) - game.gone)


def sync_kill_loop(server: DavServer, folder: Path, count: int, seed: int) -> Tally:
    chance = random.Random(seed)
    tally = Tally()
    for number in range(count):
        name = f"r{seed}x{number}"
        game = _start(server, folder / name, name)
        if number % 2:  # kill a later sync: both sides changed since the last one
            game.sync()
            _change_both_sides(game, name, chance)
            budget = 50
        else:  # kill the first sync, which pushes every booking
            budget = 2 * (DESK_BOOKINGS + 8)
        for _kill in range(1 + chance.randrange(2)):
            if _kill_sync(game.url, chance.randint(1, budget)):
                tally.kills += 1
            else:
                tally.ended_first += 1
            budget = max(2, budget // 2)
        _check(game, tally)
        game.service.close()
        tally.rounds += 1
    return tally


@pytest.mark.slow
def test_sigkill_during_a_sync_leaves_no_duplicate_and_loses_nothing(
    dav_server: DavServer, tmp_path: Path
) -> None:
    tally = sync_kill_loop(dav_server, tmp_path, SYNC_KILLS, seed=13)
    report(
        f"sync-kill-{dav_server.kind}",
        rounds=tally.rounds,
        kills=tally.kills,
        ended_first=tally.ended_first,
        items=tally.items,
        duplicates=tally.duplicates,
        lost=tally.lost,
        resurrected=tally.resurrected,
        conflicts=tally.conflicts,
        unsettled=tally.unsettled,
        damaged=tally.damaged,
    )
    assert tally.rounds == SYNC_KILLS
    assert tally.kills > 0
    assert (tally.duplicates, tally.lost, tally.resurrected) == (0, 0, 0)
    assert (tally.conflicts, tally.unsettled, tally.damaged) == (0, 0, 0)

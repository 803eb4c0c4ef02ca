"""CalDAV sync with Radicale: a first sync of 5,000 appointments, then a sync with nothing
changed and one with a single change, side by side with `vdirsyncer sync` of the same
calendar on the same server in the same run.

`python -m bench.sync_bench [--appointments N] [--rounds R] [--seeded]`. Radicale runs on
127.0.0.1 (tests.dav_servers). diary is timed twice: its sync service called in this process,
and `diary sync` as a command (a process of its own, as vdirsyncer always is). Beside them,
the server's own answer to the same sync-collection REPORT, asked with no database at all,
and to the CTag PROPFIND that a sync with nothing changed on the desktop asks instead (the
report only when the CTag moved): what no client can go below. Targets (issue 13):
nothing changed <= 0.3 s and <= 0.5x vdirsyncer's time.

`--seeded` writes the appointments into Radicale's storage as a phone-made calendar and
lets diary's first sync download them (a minute for 5,000, where the upload takes an hour):
the syncs after it, the figures the targets are about, see the same 5,000 resources.

The first sync is bound by the server: Radicale checks a new resource's UID against every
resource of the calendar (`has_uid`, the RFC 4791 no-uid-conflict precondition), so the
k-th create costs O(k) and a first upload of N costs O(N^2) on its side (about half an
hour for 5,000 on a busy 2-core machine). The table says so: the cost of one plain PUT
into the full calendar, made at the end with a bare HTTP client, is printed beside it.
Progress goes to stderr as the run goes (a long run is not a hung one).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from diary.domain.model import Appointment, Kind
from diary.interchange.dav.client import CalDAVClient
from diary.services import DiaryService
from diary.services.clock import FixedClock

from tests.dav_servers import PASSWORD, USER, fresh_calendar, start_server

ZONE = "Europe/Berlin"
TZ = ZoneInfo(ZONE)
FIRST_DAY = date(2031, 1, 6)
NOW = datetime(2031, 1, 1, 8, 0, tzinfo=UTC)
TARGET_NO_CHANGE_S = 0.3
TARGET_RATIO = 0.5


def fill(service: DiaryService, count: int) -> list[str]:
    """`count` appointments, seven a working day from FIRST_DAY on, in one transaction."""
    uids = []
    with service.store.write() as uow:
        day, slot = FIRST_DAY, 0
        for number in range(count):
            while day.weekday() >= 5:
                day += timedelta(days=1)
            start = datetime(day.year, day.month, day.day, 8 + slot, 0, tzinfo=TZ)
            uid = f"bench-{number:05d}@diary"
            uow.appointments.save(
                Appointment(
                    uid=uid,
                    title=f"Job {number}",
                    start=start,
                    end=start + timedelta(minutes=45),
                    zone=ZONE,
                    kind=Kind.MEETING,
                    notes="bring the ladder" if number % 3 == 0 else "",
                ),
            )
            uids.append(uid)
            slot += 1
            if slot == 7:
                day, slot = day + timedelta(days=1), 0
    return uids


SEEDED = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//phone//EN\r\nBEGIN:VEVENT\r\n"
    "UID:{uid}\r\nDTSTAMP:20310101T000000Z\r\nDTSTART:{start:%Y%m%dT%H%M%SZ}\r\n"
    "DTEND:{end:%Y%m%dT%H%M%SZ}\r\nSUMMARY:Job {n}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def seed(collection: Path, count: int) -> list[str]:
    """`count` events as `fill` makes them, written straight into a Radicale collection's
    folder (one file per resource, as its multifilesystem storage keeps them)."""
    uids = []
    day, slot = FIRST_DAY, 0
    for number in range(count):
        while day.weekday() >= 5:
            day += timedelta(days=1)
        start = datetime(day.year, day.month, day.day, 8 + slot, 0, tzinfo=TZ).astimezone(UTC)
        uid = f"bench-{number:05d}@phone"
        text = SEEDED.format(uid=uid, start=start, end=start + timedelta(minutes=45), n=number)
        (collection / f"bench-{number:05d}.ics").write_text(text, newline="")
        uids.append(uid)
        slot += 1
        if slot == 7:
            day, slot = day + timedelta(days=1), 0
    return uids


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(f"{command[:3]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


PROBE = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//probe//EN\r\nBEGIN:VEVENT\r\n"
    "UID:probe-{n}@bench\r\nDTSTAMP:20310101T000000Z\r\nDTSTART:20310101T100000Z\r\n"
    "DTEND:20310101T110000Z\r\nSUMMARY:Probe {n}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def vdirsyncer_config(folder: Path, url: str) -> Path:
    config = folder / "vdirsyncer.conf"
    config.write_text(
        "[general]\n"
        f'status_path = "{folder / "status"}/"\n\n'
        "[pair diary]\n"
        'a = "local"\nb = "server"\ncollections = null\n\n'
        "[storage local]\n"
        'type = "filesystem"\n'
        f'path = "{folder / "vdir"}/"\n'
        'fileext = ".ics"\n\n'
        "[storage server]\n"
        'type = "caldav"\n'
        f'url = "{url}"\nusername = "{USER}"\npassword = "{PASSWORD}"\n'
    )
    (folder / "vdir").mkdir()
    return config


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--appointments", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument(
        "--seeded",
        action="store_true",
        help="put the appointments on the server as a phone would, and download them first",
    )
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="diary-sync-bench-"))
    server = start_server("radicale", folder / "server")
    vdirsyncer = str(Path(sys.executable).with_name("vdirsyncer"))
    diary = [sys.executable, "-m", "diary", "--db", str(folder / "diary.sqlite3"), "--tz", ZONE]
    env = {**os.environ, "DIARY_CALDAV_PASSWORD": PASSWORD, "QT_QPA_PLATFORM": "offscreen"}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    os.environ.update(DIARY_CALDAV_PASSWORD=PASSWORD)
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    rows: list[tuple[str, float, str]] = []
    try:
        calendar = fresh_calendar(server, "Jobs")
        url = f"{server.root.rstrip('/')}{calendar.path}"
        service = DiaryService.open(
            f"sqlite:///{folder / 'diary.sqlite3'}", zone=ZONE, clock=FixedClock(NOW)
        )
        if options.seeded:
            stored = server.folder / "collections" / "collection-root" / calendar.path.strip("/")
            uids = seed(stored, options.appointments)
            first_label = f"diary first sync, download of {options.appointments} phone events"
        else:
            uids = fill(service, options.appointments)
            first_label = f"diary first sync, {options.appointments} appointments"
        service.accounts.add("Work", url=server.root, username=USER, calendar=url, push_bands=False)
        say(f"{first_label}...")
        reports: list[object] = []
        first = timed(lambda: reports.extend(service.syncing.sync("Work")))
        (report,) = reports
        assert getattr(report, "error", None) is None, getattr(report, "error", None)
        per_item = f"{first / max(options.appointments, 1) * 1000:.0f} ms/item"
        rows.append((first_label, first, per_item))
        say(f"first sync done in {first:.1f} s ({per_item}); vdirsyncer's download...")

        config = vdirsyncer_config(folder, url)
        venv = {**env, "VDIRSYNCER_CONFIG": str(config)}
        subprocess.run(
            [vdirsyncer, "discover"],
            env=venv,
            input="y\n" * 4,
            text=True,
            capture_output=True,
            check=True,
            timeout=600,
        )
        vfirst = timed(lambda: run([vdirsyncer, "sync"], venv))
        rows.append(("vdirsyncer first sync (download)", vfirst, ""))
        say("the syncs with nothing changed and with one change...")

        quiet_service = [timed(lambda: service.syncing.sync("Work")) for _ in range(options.rounds)]
        quiet_cli = [
            timed(lambda: run([*diary, "sync", "Work"], env)) for _ in range(options.rounds)
        ]
        quiet_v = [timed(lambda: run([vdirsyncer, "sync"], venv)) for _ in range(options.rounds)]
        with CalDAVClient(server.root, USER, PASSWORD) as bare:
            token = bare.changes_since(url, None).token
            quiet_server = [
                timed(lambda: bare.changes_since(url, token)) for _ in range(options.rounds)
            ]
            ctag_server = [timed(lambda: bare.ctag(url)) for _ in range(options.rounds)]

        one_service, one_cli = [], []
        for number in range(options.rounds):
            uid = uids[number * 37 % len(uids)]
            moved = service.get(uid).start + timedelta(minutes=5)
            service.move(uid, moved, force=True, reason="bench")
            one_service.append(timed(lambda: service.syncing.sync("Work")))
            uid = uids[(number * 37 + 11) % len(uids)]
            service.move(
                uid, service.get(uid).start + timedelta(minutes=5), force=True, reason="bench"
            )
            one_cli.append(timed(lambda: run([*diary, "sync", "Work"], env)))
        run([vdirsyncer, "sync"], venv)  # takes diary's moves in, untimed
        one_v = []
        files = sorted((folder / "vdir").glob("*.ics"))
        for number in range(options.rounds):
            path = files[number * 41 % len(files)]
            text = path.read_text()
            path.write_text(text.replace("SUMMARY:Job", "SUMMARY:Job (edited)", 1))
            one_v.append(timed(lambda: run([vdirsyncer, "sync"], venv)))
        service.close()
        # The server's own cost of one create in a calendar this full (no diary involved).
        probes = [
            timed(lambda n=n: calendar.put(f"probe-{n}.ics", PROBE.format(n=n)))
            for n in range(options.rounds)
        ]
        probe = statistics.median(probes)
        rows.append(("one plain PUT into the full calendar (server's cost)", probe, ""))
    finally:
        server.kill()

    nothing_v, one_vd = statistics.median(quiet_v), statistics.median(one_v)
    for label, samples, baseline in (
        ("diary sync, nothing changed (service call)", quiet_service, nothing_v),
        ("diary sync, nothing changed (`diary sync` process)", quiet_cli, nothing_v),
        ("vdirsyncer sync, nothing changed", quiet_v, nothing_v),
        ("the server's answer alone (the same REPORT, no database)", quiet_server, nothing_v),
        ("the server's CTag alone (a Depth 0 PROPFIND, no database)", ctag_server, nothing_v),
        ("diary sync, one change (service call)", one_service, one_vd),
        ("diary sync, one change (`diary sync` process)", one_cli, one_vd),
        ("vdirsyncer sync, one change", one_v, one_vd),
    ):
        value = statistics.median(samples)
        rows.append((label, value, f"{value / baseline:.2f}x"))
    print(
        f"Radicale on 127.0.0.1, {options.appointments} appointments, "
        f"median of {options.rounds} rounds\n"
    )
    print(f"{'what':58} {'seconds':>9} {'vs vdirsyncer':>14}")
    for label, seconds, ratio in rows:
        print(f"{label:58} {seconds:9.3f} {ratio:>14}")
    service_quiet = statistics.median(quiet_service)
    verdict = service_quiet <= TARGET_NO_CHANGE_S and service_quiet / nothing_v <= TARGET_RATIO
    print(
        f"\ntarget: nothing changed <= {TARGET_NO_CHANGE_S} s and <= {TARGET_RATIO}x "
        f"vdirsyncer: {'met' if verdict else 'NOT met'} "
        f"({service_quiet:.3f} s, {service_quiet / nothing_v:.2f}x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

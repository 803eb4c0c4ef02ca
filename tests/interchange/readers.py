"""Test helper: the occurrences of a calendar file as other clients read them.

Each reader gives a set of (uid, start, end): timed times as UTC "YYYYmmddTHHMMSSZ",
all-day ones as "YYYYmmdd"; occurrences starting in [lo, hi), cancelled ones left out,
diary's own travel and wrap-up events and promise events left out.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import recurring_ical_events
import vobject
from icalendar import Calendar

JSHELPER = Path(__file__).parent / "jshelper"
Occurrence = tuple[str, str, str]
NO_UID = ""  # the uid of an occurrence of an event without a UID


def key(value: date, floating: tzinfo = UTC) -> str:
    """A time as compared: UTC for date-times (floating ones read in `floating`)."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=floating)
        return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    return f"{value:%Y%m%d}"


def _starts_in(value: date, lo: datetime, hi: datetime) -> bool:
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return lo <= moment < hi
    return lo.date() <= value < hi.date()


def _ours(component: Any) -> bool:
    return component.get("X-DIARY-BUFFER") is None and component.get("X-DIARY-PROMISE") is None


def icalendar_occurrences(
    data: bytes, lo: datetime, hi: datetime, floating: tzinfo = UTC
) -> set[Occurrence]:
    """icalendar's reading, expanded by recurring-ical-events (its companion library);
    floating times are read in `floating` (a diary reads them in its own zone)."""
    calendar = Calendar.from_ical(data)
    found = set()
    query = recurring_ical_events.of(calendar, skip_bad_series=True)
    for event in query.between(lo - timedelta(days=2), hi):
        if not _ours(event) or str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        start, end = event["DTSTART"].dt, event.get("DTEND")
        if isinstance(start, datetime) and start.tzinfo is None:
            start = start.replace(tzinfo=floating)
        if not _starts_in(start, lo, hi):
            continue
        finish = end.dt if end is not None else start
        found.add((str(event.get("UID", NO_UID)), key(start), key(finish, floating)))
    return found


def without_made_up_uids(found: set[Occurrence]) -> set[Occurrence]:
    """Occurrences with the UIDs diary makes up for events that have none (RFC 5545 makes
    UID required; diary derives one from the event) written as NO_UID, as the readers do."""
    return {(NO_UID if uid.startswith("import-") else uid, *rest) for uid, *rest in found}


def vobject_occurrences(data: bytes, lo: datetime, hi: datetime) -> set[Occurrence]:
    """vobject's reading: its rruleset for each master, overrides put in by RECURRENCE-ID."""
    # vobject keeps every VTIMEZONE it ever read in one process-wide map by TZID: a client
    # reads one file, so forget the last file's zones.
    getattr(vobject.icalendar, "__tzidMap").clear()
    (calendar,) = list(vobject.readComponents(data.decode("utf-8")))
    masters: dict[str, Any] = {}
    overrides: dict[str, dict[str, Any]] = {}
    for event in getattr(calendar, "vevent_list", []):
        if hasattr(event, "x_diary_buffer") or hasattr(event, "x_diary_promise"):
            continue
        uid = event.uid.value
        if hasattr(event, "recurrence_id"):
            overrides.setdefault(uid, {})[key(event.recurrence_id.value)] = event
        else:
            masters[uid] = event
    found = set()

    def add(uid: str, event: Any, start: date, end: date) -> None:
        status = event.status.value.upper() if hasattr(event, "status") else ""
        if status != "CANCELLED" and _starts_in(start, lo, hi):
            found.add((uid, key(start), key(end)))

    for uid, event in masters.items():
        start = event.dtstart.value
        end = event.dtend.value if hasattr(event, "dtend") else start
        length = _minus(end, start)
        replaced = overrides.pop(uid, {})
        if not (hasattr(event, "rrule") or hasattr(event, "rdate")):
            add(uid, event, start, end)
            continue
        rules = event.getrruleset(addRDate=True)
        probe_lo, probe_hi = _like(start, lo - timedelta(days=2)), _like(start, hi)
        # vobject hands dateutil pytz zones, which keep DTSTART's UTC offset on every start
        # (an hour off after a clock change) until normalised; so are EXDATEs compared.
        moments = {
            _normal(m) for rule in rules._rrule for m in rule.between(probe_lo, probe_hi, inc=True)
        }
        moments |= {_normal(m) for m in rules._rdate if probe_lo <= m <= probe_hi}
        excluded = {key(_normal(m)) for m in rules._exdate}
        for moment in sorted(moments, key=key):
            value = moment.date() if not isinstance(start, datetime) else moment
            if key(value) in excluded or key(moment) in excluded:
                continue
            override = replaced.pop(key(value), None)
            if override is not None:
                add(uid, override, override.dtstart.value, override.dtend.value)
            else:
                add(uid, event, value, value + length)
        for override in replaced.values():
            add(uid, override, override.dtstart.value, override.dtend.value)
    for uid, orphans in overrides.items():
        for override in orphans.values():
            add(uid, override, override.dtstart.value, override.dtend.value)
    return found


def _normal(moment: datetime) -> datetime:
    """A start as its instant: pytz zones re-localised to the offset of that day."""
    if hasattr(moment.tzinfo, "localize"):
        return moment.tzinfo.localize(moment.replace(tzinfo=None))  # type: ignore[union-attr]
    return moment


def _minus(end: date, start: date) -> timedelta:
    if isinstance(end, datetime) and isinstance(start, datetime):
        return end.astimezone(UTC) - start.astimezone(UTC)
    return end - start


def _like(template: date, moment: datetime) -> datetime:
    """`moment` in the form dateutil compares with the series' own starts."""
    if not isinstance(template, datetime):
        return moment.replace(tzinfo=None)
    zone: tzinfo | None = template.tzinfo
    return moment.astimezone(zone) if zone is not None else moment.replace(tzinfo=None)


def icaljs_ready() -> bool:
    if shutil.which("node") is None or shutil.which("npm") is None:
        return False
    if not (JSHELPER / "node_modules" / "ical.js").is_dir():
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(JSHELPER)],
            check=True,
            timeout=300,
            capture_output=True,
        )
    return True


def icaljs_occurrences(path: Path, lo: datetime, hi: datetime) -> set[Occurrence]:
    """ical.js's reading (Thunderbird's parser), through tests/interchange/jshelper."""
    output = subprocess.run(
        [
            "node",
            str(JSHELPER / "expand_events.js"),
            str(path),
            lo.astimezone(UTC).isoformat(),
            hi.astimezone(UTC).isoformat(),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
        env={"TZ": "UTC", "PATH": "/usr/bin:/bin:/usr/local/bin"},
    ).stdout
    found = set()
    for line in output.splitlines():
        item = json.loads(line)
        found.add((item["uid"], _js(item["start"]), _js(item["end"])))
    return found


def icaljs_many(jobs: list[tuple[Path, datetime, datetime]]) -> dict[str, set[Occurrence]]:
    """ical.js's reading of many files in one node process: {path: occurrences}."""
    payload = json.dumps(
        [
            [str(path), lo.astimezone(UTC).isoformat(), hi.astimezone(UTC).isoformat()]
            for path, lo, hi in jobs
        ]
    )
    output = subprocess.run(
        ["node", str(JSHELPER / "expand_events.js")],
        input=payload,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
        env={"TZ": "UTC", "PATH": "/usr/bin:/bin:/usr/local/bin"},
    ).stdout
    answers: dict[str, Any] = json.loads(output)
    found: dict[str, set[Occurrence]] = {}
    for path, lines in answers.items():
        if isinstance(lines, dict):
            raise AssertionError(f"ical.js cannot read {path}: {lines['error']}")
        found[path] = set()
        for line in lines:
            item = json.loads(line)
            found[path].add((item["uid"], _js(item["start"]), _js(item["end"])))
    return found


def _js(text: str) -> str:
    if "T" not in text:
        return text.replace("-", "")
    return text.replace("-", "").replace(":", "")


def listed(items: Iterable[Any], lo: datetime, hi: datetime) -> set[Occurrence]:
    """diary's own listing as the same set (Listed items or appointments)."""
    found = set()
    for item in items:
        a = getattr(item, "appointment", item)
        if a.all_day:
            from zoneinfo import ZoneInfo

            tz = ZoneInfo(a.zone)
            start: date = a.start.astimezone(tz).date()
            end: date = a.end.astimezone(tz).date()
        else:
            start, end = a.start, a.end
        if _starts_in(start, lo, hi):
            found.add((a.uid, key(start), key(end)))
    return found

"""The export, split per UID, is accepted by a real CalDAV server (Radicale on loopback)."""

from __future__ import annotations

import base64
import http.client
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from icalendar import Calendar

from diary.interchange.ics_export import export_calendar

from .conftest import NOW
from .samples import sample_items, sample_promise

AUTH = {"Authorization": "Basic " + base64.b64encode(b"diary:diary").decode()}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _request(
    port: int, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=body, headers={**AUTH, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[int]:
    """A Radicale server on a free loopback port, storage in tmp_path; killed afterwards."""
    port = _free_port()
    config = tmp_path / "radicale.conf"
    config.write_text(
        "[server]\n"
        f"hosts = 127.0.0.1:{port}\n"
        "[auth]\n"
        "type = none\n"
        "[rights]\n"
        "type = owner_only\n"
        "[storage]\n"
        f"filesystem_folder = {tmp_path / 'collections'}\n"
        "[logging]\n"
        "level = warning\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                status, _ = _request(port, "OPTIONS", "/")
                if status < 500:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                stderr = process.stderr.read().decode() if process.stderr else ""
                pytest.fail(f"radicale did not start: {stderr[-2000:]}")
            time.sleep(0.1)
        yield port
    finally:
        process.kill()
        process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()


def split_by_uid(data: bytes) -> dict[str, bytes]:
    """One calendar object per UID (all its VEVENTs/VTODO plus the VTIMEZONEs they use)."""
    calendar = Calendar.from_ical(data)
    grouped: dict[str, list[object]] = {}
    for component in calendar.subcomponents:
        if component.name in ("VEVENT", "VTODO"):
            grouped.setdefault(str(component["UID"]), []).append(component)
    result = {}
    for uid, components in grouped.items():
        single = Calendar()
        for name in ("PRODID", "VERSION", "CALSCALE"):
            single.add(name, calendar[name])
        for component in components:
            single.add_component(component)
        for timezone in calendar.timezones:
            if timezone.tz_name in single.get_used_tzids():
                single.subcomponents.insert(0, timezone)
        result[uid] = single.to_ical()
    return result


@pytest.mark.slow
def test_every_exported_object_is_stored_by_radicale(radicale: int) -> None:
    data = export_calendar(
        sample_items(), calendar_name="Diary", now=NOW, promises=[sample_promise()]
    )
    objects = split_by_uid(data)
    status, body = _request(radicale, "MKCALENDAR", "/diary/work/")
    assert status == 201, body
    names = {}
    for index, (uid, ics) in enumerate(sorted(objects.items())):
        name = f"item{index}.ics"
        names[name] = uid
        status, body = _request(
            radicale,
            "PUT",
            f"/diary/work/{name}",
            ics,
            {"Content-Type": "text/calendar; charset=utf-8"},
        )
        assert status in (201, 204), (uid, status, body.decode(errors="replace"))
    report = (
        b'<?xml version="1.0" encoding="utf-8"?>'
        b'<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
        b"<D:prop><D:getetag/><C:calendar-data/></D:prop>"
        b'<C:filter><C:comp-filter name="VCALENDAR"/></C:filter>'
        b"</C:calendar-query>"
    )
    status, body = _request(
        radicale,
        "REPORT",
        "/diary/work/",
        report,
        {"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
    )
    assert status == 207, body
    listing = body.decode("utf-8")
    for name, uid in names.items():
        assert f"/diary/work/{name}" in listing
        assert f"UID:{uid}" in listing.replace("\r\n ", "").replace("\n ", "")
    status, body = _request(radicale, "GET", "/diary/work/item0.ics")
    assert status == 200
    assert b"BEGIN:VCALENDAR" in body

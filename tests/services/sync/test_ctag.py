"""A sync with nothing changed on either side asks the calendar's CTag, not the sync report;
whatever the phone does meanwhile changes the CTag and is found by the next sync."""

from __future__ import annotations

from pathlib import Path

import pytest

from diary.interchange.dav import CalDAVClient

from .conftest import Desk, at, desk_with_bands, phone_event


@pytest.fixture
def reports(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The calendars each sync-collection REPORT (or full listing) was asked of."""
    asked: list[str] = []
    changes_since = CalDAVClient.changes_since
    list_etags = CalDAVClient.list_etags

    def counted_changes(self: CalDAVClient, url: str, token: str | None):  # type: ignore[no-untyped-def]
        asked.append(url)
        return changes_since(self, url, token)

    def counted_listing(self: CalDAVClient, url: str):  # type: ignore[no-untyped-def]
        asked.append(url)
        return list_etags(self, url)

    monkeypatch.setattr(CalDAVClient, "changes_since", counted_changes)
    monkeypatch.setattr(CalDAVClient, "list_etags", counted_listing)
    return asked


def _title_on_server(desk: Desk, uid: str) -> str:
    for line in desk.by_uid()[uid].splitlines():
        if line.startswith("SUMMARY:"):
            return line[len("SUMMARY:") :]
    raise AssertionError(f"{uid} has no SUMMARY")


def test_nothing_changed_costs_no_sync_report_and_misses_no_phone_change(
    desk: Desk, reports: list[str]
) -> None:
    uid = desk.book("Boiler check", at(4, 10))
    desk.sync()  # pushed: the CTag read before it is out of date
    desk.sync()  # confirms, and keeps the CTag of a server it did not write to
    reports.clear()
    quiet = desk.sync()
    assert (quiet.pushed, quiet.pulled, quiet.deleted, quiet.conflicts) == (0, 0, 0, 0)
    assert reports == []

    name = next(iter(desk.on_server()))
    desk.phone.put(name, desk.on_server()[name].replace("Boiler check", "Boiler service"))
    edited = desk.sync()
    assert edited.pulled == 1 and len(reports) == 1
    assert desk.service.get(uid).title == "Boiler service"

    reports.clear()
    desk.phone.put("p1.ics", phone_event("phone-1", "Burst pipe", at(4, 10, 30)))
    booked = desk.sync()
    assert booked.pulled == 1 and booked.flagged == 1  # on top of the boiler service
    assert desk.service.get("phone-1").title == "Burst pipe"

    desk.sync()
    reports.clear()
    desk.phone.delete("p1.ics")
    gone = desk.sync()
    assert gone.deleted == 1 and len(reports) == 1
    assert desk.service.get("phone-1") is None or desk.service.get("phone-1").cancelled


def test_a_change_here_after_a_quiet_sync_is_sent_and_read_back_by_the_report(
    desk: Desk, reports: list[str]
) -> None:
    uid = desk.book("Boiler check", at(4, 10))
    desk.sync()
    desk.sync()
    desk.sync()
    reports.clear()
    desk.service.move(uid, at(4, 15), force=True, reason="test")
    moved = desk.sync()
    assert moved.pushed == 1
    assert reports  # our own write changed the CTag: the report confirms it
    assert "DTSTART;TZID=Europe/Berlin:20300304T150000" in desk.by_uid()[uid]
    reports.clear()
    desk.sync()  # the CTag after our write is not known yet: asked with the report
    assert len(reports) == 1
    reports.clear()
    desk.sync()
    assert reports == []
    assert _title_on_server(desk, uid) == "Boiler check"


def test_travel_and_wrap_up_sent_after_the_calendar_keep_the_next_sync_asking(
    dav_server: object, tmp_path: Path, reports: list[str]
) -> None:
    desk = desk_with_bands(dav_server, tmp_path)  # type: ignore[arg-type]
    try:
        desk.book("Boiler check", at(4, 10), location="Müller")
        for _ in range(3):
            desk.sync()
        on_server = desk.on_server()
        assert len(on_server) == 3  # the meeting, its travel and its wrap-up
        reports.clear()
        desk.sync()
        assert reports == []
        desk.phone.delete(next(n for n, t in on_server.items() if "RELATED-TO" in t))
        desk.sync()  # the phone deleted a band: diary owns them and puts it back
        assert len(desk.on_server()) == 3
        reports.clear()
        desk.sync()  # the CTag read before that was before our write: asked again
        assert len(reports) == 1
        reports.clear()
        desk.sync()
        assert reports == []
    finally:
        desk.service.close()

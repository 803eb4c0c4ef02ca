"""A sync that meets trouble: rejected tokens, races, a dying server, an emptied calendar."""

from __future__ import annotations

from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy import update

from diary.interchange.dav import CalDAVClient
from diary.services.sync.service import SyncService
from diary.storage.sync_schema import CollectionRow

from .conftest import Desk, at, make_desk, phone_event
from tests.dav_servers import DavServer, fresh_calendar, start_server


def _syncer(desk: Desk, client_class: type[CalDAVClient]) -> SyncService:
    return SyncService(desk.service.store, desk.service.passwords, connect=client_class)


def test_a_rejected_sync_token_falls_back_to_a_full_listing(desk: Desk) -> None:
    desk.book("Boiler check", at(4, 10))
    desk.sync()
    with desk.service.database.session() as session, session.begin():
        session.execute(update(CollectionRow).values(sync_token="http://example.invalid/sync/1"))
    desk.phone.put("p.ics", phone_event("p", "From the phone", at(4, 15)))
    report = desk.sync()
    assert report.pulled == 1 and report.pushed == 0
    assert desk.service.get("p").title == "From the phone"
    assert len(desk.on_server()) == 2
    assert desk.sync().pulled == 0  # and a fresh token was kept


def test_a_phone_edit_between_our_read_and_our_write_is_merged_not_overwritten(
    desk: Desk,
) -> None:
    uid = desk.book("Boiler check", at(4, 10))
    desk.sync()
    name, text = next(iter(desk.on_server().items()))
    phone = desk.phone

    class RacingPhone(CalDAVClient):
        raced = False

        def put(self, href: str, data: str, *, etag: str | None) -> str | None:
            if not RacingPhone.raced:
                RacingPhone.raced = True
                phone.put(name, text.replace("SUMMARY:Boiler check", "SUMMARY:Boiler (phone)"))
            return super().put(href, data, etag=etag)

    desk.service.move(uid, at(4, 14))
    (report,) = _syncer(desk, RacingPhone).sync("Work")
    assert RacingPhone.raced and report.error is None
    event = next(iter(Calendar.from_ical(desk.by_uid()[uid]).walk("VEVENT")))
    assert str(event["SUMMARY"]) == "Boiler (phone)"  # the phone's edit survived the 412
    assert event["DTSTART"].dt == at(4, 14)  # and ours went on top of it
    assert desk.service.get(uid).title == "Boiler (phone)"


@pytest.fixture
def own_server(tmp_path: Path) -> DavServer:
    server = start_server("radicale", tmp_path / "server")
    yield server
    server.kill()


def test_a_server_killed_mid_sync_loses_nothing_and_duplicates_nothing(
    own_server: DavServer, tmp_path: Path
) -> None:
    desk = make_desk(own_server, tmp_path)
    try:
        uids = [desk.book(f"Job {n}", at(4 + n // 8, 8 + n % 8)) for n in range(24)]
        desk.phone.put("p.ics", phone_event("phone-job", "From the phone", at(20, 9)))

        class Dying(CalDAVClient):
            puts = 0

            def put(self, href: str, data: str, *, etag: str | None) -> str | None:
                Dying.puts += 1
                if Dying.puts == 10:
                    own_server.kill()
                return super().put(href, data, etag=etag)

        (report,) = _syncer(desk, Dying).sync("Work")
        assert report.failure == "stopped" and "nothing was lost" in (report.error or "")
        own_server.start()
        report = desk.sync()
        assert report.error is None
        on_server = desk.by_uid()
        assert sorted(on_server) == sorted([*uids, "phone-job"])
        assert len(desk.on_server()) == 25  # one resource each, no duplicate
        assert desk.service.get("phone-job").title == "From the phone"
        quiet = desk.sync()
        assert (quiet.pushed, quiet.pulled, quiet.deleted) == (0, 0, 0)
    finally:
        desk.service.close()


def test_an_emptied_server_calendar_deletes_nothing_without_the_owners_word(
    desk: Desk,
) -> None:
    uids = [desk.book(f"Job {n}", at(4, 8 + n)) for n in range(3)]
    desk.sync()
    for name in desk.on_server():
        desk.phone.delete(name)
    (report,) = desk.service.syncing.sync("Work")
    assert report.failure == "stopped" and "suddenly empty" in (report.error or "")
    assert all(not desk.service.get(uid).cancelled for uid in uids)
    report = desk.sync(accept_empty=True)
    assert report.deleted == 3
    assert all(desk.service.get(uid).cancelled for uid in uids)


def test_no_invitation_ever_leaves_diary(desk: Desk) -> None:
    invited = phone_event(
        "meeting-1",
        "Site meeting",
        at(8, 10),
        extra=(
            "ORGANIZER;CN=Boss:mailto:boss@example.com\r\n"
            "ATTENDEE;CN=Alice;PARTSTAT=ACCEPTED:mailto:alice@example.com\r\n"
            "ATTENDEE;CN=Bob:mailto:bob@example.com\r\n"
        ),
    )
    desk.phone.put("m.ics", invited)
    desk.sync()
    desk.service.move("meeting-1", at(8, 11))
    desk.sync()
    event = next(iter(Calendar.from_ical(desk.by_uid()["meeting-1"]).walk("VEVENT")))
    attendees = event["ATTENDEE"]
    assert len(attendees) == 2
    assert all(a.params["SCHEDULE-AGENT"] == "CLIENT" for a in attendees)
    assert event["ORGANIZER"].params["SCHEDULE-AGENT"] == "CLIENT"
    made_here = desk.book("Ours", at(8, 15))
    desk.sync()
    assert "ATTENDEE" not in desk.by_uid()[made_here]


def test_a_busy_calendar_counts_for_every_rule_and_is_never_written(
    dav_server: DavServer, tmp_path: Path
) -> None:
    family = fresh_calendar(dav_server, "Family")
    family.put("dentist.ics", phone_event("dentist", "Dentist", at(4, 10)))
    family.put(
        "free.ics", phone_event("free", "Reminder", at(4, 14), extra="TRANSP:TRANSPARENT\r\n")
    )
    desk = make_desk(dav_server, tmp_path)
    try:
        desk.service.accounts.remove("Work")
        desk.service.accounts.add(
            "Work",
            url=dav_server.root,
            username="alice",
            calendar=f"{dav_server.root.rstrip('/')}{desk.phone.path}",
            busy=[f"{dav_server.root.rstrip('/')}{family.path}"],
            password="correct horse battery",
            push_bands=False,
        )
        desk.sync()
        clash = desk.service.preview
        del clash
        from diary.services import Draft

        refused = desk.service.book(Draft(title="Boiler", start=at(4, 10, 30), end=at(4, 11, 30)))
        assert refused.refused
        assert any(v.other_title == "Dentist" for v in refused.violations)
        fine = desk.service.book(Draft(title="Boiler", start=at(4, 14), end=at(4, 15)))
        assert not fine.refused  # a transparent event is no busy time
        desk.sync()
        assert set(family.names()) == {"dentist.ics", "free.ics"}  # never written
        listed = [i.appointment.title for i in desk.service.listing(at(4, 0), at(5, 0))]
        assert "Dentist" not in listed  # busy time is not the owner's appointment
    finally:
        desk.service.close()


def test_a_phone_rewrite_that_changes_nothing_does_not_block_a_delete(desk: Desk) -> None:
    """The phone saves the event again (new ETag, same meaning) after it was cancelled here:
    the delete is made with the ETag just read, not refused again and again."""
    uid = desk.book("Survey", at(4, 8))
    desk.sync()
    name = next(iter(desk.on_server()))
    desk.service.cancel(uid)
    desk.phone.put(name, phone_event(uid, "Survey", at(4, 8)))
    report = desk.sync()
    assert report.problems == () and report.pushed == 1
    assert desk.on_server() == {}

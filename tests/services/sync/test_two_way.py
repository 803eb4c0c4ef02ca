"""Two-way sync against real servers (Radicale and Xandikos), the phone a plain CalDAV client."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from diary.domain.model import Kind
from diary.services import Draft
from diary.services.sync.conflicts import ConflictService

from .conftest import TZ, Desk, at, phone_event


def _event(text: str) -> Calendar:
    calendar = Calendar.from_ical(text)
    return next(iter(calendar.walk("VEVENT")))


def test_an_appointment_made_here_lands_once_on_the_server(desk: Desk) -> None:
    uid = desk.book("Boiler check", at(4, 10), location="Müller")
    report = desk.sync()
    assert report.pushed == 1
    event = _event(desk.by_uid()[uid])
    assert str(event["SUMMARY"]) == "Boiler check"
    assert event["DTSTART"].dt == at(4, 10)
    assert str(event["LOCATION"]) == "Hauptstr. 5"
    assert "METHOD" not in desk.by_uid()[uid]  # RFC 4791 §4.1
    again = desk.sync()
    assert (again.pushed, again.pulled) == (0, 0)
    assert len(desk.on_server()) == 1


def test_a_move_here_keeps_what_the_phone_added(desk: Desk) -> None:
    uid = desk.book("Boiler check", at(4, 10))
    desk.sync()
    (name, text) = next(iter(desk.on_server().items()))
    phone_alarm = (
        "BEGIN:VALARM\r\nACTION:AUDIO\r\nTRIGGER:-PT5M\r\nX-PHONE-ALARM:1\r\nEND:VALARM\r\n"
        "COLOR:tomato\r\nEND:VEVENT"
    )
    desk.phone.put(
        name, text.replace("\r\n", "\n").replace("\n", "\r\n").replace("END:VEVENT", phone_alarm, 1)
    )
    desk.sync()  # takes the phone's (cosmetic) change in
    desk.service.move(uid, at(4, 15))
    report = desk.sync()
    assert report.pushed == 1
    event = _event(desk.by_uid()[uid])
    assert event["DTSTART"].dt == at(4, 15)
    assert str(event.get("COLOR")) == "tomato"
    assert any(a.get("X-PHONE-ALARM") for a in event.walk("VALARM"))


def test_a_cancel_here_deletes_it_on_the_server(desk: Desk) -> None:
    uid = desk.book("Boiler check", at(4, 10))
    desk.sync()
    desk.service.cancel(uid)
    report = desk.sync()
    assert report.pushed == 1
    assert desk.on_server() == {}


def test_a_phone_booking_arrives_and_its_location_is_matched_by_address(desk: Desk) -> None:
    desk.phone.put(
        "p1.ics", phone_event("phone-1", "Burst pipe", at(5, 9), extra="LOCATION:Hauptstr. 5\r\n")
    )
    desk.phone.put(
        "p2.ics", phone_event("phone-2", "Gutter", at(5, 14), extra="LOCATION:Elm Road 3\r\n")
    )
    report = desk.sync()
    assert report.pulled == 2
    burst = desk.service.get("phone-1")
    assert burst.title == "Burst pipe" and burst.start == at(5, 9)
    assert burst.location is not None and burst.location.name == "Müller"
    gutter = desk.service.get("phone-2")
    assert gutter.location is not None and gutter.location.name == "Elm Road 3"  # a new place


def test_a_phone_booking_on_top_of_a_meeting_is_flagged_never_moved(desk: Desk) -> None:
    desk.book("Boiler check", at(4, 10))
    desk.sync()
    desk.phone.put("burst.ics", phone_event("burst", "Burst pipe", at(4, 10, 30)))
    report = desk.sync()
    assert report.flagged == 1
    assert report.notices == ("Booked on your phone: Burst pipe 10:30 overlaps Boiler check",)
    burst = desk.service.get("burst")
    assert burst.start == at(4, 10, 30)  # stored as booked, not moved
    flagged = {item.appointment.uid: item.flag_names for item in desk.service.check()}
    assert "double-booking" in flagged["burst"]


def test_edits_and_deletes_on_the_phone_come_here(desk: Desk) -> None:
    desk.phone.put("a.ics", phone_event("a", "Survey", at(6, 9)))
    desk.phone.put("b.ics", phone_event("b", "Quote", at(6, 11)))
    desk.sync()
    desk.phone.put("a.ics", phone_event("a", "Survey\\, bring ladder", at(6, 13)))
    desk.phone.delete("b.ics")
    report = desk.sync()
    assert (report.pulled, report.deleted) == (1, 1)
    moved = desk.service.get("a")
    assert (moved.title, moved.start) == ("Survey, bring ladder", at(6, 13))
    assert desk.service.get("b").cancelled


def test_different_fields_changed_on_each_side_are_merged(desk: Desk) -> None:
    uid = desk.book("Boiler check", at(4, 10))
    desk.sync()
    name, text = next(iter(desk.on_server().items()))
    desk.phone.put(name, text.replace("SUMMARY:Boiler check", "SUMMARY:Boiler service"))
    desk.service.move(uid, at(4, 14))
    report = desk.sync()
    assert report.conflicts == 0
    here = desk.service.get(uid)
    assert (here.title, here.start) == ("Boiler service", at(4, 14))
    event = _event(desk.by_uid()[uid])
    assert str(event["SUMMARY"]) == "Boiler service" and event["DTSTART"].dt == at(4, 14)


def test_the_same_field_changed_on_both_sides_is_kept_as_a_conflict(desk: Desk) -> None:
    uid = desk.book("Boiler check", at(4, 10))
    desk.sync()
    name, text = next(iter(desk.on_server().items()))
    desk.phone.put(name, text.replace("SUMMARY:Boiler check", "SUMMARY:Phone title"))
    edited = desk.service.get(uid)
    desk.service.edit(
        uid, Draft(title="Desk title", start=edited.start, end=edited.end), force=True, reason="t"
    )
    report = desk.sync()
    assert report.conflicts == 1
    assert desk.service.get(uid).title == "Phone title"  # the server's stays live
    conflicts = ConflictService(desk.service.store).conflicts()
    assert [(c.uid, c.fields["title"]) for c in conflicts] == [
        (uid, {"desktop": "Desk title", "server": "Phone title"})
    ]
    desk.service.sync_conflicts.resolve(conflicts[0].id, "desktop")
    assert desk.service.get(uid).title == "Desk title"
    desk.sync()
    assert str(_event(desk.by_uid()[uid])["SUMMARY"]) == "Desk title"
    assert desk.service.sync_conflicts.conflicts() == []


def test_deleted_here_but_edited_on_the_phone_the_edit_wins(desk: Desk) -> None:
    uid = desk.book("Boiler check", at(4, 10))
    desk.sync()
    name, text = next(iter(desk.on_server().items()))
    desk.phone.put(name, text.replace("SUMMARY:Boiler check", "SUMMARY:Still on!"))
    desk.service.cancel(uid)
    desk.sync()
    back = desk.service.get(uid)
    assert not back.cancelled and back.title == "Still on!"
    assert uid in desk.by_uid()


def test_deleted_on_the_phone_but_edited_here_the_edit_wins(desk: Desk) -> None:
    uid = desk.book("Boiler check", at(4, 10))
    desk.sync()
    desk.phone.delete(next(iter(desk.on_server())))
    desk.service.move(uid, at(4, 16))
    desk.sync()
    assert not desk.service.get(uid).cancelled
    assert _event(desk.by_uid()[uid])["DTSTART"].dt == at(4, 16)


def test_all_day_events_go_both_ways(desk: Desk) -> None:
    desk.phone.put("h.ics", phone_event("holiday", "Closed", all_day="20300310"))
    desk.sync()
    closed = desk.service.get("holiday")
    assert closed.all_day and closed.start == at(10, 0) and closed.end == at(11, 0)
    start = at(12, 0)
    outcome = desk.service.book(
        Draft(title="Inventory", start=start, end=start + timedelta(days=1), kind=Kind.ALL_DAY)
    )
    assert outcome.appointment is not None
    desk.sync()
    event = _event(desk.by_uid()[outcome.appointment.uid])
    assert str(event["DTSTART"].dt) == "2030-03-12"


def test_times_across_the_berlin_clock_change_stay_on_the_wall_clock(desk: Desk) -> None:
    # 31 March 2030: clocks go from 02:00 to 03:00 in Berlin; the phone writes wall times
    # 01:30 to 04:30, which is two hours of real time.
    desk.phone.put("d.ics", phone_event("dst", "Early job", at(31, 1, 30), minutes=180))
    desk.sync()
    early = desk.service.get("dst")
    assert early.start.astimezone(TZ).hour == 1 and early.end.astimezone(TZ).hour == 4
    assert early.duration == timedelta(minutes=120)
    desk.service.move("dst", at(31, 0, 30))  # keeps two real hours: 00:30 to 03:30
    desk.sync()
    event = _event(desk.by_uid()["dst"])
    assert event["DTSTART"].dt == at(31, 0, 30) and event["DTEND"].dt == at(31, 3, 30)
    uid = desk.book("After the change", at(31, 9))
    desk.sync()
    event = _event(desk.by_uid()[uid])
    assert event["DTSTART"].dt == at(31, 9) and event["DTSTART"].params["TZID"] == "Europe/Berlin"


def test_a_uid_with_a_slash_syncs_both_ways(desk: Desk) -> None:
    desk.phone.put("slash.ics", phone_event("team/2030/42", "Slashed", at(7, 9)))
    desk.sync()
    assert desk.service.get("team/2030/42").title == "Slashed"
    outcome = desk.service.store  # a UID with a slash made here too
    del outcome
    desk.service.move("team/2030/42", at(7, 11))
    desk.sync()
    assert _event(desk.by_uid()["team/2030/42"])["DTSTART"].dt == at(7, 11)
    assert len(desk.on_server()) == 1

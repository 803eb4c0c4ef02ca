"""Repeating appointments both ways, on Radicale and Xandikos: one resource per UID holding
the rule and every override; moved and cancelled occurrences each way; a series booked on
the phone meets the rules; a series changed on both sides loses nothing.

Dates are in March/April 2030 (far from any real today; FixedClock); Berlin's clocks go
forward on 31 March 2030, so the weekly 10:00 visit crosses the change.
"""

from __future__ import annotations

from datetime import timedelta

from icalendar import Alarm, Calendar

from diary.services import Draft, Repeat
from diary.services.sync.conflicts import ConflictService

from .conftest import ZONE, Desk, at

WEEKLY_UID = "weekly-visit"


def _weekly_here(desk: Desk, count: int = 6) -> str:
    outcome = desk.service.book_series(
        Draft(title="Weekly check", start=at(4, 10), end=at(4, 11), location="Müller"),
        Repeat("weekly", count=count),
        force=True,
        reason="test set-up",
    )
    assert outcome.appointment is not None
    return outcome.appointment.uid


def _events(text: str) -> list[object]:
    return list(Calendar.from_ical(text).walk("VEVENT"))


def _occurrences(desk: Desk, uid: str) -> dict[str, object]:
    """Local start of every live occurrence of `uid` in March and April 2030, by day."""
    listed = desk.service.listing(at(1, 0), at(30, 0, month=4))
    return {
        f"{i.appointment.start.astimezone(at(1, 0).tzinfo):%m-%d %H:%M}": i.appointment
        for i in listed
        if i.appointment.uid == uid and not i.appointment.cancelled
    }


def _name_of(desk: Desk, uid: str) -> tuple[str, str]:
    for name, text in desk.on_server().items():
        if f"UID:{uid}" in text.replace("\r\n ", ""):
            return name, text
    raise AssertionError(f"{uid} is not on the server")


def _phone_series(uid: str, title: str, start: str, extra: str = "", more: str = "") -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Phone Inc//Calendar 17//EN\r\n"
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20300101T000000Z\r\n"
        f"DTSTART;TZID={ZONE}:{start}\r\nDURATION:PT1H\r\n"
        f"RRULE:FREQ=WEEKLY;COUNT=4\r\nSUMMARY:{title}\r\n{extra}END:VEVENT\r\n"
        f"{more}END:VCALENDAR\r\n"
    )


def test_a_series_made_here_lands_as_one_resource_with_its_moves_and_cancellations(
    desk: Desk,
) -> None:
    uid = _weekly_here(desk)
    desk.service.cancel(f"{uid}#20300311T090000Z")
    assert desk.service.move(f"{uid}#20300318T090000Z", at(18, 14)).ok
    report = desk.sync()
    assert report.pushed == 1
    name, text = _name_of(desk, uid)
    assert len(desk.on_server()) == 1 and "METHOD" not in text
    events = _events(text)
    masters = [e for e in events if "RECURRENCE-ID" not in e]
    overrides = [e for e in events if "RECURRENCE-ID" in e]
    assert len(masters) == 1 and masters[0]["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=6"
    assert [d.dt for d in masters[0]["EXDATE"].dts] == [at(11, 10)]
    assert len(overrides) == 1
    assert overrides[0]["RECURRENCE-ID"].dt == at(18, 10)
    assert overrides[0]["DTSTART"].dt == at(18, 14)
    again = desk.sync()
    assert (again.pushed, again.pulled, again.conflicts) == (0, 0, 0)

    # A later move here goes up as an update of the same resource.
    assert desk.service.move(f"{uid}#20300401T080000Z", at(1, 16, month=4)).ok
    assert desk.sync().pushed == 1
    name_after, text_after = _name_of(desk, uid)
    assert name_after == name
    moved = [e for e in _events(text_after) if "RECURRENCE-ID" in e]
    assert sorted(e["DTSTART"].dt for e in moved) == [at(18, 14), at(1, 16, month=4)]


def test_moved_and_cancelled_occurrences_on_the_phone_come_here(desk: Desk) -> None:
    uid = _weekly_here(desk)
    desk.sync()
    name, text = _name_of(desk, uid)
    # The phone cancels 25 March and moves 1 April (after the clock change) to 15:00.
    rule = next(line for line in text.splitlines() if line.startswith("RRULE"))
    edited = text.replace(rule, f"{rule}\r\nEXDATE;TZID={ZONE}:20300325T100000", 1)
    override = (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20300102T000000Z\r\n"
        f"RECURRENCE-ID;TZID={ZONE}:20300401T100000\r\n"
        f"DTSTART;TZID={ZONE}:20300401T150000\r\nDTEND;TZID={ZONE}:20300401T160000\r\n"
        "SUMMARY:Weekly check\r\nEND:VEVENT\r\n"
    )
    edited = edited.replace("END:VCALENDAR", override + "END:VCALENDAR")
    desk.phone.put(name, edited)
    report = desk.sync()
    assert (report.pulled, report.pushed, report.conflicts) == (1, 0, 0)
    days = _occurrences(desk, uid)
    assert "03-25 10:00" not in days
    assert "04-01 15:00" in days and "04-01 10:00" not in days
    assert "04-08 10:00" in days  # the rest keep the wall clock across the change
    assert days["03-04 10:00"].location is not None  # the place diary gave it stays
    again = desk.sync()
    assert (again.pushed, again.pulled) == (0, 0)


def test_a_series_booked_on_the_phone_arrives_is_flagged_and_leaves_with_its_deletion(
    desk: Desk,
) -> None:
    desk.book("Boiler check", at(4, 10))
    desk.sync()
    desk.phone.put("visit.ics", _phone_series(WEEKLY_UID, "Physio", "20300304T103000"))
    report = desk.sync()
    assert report.pulled == 1 and report.flagged >= 1
    assert any("Physio" in notice and "Boiler check" in notice for notice in report.notices)
    days = _occurrences(desk, WEEKLY_UID)
    assert sorted(days) == ["03-04 10:30", "03-11 10:30", "03-18 10:30", "03-25 10:30"]
    flagged = {i.appointment.ref for i in desk.service.check(at(1, 0), at(30, 0))}
    assert f"{WEEKLY_UID}#20300304T093000Z" in flagged  # never moved, never refused
    assert desk.sync().pushed == 0  # nothing echoed back

    desk.phone.delete("visit.ics")
    report = desk.sync()
    assert report.deleted == 1
    assert _occurrences(desk, WEEKLY_UID) == {}


def test_a_series_cancelled_here_is_deleted_on_the_server(desk: Desk) -> None:
    uid = _weekly_here(desk)
    desk.sync()
    desk.service.cancel_series(uid)
    assert desk.sync().pushed == 1
    assert desk.on_server() == {}


def test_a_series_changed_on_both_sides_keeps_the_server_live_and_the_desktop_aside(
    desk: Desk,
) -> None:
    uid = _weekly_here(desk, count=4)
    desk.sync()
    name, text = _name_of(desk, uid)
    desk.phone.put(
        name, text.replace("SUMMARY:Weekly check", "SUMMARY:Weekly check (gate code 4711)")
    )
    assert desk.service.move(f"{uid}#20300311T090000Z", at(11, 12)).ok
    report = desk.sync()
    assert report.conflicts == 1
    days = _occurrences(desk, uid)
    assert days["03-04 10:00"].title == "Weekly check (gate code 4711)"  # the server's, live
    assert "03-11 10:00" in days
    conflicts = ConflictService(desk.service.store).conflicts()
    assert [c.uid for c in conflicts] == [uid] and set(conflicts[0].fields) == {"series"}
    shown = conflicts[0].fields["series"]  # each side in a line the owner can read
    assert shown["desktop"] == (
        "Weekly check: FREQ=WEEKLY;COUNT=4 from 2030-03-04 10:00; "
        "changed 03-11 10:00 -> 03-11 12:00 Weekly check"
    )
    assert shown["server"].startswith("Weekly check (gate code 4711): FREQ=WEEKLY;COUNT=4")

    outcome = desk.service.sync_conflicts.resolve(conflicts[0].id, "desktop")
    assert outcome.appointment is not None
    days = _occurrences(desk, uid)
    assert "03-11 12:00" in days and days["03-04 10:00"].title == "Weekly check"
    assert desk.sync().pushed == 1
    overrides = [e for e in _events(_name_of(desk, uid)[1]) if "RECURRENCE-ID" in e]
    assert [e["DTSTART"].dt for e in overrides] == [at(11, 12)]
    assert ConflictService(desk.service.store).conflicts() == []


def test_a_phone_alarm_on_a_series_is_no_change(desk: Desk) -> None:
    uid = _weekly_here(desk)
    desk.sync()
    name, text = _name_of(desk, uid)
    alarm = "BEGIN:VALARM\r\nACTION:AUDIO\r\nTRIGGER:-PT5M\r\nEND:VALARM\r\n"
    first_end = text.index("END:VEVENT")
    desk.phone.put(name, text[:first_end] + alarm + text[first_end:])
    report = desk.sync()
    assert (report.pulled, report.pushed, report.conflicts) == (0, 0, 0)
    assert desk.sync().pulled == 0


def test_a_phone_alarm_and_colour_on_a_series_survive_diary_edits(desk: Desk) -> None:
    """An upload is built on the server's copy: what the phone set on the master and on an
    override stays when diary moves and renames occurrences."""
    uid = _weekly_here(desk)
    assert desk.service.move(f"{uid}#20300318T090000Z", at(18, 14)).ok
    desk.sync()
    name, text = _name_of(desk, uid)
    calendar = Calendar.from_ical(text)
    for event in calendar.walk("VEVENT"):
        minutes = 5 if "RECURRENCE-ID" not in event else 30
        alarm = Alarm()
        alarm.add("ACTION", "AUDIO")
        alarm.add("TRIGGER", timedelta(minutes=-minutes))
        event.add_component(alarm)
        event.add("COLOR", "tomato")
    desk.phone.put(name, calendar.to_ical().decode("utf-8"))
    assert desk.sync().pushed == 0  # an alarm is no change of the series

    edit = Draft(title="Weekly check (new gate code)", start=at(18, 15), end=at(18, 16))
    assert desk.service.edit(f"{uid}#20300318T090000Z", edit, force=True, reason="test").ok
    assert desk.service.move(f"{uid}#20300325T090000Z", at(25, 12)).ok
    assert desk.sync().pushed == 1

    _name, text = _name_of(desk, uid)
    events = {
        str(e["RECURRENCE-ID"].dt.astimezone(at(1, 0).tzinfo)) if "RECURRENCE-ID" in e else "": e
        for e in _events(text)
    }
    master = events[""]
    moved_before = events[str(at(18, 10))]
    assert "-PT5M" in [str(a["TRIGGER"].to_ical(), "ascii") for a in master.walk("VALARM")]
    assert str(master["COLOR"]) == "tomato"
    assert str(moved_before["SUMMARY"]) == "Weekly check (new gate code)"
    assert moved_before["DTSTART"].dt == at(18, 15)
    assert "-PT30M" in [str(a["TRIGGER"].to_ical(), "ascii") for a in moved_before.walk("VALARM")]
    assert str(moved_before["COLOR"]) == "tomato"
    assert events[str(at(25, 10))]["DTSTART"].dt == at(25, 12)  # a new override, diary's own
    assert desk.sync().pulled == 0
    assert set(_occurrences(desk, uid)) == {
        "03-04 10:00",
        "03-11 10:00",
        "03-18 15:00",
        "03-25 12:00",
        "04-01 10:00",
        "04-08 10:00",
    }

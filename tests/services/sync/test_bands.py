"""Travel and wrap-up go to the server as busy events diary owns (RELATED-TO the meeting)."""

from __future__ import annotations

from pathlib import Path

from icalendar import Calendar

from diary.services import Draft

from .conftest import Desk, at, desk_with_bands
from tests.dav_servers import DavServer


def _events(desk: Desk) -> dict[str, object]:
    found = {}
    for text in desk.on_server().values():
        for event in Calendar.from_ical(text).walk("VEVENT"):
            found[str(event["UID"])] = event
    return found


def test_travel_and_wrapup_are_busy_events_that_follow_their_meeting(
    dav_server: DavServer, tmp_path: Path
) -> None:
    desk = desk_with_bands(dav_server, tmp_path)
    try:
        uid = desk.book("Boiler check", at(4, 10), location="Müller")
        desk.sync()
        events = _events(desk)
        travel, wrapup = events[f"{uid}-travel"], events[f"{uid}-wrapup"]
        assert travel["DTSTART"].dt == at(4, 9, 35) and travel["DTEND"].dt == at(4, 10)
        assert wrapup["DTSTART"].dt == at(4, 11) and wrapup["DTEND"].dt == at(4, 11, 15)
        assert str(travel["RELATED-TO"]) == uid and str(travel["TRANSP"]) == "OPAQUE"
        assert desk.sync().pulled == 0  # ours are never taken in as appointments

        desk.service.move(uid, at(4, 14))
        desk.sync()
        assert _events(desk)[f"{uid}-travel"]["DTSTART"].dt == at(4, 13, 35)

        name = next(n for n, t in desk.on_server().items() if f"UID:{uid}-wrapup" in t)
        edited = desk.on_server()[name].replace("SUMMARY:Wrap-up", "SUMMARY:Phone edit")
        desk.phone.put(name, edited)
        desk.sync()
        assert str(_events(desk)[f"{uid}-wrapup"]["SUMMARY"]).startswith("Wrap-up")

        desk.service.cancel(uid)
        desk.sync()
        assert _events(desk) == {}
    finally:
        desk.service.close()


def test_a_meeting_without_travel_or_wrapup_sends_no_band(
    dav_server: DavServer, tmp_path: Path
) -> None:
    desk = desk_with_bands(dav_server, tmp_path)
    try:
        start = at(5, 9)
        outcome = desk.service.book(
            Draft(title="Call", start=start, end=at(5, 9, 30), wrapup_minutes=0)
        )
        assert outcome.appointment is not None
        desk.sync()
        assert set(_events(desk)) == {outcome.appointment.uid}
    finally:
        desk.service.close()

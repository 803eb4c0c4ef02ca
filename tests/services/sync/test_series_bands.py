"""A series' travel and wrap-up reach the phone: one recurring busy event per band, beside
every occurrence, following a moved occurrence, absent from a cancelled one, with another
length where another job comes first; diary owns them (a phone edit is replaced).

Dates are in March/April 2030 on purpose (far from any real today; the clock is a
FixedClock at 1 March 2030); Berlin's clocks go forward on 31 March 2030, so the weekly
10:00 visit crosses the change and its bands must stay 10:00-local-anchored.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import recurring_ical_events
from icalendar import Calendar

from diary.services import Draft, Repeat

from .conftest import TZ, Desk, at, desk_with_bands
from tests.dav_servers import DavServer


def _weekly(desk: Desk) -> str:
    outcome = desk.service.book_series(
        Draft(title="Weekly check", start=at(4, 10), end=at(4, 11), location="Müller"),
        Repeat("weekly", count=6),
        force=True,
        reason="test set-up",
    )
    assert outcome.appointment is not None
    return outcome.appointment.uid


def _resource(desk: Desk, uid: str) -> tuple[str, str]:
    """(resource name, text) of the resource holding `uid` (exactly one must)."""
    found = [
        (name, text)
        for name, text in desk.on_server().items()
        if f"UID:{uid}" in text.replace("\r\n ", "").replace("\n ", "").splitlines()
    ]
    assert len(found) == 1, f"{uid}: {len(found)} resources"
    return found[0]


def _shown(desk: Desk, uid: str) -> dict[str, tuple[str, str]]:
    """What a phone shows of resource `uid` in March-April 2030: local day -> (start, end)."""
    _name, text = _resource(desk, uid)
    calendar = Calendar.from_ical(text)
    shown = {}
    for event in recurring_ical_events.of(calendar).between(at(1, 0), at(30, 0, month=4)):
        start: datetime = event["DTSTART"].dt.astimezone(TZ)
        end: datetime = event["DTEND"].dt.astimezone(TZ)
        assert str(event["TRANSP"]) == "OPAQUE"
        shown[f"{start:%m-%d}"] = (f"{start:%H:%M}", f"{end:%H:%M}")
    return shown


def test_a_series_sends_recurring_bands_that_follow_its_occurrences(
    dav_server: DavServer, tmp_path: Path
) -> None:
    desk = desk_with_bands(dav_server, tmp_path)
    try:
        uid = _weekly(desk)
        desk.sync()
        assert len(desk.on_server()) == 3  # the series, its travel, its wrap-up
        days = ["03-04", "03-11", "03-18", "03-25", "04-01", "04-08"]
        assert _shown(desk, f"{uid}-travel") == dict.fromkeys(days, ("09:35", "10:00"))
        assert _shown(desk, f"{uid}-wrapup") == dict.fromkeys(days, ("11:00", "11:15"))
        _name, travel = _resource(desk, f"{uid}-travel")
        assert f"RELATED-TO;RELTYPE=PARENT:{uid}" in travel.replace("\r\n ", "")
        assert desk.sync().pulled == 0  # ours are never taken in as appointments
        assert len(desk.service.listing(at(1, 0), at(30, 0, month=4))) == 6

        # One occurrence moved, one cancelled, another job before a third.
        assert desk.service.move(f"{uid}#20300318T090000Z", at(18, 14)).ok
        desk.service.cancel(f"{uid}#20300311T090000Z")
        desk.service.add_location("Keller", address="Weg 1")
        desk.service.set_travel("Keller", "Müller", 10)
        desk.book("Early job", at(25, 8), 90, location="Keller")
        desk.sync()
        travel_shown = _shown(desk, f"{uid}-travel")
        assert "03-11" not in travel_shown
        assert travel_shown["03-18"] == ("13:35", "14:00")
        assert travel_shown["03-25"] == ("09:50", "10:00")  # from Keller, 10 minutes
        assert travel_shown["04-01"] == ("09:35", "10:00")
        wrapup_shown = _shown(desk, f"{uid}-wrapup")
        assert "03-11" not in wrapup_shown and wrapup_shown["03-18"] == ("15:00", "15:15")

        # A phone edit to a band is replaced at the next sync.
        name, text = _resource(desk, f"{uid}-wrapup")
        edited = text.replace(":20300304T110000", ":20300304T113000").replace(
            ":20300304T111500", ":20300304T114500"
        )
        desk.phone.put(name, edited)
        assert _shown(desk, f"{uid}-wrapup")["03-04"] == ("11:30", "11:45")
        desk.sync()
        assert _shown(desk, f"{uid}-wrapup")["03-04"] == ("11:00", "11:15")

        # The series cancelled: its bands go with it.
        desk.service.cancel_series(uid)
        desk.sync()
        assert not any("X-DIARY-BUFFER" in t and uid in t for t in desk.on_server().values())
    finally:
        desk.service.close()

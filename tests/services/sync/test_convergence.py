"""Property: random edits on both sides with syncs in between converge, and every change is
either applied or kept as a conflict (the desktop's value of a field both sides changed).

A small model predicts each sync: a field changed on one side takes that side's value; on
both sides, the server's value wins and the desktop's is listed as a conflict; deleted on
one side and edited on the other, the edit wins.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from diary.services import Draft

from .conftest import Desk, at, make_desk, phone_event
from tests.dav_servers import DavServer

TITLES = ["Survey", "Quote", "Repair", "Check"]
HOURS = [8, 10, 13, 15]

op = st.one_of(
    st.tuples(st.just("desk-new"), st.sampled_from(TITLES), st.sampled_from(HOURS)),
    st.tuples(st.just("desk-title"), st.integers(0, 5), st.sampled_from(TITLES)),
    st.tuples(st.just("desk-move"), st.integers(0, 5), st.sampled_from(HOURS)),
    st.tuples(st.just("desk-cancel"), st.integers(0, 5)),
    st.tuples(st.just("phone-new"), st.sampled_from(TITLES), st.sampled_from(HOURS)),
    st.tuples(st.just("phone-title"), st.integers(0, 5), st.sampled_from(TITLES)),
    st.tuples(st.just("phone-move"), st.integers(0, 5), st.sampled_from(HOURS)),
    st.tuples(st.just("phone-delete"), st.integers(0, 5)),
    st.tuples(st.just("sync")),
)


@dataclass
class Item:
    """One appointment in the model: its synced value and each side's unsynced changes."""

    title: str
    hour: int
    desk: dict[str, object] = field(default_factory=dict)  # changed on the desk since sync
    phone: dict[str, object] = field(default_factory=dict)
    desk_gone: bool = False
    phone_gone: bool = False
    name: str | None = None  # the resource name on the server, once there
    on_desk: bool = False  # the desk has it (made there, or synced)


def _note(changes: dict[str, object], name: str, value: object, synced: object) -> None:
    """A side's change of a field, measured against the synced value (back to it: no change)."""
    if value == synced:
        changes.pop(name, None)
    else:
        changes[name] = value


class Model:
    def __init__(self) -> None:
        self.items: dict[str, Item] = {}
        self.conflicts: dict[str, dict[str, object]] = {}  # uid -> field -> desktop value

    def sync(self) -> None:
        for uid, item in list(self.items.items()):
            if item.desk_gone and item.phone_gone:
                del self.items[uid]
                continue
            if item.desk_gone and not item.phone:
                del self.items[uid]
                continue
            if item.phone_gone and not item.desk:
                del self.items[uid]
                continue
            for name in ("title", "hour"):
                if name in item.phone:
                    if name in item.desk and item.desk[name] != item.phone[name]:
                        self.conflicts.setdefault(uid, {})[name] = item.desk[name]
                    setattr(item, name, item.phone[name])
                elif name in item.desk:
                    setattr(item, name, item.desk[name])
            item.desk, item.phone = {}, {}
            item.desk_gone = item.phone_gone = False


def _phone_names(desk: Desk) -> dict[str, tuple[str, str, int]]:
    """uid -> (resource name, title, hour) of what the phone sees."""
    found = {}
    for name, text in desk.on_server().items():
        event = next(iter(Calendar.from_ical(text).walk("VEVENT")))
        found[str(event["UID"])] = (name, str(event["SUMMARY"]), event["DTSTART"].dt.hour)
    return found


def _phone_edit(desk: Desk, name: str, title: str, hour: int) -> str:
    """The resource as a phone edits it: SUMMARY and times changed in place, every other
    property (diary's X- properties, alarms) kept as the server had it. (A rewrite that
    drops diary's properties is an edit of those fields, which the model does not track.)"""
    text = desk.phone.get(name)
    assert text is not None
    calendar = Calendar.from_ical(text)
    event = next(iter(calendar.walk("VEVENT")))
    length = event["DTEND"].dt - event["DTSTART"].dt
    for prop in ("SUMMARY", "DTSTART", "DTEND"):
        del event[prop]
    event.add("SUMMARY", title)
    event.add("DTSTART", at(4, hour))
    event.add("DTEND", at(4, hour) + length)
    return calendar.to_ical().decode("utf-8")


def _play(desk: Desk, model: Model, steps: list[tuple[object, ...]]) -> None:
    counter = 0
    for step in steps:
        kind = step[0]
        live_desk = [u for u, i in model.items.items() if i.on_desk and not i.desk_gone]
        live_phone = [u for u, i in model.items.items() if not i.phone_gone and i.name]
        if kind == "sync":
            desk.sync(accept_empty=True)  # the phone may delete the last one on purpose
            model.sync()
            names = _phone_names(desk)
            for uid, item in model.items.items():
                item.name = names[uid][0] if uid in names else None
                item.on_desk = True
        elif kind == "desk-new":
            uid = desk.book(str(step[1]), at(4, int(step[2])))  # type: ignore[call-overload]
            model.items[uid] = Item(str(step[1]), int(step[2]), desk={"new": True}, on_desk=True)  # type: ignore[call-overload]
        elif kind == "phone-new":
            counter += 1
            uid = f"phone-{counter}"
            name = f"{uid}.ics"
            desk.phone.put(name, phone_event(uid, str(step[1]), at(4, int(step[2]))))  # type: ignore[call-overload]
            model.items[uid] = Item(str(step[1]), int(step[2]), phone={"new": True}, name=name)  # type: ignore[call-overload]
        elif kind.startswith("desk-") and live_desk:  # type: ignore[union-attr]
            uid = live_desk[int(step[1]) % len(live_desk)]  # type: ignore[call-overload]
            item = model.items[uid]
            current = desk.service.get(uid)
            if kind == "desk-title":
                desk.service.edit(
                    uid,
                    Draft(title=str(step[2]), start=current.start, end=current.end),
                    force=True,
                    reason="test",
                )
                _note(item.desk, "title", str(step[2]), item.title)
            elif kind == "desk-move":
                desk.service.move(uid, at(4, int(step[2])), force=True, reason="test")  # type: ignore[call-overload]
                _note(item.desk, "hour", int(step[2]), item.hour)  # type: ignore[call-overload]
            else:
                desk.service.cancel(uid)
                item.desk_gone, item.desk = True, {}  # its unsynced edits went with it
        elif kind.startswith("phone-") and live_phone:  # type: ignore[union-attr]
            uid = live_phone[int(step[1]) % len(live_phone)]  # type: ignore[call-overload]
            item = model.items[uid]
            assert item.name is not None
            title = str(item.phone.get("title", item.title))
            hour = int(item.phone.get("hour", item.hour))  # type: ignore[call-overload]
            if kind == "phone-title":
                title = str(step[2])
                _note(item.phone, "title", title, item.title)
            elif kind == "phone-move":
                hour = int(step[2])  # type: ignore[call-overload]
                _note(item.phone, "hour", hour, item.hour)
            if kind == "phone-delete":
                desk.phone.delete(item.name)
                item.phone_gone, item.phone = True, {}
            else:
                desk.phone.put(item.name, _phone_edit(desk, item.name, title, hour))
    desk.sync(accept_empty=True)
    model.sync()


@pytest.mark.slow
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(op, min_size=1, max_size=10))
def test_random_edits_on_both_sides_converge(
    dav_server: DavServer, steps: list[tuple[object, ...]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        desk = make_desk(dav_server, Path(folder))
        try:
            model = Model()
            _play(desk, model, steps)
            here = {
                i.appointment.uid: (i.appointment.title, i.appointment.start.hour)
                for i in desk.service.listing(at(4, 0), at(5, 0))
            }
            there = {uid: (title, hour) for uid, (_n, title, hour) in _phone_names(desk).items()}
            expected = {uid: (i.title, i.hour) for uid, i in model.items.items()}
            assert here == there == expected
            kept = {
                c.uid: {name: pair["desktop"] for name, pair in c.fields.items()}
                for c in desk.service.sync_conflicts.conflicts()
            }
            wanted = {
                uid: {("when" if n == "hour" else n): v for n, v in fields.items()}
                for uid, fields in model.conflicts.items()
                if uid in expected
            }
            assert set(kept) == set(wanted)
            for uid, fields in wanted.items():
                assert set(kept[uid]) == set(fields)
                if "title" in fields:
                    assert kept[uid]["title"] == fields["title"]
            again = desk.sync()
            assert (again.pushed, again.pulled, again.deleted) == (0, 0, 0)
        finally:
            desk.service.close()

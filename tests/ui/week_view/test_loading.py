"""The shown days and their agenda, alone: which days a date shows, and that only the
newest answer is kept (a fake bridge answers when the test says)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from types import SimpleNamespace
from typing import Any

from diary.ui.week_view.loading import AgendaLoad, shown_days

from tests.ui.week_view.parts import MONDAY, WEEK, at, listed


class Bridge:
    """Keeps each call; `answer(n, value)` runs the n-th call's `done` as the bridge would."""

    def __init__(self) -> None:
        self.calls: list[tuple[Callable[[Any], Any], Callable[[Any], None], str | None]] = []

    def call(
        self, call: Callable[[Any], Any], done: Callable[[Any], None], *, key: str | None = None
    ) -> None:
        self.calls.append((call, done, key))

    def answer(self, number: int, value: Any) -> None:
        self.calls[number][1](value)


def test_a_week_starts_on_the_first_weekday_and_a_day_is_itself() -> None:
    wednesday = WEEK[2]
    assert shown_days(wednesday, 7, 0) == WEEK
    assert shown_days(wednesday, 7, 6) == [date(2027, 2, 28), *WEEK[:6]]  # from Sunday
    assert shown_days(MONDAY, 7, 0)[0] == MONDAY
    assert shown_days(wednesday, 1, 0) == [wednesday]


def test_only_the_newest_answer_is_kept() -> None:
    bridge = Bridge()
    arrived: list[object] = []
    load = AgendaLoad(bridge, "agenda-1", arrived.append)
    assert load.agenda is None and not load.loading and load.titles() == {}
    load.request(at(MONDAY, 0), at(WEEK[1], 0))
    load.request(at(WEEK[1], 0), at(WEEK[2], 0))
    assert load.loading and [key for _call, _done, key in bridge.calls] == ["agenda-1"] * 2
    asked: list[tuple[object, object]] = []
    bridge.calls[1][0](SimpleNamespace(agenda=lambda lo, hi: asked.append((lo, hi))))
    assert asked == [(at(WEEK[1], 0), at(WEEK[2], 0))]
    stale = SimpleNamespace(items=(), schedule=SimpleNamespace(appointments=()))
    bridge.answer(0, stale)
    assert load.agenda is None and load.loading and arrived == []
    survey = listed("survey", at(WEEK[1], 9), at(WEEK[1], 10), title="Survey")
    near = listed("near", at(WEEK[2], 9), at(WEEK[2], 10), title="Next door").appointment
    newest = SimpleNamespace(items=(survey,), schedule=SimpleNamespace(appointments=(near,)))
    bridge.answer(1, newest)
    assert load.agenda is newest and not load.loading and arrived == [newest]
    titles = load.titles()
    assert titles == {"survey": "Survey", "near": "Next door"}
    assert load.titles() is titles  # read once per answer
    load.forget()
    assert load.agenda is None and load.titles() == {}

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from diary.domain.model import Rule
from diary.services import DiaryService, Draft, InputError

TZ = ZoneInfo("Europe/London")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=TZ)


def draft(title: str, start: datetime, minutes: int = 60, **kw: object) -> Draft:
    return Draft(title, start, start + timedelta(minutes=minutes), **kw)  # type: ignore[arg-type]


def everything(service: DiaryService) -> list[tuple[str, datetime, datetime, bool, str | None]]:
    items = service.listing(at(1, 0), at(30, 0))
    return [
        (
            i.appointment.ref,
            i.appointment.start,
            i.appointment.end,
            i.appointment.cancelled,
            i.appointment.override_reason,
        )
        for i in items
    ]


def test_a_booking_that_fits_is_stored(service: DiaryService) -> None:
    outcome = service.book(
        draft("Kitchen survey", at(24, 9), location="Kitchen", customer="Zoë Müller-Łukasik")
    )
    assert outcome.ok and outcome.violations == ()
    assert outcome.appointment is not None
    stored = service.get(outcome.appointment.ref)
    assert stored.start == at(24, 9) and stored.location and stored.location.name == "Kitchen"
    assert stored.customer and stored.customer.name == "Zoë Müller-Łukasik"


def test_a_breach_is_refused_with_the_nearest_slot_and_changes_nothing(
    service: DiaryService,
) -> None:
    service.book(draft("Kitchen survey", at(24, 9), location="Kitchen"))
    before = everything(service)
    outcome = service.book(draft("Bath fit", at(24, 10, 20), 40, location="Bath"))
    assert outcome.refused
    assert [v.rule for v in outcome.violations] == [Rule.BUFFER]
    assert outcome.nearest == at(24, 10, 40)
    assert everything(service) == before


def test_an_override_needs_a_reason_and_stays_flagged(service: DiaryService) -> None:
    service.book(draft("Kitchen survey", at(24, 9), location="Kitchen"))
    with pytest.raises(InputError, match="reason"):
        service.book(draft("Bath fit", at(24, 10, 20), 40, location="Bath"), force=True)
    outcome = service.book(
        draft("Bath fit", at(24, 10, 20), 40, location="Bath"),
        force=True,
        reason="customer only free then",
    )
    assert outcome.ok and outcome.appointment is not None
    assert outcome.appointment.override_reason == "customer only free then"
    [flagged] = service.check()
    assert flagged.appointment.ref == outcome.appointment.ref
    assert flagged.flag_names == ["buffer"]


def test_moving_into_a_conflict_is_refused_and_moving_away_clears_the_flag(
    service: DiaryService,
) -> None:
    a = service.book(draft("A", at(24, 9), location="Kitchen")).appointment
    b = service.book(draft("B", at(24, 13), location="Kitchen")).appointment
    assert a is not None and b is not None
    refused = service.move(b.ref, at(24, 9, 30))
    assert refused.refused
    assert any(v.rule is Rule.DOUBLE_BOOKING for v in refused.violations)
    assert service.get(b.ref).start == at(24, 13)
    forced = service.move(b.ref, at(24, 9, 30), force=True, reason="two-person job")
    assert forced.ok
    assert {i.appointment.ref for i in service.check()} == {a.ref, b.ref}
    moved = service.move(b.ref, at(24, 14))
    assert moved.ok
    assert service.check() == []
    assert service.get(b.ref).override_reason is None


def test_every_change_raises_the_sequence(service: DiaryService) -> None:
    a = service.book(draft("A", at(24, 9), location="Kitchen")).appointment
    assert a is not None
    assert a.sequence == 0
    service.move(a.ref, at(24, 10))
    service.resize(a.ref, at(24, 11, 30))
    assert service.get(a.ref).sequence == 2
    assert service.get(a.ref).end == at(24, 11, 30)
    service.cancel(a.ref)
    assert service.listing(at(24, 0), at(25, 0)) == []


def test_restore_puts_back_exactly_what_was_there(service: DiaryService) -> None:
    a = service.book(draft("A", at(24, 9), location="Kitchen")).appointment
    assert a is not None
    moved = service.move(a.ref, at(24, 11))
    assert moved.before is not None
    service.restore(moved.before)
    assert service.get(a.ref).start == at(24, 9)


def test_bad_input_names_the_field_and_changes_nothing(service: DiaryService) -> None:
    with pytest.raises(InputError, match="customer"):
        service.book(draft("A", at(24, 9), customer="Nobody"))
    with pytest.raises(InputError, match="location"):
        service.book(draft("A", at(24, 9), location="Nowhere"))
    with pytest.raises(InputError, match="title"):
        service.book(draft(" ", at(24, 9)))
    with pytest.raises(InputError, match="end"):
        service.book(Draft("A", at(24, 9), at(24, 9)))
    assert everything(service) == []


def test_suggest_finds_the_earliest_start_that_fits(service: DiaryService) -> None:
    service.book(draft("A", at(24, 8, 30), location="Kitchen"))
    found = service.suggest(timedelta(minutes=45), "Bath", at(24, 8))
    assert found == at(24, 10, 10)


def test_agenda_reports_each_days_free_reserve(service: DiaryService) -> None:
    service.book(draft("Long job", at(24, 8, 20), 480, location="Kitchen"))
    agenda = service.agenda(at(24, 0), at(25, 0))
    reserve = agenda.reserves[at(24, 0).date()]
    assert reserve.working_minutes == 600
    assert reserve.free_minutes == 600 - 20 - 480 - 15


def test_policy_set_rejects_unknown_keys_and_bad_values(service: DiaryService) -> None:
    with pytest.raises(InputError, match="KEY"):
        service.set_policy("colour", "blue")
    with pytest.raises(InputError, match="hours.mon"):
        service.set_policy("hours.mon", "9-5")
    service.set_policy("hours.sat", "09:00-13:00")
    service.set_policy("reserve", "90")
    rows = dict(service.policy_rows())
    assert rows["hours.sat"] == "09:00-13:00"
    assert rows["reserve"] == "90"


def test_reschedule_sets_start_and_end_in_one_judged_change(service: DiaryService) -> None:
    survey = service.book(draft("Kitchen survey", at(24, 9), location="Kitchen")).appointment
    fit = service.book(draft("Bath fit", at(24, 12), location="Bath")).appointment
    assert survey is not None and fit is not None
    before = everything(service)
    # 10:30-11:50 in the Kitchen leaves 10 min for 15 wrap-up + 25 drive to Bath at 12:00.
    refused = service.reschedule(survey.ref, at(24, 10, 30), at(24, 11, 50))
    assert refused.refused and refused.nearest is not None
    assert Rule.BUFFER in {v.rule for v in refused.violations}
    assert everything(service) == before  # nothing written
    moved = service.reschedule(survey.ref, at(24, 10), at(24, 11, 20))
    assert moved.ok
    assert (service.get(survey.ref).start, service.get(survey.ref).end) == (
        at(24, 10),
        at(24, 11, 20),
    )
    with pytest.raises(InputError):
        service.reschedule(survey.ref, at(24, 11), at(24, 10))

"""Promise use cases on both back ends, with a clock the test moves by hand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from diary.domain.model import Channel
from diary.domain.promises import PromiseStatus, RiskKind
from diary.services import DiaryService, Draft, InputError, NotFoundError
from diary.services.drafts import check_questions, describe_reasons

TZ = ZoneInfo("Europe/London")
ZOE = "Zoë Müller-Łukasik"


Svc = DiaryService


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def clock() -> Clock:
    return Clock(at(23, 7))  # Monday 23 November 2026, before work


@pytest.fixture
def svc(any_db_url: str, clock: Clock) -> Iterator[Svc]:
    service = Svc.open(any_db_url, zone="Europe/London", clock=clock)
    service.add_location("Home", address="1 Home St")
    service.add_location("Kitchen", address="Hauptstr. 5")
    service.set_travel("Home", "Kitchen", 20)
    service.set_policy("base", "Home")
    service.add_customer(ZOE, email="zoe@example.com", prefers="email")
    service.add_customer("Bram de Vries", phone="+44 20 7946 0012", prefers="text")
    service.add_customer("Aisha Okafor", phone="+44 20 7946 0013", prefers="phone")
    yield service
    service.close()


def book(svc: Svc, title: str, start: datetime, minutes: int, customer: str | None = None) -> str:
    outcome = svc.book(
        Draft(title, start, start + timedelta(minutes=minutes), customer=customer),
        force=True,
        reason="test set-up",
    )
    assert outcome.appointment is not None
    return outcome.appointment.ref


def test_a_promise_is_stored_and_listed_with_its_check(svc: Svc) -> None:
    made = svc.add_promise(ZOE, "Quote for the kitchen", at(26, 12), effort=90, depends_on="Sam")
    assert made.id > 0 and made.uid and made.status is PromiseStatus.OPEN
    [view] = svc.promises()
    assert view.promise.id == made.id and view.promise.due == at(26, 12)
    assert view.promise.customer.name == ZOE and view.promise.depends_on == "Sam"
    assert view.check_at == at(25, 12)
    assert view.status is PromiseStatus.OPEN and not view.at_risk
    assert check_questions(view.promise) == [
        f"Is everything in hand for “Quote for the kitchen” ({ZOE})?",
        "Has Sam confirmed?",
    ]


def test_bad_promises_are_refused_naming_the_field(svc: Svc) -> None:
    with pytest.raises(NotFoundError) as unknown:
        svc.add_promise("Nobody", "x", at(26, 12))
    assert unknown.value.where == "customer"
    with pytest.raises(InputError) as past:
        svc.add_promise(ZOE, "x", at(22, 12))
    assert past.value.where == "due" and "past" in past.value.problem
    with pytest.raises(InputError) as empty:
        svc.add_promise(ZOE, "  ", at(26, 12))
    assert empty.value.where == "what"
    with pytest.raises(InputError) as effort:
        svc.add_promise(ZOE, "x", at(26, 12), effort=-5)
    assert effort.value.where == "effort"
    with pytest.raises(NotFoundError) as missing:
        svc.confirm(404)
    assert missing.value.where == "ID"
    assert svc.promises() == []


def test_past_its_check_and_unconfirmed_it_is_at_risk_until_confirmed(
    svc: Svc, clock: Clock
) -> None:
    made = svc.add_promise(ZOE, "Quote", at(24, 12), depends_on="Sam")
    assert svc.promises(at_risk_only=True) == []
    assert svc.checks_due(at(23, 0), at(24, 0)) == []  # check at Monday 12:00, not yet
    clock.now = at(23, 12, 5)
    [due_check] = svc.checks_due(at(23, 12), at(23, 13))
    assert due_check.promise.id == made.id
    [risky] = svc.promises(at_risk_only=True)
    assert [r.kind for r in risky.assessment.reasons] == [RiskKind.CHECK_OVERDUE]
    confirmed = svc.confirm(made.id)
    assert confirmed.status is PromiseStatus.CHECKED and not confirmed.at_risk
    assert confirmed.promise.checked_at == clock.now and confirmed.promise.sequence == 1
    assert svc.promises(at_risk_only=True) == []
    assert svc.checks_due(at(23, 12), at(23, 13)) == []


def test_effort_that_no_longer_fits_before_due_is_at_risk(svc: Svc) -> None:
    made = svc.add_promise(ZOE, "Drawings", at(24, 18), effort=600)
    [view] = svc.promises()
    assert not view.at_risk  # Monday and Tuesday have 2 x 540 free minutes
    book(svc, "Fitting", at(24, 8), 8 * 60)  # Tuesday 08:00-16:00 (+15 min wrap-up)
    [view] = svc.promises(at_risk_only=True)
    assert view.promise.id == made.id
    [reason] = view.assessment.reasons
    assert reason.kind is RiskKind.EFFORT_DOES_NOT_FIT
    # Monday 540 + Tuesday (16:15-18:00 is 105, less the 60 reserve) 45 = 585 < 600.
    assert (reason.free_minutes, reason.needed_minutes) == (585, 600)
    assert describe_reasons(view.assessment.reasons) == [
        "needs 600 min of work, only 585 min free before it is due"
    ]


def test_past_due_it_is_late_until_done_and_done_stays_done(svc: Svc, clock: Clock) -> None:
    made = svc.add_promise("Bram de Vries", "Spare part", at(24, 12))
    clock.now = at(24, 12, 1)
    [late] = svc.promises(at_risk_only=True)
    assert late.status is PromiseStatus.LATE and late.at_risk
    assert svc.promise(made.id).status is PromiseStatus.LATE
    done = svc.done(made.id)
    assert done.status is PromiseStatus.DONE and done.promise.done_at == clock.now
    assert svc.done(made.id).promise.sequence == done.promise.sequence  # idempotent
    assert svc.promises() == []
    assert [v.status for v in svc.promises(include_done=True)] == [PromiseStatus.DONE]
    with pytest.raises(InputError):
        svc.confirm(made.id)
    assert svc.reopen(made.id).status is PromiseStatus.LATE


def test_suggest_due_counts_free_time_and_the_margin(svc: Svc) -> None:
    # Monday 07:00: Monday and Tuesday give 540 free minutes each.
    assert svc.suggest_due(600, margin=0) == at(24, 18)
    assert svc.suggest_due(600) == at(25, 18)  # the policy's margin: one working day
    book(svc, "Fitting", at(24, 8), 8 * 60)
    assert svc.suggest_due(600, margin=0) == at(25, 18)
    with pytest.raises(InputError) as bad:
        svc.suggest_due(60, margin=-1)
    assert bad.value.where == "margin"


def test_reschedule_moves_the_due_and_asks_for_a_new_check(svc: Svc, clock: Clock) -> None:
    made = svc.add_promise(ZOE, "Quote", at(24, 12))
    svc.confirm(made.id)
    moved = svc.reschedule_promise(made.id, at(27, 12), effort=30)
    assert moved.promise.due == at(27, 12) and moved.promise.effort_minutes == 30
    assert moved.status is PromiseStatus.OPEN and moved.promise.checked_at is None


def test_tell_customer_drafts_in_the_preferred_channel(svc: Svc, clock: Clock) -> None:
    email = svc.add_promise(ZOE, "Quote for the kitchen", at(24, 12), effort=120)
    text = svc.add_promise("Bram de Vries", "Spare part", at(24, 12))
    call = svc.add_promise("Aisha Okafor", "Tiles", at(24, 12))
    clock.now = at(24, 13)  # all three are late

    mail = svc.tell_customer(email.id, "en_US")
    assert mail.channel is Channel.EMAIL and mail.mailto_url
    parts = urlsplit(mail.mailto_url)
    assert parts.scheme == "mailto" and parts.path == "zoe@example.com"
    query = parse_qs(parts.query)
    assert query["subject"] == ["About “Quote for the kitchen”: a new date"]
    [body] = query["body"]
    assert "Quote for the kitchen" in body and "sorry" in body
    assert "Tuesday, November 24, 2026" in body  # the original date
    assert "Wednesday, November 25, 2026" in body  # 2 h fit today, plus one working day

    sms = svc.tell_customer(text.id, "en_US")
    assert sms.channel is Channel.TEXT and sms.recipient == "+44 20 7946 0012"
    assert len(sms.body) <= 300 and "Spare part" in sms.body and "Sorry" in sms.body
    assert sms.mailto_url is None and sms.call_script is None

    phone = svc.tell_customer(call.id, "de_DE")
    assert phone.channel is Channel.PHONE and phone.call_script
    assert "Tiles" in phone.call_script and "24. November 2026" in phone.call_script


def test_promises_for_export_are_records_for_the_ical_exporter(svc: Svc) -> None:
    made = svc.add_promise(ZOE, "Quote", at(24, 12))
    svc.done(made.id)
    [record] = svc.promises_for_export()
    assert record.uid == made.uid and record.customer == ZOE and record.what == "Quote"
    assert record.due == at(24, 12) and record.check_at == at(23, 12)
    assert record.status == "done" and record.sequence == 1 and record.updated is not None
    assert svc.promises_for_export(at(25, 0), at(26, 0)) == []


def test_customer_rows_come_from_a_few_grouped_queries(svc: Svc) -> None:
    book(svc, "Survey", at(24, 9), 60, ZOE)
    book(svc, "Fitting", at(26, 9), 60, ZOE)
    book(svc, "Old", at(16, 9), 60, "Bram de Vries")
    svc.add_promise(ZOE, "Quote", at(26, 12))
    done = svc.add_promise(ZOE, "Drawings", at(26, 12))
    svc.done(done.id)
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    svc.customer_rows()  # the diary's settings are cached after the first read
    engine = svc.database.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        rows = {r.customer.name: r for r in svc.customer_rows()}
    finally:
        event.remove(engine, "before_cursor_execute", count)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 5  # revision, customers, next starts, promise counts (no N+1)
    assert rows[ZOE].next_appointment == at(24, 9) and rows[ZOE].open_promises == 1
    assert rows["Bram de Vries"].next_appointment is None
    assert rows["Aisha Okafor"].open_promises == 0


def test_customer_history_has_appointments_promises_and_time(svc: Svc, clock: Clock) -> None:
    book(svc, "Survey", at(16, 9), 60, ZOE)  # past: 20 travel from Home, 15 wrap-up
    book(svc, "Fitting", at(24, 10), 90, ZOE)
    book(svc, "Other", at(24, 14), 30, "Bram de Vries")
    svc.add_promise(ZOE, "Quote", at(26, 12))
    history = svc.customer_history(ZOE)
    assert [i.appointment.title for i in history.past] == ["Survey"]
    assert [i.appointment.title for i in history.future] == ["Fitting"]
    assert [v.promise.what for v in history.promises] == ["Quote"]
    spent = history.spent
    assert (spent.meetings, spent.meeting_minutes, spent.wrapup_minutes) == (1, 60, 15)
    assert history.planned.meeting_minutes == 90 and history.planned.meetings == 1
    with pytest.raises(NotFoundError):
        svc.customer_history("Nobody")


def test_the_clock_drives_the_check_reminders_without_waiting(svc: Svc, clock: Clock) -> None:
    svc.add_promise(ZOE, "Quote", at(25, 9))
    svc.add_promise(ZOE, "Drawings", at(26, 9))
    seen = []
    for hour in range(0, 72, 6):
        before = clock.now
        clock.now = at(23, 7) + timedelta(hours=hour + 6)
        seen += [v.promise.what for v in svc.checks_due(before, clock.now)]
    assert seen == ["Quote", "Drawings"]
    assert clock.now.astimezone(UTC) > at(26, 9).astimezone(UTC) - timedelta(hours=24)

"""Promises to customers: record them, check them 24 hours ahead, see which are at risk.

`late` is never stored: it is derived from the clock on every read. Free time before a
promise's due is read a week of days at a time through the store's indexed range query
(`DiaryStore.schedule`), never by scanning the diary, and only as far as needed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from diary.domain.days import epoch
from diary.domain.promises import (
    CHECK_BEFORE,
    Assessment,
    FreeTime,
    Promise,
    PromiseStatus,
    assess,
    check_at,
    check_pending,
    earliest_due,
    realistic_new_due,
)
from diary.domain.slots import ScheduleLoader
from diary.interchange.records import ExportPromise
from diary.services.drafts import MessageDraft, draft_message
from diary.services.results import InputError, NotFoundError
from diary.services.scheduling import new_uid
from diary.services.store import DiaryStore
from diary.storage.unit_of_work import UnitOfWork

MAX_EFFORT_MINUTES = 100 * 24 * 60
MAX_MARGIN_DAYS = 60
PENDING = (PromiseStatus.OPEN, PromiseStatus.CHECKED)


@dataclass(frozen=True, slots=True)
class PromiseView:
    """A promise as the panels, the tray and the command line show it, judged at `now`."""

    promise: Promise
    check_at: datetime
    assessment: Assessment
    # Free working minutes counted before due; None without an effort estimate (or once done
    # or late). Counting stops as soon as the effort fits, so when the promise is not at risk
    # this is a lower bound; when the effort does not fit it is the full count.
    free_minutes: int | None = None

    @property
    def status(self) -> PromiseStatus:
        return self.assessment.status

    @property
    def at_risk(self) -> bool:
        return self.assessment.at_risk


def _effort(value: int | None) -> int | None:
    if value is None:
        return None
    if not 0 <= value <= MAX_EFFORT_MINUTES:
        raise InputError("effort", f"{value} is not between 0 and {MAX_EFFORT_MINUTES} minutes")
    return value


def _aware(value: datetime, where: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise InputError(where, "needs a time zone")


def judge(promise: Promise, now: datetime, free: FreeTime | None) -> PromiseView:
    """`promise` judged at `now`; free time is read from `free` only if it has an effort."""
    minutes: int | None = None
    effort = promise.effort_minutes
    pending = promise.status is not PromiseStatus.DONE and epoch(now) < epoch(promise.due)
    if effort and pending and free is not None:
        # Stops reading the diary as soon as the effort fits.
        minutes = free.until(promise.due, enough=effort)
    return PromiseView(promise, check_at(promise), assess(promise, now, minutes), minutes)


class PromiseService:
    """Mixin over a DiaryStore: the promise use cases. Each call is its own transaction."""

    store: DiaryStore

    def __init__(self, store: DiaryStore) -> None:
        self.store = store

    # -- helpers ---------------------------------------------------------------------

    def _loader(self, uow: UnitOfWork) -> ScheduleLoader:
        return lambda lo, hi: self.store.snapshot(uow, lo, hi)

    def _views(self, uow: UnitOfWork, found: list[Promise]) -> list[PromiseView]:
        now = self.store.clock()
        free = FreeTime(self._loader(uow), uow.policy, now)
        return [judge(p, now, free) for p in found]

    @staticmethod
    def _stored_promise(uow: UnitOfWork, promise_id: int) -> Promise:
        found = uow.promises.find(promise_id)
        if found is None:
            raise NotFoundError("ID", f"no promise #{promise_id}")
        return found

    def _store_promise_change(self, uow: UnitOfWork, found: Promise, **changes: Any) -> Promise:
        """Store a change of `found`: a raised SEQUENCE, so phones update the exported copy."""
        now = self.store.clock()
        changed = replace(found, **changes, sequence=found.sequence + 1, updated=now)
        return uow.promises.save(changed)

    # -- use cases -------------------------------------------------------------------

    def add_promise(
        self,
        customer: str,
        what: str,
        due: datetime,
        effort: int | None = None,
        depends_on: str | None = None,
        appointment_uid: str | None = None,
        notes: str = "",
    ) -> Promise:
        """Record a promise to `customer` (by name); refused when due is already past."""
        if not what.strip():
            raise InputError("what", "must not be empty")
        _aware(due, "due")
        effort = _effort(effort)
        colleague = (depends_on or "").strip() or None
        now = self.store.clock()
        if epoch(due) <= epoch(now):
            raise InputError("due", f"{due.isoformat()} is in the past: a promise is for later")
        with self.store.write() as uow:
            who = uow.customers.by_name(customer.strip())
            if who is None:
                raise NotFoundError("customer", f"no customer named {customer!r}")
            if appointment_uid and self.store.appointment(uow, appointment_uid) is None:
                raise NotFoundError("appointment", f"no appointment {appointment_uid!r}")
            promise = Promise(
                id=0,
                uid=new_uid(),
                customer=who,
                what=what.strip(),
                due=due,
                zone=uow.policy.zone,
                effort_minutes=effort,
                depends_on=colleague,
                appointment_uid=appointment_uid or None,
                notes=notes,
                created=now,
                updated=now,
            )
            return uow.promises.add(promise)

    def promise(self, promise_id: int) -> PromiseView:
        """One promise, judged now."""
        with self.store.read() as uow:
            found = self._stored_promise(uow, promise_id)
            return self._views(uow, [found])[0]

    def promises(self, at_risk_only: bool = False, include_done: bool = False) -> list[PromiseView]:
        """Promises not yet done (by due), judged now; only the at-risk and late ones if asked."""
        statuses = None if include_done else PENDING
        with self.store.read() as uow:
            found = uow.promises.select(statuses=statuses)
            views = self._views(uow, found)
        if at_risk_only:
            views = [v for v in views if v.at_risk]
        return views

    def promises_due(self, lo: datetime, hi: datetime) -> list[PromiseView]:
        """Promises (done ones too) due in [lo, hi): the badges of the week and month views."""
        _aware(lo, "from")
        _aware(hi, "to")
        with self.store.read() as uow:
            found = uow.promises.select(due_from=lo, due_to=hi)
            return self._views(uow, found)

    def checks_due(self, lo: datetime, hi: datetime) -> list[PromiseView]:
        """Open promises whose 24-hour check time falls in [lo, hi) and is still unanswered
        at the clock's now: what the tray asks "is everything in hand?" about."""
        _aware(lo, "from")
        _aware(hi, "to")
        with self.store.read() as uow:
            found = uow.promises.select(
                statuses=(PromiseStatus.OPEN,),
                # check_at is due less 24 real hours: add them in UTC, not on the wall clock.
                due_from=lo.astimezone(UTC) + CHECK_BEFORE,
                due_to=hi.astimezone(UTC) + CHECK_BEFORE,
            )
            now = self.store.clock()
            found = [
                p
                for p in found
                if epoch(lo) <= epoch(check_at(p)) < epoch(hi) and check_pending(p, now)
            ]
            return self._views(uow, found)

    def customer_promises(self, name: str, include_done: bool = True) -> list[PromiseView]:
        with self.store.read() as uow:
            who = uow.customers.by_name(name)
            if who is None:
                raise NotFoundError("customer", f"no customer named {name!r}")
            statuses = None if include_done else PENDING
            found = uow.promises.select(statuses=statuses, customer_id=who.id)
            return self._views(uow, found)

    def confirm(self, promise_id: int) -> PromiseView:
        """Answer the check: everything is in hand (and the colleague has confirmed)."""
        with self.store.write() as uow:
            found = self._stored_promise(uow, promise_id)
            if found.status is PromiseStatus.DONE:
                raise InputError("ID", f"promise #{promise_id} is already done")
            stored = self._store_promise_change(
                uow, found, status=PromiseStatus.CHECKED, checked_at=self.store.clock()
            )
            return self._views(uow, [stored])[0]

    def done(self, promise_id: int) -> PromiseView:
        """The promise is kept. Marking a done promise done again changes nothing."""
        with self.store.write() as uow:
            found = self._stored_promise(uow, promise_id)
            if found.status is not PromiseStatus.DONE:
                found = self._store_promise_change(
                    uow, found, status=PromiseStatus.DONE, done_at=self.store.clock()
                )
            return self._views(uow, [found])[0]

    def reopen(self, promise_id: int) -> PromiseView:
        """Undo `done` or `confirm`: the promise is open (unconfirmed) again."""
        with self.store.write() as uow:
            found = self._stored_promise(uow, promise_id)
            stored = self._store_promise_change(
                uow, found, status=PromiseStatus.OPEN, checked_at=None, done_at=None
            )
            return self._views(uow, [stored])[0]

    def reschedule_promise(
        self, promise_id: int, due: datetime, effort: int | None = None
    ) -> PromiseView:
        """A new due date agreed with the customer (and, if given, the remaining effort).

        The new date needs a new check: the promise goes back to open.
        """
        _aware(due, "due")
        effort = _effort(effort)
        if epoch(due) <= epoch(self.store.clock()):
            raise InputError("due", f"{due.isoformat()} is in the past")
        with self.store.write() as uow:
            found = self._stored_promise(uow, promise_id)
            if found.status is PromiseStatus.DONE:
                raise InputError("ID", f"promise #{promise_id} is already done")
            stored = self._store_promise_change(
                uow,
                found,
                due=due,
                effort_minutes=found.effort_minutes if effort is None else effort,
                status=PromiseStatus.OPEN,
                checked_at=None,
            )
            return self._views(uow, [stored])[0]

    def suggest_due(self, effort: int, margin: int | None = None) -> datetime:
        """ "When can I promise this?": the earliest due date on which `effort` minutes fit
        into free working time from now, plus `margin` working days (default: the policy's)."""
        effort_minutes = _effort(effort)
        assert effort_minutes is not None
        if margin is not None and not 0 <= margin <= MAX_MARGIN_DAYS:
            raise InputError("margin", f"{margin} is not between 0 and {MAX_MARGIN_DAYS} days")
        with self.store.read() as uow:
            policy = uow.policy
            days = policy.promise_margin_days if margin is None else margin
            found = earliest_due(
                effort_minutes,
                self.store.clock(),
                self._loader(uow),
                policy,
                days,
            )
        if found is None:
            raise InputError("effort", f"{effort} minutes do not fit into the free time of a year")
        return found

    def new_due_for(self, promise_id: int) -> datetime | None:
        """A realistic new due date to offer the customer for an at-risk or late promise."""
        with self.store.read() as uow:
            found = self._stored_promise(uow, promise_id)
            return realistic_new_due(found, self.store.clock(), self._loader(uow), uow.policy)

    def tell_customer(self, promise_id: int, locale: str | None = None) -> MessageDraft:
        """The message that tells the customer of the delay first, in their preferred channel."""
        with self.store.read() as uow:
            found = self._stored_promise(uow, promise_id)
            view = self._views(uow, [found])[0]
            new_due = realistic_new_due(found, self.store.clock(), self._loader(uow), uow.policy)
            chosen = locale or uow.policy.locale or None
        return draft_message(view, new_due, chosen)

    def promises_for_export(
        self, lo: datetime | None = None, hi: datetime | None = None
    ) -> list[ExportPromise]:
        """Promises (all, or due in [lo, hi)) as the iCalendar exporter takes them: a VTODO
        plus a due-time event each. Status is "done" or "open" (late is not an iCal status).
        """
        with self.store.read() as uow:
            found = uow.promises.select(due_from=lo, due_to=hi)
        now = self.store.clock()
        records = []
        for p in found:
            status = "done" if p.status is PromiseStatus.DONE else "open"
            records.append(
                ExportPromise(
                    uid=p.uid,
                    customer=p.customer.name,
                    what=p.what,
                    due=p.due,
                    check_at=check_at(p),
                    status=status,
                    sequence=p.sequence,
                    updated=p.updated or now,
                )
            )
        return records

"""Booking, moving, resizing, editing and cancelling appointments, with the rules enforced."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta

from diary.domain.days import local_days, window_for
from diary.domain.model import Appointment, Kind, Policy, Violation
from diary.domain.slots import nearest_feasible_slot
from diary.domain.verdicts import refusals
from diary.services.results import Draft, InputError, NotFoundError, Outcome
from diary.services.store import DiaryStore
from diary.storage.unit_of_work import UnitOfWork


def new_uid() -> str:
    return f"{uuid.uuid4()}@diary"


def _days(policy: Policy, *appointments: Appointment | None) -> frozenset[date]:
    days: set[date] = set()
    for a in appointments:
        if a is not None:
            days.update(local_days(a.start, a.end, policy.zone))
    return frozenset(days)


def _check_times(start: datetime, end: datetime) -> None:
    if start.tzinfo is None:
        raise InputError("start", "needs a time zone")
    if end.tzinfo is None:
        raise InputError("end", "needs a time zone")
    if end.timestamp() <= start.timestamp():
        raise InputError("end", "must be after the start")


def _check_override(force: bool, reason: str | None) -> None:
    if force and not (reason and reason.strip()):
        raise InputError("reason", "an override needs a reason, so it can be seen later")


def appointment_from_draft(uow: UnitOfWork, draft: Draft, uid: str) -> Appointment:
    """The draft as an appointment: names resolved to the stored customer and place, checked."""
    if not draft.title.strip():
        raise InputError("title", "must not be empty")
    _check_times(draft.start, draft.end)
    if draft.wrapup_minutes is not None and not 0 <= draft.wrapup_minutes <= 24 * 60:
        raise InputError("wrapup", "must be between 0 and 1440 minutes")
    customer = None
    if draft.customer:
        customer = uow.customers.by_name(draft.customer)
        if customer is None:
            raise NotFoundError("customer", f"no customer named {draft.customer!r}")
    location = None
    if draft.location:
        location = uow.places.by_name(draft.location)
        if location is None:
            raise NotFoundError("location", f"no location named {draft.location!r}")
    zone = draft.zone or uow.policy.zone
    return Appointment(
        uid=uid,
        title=draft.title.strip(),
        start=draft.start,
        end=draft.end,
        zone=zone,
        kind=draft.kind,
        customer=customer,
        location=location,
        wrapup_minutes=draft.wrapup_minutes,
        notes=draft.notes,
    )


def nearest_start(store: DiaryStore, uow: UnitOfWork, candidate: Appointment) -> datetime | None:
    """The feasible start nearest to a refused candidate's, from now or two weeks before it."""
    not_before = max(
        store.clock(), candidate.start - timedelta(days=14), key=lambda d: d.timestamp()
    )
    return nearest_feasible_slot(
        candidate.duration,
        candidate.location,
        candidate.start,
        not_before,
        lambda lo, hi: store.snapshot(uow, lo, hi),
        policy=uow.policy,
        kind=candidate.kind,
        wrapup_minutes=candidate.wrapup_minutes,
        ignore_ref=candidate.ref,
    )


class Scheduler:
    """The use cases that change appointments. Each runs in one serialised write."""

    def __init__(self, store: DiaryStore) -> None:
        self.store = store

    # -- helpers ---------------------------------------------------------------------

    def _judge_and_save(
        self,
        uow: UnitOfWork,
        candidate: Appointment,
        before: Appointment | None,
        force: bool,
        reason: str | None,
    ) -> Outcome:
        """Check `candidate` against its neighbours; store it unless a rule refuses it."""
        _check_override(force, reason)
        lo, hi = window_for(candidate.start, candidate.end, uow.policy.zone)
        schedule = self.store.snapshot(uow, lo, hi)
        violations = tuple(schedule.violations_for(candidate))
        breaches = refusals(violations)
        if breaches and not force:
            nearest = nearest_start(self.store, uow, candidate)
            return Outcome(before, violations, refused=True, nearest=nearest, before=before)
        if before is not None:
            candidate = replace(candidate, sequence=before.sequence + 1)
        if breaches:
            candidate = replace(candidate, override_reason=reason)
        elif before is not None and before.override_reason and not force:
            candidate = replace(candidate, override_reason=None)
        stored = uow.appointments.save(candidate)
        return Outcome(
            stored, violations, changed_days=_days(uow.policy, before, stored), before=before
        )

    def _existing(self, uow: UnitOfWork, ref: str) -> Appointment:
        found = self.store.appointment(uow, ref)
        if found is None or found.cancelled:
            raise NotFoundError("uid", f"no appointment {ref!r}")
        return found

    # -- use cases -------------------------------------------------------------------

    def book(self, draft: Draft, *, force: bool = False, reason: str | None = None) -> Outcome:
        """Book a new appointment, refused when it breaks a rule unless overridden."""
        with self.store.write() as uow:
            candidate = appointment_from_draft(uow, draft, new_uid())
            return self._judge_and_save(uow, candidate, None, force, reason)

    def reschedule(
        self,
        ref: str,
        start: datetime,
        end: datetime,
        *,
        force: bool = False,
        reason: str | None = None,
    ) -> Outcome:
        """Give an appointment a new start and end (a drag, a resize, the nearest slot).

        Judged against the neighbours inside this one write transaction, so a booking made
        meanwhile by another process counts; refused (nothing written) like `book`.
        Raises InputError for naive or inverted times, NotFoundError for an unknown ref.
        """
        _check_times(start, end)
        with self.store.write() as uow:
            before = self._existing(uow, ref)
            candidate = replace(before, start=start, end=end)
            return self._judge_and_save(uow, candidate, before, force, reason)

    def move(
        self, ref: str, start: datetime, *, force: bool = False, reason: str | None = None
    ) -> Outcome:
        """Move an appointment to a new start, keeping its real length (DST-safe)."""
        if start.tzinfo is None:
            raise InputError("start", "needs a time zone")
        with self.store.write() as uow:
            before = self._existing(uow, ref)
            candidate = before.moved_to(start)
            return self._judge_and_save(uow, candidate, before, force, reason)

    def resize(
        self, ref: str, end: datetime, *, force: bool = False, reason: str | None = None
    ) -> Outcome:
        """Change when an appointment ends."""
        with self.store.write() as uow:
            before = self._existing(uow, ref)
            _check_times(before.start, end)
            candidate = before.resized_to(end)
            return self._judge_and_save(uow, candidate, before, force, reason)

    def edit(
        self, ref: str, draft: Draft, *, force: bool = False, reason: str | None = None
    ) -> Outcome:
        """Replace what the user can edit of an appointment."""
        with self.store.write() as uow:
            before = self._existing(uow, ref)
            edited = appointment_from_draft(uow, draft, before.uid)
            candidate = replace(
                edited,
                recurrence_id=before.recurrence_id,
                series_uid=before.series_uid,
                sequence=before.sequence,
                created=before.created,
                override_reason=before.override_reason,
            )
            return self._judge_and_save(uow, candidate, before, force, reason)

    def cancel(self, ref: str) -> Outcome:
        """Cancel an appointment: it keeps its UID so phone calendars learn of it."""
        with self.store.write() as uow:
            before = self._existing(uow, ref)
            cancelled = replace(before, cancelled=True, sequence=before.sequence + 1)
            stored = uow.appointments.save(cancelled)
            return Outcome(stored, changed_days=_days(uow.policy, before), before=before)

    def restore(self, value: Appointment) -> Outcome:
        """Put an appointment back exactly as `value` (undo and redo): never refused."""
        with self.store.write() as uow:
            before = self.store.appointment(uow, value.ref)
            lo, hi = window_for(value.start, value.end, uow.policy.zone)
            sequence = max(value.sequence, before.sequence if before else 0) + 1
            stored = uow.appointments.save(replace(value, sequence=sequence))
            schedule = self.store.snapshot(uow, lo, hi)
            violations = tuple(schedule.violations_for(stored))
            return Outcome(
                stored, violations, changed_days=_days(uow.policy, before, stored), before=before
            )

    def preview(self, candidate: Appointment) -> tuple[Violation, ...]:
        """What storing `candidate` would break, without storing anything."""
        with self.store.read() as uow:
            lo, hi = window_for(candidate.start, candidate.end, uow.policy.zone)
            schedule = self.store.snapshot(uow, lo, hi)
            return tuple(schedule.violations_for(candidate))

    def draft_preview(self, draft: Draft, ref: str | None = None) -> Outcome:
        """Judge a draft as the dialog shows it live: violations and the nearest slot."""
        with self.store.read() as uow:
            uid = ref.split("#", 1)[0] if ref else "diary-draft"
            candidate = appointment_from_draft(uow, draft, uid)
            if ref:
                existing = self.store.appointment(uow, ref)
                if existing is not None:
                    candidate = replace(candidate, recurrence_id=existing.recurrence_id)
            lo, hi = window_for(candidate.start, candidate.end, uow.policy.zone)
            schedule = self.store.snapshot(uow, lo, hi)
            violations = tuple(schedule.violations_for(candidate))
            nearest = None
            if refusals(violations):
                nearest = nearest_start(self.store, uow, candidate)
            refused = bool(refusals(violations))
            return Outcome(candidate, violations, refused=refused, nearest=nearest)


def kind_from_text(text: str) -> Kind:
    try:
        return Kind(text)
    except ValueError:
        raise InputError("kind", f"{text!r} is not one of meeting, block, all-day") from None

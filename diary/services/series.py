"""Repeating appointments booked in the diary itself: book and cancel whole series.

A series is a SeriesRow: its RRULE and template are the truth, with overrides (moved,
edited, cancelled occurrences) stored as appointment rows of their own. The occurrences
around now are stored too for the range queries, derived from the rule (see
diary.services.occurrences); any other window is expanded from the rule when read. An
occurrence's reference is "UID#YYYYmmddTHHMMSSZ" (its original start in UTC); moving or
cancelling it through the Scheduler makes it an override, which the export writes as a
RECURRENCE-ID event (or an EXDATE, when cancelled).

Decisions:
- Booking judges the occurrences of the first JUDGE_SPAN (from the first occurrence, or
  from now for a series that started in the past) with the rules, window by window (one
  indexed range query per JUDGE_WINDOW of occurrences, never a scan). Any refusable
  violation refuses the whole series unless forced with a reason; the refusal lists the
  violations of the first REPORTED_OCCURRENCES breaking occurrences, and `nearest` is the
  nearest feasible start of the first breaking occurrence. A forced series stores the
  reason on the breaking ones (which makes them overrides). Later occurrences are not
  judged when booked: their clashes show as flags like any other.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from diary.domain.days import day_bounds, local_days
from diary.domain.model import Appointment, Policy, Violation
from diary.domain.rules import Schedule
from diary.domain.series import SeriesShape
from diary.domain.verdicts import refusals
from diary.interchange.recurrence import RuleError
from diary.services.occurrences import SeriesOccurrences, compiled
from diary.services.results import Draft, InputError, NotFoundError, Outcome, Repeat
from diary.services.scheduling import appointment_from_draft, nearest_start, new_uid
from diary.services.store import DiaryStore
from diary.storage import bulk
from diary.storage.series_repo import StoredSeries
from diary.storage.unit_of_work import UnitOfWork

JUDGE_SPAN = timedelta(days=2 * 366)  # occurrences judged when a series is booked
JUDGE_WINDOW = timedelta(days=56)  # occurrences judged against one range query
REPORTED_OCCURRENCES = 3  # breaking occurrences whose violations a refusal lists


def _template(uow: UnitOfWork, draft: Draft, uid: str) -> Appointment:
    """The draft as the series' first occurrence (names resolved, checked like `book`)."""
    first = appointment_from_draft(uow, draft, uid)
    tz = ZoneInfo(first.zone)
    return replace(
        first, start=first.start.astimezone(tz), end=first.end.astimezone(tz), series_uid=uid
    )


def _days(policy: Policy, spans: list[tuple[datetime, datetime]]) -> frozenset[date]:
    days: set[date] = set()
    for start, end in spans:
        days.update(local_days(start, end, policy.zone))
    return frozenset(days)


class SeriesService:
    """Repeating appointments; a mixin of DiaryService like Scheduler and CalendarIO."""

    store: DiaryStore

    def __init__(self, store: DiaryStore) -> None:
        self.store = store

    # -- booking ---------------------------------------------------------------------

    def book_series(
        self, draft: Draft, repeat: Repeat, *, force: bool = False, reason: str | None = None
    ) -> Outcome:
        """Book a repeating appointment; refused (nothing stored) if an occurrence breaks a rule.

        The Outcome's appointment is the first occurrence; its `uid` is the series' UID.
        """
        repeat.rrule()  # says what is wrong with the rule before anything else
        if repeat.count is not None and repeat.count < 1:
            raise InputError("count", "must be at least 1")
        if force and not (reason and reason.strip()):
            raise InputError("reason", "an override needs a reason, so it can be seen later")
        with self.store.write() as uow:
            policy = uow.policy
            uid = new_uid()
            template = _template(uow, draft, uid)
            rule = repeat.rrule(template.zone)
            now = self.store.clock()
            stored = StoredSeries(template=replace(template, created=now, updated=now), rrule=rule)
            try:
                expander = compiled(stored)
                first_judged = max(template.start, now, key=lambda m: m.timestamp())
                starts = expander.between(template.start, first_judged + JUDGE_SPAN)
            except RuleError as error:
                raise InputError("repeats", error.problem) from error
            if not starts:
                raise InputError("until", "the series has no occurrence (ends before it starts)")
            shape = SeriesShape(stored.template)
            series = [shape.occurrence(start) for start in starts]
            judged = self._judge(uow, series)
            breaking = [o for o in series if refusals(judged[o.ref])]
            if breaking and not force:
                violations = tuple(
                    v for o in breaking[:REPORTED_OCCURRENCES] for v in judged[o.ref]
                )
                nearest = nearest_start(self.store, uow, breaking[0])
                return Outcome(None, violations, refused=True, nearest=nearest)
            series_id = uow.series.save(stored, now=now)
            # A forced occurrence keeps its reason: it differs from the rule, so it is an
            # override (stored before the rest, which are derived around it).
            forced = [
                bulk.row_values(
                    uow.diary_id,
                    replace(o, override_reason=(reason or "").strip()),
                    now=now,
                    source="diary",
                    series_id=series_id,
                    is_override=True,
                )
                for o in breaking
            ]
            uow.rows.insert(forced)
            SeriesOccurrences(uow).materialise(replace(stored, id=series_id), now)
            flagged = [o for o in series if judged[o.ref]][:REPORTED_OCCURRENCES]
            warnings = tuple(v for o in flagged for v in judged[o.ref])
            first = replace(series[0], created=now, updated=now)
            if first.ref in {o.ref for o in breaking}:
                first = replace(first, override_reason=(reason or "").strip())
            return Outcome(
                first, warnings, changed_days=_days(policy, [(o.start, o.end) for o in series])
            )

    def _judge(self, uow: UnitOfWork, series: list[Appointment]) -> dict[str, list[Violation]]:
        """Every occurrence's violations: one range query and snapshot per JUDGE_WINDOW."""
        policy = uow.policy
        base = (
            uow.places.by_id(policy.base_location_id)
            if policy.base_location_id is not None
            else None
        )
        travel = uow.places.travel_table()
        judged: dict[str, list[Violation]] = {}
        first = 0
        while first < len(series):
            window_end = series[first].start.timestamp() + JUDGE_WINDOW.total_seconds()
            last = first + 1
            while last < len(series) and series[last].start.timestamp() < window_end:
                last += 1
            chunk = series[first:last]
            lo = day_bounds(local_days(chunk[0].start, chunk[0].end, policy.zone)[0], policy.zone)
            hi_days = local_days(chunk[-1].start, max(o.end for o in chunk), policy.zone)
            hi = day_bounds(hi_days[-1], policy.zone)
            existing = SeriesOccurrences(uow).overlapping(lo[0], hi[1])
            # The series' own occurrences are neighbours too (a long one may touch the next).
            schedule = Schedule.for_window([*existing, *chunk], policy, travel, base, lo[0], hi[1])
            for occurrence in chunk:
                judged[occurrence.ref] = schedule.violations_for(occurrence)
            first = last
        return judged

    # -- cancelling ------------------------------------------------------------------

    def cancel_series(self, uid: str) -> Outcome:
        """Cancel a whole series: it and every occurrence keep their UID, marked cancelled."""
        with self.store.write() as uow:
            stored = uow.series.by_uid(uid)
            if stored is None or stored.id is None or stored.template.cancelled:
                raise NotFoundError("uid", f"no series {uid!r}")
            spans = uow.series.live_occurrence_spans(stored.id)
            sequence = stored.template.sequence + 1
            uow.series.cancel(stored.id, sequence, now=self.store.clock())
            cancelled = replace(stored.template, cancelled=True, sequence=sequence)
            return Outcome(cancelled, changed_days=_days(uow.policy, spans), before=stored.template)

"""Repeating appointments booked in the diary itself: book, cancel, keep the horizon filled.

A series is a SeriesRow (RRULE and template) plus its occurrences stored as appointment
rows up to the rolling horizon (now + SERIES_HORIZON), so range queries, the rules and
the views treat an occurrence like any other appointment. An occurrence's reference is
"UID#YYYYmmddTHHMMSSZ" (its original start in UTC); moving or cancelling it through the
Scheduler makes it an override, which the export writes as a RECURRENCE-ID event
(or an EXDATE, when cancelled).

Decisions:
- Booking judges every stored occurrence with the rules, window by window (one indexed
  range query per JUDGE_WINDOW of occurrences, never a scan). Any refusable violation
  refuses the whole series unless forced with a reason; the refusal lists the violations
  of the first REPORTED_OCCURRENCES breaking occurrences, and `nearest` is the nearest
  feasible start of the first breaking occurrence (the first occurrence, in the usual case
  of a clash on the first day). A forced series stores the reason on the breaking ones.
- Extending the horizon does not judge the new occurrences again: the series was accepted
  when booked (or imported); later clashes show as flags like any other.
- The horizon is extended EXTEND_SLACK beyond now + SERIES_HORIZON, so the check at app
  start finds nothing to do for a month afterwards (one query). A series whose rule has
  ended is marked expanded for good and never looked at again.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from diary.domain.model import Appointment, Policy, Violation, later
from diary.domain.rules import Schedule, day_bounds, local_days, refusals
from diary.interchange.errors import ImportFailure
from diary.interchange.recurrence import ends_before, occurrences
from diary.services.results import Draft, InputError, NotFoundError, Outcome, Repeat
from diary.services.scheduling import appointment_from_draft, nearest_start, new_uid
from diary.services.store import DiaryStore
from diary.storage import bulk, series_repo
from diary.storage import repository as repo
from diary.storage.series_repo import EXPANDED_FOREVER, StoredSeries

SERIES_HORIZON = timedelta(days=2 * 366)  # occurrences are stored at least two years ahead
EXTEND_SLACK = timedelta(days=30)
JUDGE_WINDOW = timedelta(days=56)  # occurrences judged against one range query
REPORTED_OCCURRENCES = 3  # breaking occurrences whose violations a refusal lists
MAX_OCCURRENCES = 5000


def _template(session: Session, policy: Policy, draft: Draft, uid: str) -> Appointment:
    """The draft as the series' first occurrence (names resolved, checked like `book`)."""
    first = appointment_from_draft(session, policy, draft, uid)
    tz = ZoneInfo(first.zone)
    return replace(
        first, start=first.start.astimezone(tz), end=first.end.astimezone(tz), series_uid=uid
    )


def _occurrence(template: Appointment, start: datetime) -> Appointment:
    """The template at another start: same wall-clock length (9:00-10:00 stays so over DST)."""
    tz = ZoneInfo(template.zone)
    wall = template.end.astimezone(tz).replace(tzinfo=None) - template.start.astimezone(tz).replace(
        tzinfo=None
    )
    local = start.astimezone(tz)
    end = (local.replace(tzinfo=None) + wall).replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
    if end.timestamp() <= local.timestamp():
        end = later(local, template.duration)
    return replace(
        template,
        start=local,
        end=end,
        recurrence_id=local,
        series_uid=template.uid,
        override_reason=None,
        cancelled=False,
    )


def _days(policy: Policy, spans: list[tuple[datetime, datetime]]) -> frozenset[date]:
    days: set[date] = set()
    for start, end in spans:
        days.update(local_days(start, end, policy.zone))
    return frozenset(days)


class SeriesService:
    """Repeating appointments; a mixin of DiaryService like Scheduler."""

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
        with self.store.write() as (session, diary_id, policy):
            uid = new_uid()
            template = _template(session, policy, draft, uid)
            rule = repeat.rrule(template.zone)
            now = self.store.clock()
            until = now + SERIES_HORIZON
            starts = self._expand(rule, template, template.start, until)
            if not starts:
                raise InputError("until", "the series has no occurrence (ends before it starts)")
            series = [_occurrence(template, start) for start in starts]
            judged = self._judge(session, diary_id, policy, series)
            breaking = [o for o in series if refusals(judged[o.ref])]
            if breaking and not force:
                violations = tuple(
                    v for o in breaking[:REPORTED_OCCURRENCES] for v in judged[o.ref]
                )
                nearest = nearest_start(self.store, session, diary_id, policy, breaking[0])
                return Outcome(None, violations, refused=True, nearest=nearest)
            broken = {o.ref for o in breaking}
            series = [
                replace(o, override_reason=reason.strip() if reason else None)
                if o.ref in broken
                else o
                for o in series
            ]
            stored = StoredSeries(
                template=replace(template, created=now, updated=now),
                rrule=rule,
                expanded_until=EXPANDED_FOREVER if self._finished(rule, template, until) else until,
            )
            series_id = series_repo.save_series(session, diary_id, stored, now=now)
            rows = [
                bulk.row_values(diary_id, o, now=now, source="diary", series_id=series_id)
                for o in series
            ]
            bulk.insert_rows(session, diary_id, rows)
            flagged = [o for o in series if judged[o.ref]][:REPORTED_OCCURRENCES]
            warnings = tuple(v for o in flagged for v in judged[o.ref])
            first = replace(series[0], created=now, updated=now)
            return Outcome(
                first, warnings, changed_days=_days(policy, [(o.start, o.end) for o in series])
            )

    @staticmethod
    def _expand(
        rule: str,
        template: Appointment,
        lo: datetime,
        hi: datetime,
        *,
        exdates: tuple[datetime, ...] = (),
        rdates: tuple[datetime, ...] = (),
    ) -> list[datetime]:
        try:
            return occurrences(
                rule,
                template.start,
                template.zone,
                lo=lo,
                hi=hi,
                exdates=exdates,
                rdates=rdates,
                limit=MAX_OCCURRENCES,
            )
        except ImportFailure as failure:
            raise InputError("repeats", failure.problem) from failure

    @staticmethod
    def _finished(
        rule: str,
        template: Appointment,
        moment: datetime,
        exdates: tuple[datetime, ...] = (),
        rdates: tuple[datetime, ...] = (),
    ) -> bool:
        try:
            return ends_before(
                rule, template.start, template.zone, moment, exdates=exdates, rdates=rdates
            )
        except ImportFailure:
            return False

    def _judge(
        self, session: Session, diary_id: int, policy: Policy, series: list[Appointment]
    ) -> dict[str, list[Violation]]:
        """Every occurrence's violations: one range query and snapshot per JUDGE_WINDOW."""
        base = (
            repo.location_by_id(session, policy.base_location_id)
            if policy.base_location_id is not None
            else None
        )
        travel = repo.travel_table(session)
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
            existing = repo.appointments_overlapping(session, diary_id, lo[0], hi[1])
            # The series' own occurrences are neighbours too (a long one may touch the next).
            schedule = Schedule.for_window([*existing, *chunk], policy, travel, base, lo[0], hi[1])
            for occurrence in chunk:
                judged[occurrence.ref] = schedule.violations_for(occurrence)
            first = last
        return judged

    # -- cancelling ------------------------------------------------------------------

    def cancel_series(self, uid: str) -> Outcome:
        """Cancel a whole series: it and every occurrence keep their UID, marked cancelled."""
        with self.store.write() as (session, diary_id, policy):
            stored = series_repo.load_series(session, diary_id, uid)
            if stored is None or stored.id is None or stored.template.cancelled:
                raise NotFoundError("uid", f"no series {uid!r}")
            spans = series_repo.live_occurrence_spans(session, stored.id)
            sequence = stored.template.sequence + 1
            series_repo.cancel_series(
                session, diary_id, stored.id, sequence, now=self.store.clock()
            )
            cancelled = replace(stored.template, cancelled=True, sequence=sequence)
            return Outcome(cancelled, changed_days=_days(policy, spans), before=stored.template)

    # -- the rolling horizon ---------------------------------------------------------

    def extend_series_horizon(self) -> int:
        """Store the occurrences every series gained as time moved on; returns how many.

        Idempotent. With nothing to do it costs one query (call it at app start).
        """
        target = self.store.clock() + SERIES_HORIZON
        with self.store.database.session() as session:
            if not series_repo.series_short_of(session, self.store.diary_id, target):
                return 0
        added = 0
        with self.store.write() as (session, diary_id, _policy):
            now = self.store.clock()
            target = now + SERIES_HORIZON
            until = target + EXTEND_SLACK
            for series in series_repo.series_short_of(session, diary_id, target):
                added += self._extend(session, diary_id, series, now, until)
        return added

    def _extend(
        self,
        session: Session,
        diary_id: int,
        series: StoredSeries,
        now: datetime,
        until: datetime,
    ) -> int:
        assert series.id is not None
        template = series.template
        lo = series.expanded_until or template.start
        try:
            starts = occurrences(
                series.rrule,
                template.start,
                template.zone,
                lo=lo,
                hi=until,
                exdates=series.exdates,
                rdates=series.rdates,
                limit=MAX_OCCURRENCES,
            )
        except ImportFailure:
            starts = []  # a rule this expander cannot read: keep what the import stored
        keys = series_repo.occurrence_keys(session, series.id) if starts else set()
        rows = [
            bulk.row_values(
                diary_id,
                replace(_occurrence(template, start), created=now, updated=now),
                now=now,
                source="diary",
                series_id=series.id,
            )
            for start in starts
            if bulk.recurrence_key(start) not in keys
        ]
        bulk.insert_rows(session, diary_id, rows)
        finished = self._finished(series.rrule, template, until, series.exdates, series.rdates)
        series_repo.set_expanded_until(session, series.id, EXPANDED_FOREVER if finished else until)
        return len(rows)

"""Promises made to customers and the rules that say whether they can still be kept.

Pure functions on values and on `Schedule` snapshots: no I/O. Free time is counted the
way the reserve rule counts it (working hours minus appointments with their travel and
wrap-up bands), and each working day's reserve is kept back for urgent calls: it is
never spent on promise work.

All arithmetic is on UTC epoch seconds, like diary.domain.rules.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from diary.domain.days import day_bounds, epoch, local_days, window_for, working_interval
from diary.domain.model import Customer, Policy, later
from diary.domain.rules import Schedule
from diary.domain.slots import ScheduleLoader
from diary.domain.verdicts import Bands

CHECK_BEFORE = timedelta(hours=24)
# "Due soon": the week ahead, the horizon of an owner's weekly planning.
DUE_SOON = timedelta(days=7)
SEARCH_DAYS = 366
CHUNK_DAYS = 7


class PromiseStatus(enum.StrEnum):
    """Stored: open, checked, done. `late` is derived on reading (due passed, not done)."""

    OPEN = "open"
    CHECKED = "checked"
    DONE = "done"
    LATE = "late"


class RiskKind(enum.StrEnum):
    CHECK_OVERDUE = "check-overdue"  # past its 24-hour check and not confirmed
    EFFORT_DOES_NOT_FIT = "effort-does-not-fit"  # the effort needs more than the free time
    LATE = "late"  # due has passed and it is not done


@dataclass(frozen=True, slots=True)
class RiskReason:
    """Why a promise is at risk, as data; diary.services.drafts says it in words."""

    kind: RiskKind
    free_minutes: int | None = None  # EFFORT_DOES_NOT_FIT: free working minutes before due
    needed_minutes: int | None = None  # EFFORT_DOES_NOT_FIT: the effort estimate


@dataclass(frozen=True, slots=True)
class Promise:
    """Something owed to a customer by `due` (aware); `zone` is the zone it was made in."""

    id: int
    uid: str
    customer: Customer
    what: str
    due: datetime
    zone: str
    effort_minutes: int | None = None
    depends_on: str | None = None  # the colleague who has to deliver a part
    appointment_uid: str | None = None  # the appointment the promise came from
    status: PromiseStatus = PromiseStatus.OPEN
    checked_at: datetime | None = None
    done_at: datetime | None = None
    notes: str = ""
    sequence: int = 0
    created: datetime | None = None
    updated: datetime | None = None

    def __post_init__(self) -> None:
        if self.due.tzinfo is None or self.due.utcoffset() is None:
            raise ValueError(f"promise {self.uid!r}: due must be an aware datetime")
        if self.effort_minutes is not None and self.effort_minutes < 0:
            raise ValueError(f"promise {self.uid!r}: effort must not be negative")


@dataclass(frozen=True, slots=True)
class Assessment:
    """Where a promise stands at one moment.

    `at_risk` is true for a late promise too: both need the customer told.
    """

    status: PromiseStatus
    at_risk: bool
    reasons: tuple[RiskReason, ...] = ()

    @property
    def late(self) -> bool:
        return self.status is PromiseStatus.LATE


def check_at(promise: Promise) -> datetime:
    """When the promise asks "is everything in hand?": 24 real hours before due."""
    return later(promise.due, -CHECK_BEFORE)


def due_soon(promise: Promise, status: PromiseStatus, now: datetime) -> bool:
    """True when a promise not yet done is due from `now` to `now` + `DUE_SOON` (one week)."""
    if status is PromiseStatus.DONE:
        return False
    return epoch(now) <= epoch(promise.due) < epoch(now) + DUE_SOON.total_seconds()


def check_pending(promise: Promise, now: datetime) -> bool:
    """The 24-hour check has come and nobody has confirmed yet (and it is not yet due)."""
    return promise.status is PromiseStatus.OPEN and epoch(check_at(promise)) <= epoch(now) < epoch(
        promise.due
    )


def assess(promise: Promise, now: datetime, free_minutes: int | None) -> Assessment:
    """Judge `promise` at `now`, given the free working minutes between now and its due.

    `free_minutes` may be None when the promise has no effort estimate (it is not needed).
    A promise whose effort fits (free >= effort) and whose check is confirmed or not yet
    reached is never at risk.
    """
    if promise.status is PromiseStatus.DONE:
        return Assessment(PromiseStatus.DONE, False)
    if epoch(now) >= epoch(promise.due):
        return Assessment(PromiseStatus.LATE, True, (RiskReason(RiskKind.LATE),))
    status = (
        PromiseStatus.CHECKED if promise.status is PromiseStatus.CHECKED else PromiseStatus.OPEN
    )
    reasons: list[RiskReason] = []
    if status is PromiseStatus.OPEN and epoch(now) >= epoch(check_at(promise)):
        reasons.append(RiskReason(RiskKind.CHECK_OVERDUE))
    effort = promise.effort_minutes
    if effort and free_minutes is not None and free_minutes < effort:
        reasons.append(RiskReason(RiskKind.EFFORT_DOES_NOT_FIT, max(0, free_minutes), effort))
    return Assessment(status, bool(reasons), tuple(reasons))


# -- free working time ---------------------------------------------------------------------


def _covered_seconds(intervals: list[tuple[float, float]]) -> float:
    """Length of the union of [lo, hi) intervals."""
    total = 0.0
    end = float("-inf")
    for lo, hi in sorted(intervals):
        if hi <= end:
            continue
        total += hi - max(lo, end)
        end = hi
    return total


def day_free_minutes(
    schedule: Schedule,
    bands: dict[str, Bands],
    day: date,
    lo: datetime,
    hi: datetime,
) -> int:
    """Free working minutes of `day` inside [lo, hi), less the day's reserve, never negative.

    `bands` are the schedule's bands (travel before, wrap-up after each appointment).
    """
    hours = working_interval(day, schedule.policy)
    if hours is None:
        return 0
    ws = max(epoch(hours[0]), epoch(lo))
    we = min(epoch(hours[1]), epoch(hi))
    if we <= ws:
        return 0
    busy: list[tuple[float, float]] = []
    for a in schedule.near(hours[0], hours[1]):
        b = bands.get(a.ref)
        travel = b.travel_minutes if b else 0
        wrapup = b.wrapup_minutes if b else schedule.policy.wrapup_for(a)
        start = max(ws, epoch(a.start) - travel * 60)
        end = min(we, epoch(a.end) + wrapup * 60)
        if end > start:
            busy.append((start, end))
    free = int((we - ws - _covered_seconds(busy)) // 60)
    return max(0, free - schedule.policy.reserve_minutes)


def schedule_bands(schedule: Schedule) -> dict[str, Bands]:
    """Travel and wrap-up of every appointment in the snapshot, as the rules count them."""
    return dict(schedule.evaluate().bands)


def free_minutes_between(schedule: Schedule, lo: datetime, hi: datetime) -> int:
    """Free working minutes in [lo, hi): each working day's hours clipped to the range,
    minus appointments with their travel and wrap-up, minus the day's reserve (>= 0 a day).
    """
    if epoch(hi) <= epoch(lo):
        return 0
    bands = schedule_bands(schedule)
    return sum(
        day_free_minutes(schedule, bands, day, lo, hi)
        for day in local_days(lo, hi, schedule.policy.zone)
    )


class FreeTime:
    """Free working minutes from `now` on, loading the diary a chunk of days at a time.

    Every chunk is one `load(lo, hi)` (an indexed range query in the services); the
    per-day values are the ones `free_minutes_between` gives on the same snapshot.
    """

    def __init__(self, load: ScheduleLoader, policy: Policy, now: datetime) -> None:
        self.load = load
        self.policy = policy
        self.now = now
        self.first = now.astimezone(ZoneInfo(policy.zone)).date()
        self._chunks: dict[int, tuple[Schedule, dict[str, Bands]]] = {}
        self._whole: dict[date, int] = {}

    def _snapshot(self, day: date) -> tuple[Schedule, dict[str, Bands]]:
        index = (day - self.first).days // CHUNK_DAYS
        found = self._chunks.get(index)
        if found is None:
            first = self.first + timedelta(days=index * CHUNK_DAYS)
            last = first + timedelta(days=CHUNK_DAYS - 1)
            lo, hi = window_for(
                day_bounds(first, self.policy.zone)[0],
                day_bounds(last, self.policy.zone)[1],
                self.policy.zone,
            )
            schedule = self.load(lo, hi)
            found = (schedule, schedule_bands(schedule))
            self._chunks[index] = found
        return found

    def day(self, day: date, until: datetime | None = None) -> int:
        """Free minutes of `day` from now on (and before `until`), less its reserve."""
        if day < self.first or working_interval(day, self.policy) is None:
            return 0
        if until is None:
            cached = self._whole.get(day)
            if cached is not None:
                return cached
        schedule, bands = self._snapshot(day)
        hi = until if until is not None else day_bounds(day, self.policy.zone)[1]
        value = day_free_minutes(schedule, bands, day, self.now, hi)
        if until is None:
            self._whole[day] = value
        return value

    def until(self, hi: datetime, enough: int | None = None) -> int:
        """Free minutes in [now, hi); stops counting early once `enough` is reached."""
        if epoch(hi) <= epoch(self.now):
            return 0
        last = (hi - timedelta(microseconds=1)).astimezone(ZoneInfo(self.policy.zone)).date()
        total = 0
        day = self.first
        while day <= last:
            total += self.day(day, hi if day == last else None)
            if enough is not None and total >= enough:
                return total
            day += timedelta(days=1)
        return total


# -- when can a promise be kept -------------------------------------------------------------


def add_working_days(day: date, count: int, policy: Policy) -> date | None:
    """The `count`-th working day after `day` (`day` itself for 0); None without any."""
    if count <= 0:
        return day
    if all(working_interval(day + timedelta(days=i), policy) is None for i in range(1, 8)):
        return None
    found = 0
    while found < count:
        day += timedelta(days=1)
        if working_interval(day, policy) is not None:
            found += 1
    return day


def _end_of_work(day: date, policy: Policy) -> datetime:
    hours = working_interval(day, policy)
    assert hours is not None
    return hours[1]


def earliest_due(
    effort_minutes: int,
    now: datetime,
    load: ScheduleLoader,
    policy: Policy,
    margin_days: int,
    search_days: int = SEARCH_DAYS,
) -> datetime | None:
    """The earliest due date one can promise for `effort_minutes` of work from `now`.

    Walks the working days from now, adding up their free minutes (as
    `free_minutes_between` counts them) until the effort fits; the due is the end of
    that working day, then `margin_days` more working days (days off skipped).
    None when it does not fit within `search_days`.
    """
    if effort_minutes < 0:
        raise ValueError("effort must not be negative")
    free = FreeTime(load, policy, now)
    total = 0
    for i in range(search_days):
        day = free.first + timedelta(days=i)
        hours = working_interval(day, policy)
        if hours is None or epoch(hours[1]) <= epoch(now):
            continue
        total += free.day(day)
        if total >= effort_minutes:
            due_day = add_working_days(day, margin_days, policy)
            return None if due_day is None else _end_of_work(due_day, policy)
    return None


def next_working_end(after: datetime, policy: Policy, search_days: int = 14) -> datetime | None:
    """The end of the first working day after `after`'s local day (diary zone)."""
    first = after.astimezone(ZoneInfo(policy.zone)).date()
    for i in range(1, search_days + 1):
        day = first + timedelta(days=i)
        if working_interval(day, policy) is not None:
            return _end_of_work(day, policy)
    return None


def realistic_new_due(
    promise: Promise, now: datetime, load: ScheduleLoader, policy: Policy
) -> datetime | None:
    """A date the owner can offer the customer instead of `promise.due`.

    With an effort estimate: `earliest_due` of the effort from now; without one: the end
    of the next working day plus the policy's margin. Never on or before the original
    due day's end: a new date has to be later than the one being apologised for.
    """
    margin = policy.promise_margin_days
    if promise.effort_minutes:
        found = earliest_due(promise.effort_minutes, now, load, policy, margin)
    else:
        tomorrow = next_working_end(now, policy)
        found = None
        if tomorrow is not None:
            day = add_working_days(
                tomorrow.astimezone(ZoneInfo(policy.zone)).date(), margin, policy
            )
            found = None if day is None else _end_of_work(day, policy)
    if found is None:
        return None
    if epoch(found) <= epoch(promise.due):
        after_due = next_working_end(promise.due, policy)
        if after_due is not None and epoch(after_due) > epoch(found):
            found = after_due
    return found

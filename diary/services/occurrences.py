"""Series occurrences for any window: stored rows, plus the rules where nothing is stored.

Every reader (views, checks, export, the rules' snapshots) asks `SeriesOccurrences` rather
than the appointments table alone. What the table holds for a series is derived from its
rule for a range around the time of the last write (see `MATERIALISE_*`); outside that
range the occurrences are expanded in memory by the one recurrence engine, with the
stored overrides taking their place. Readers never write: the range is moved on by write
transactions (`top_up`, called at the end of each one).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from diary.domain.model import Appointment
from diary.domain.series import FutureChange, SeriesShape
from diary.interchange.recurrence import CompiledRecurrence, Recurrence, RuleError
from diary.storage import bulk, series_repo
from diary.storage import repository as repo
from diary.storage.series_repo import Override, StoredSeries

MATERIALISE_BEHIND = timedelta(days=62)  # stored occurrences reach this far into the past
MATERIALISE_AHEAD = timedelta(days=400)  # ... and this far ahead of the last write
MATERIALISE_MAX = 1000  # occurrences stored per series at most; the rest expand in memory
TOP_UP_SLACK = timedelta(days=60)  # a write tops up series stored less than AHEAD - SLACK
TOP_UP_PER_WRITE = 25  # series topped up by one write at most (the next write does more)


def recurrence_of(series: StoredSeries) -> Recurrence:
    """The engine's view of a stored series."""
    template = series.template
    return Recurrence(
        start=template.start,
        zone=template.zone,
        rules=tuple(line for line in series.rrule.splitlines() if line.strip()),
        rdates=series.rdates,
        exdates=series.exdates,
        all_day=template.all_day,
    )


@functools.lru_cache(maxsize=1024)
def _compiled(recurrence: Recurrence) -> CompiledRecurrence:
    return recurrence.compile()


def compiled(series: StoredSeries) -> CompiledRecurrence:
    """The series' rule ready to expand (cached: the same rule compiles once)."""
    return _compiled(recurrence_of(series))


def shape_of(series: StoredSeries, overrides: Iterable[Override]) -> SeriesShape:
    """Template plus THISANDFUTURE changes: what turns a start into an occurrence."""
    changes = [FutureChange(o.appointment) for o in overrides if o.this_and_future]
    return SeriesShape(series.template, changes)


def spread_of(shape: SeriesShape) -> timedelta:
    before, after = shape.reach()
    return max(before, after)


def _overlaps(a: Appointment, lo: datetime, hi: datetime) -> bool:
    return a.start.timestamp() < hi.timestamp() and a.end.timestamp() > lo.timestamp()


def _gaps(
    lo: datetime, hi: datetime, covered_lo: datetime | None, covered_hi: datetime | None
) -> list[tuple[datetime, datetime]]:
    """[lo, hi) minus [covered_lo, covered_hi)."""
    if covered_lo is None or covered_hi is None or covered_hi <= lo or covered_lo >= hi:
        return [(lo, hi)]
    gaps = []
    if lo < covered_lo:
        gaps.append((lo, covered_lo))
    if covered_hi < hi:
        gaps.append((covered_hi, hi))
    return gaps


class SeriesOccurrences:
    """Occurrences of the series of one diary, inside one session (read or write)."""

    def __init__(self, session: Session, diary_id: int) -> None:
        self.session = session
        self.diary_id = diary_id

    # -- reading ---------------------------------------------------------------------

    def overlapping(
        self, lo: datetime, hi: datetime, *, include_cancelled: bool = False
    ) -> list[Appointment]:
        """Appointments with `start < hi and end > lo`, by start: stored and expanded."""
        stored = repo.appointments_overlapping(
            self.session, self.diary_id, lo, hi, include_cancelled=include_cancelled
        )
        extra = self.expanded(lo, hi, include_cancelled=include_cancelled)
        if not extra:
            return stored
        merged = [*stored, *extra]
        merged.sort(key=lambda a: (a.start.timestamp(), a.end.timestamp(), a.ref))
        return merged

    def expanded(
        self, lo: datetime, hi: datetime, *, include_cancelled: bool = False
    ) -> list[Appointment]:
        """The occurrences overlapping [lo, hi) that no stored row stands for."""
        lo, hi = lo.astimezone(UTC), hi.astimezone(UTC)
        uncovered = series_repo.series_reaching(
            self.session, self.diary_id, lo, hi, uncovered_only=True
        )
        if not uncovered:
            return []
        ids = [s.id for s in uncovered if s.id is not None]
        widest = max(s.spread for s in uncovered)
        overrides = series_repo.overrides_of(self.session, ids, lo - widest, hi + widest)
        found: list[Appointment] = []
        for series in uncovered:
            assert series.id is not None
            found.extend(
                self._expand(series, overrides[series.id], lo, hi, include_cancelled)
            )
        return found

    def _expand(
        self,
        series: StoredSeries,
        overrides: Sequence[Override],
        lo: datetime,
        hi: datetime,
        include_cancelled: bool,
    ) -> list[Appointment]:
        shape = shape_of(series, overrides)
        spread = series.spread
        replaced = {bulk.recurrence_key(o.appointment.recurrence_id) for o in overrides}
        rule = compiled(series)
        found = []
        for gap_lo, gap_hi in _gaps(
            lo - spread, hi + spread, series.materialised_from, series.materialised_until
        ):
            for start in rule.between(gap_lo, gap_hi):
                if bulk.recurrence_key(start) in replaced:
                    continue
                occurrence = shape.occurrence(start)
                if not _overlaps(occurrence, lo, hi):
                    continue
                if occurrence.cancelled and not include_cancelled:
                    continue
                found.append(occurrence)
        return found

    def occurrence(self, uid: str, recurrence_id: datetime) -> Appointment | None:
        """The occurrence of series `uid` at original start `recurrence_id`, if the rule has
        one there (stored rows are the caller's to look up first)."""
        series = series_repo.load_series(self.session, self.diary_id, uid)
        if series is None or series.id is None or series.template.cancelled:
            return None
        try:
            if not compiled(series).is_start(recurrence_id):
                return None
        except RuleError:
            return None
        overrides = series_repo.overrides_of(
            self.session, [series.id], recurrence_id, recurrence_id + timedelta(seconds=1)
        )[series.id]
        return shape_of(series, overrides).occurrence(recurrence_id)

    # -- writing (inside a write transaction) ------------------------------------------

    def materialise(
        self, series: StoredSeries, now: datetime
    ) -> tuple[StoredSeries, list[Appointment]]:
        """Store the series' occurrences around `now` (replacing the derived rows).

        Returns the series with its materialised range, last start and spread recorded,
        and the occurrences stored. RuleError if its rule cannot be expanded.
        """
        assert series.id is not None
        rule = compiled(series)
        overrides = series_repo.overrides_of(self.session, [series.id])[series.id]
        shape = shape_of(series, overrides)
        last = rule.last
        lo, hi = self._range(series, last, now)
        series_repo.drop_derived(self.session, series.id)
        hi, stored = self._store(series, rule, shape, overrides, lo, hi, now)
        spread = spread_of(shape)
        series_repo.set_materialised(
            self.session, series.id, lo, hi, last_start=last, spread=spread
        )
        done = replace(
            series, materialised_from=lo, materialised_until=hi, last_start=last, spread=spread
        )
        return done, stored

    def top_up(self, now: datetime, *, limit: int = TOP_UP_PER_WRITE) -> int:
        """Move the materialised range of series that fell behind `now`; returns how many."""
        behind = series_repo.series_to_top_up(
            self.session, self.diary_id, now + MATERIALISE_AHEAD - TOP_UP_SLACK, limit=limit
        )
        for series in behind:
            try:
                self.materialise(series, now)
            except RuleError:
                # A rule the engine cannot read: leave it unmaterialised (readers skip it).
                assert series.id is not None
                series_repo.set_materialised(self.session, series.id, None, None)
        return len(behind)

    @staticmethod
    def _range(
        series: StoredSeries, last: datetime | None, now: datetime
    ) -> tuple[datetime, datetime]:
        first = series.template.start.astimezone(UTC)
        lo = max(first, (now - MATERIALISE_BEHIND).astimezone(UTC))
        hi = (now + MATERIALISE_AHEAD).astimezone(UTC)
        if last is not None:
            hi = min(hi, last.astimezone(UTC) + timedelta(seconds=1))
        return lo, max(lo, hi)

    def _store(
        self,
        series: StoredSeries,
        rule: CompiledRecurrence,
        shape: SeriesShape,
        overrides: Sequence[Override],
        lo: datetime,
        hi: datetime,
        now: datetime,
    ) -> tuple[datetime, list[Appointment]]:
        """Insert the derived rows for [lo, hi); returns where they really end (the cap)
        and the occurrences stored."""
        assert series.id is not None
        starts = rule.between(lo, hi, limit=MATERIALISE_MAX + 1) if hi > lo else []
        if len(starts) > MATERIALISE_MAX:
            hi = starts[MATERIALISE_MAX].astimezone(UTC)
            starts = starts[:MATERIALISE_MAX]
        replaced = {bulk.recurrence_key(o.appointment.recurrence_id) for o in overrides}
        rows = []
        stored = []
        for start in starts:
            if bulk.recurrence_key(start) in replaced:
                continue
            # Exactly what a reader expanding the rule would get (stamps included).
            occurrence = shape.occurrence(start)
            stored.append(occurrence)
            rows.append(
                bulk.row_values(
                    self.diary_id, occurrence, now=now, source="diary", series_id=series.id
                )
            )
        bulk.insert_rows(self.session, self.diary_id, rows)
        return hi, stored

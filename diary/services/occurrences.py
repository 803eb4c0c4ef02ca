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
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from diary.domain.model import Appointment
from diary.domain.series import FutureChange, SeriesShape
from diary.interchange.recurrence import CompiledRecurrence, Recurrence, RuleError
from diary.services.results import InputError
from diary.storage import bulk, series_materialised, series_repo
from diary.storage.series_repo import Override, StoredSeries
from diary.storage.unit_of_work import UnitOfWork

MATERIALISE_BEHIND = timedelta(days=35)  # stored occurrences reach this far into the past
MATERIALISE_AHEAD = timedelta(days=190)  # ... and this far ahead of the last write
MATERIALISE_MAX = 500  # occurrences stored per series at most; the rest expand in memory
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
    """As the range query: `start < hi and end > lo`, a zero-length one `lo <= start < hi`."""
    start, low = a.start.timestamp(), lo.timestamp()
    return start < hi.timestamp() and (a.end.timestamp() > low or start >= low)


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


@dataclass(frozen=True, slots=True)
class _Known:
    """What expanding one series needs, loaded once per diary revision."""

    rule: CompiledRecurrence
    shape: SeriesShape
    replaced: frozenset[str]  # recurrence keys of its overrides (stored rows)


class _Catalogue:
    """A diary's live series at one revision: where each reaches, and (once asked) its
    rule, shape and overrides. Readers of the same revision share it."""

    def __init__(self, reaches: list[series_repo.Reach]) -> None:
        self.reaches = reaches
        self._known: dict[int, _Known | None] = {}
        self._lock = threading.Lock()

    def load(self, uow: UnitOfWork, wanted: Sequence[series_repo.Reach]) -> list[_Known | None]:
        with self._lock:
            missing = [reach.id for reach in wanted if reach.id not in self._known]
        if missing:
            loaded = uow.series.by_ids(missing)
            overrides = uow.series.overrides_of(missing)
            fresh: dict[int, _Known | None] = {}
            for series_id, series in loaded.items():
                own = overrides[series_id]
                try:
                    rule = compiled(series)
                except RuleError:
                    fresh[series_id] = None  # a rule the engine cannot read: nothing to show
                    continue
                fresh[series_id] = _Known(
                    rule,
                    shape_of(series, own),
                    frozenset(bulk.recurrence_key(o.appointment.recurrence_id) for o in own),
                )
            with self._lock:
                self._known.update(fresh)
        with self._lock:
            return [self._known[reach.id] for reach in wanted]


_CATALOGUES: dict[tuple[int, int, int], _Catalogue] = {}
_CATALOGUES_LOCK = threading.Lock()
_CATALOGUES_KEPT = 4


class SeriesOccurrences:
    """Occurrences of the series of one diary, inside one unit of work (read or write)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.diary_id = uow.diary_id

    # -- reading ---------------------------------------------------------------------

    def overlapping(
        self, lo: datetime, hi: datetime, *, include_cancelled: bool = False
    ) -> list[Appointment]:
        """Appointments with `start < hi and end > lo`, by start: stored and expanded."""
        stored = self.uow.appointments.overlapping(lo, hi, include_cancelled=include_cancelled)
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
        catalogue = self._catalogue()
        uncovered = [r for r in catalogue.reaches if r.reaches(lo, hi) and not r.covers(lo, hi)]
        if not uncovered:
            return []
        found: list[Appointment] = []
        for reach, known in zip(uncovered, catalogue.load(self.uow, uncovered), strict=True):
            if known is not None:
                found.extend(self._expand(reach, known, lo, hi, include_cancelled))
        return found

    def _catalogue(self) -> _Catalogue:
        """The diary's series as of this transaction's revision (shared while unchanged)."""
        revision = self.uow.revision
        if revision is None:  # a write transaction that wrote: nothing may be shared
            return _Catalogue(self.uow.series.reaches())
        key = (self.uow.source, self.diary_id, revision)
        with _CATALOGUES_LOCK:
            catalogue = _CATALOGUES.get(key)
        if catalogue is None:
            catalogue = _Catalogue(self.uow.series.reaches())
            with _CATALOGUES_LOCK:
                _CATALOGUES[key] = catalogue
                while len(_CATALOGUES) > _CATALOGUES_KEPT:
                    _CATALOGUES.pop(next(iter(_CATALOGUES)))
        return catalogue

    def _expand(
        self,
        reach: series_repo.Reach,
        known: _Known,
        lo: datetime,
        hi: datetime,
        include_cancelled: bool,
    ) -> list[Appointment]:
        found = []
        spread = reach.spread
        for gap_lo, gap_hi in _gaps(
            lo - spread, hi + spread, reach.materialised_from, reach.materialised_until
        ):
            try:
                starts = known.rule.between(gap_lo, gap_hi)
            except RuleError as error:  # more starts than any listing can show
                raise InputError("window", error.problem) from error
            for start in starts:
                if bulk.recurrence_key(start) in known.replaced:
                    continue
                occurrence = known.shape.occurrence(start)
                if not _overlaps(occurrence, lo, hi):
                    continue
                if occurrence.cancelled and not include_cancelled:
                    continue
                found.append(occurrence)
        return found

    def occurrence(self, uid: str, recurrence_id: datetime) -> Appointment | None:
        """The occurrence of series `uid` at original start `recurrence_id`, if the rule has
        one there (stored rows are the caller's to look up first)."""
        series = self.uow.series.by_uid(uid)
        if series is None or series.id is None or series.template.cancelled:
            return None
        try:
            if not compiled(series).is_start(recurrence_id):
                return None
        except RuleError:
            return None
        overrides = self.uow.series.overrides_of(
            [series.id], recurrence_id, recurrence_id + timedelta(seconds=1)
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
        [(done, stored)] = self.materialise_many([series], now)
        return done, stored

    def materialise_many(
        self, many: Sequence[StoredSeries], now: datetime, *, fresh: bool = False
    ) -> list[tuple[StoredSeries, list[Appointment]]]:
        """`materialise` for many series with a few statements in all (an import's).

        `fresh`: they have no derived rows yet (nothing to delete first). RuleError if a
        rule cannot be expanded (then nothing is stored for any of them).
        """
        ids = [series.id for series in many if series.id is not None]
        if len(ids) != len(many):
            raise ValueError("only stored series can be materialised")
        overrides = self.uow.series.overrides_of(ids)
        if not fresh:
            self.uow.series.drop_derived_many(ids)
        rows: list[dict[str, Any]] = []
        ranges: list[series_materialised.Materialised] = []
        done: list[tuple[StoredSeries, list[Appointment]]] = []
        for series in many:
            assert series.id is not None
            own = overrides[series.id]
            rule = compiled(series)
            shape = shape_of(series, own)
            last = rule.last
            lo, hi = self._range(series, last, now)
            hi, stored = self._derive(series, rule, shape, own, lo, hi, now, rows)
            spread = spread_of(shape)
            ranges.append(series_materialised.Materialised(series.id, lo, hi, last, spread))
            kept = replace(
                series, materialised_from=lo, materialised_until=hi, last_start=last, spread=spread
            )
            done.append((kept, stored))
        self.uow.rows.insert(rows)
        self.uow.series.set_materialised_many(ranges)
        return done

    def top_up(self, now: datetime, *, limit: int = TOP_UP_PER_WRITE) -> int:
        """Move the materialised range of series that fell behind `now`; returns how many."""
        behind = self.uow.series.to_top_up(now + MATERIALISE_AHEAD - TOP_UP_SLACK, limit=limit)
        readable = []
        for series in behind:
            try:
                compiled(series)
                readable.append(series)
            except RuleError:
                # A rule the engine cannot read: leave it unmaterialised (readers skip it).
                assert series.id is not None
                self.uow.series.set_materialised(series.id, None, None)
        if readable:
            self.materialise_many(readable, now)
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

    def _derive(
        self,
        series: StoredSeries,
        rule: CompiledRecurrence,
        shape: SeriesShape,
        overrides: Sequence[Override],
        lo: datetime,
        hi: datetime,
        now: datetime,
        rows: list[dict[str, Any]],
    ) -> tuple[datetime, list[Appointment]]:
        """Add the derived rows for [lo, hi) to `rows`; returns where they really end (the
        cap) and the occurrences."""
        assert series.id is not None
        starts = rule.between(lo, hi, limit=MATERIALISE_MAX + 1) if hi > lo else []
        if len(starts) > MATERIALISE_MAX:
            hi = starts[MATERIALISE_MAX].astimezone(UTC)
            starts = starts[:MATERIALISE_MAX]
        replaced = {bulk.recurrence_key(o.appointment.recurrence_id) for o in overrides}
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
        return hi, stored

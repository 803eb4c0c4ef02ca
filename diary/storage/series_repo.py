"""Recurring series: the master (rule, removed dates, template), its overrides, and the
range of occurrences kept materialised for indexed range queries.

The rule and the overrides are the truth. Rows with `is_override = FALSE` and a series_id
are derived: whatever lies in [materialised_from, materialised_until) by recurrence id,
rebuilt at will by the services (which own the recurrence engine).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, joinedload

from diary.domain.model import Appointment, Kind
from diary.storage import address_book, bulk
from diary.storage import repository as repo
from diary.storage.errors import NotFound
from diary.storage.schema import AppointmentRow, SeriesRow


@dataclass(frozen=True, slots=True)
class StoredSeries:
    """A series as stored: its template (the master's values) and how it repeats.

    `last_start` is the last occurrence's original start (None: no end, or not yet known);
    `spread` how far from its original start an occurrence may lie.
    """

    template: Appointment
    rrule: str
    exdates: tuple[datetime, ...] = ()
    rdates: tuple[datetime, ...] = ()
    last_start: datetime | None = None
    spread: timedelta = timedelta(0)
    materialised_from: datetime | None = None
    materialised_until: datetime | None = None
    id: int | None = None

    @property
    def uid(self) -> str:
        return self.template.uid

    def fingerprint(self, *, with_rule: bool = True) -> str:
        """A digest of everything the series says (not when it was stored); without its
        RRULE and RDATEs if `with_rule` is False (rules written differently may agree)."""
        t = self.template
        parts = [
            t.title,
            t.kind.value,
            repr(t.customer.id if t.customer else None),
            repr(t.location.id if t.location else None),
            repr(t.wrapup_minutes),
            t.notes,
            t.zone,
            t.start.astimezone(UTC).isoformat(),
            str(bulk.elapsed_seconds(t.start, t.end)),
            repr(t.cancelled),
            self.rrule if with_rule else "",
            _dates_json(self.exdates),
            _dates_json(self.rdates) if with_rule else "",
        ]
        return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=12).hexdigest()

    def covers(self, lo: datetime, hi: datetime) -> bool:
        """Whether every occurrence with an original start in [lo, hi) is materialised."""
        if self.materialised_from is None or self.materialised_until is None:
            return False
        return self.materialised_from <= lo and hi <= self.materialised_until


@dataclass(frozen=True, slots=True)
class Override:
    """A stored override of one occurrence (or, with this_and_future, of the rest)."""

    appointment: Appointment
    this_and_future: bool = False


def _dates_json(moments: Iterable[datetime]) -> str:
    return json.dumps(sorted(m.astimezone(UTC).isoformat() for m in moments))


def _dates(text: str, zone: str) -> tuple[datetime, ...]:
    tz = ZoneInfo(zone)
    return tuple(datetime.fromisoformat(value).astimezone(tz) for value in json.loads(text or "[]"))


class _Names:
    """Customers and locations by id, each loaded once per call."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.customers: dict[int, Any] = {}
        self.locations: dict[int, Any] = {}

    def customer(self, customer_id: int | None) -> Any:
        if customer_id is None:
            return None
        if customer_id not in self.customers:
            self.customers[customer_id] = address_book.customer_by_id(self.session, customer_id)
        return self.customers[customer_id]

    def location(self, location_id: int | None) -> Any:
        if location_id is None:
            return None
        if location_id not in self.locations:
            self.locations[location_id] = address_book.location_by_id(self.session, location_id)
        return self.locations[location_id]


def _stored(names: _Names, row: SeriesRow) -> StoredSeries:
    tz = ZoneInfo(row.zone)
    start = row.start_utc.astimezone(tz)
    template = Appointment(
        uid=row.uid,
        title=row.title,
        start=start,
        end=(row.start_utc + timedelta(seconds=max(row.duration_seconds, 0))).astimezone(tz),
        zone=row.zone,
        kind=Kind(row.kind),
        customer=names.customer(row.customer_id),
        location=names.location(row.location_id),
        wrapup_minutes=row.wrapup_minutes,
        notes=row.notes,
        cancelled=row.cancelled,
        sequence=row.sequence,
        created=row.created,
        updated=row.updated,
        series_uid=row.uid,
    )
    return StoredSeries(
        template=template,
        rrule=row.rrule,
        exdates=_dates(row.exdates, row.zone),
        rdates=_dates(row.rdates, row.zone),
        last_start=row.last_start_utc,
        spread=timedelta(seconds=row.spread_seconds),
        materialised_from=row.materialised_from,
        materialised_until=row.materialised_until,
        id=row.id,
    )


def series_by_uid(session: Session, diary_id: int, uids: Iterable[str]) -> dict[str, StoredSeries]:
    """The stored series among `uids`, by uid."""
    found: dict[str, StoredSeries] = {}
    names = _Names(session)
    wanted = sorted(set(uids))
    for first in range(0, len(wanted), bulk.CHUNK):
        chunk = wanted[first : first + bulk.CHUNK]
        rows = session.scalars(
            select(SeriesRow).where(SeriesRow.diary_id == diary_id, SeriesRow.uid.in_(chunk))
        )
        for row in rows:
            found[row.uid] = _stored(names, row)
    return found


def load_series(session: Session, diary_id: int, uid: str) -> StoredSeries | None:
    return series_by_uid(session, diary_id, [uid]).get(uid)


def _fill(row: SeriesRow, series: StoredSeries, stamp: datetime) -> None:
    t = series.template
    row.sequence = t.sequence
    row.title = t.title
    row.kind = t.kind.value
    row.customer_id = t.customer.id if t.customer else None
    row.location_id = t.location.id if t.location else None
    row.wrapup_minutes = t.wrapup_minutes
    row.notes = t.notes
    row.zone = t.zone
    row.start_utc = t.start.astimezone(UTC)
    row.duration_seconds = bulk.elapsed_seconds(t.start, t.end)
    row.all_day = t.all_day
    row.rrule = series.rrule
    row.exdates = _dates_json(series.exdates)
    row.rdates = _dates_json(series.rdates)
    row.last_start_utc = series.last_start
    spread = min(max(series.spread, timedelta(seconds=row.duration_seconds)), MAX_SPREAD)
    row.spread_seconds = int(spread.total_seconds())
    row.materialised_from = series.materialised_from
    row.materialised_until = series.materialised_until
    row.updated = t.updated or stamp
    row.cancelled = t.cancelled


def save_many(
    session: Session, diary_id: int, many: Sequence[StoredSeries], *, now: datetime
) -> dict[str, int]:
    """Insert or overwrite each series (by uid) with one flush; returns uid -> row id."""
    wanted = sorted({s.uid for s in many})
    existing: dict[str, SeriesRow] = {}
    for first in range(0, len(wanted), bulk.CHUNK):
        chunk = wanted[first : first + bulk.CHUNK]
        for found in session.scalars(
            select(SeriesRow).where(SeriesRow.diary_id == diary_id, SeriesRow.uid.in_(chunk))
        ):
            existing[found.uid] = found
    for series in many:
        row = existing.get(series.uid)
        if row is None:
            created = series.template.created or now
            row = SeriesRow(diary_id=diary_id, uid=series.uid, created=created)
            session.add(row)
            existing[series.uid] = row
        _fill(row, series, now)
    session.flush()
    return {uid: existing[uid].id for uid in wanted}


def save_series(session: Session, diary_id: int, series: StoredSeries, *, now: datetime) -> int:
    """Insert or overwrite the series `series.uid`; returns its row id."""
    return save_many(session, diary_id, [series], now=now)[series.uid]


def cancel_series(
    session: Session, diary_id: int, series_id: int, sequence: int, *, now: datetime
) -> None:
    """Mark a series and all its stored occurrences cancelled."""
    row = session.get(SeriesRow, series_id)
    if row is None or row.diary_id != diary_id:
        raise NotFound(f"series #{series_id} does not exist")
    row.cancelled = True
    row.sequence = max(row.sequence, sequence)
    row.updated = now
    session.execute(
        update(AppointmentRow)
        .where(AppointmentRow.series_id == series_id)
        .values(cancelled=True, sequence=row.sequence, updated=now)
    )
    session.flush()


def live_occurrence_spans(session: Session, series_id: int) -> list[tuple[datetime, datetime]]:
    """(start, end) in UTC of the series' stored occurrences that are not cancelled."""
    rows = session.execute(
        select(AppointmentRow.start_utc, AppointmentRow.end_utc).where(
            AppointmentRow.series_id == series_id, AppointmentRow.cancelled.is_(False)
        )
    )
    return [(start, end) for start, end in rows]


# -- windows -------------------------------------------------------------------------------


# The longest spread the window queries allow for without reading each series' own value;
# a longer one (a THISANDFUTURE move by over a year) is stored as this.
MAX_SPREAD = timedelta(days=400)


@dataclass(frozen=True, slots=True)
class Reach:
    """Where a live series' occurrences may lie, and what of them is materialised."""

    id: int
    start: datetime
    last_start: datetime | None
    spread: timedelta
    materialised_from: datetime | None
    materialised_until: datetime | None

    def reaches(self, lo: datetime, hi: datetime) -> bool:
        """Whether an occurrence may overlap [lo, hi).

        The window is widened by the spread, never the series' instants moved: a series may
        start in year 1 or end in 9999 (real files hold both) and a datetime there minus a
        day overflows; the window's bounds lie in the supported years (domain.limits).
        """
        if self.start >= hi + self.spread:
            return False
        return self.last_start is None or self.last_start > lo - self.spread

    def covers(self, lo: datetime, hi: datetime) -> bool:
        """Whether the rows stored hold every occurrence that may overlap [lo, hi)."""
        if self.materialised_from is None or self.materialised_until is None:
            return False
        return (
            self.materialised_from <= lo - self.spread
            and hi + self.spread <= self.materialised_until
        )


def reaches(session: Session, diary_id: int) -> list[Reach]:
    """Every live series of the diary, as a few columns (one query)."""
    query = select(
        SeriesRow.id,
        SeriesRow.start_utc,
        SeriesRow.last_start_utc,
        SeriesRow.spread_seconds,
        SeriesRow.materialised_from,
        SeriesRow.materialised_until,
    ).where(SeriesRow.diary_id == diary_id, SeriesRow.cancelled.is_(False))
    return [
        Reach(series_id, start, last, timedelta(seconds=spread), covered_lo, covered_hi)
        for series_id, start, last, spread, covered_lo, covered_hi in session.execute(query)
    ]


def series_by_id(session: Session, ids: Sequence[int]) -> dict[int, StoredSeries]:
    """The series with these row ids, by id."""
    names = _Names(session)
    found: dict[int, StoredSeries] = {}
    for first in range(0, len(ids), bulk.CHUNK):
        rows = session.scalars(
            select(SeriesRow).where(SeriesRow.id.in_(list(ids[first : first + bulk.CHUNK])))
        )
        for row in rows:
            found[row.id] = _stored(names, row)
    return found


def series_reaching(
    session: Session, diary_id: int, lo: datetime, hi: datetime, *, uncovered_only: bool
) -> list[StoredSeries]:
    """Live series that may have an occurrence overlapping [lo, hi).

    With `uncovered_only`, only those whose materialised range does not hold every
    occurrence that could overlap the window (the ones a reader must expand itself).
    Decided on a few columns per series first; only the series wanted are loaded whole.
    """
    wanted = [
        reach.id
        for reach in reaches(session, diary_id)
        if reach.reaches(lo, hi) and not (uncovered_only and reach.covers(lo, hi))
    ]
    return list(series_by_id(session, wanted).values()) if wanted else []


def _may_reach(series: StoredSeries, lo: datetime, hi: datetime | None) -> bool:
    """Whether an occurrence of `series` may overlap [lo, hi) (hi None: no end); as
    `Reach.reaches`, with the window widened rather than the series' instants moved."""
    spread = series.spread
    if hi is not None and series.template.start.astimezone(UTC) >= hi + spread:
        return False
    return series.last_start is None or series.last_start > lo - spread


def series_for_export(
    session: Session, diary_id: int, lo: datetime, hi: datetime | None
) -> list[StoredSeries]:
    """Series (cancelled ones too) that may have an occurrence in [lo, hi) (hi None: no end)."""
    query = select(SeriesRow).where(
        SeriesRow.diary_id == diary_id,
        or_(SeriesRow.last_start_utc.is_(None), SeriesRow.last_start_utc > lo - MAX_SPREAD),
    )
    if hi is not None:
        query = query.where(SeriesRow.start_utc < hi + MAX_SPREAD)
    names = _Names(session)
    found = []
    for row in session.scalars(query.order_by(SeriesRow.start_utc, SeriesRow.id)):
        series = _stored(names, row)
        if not _may_reach(series, lo, hi):
            continue
        found.append(series)
    return found


def overrides_of(
    session: Session,
    series_ids: Sequence[int],
    lo: datetime | None = None,
    hi: datetime | None = None,
) -> dict[int, list[Override]]:
    """Stored overrides by series: those whose recurrence id is in [lo, hi) (None: any),
    plus every RANGE=THISANDFUTURE one (they govern later occurrences), cancelled ones too.
    """
    found: dict[int, list[Override]] = {series_id: [] for series_id in series_ids}
    if not series_ids:
        return found
    window = []
    if lo is not None:
        window.append(AppointmentRow.recurrence_id >= lo)
    if hi is not None:
        window.append(AppointmentRow.recurrence_id < hi)
    for first in range(0, len(series_ids), bulk.CHUNK):
        chunk = list(series_ids[first : first + bulk.CHUNK])
        query = (
            select(AppointmentRow)
            .options(joinedload(AppointmentRow.customer), joinedload(AppointmentRow.location))
            .where(AppointmentRow.series_id.in_(chunk), AppointmentRow.is_override.is_(True))
            .order_by(AppointmentRow.recurrence_id)
        )
        if window:
            query = query.where(or_(and_(*window), AppointmentRow.this_and_future.is_(True)))
        for row in session.scalars(query).unique():
            assert row.series_id is not None
            found[row.series_id].append(
                Override(repo.appointment_from_row(row), this_and_future=row.this_and_future)
            )
    return found


def override_keys(session: Session, series_id: int) -> set[str]:
    """Recurrence keys of the occurrences of a series that differ from its rule."""
    return set(
        session.scalars(
            select(AppointmentRow.recurrence_key).where(
                AppointmentRow.series_id == series_id, AppointmentRow.is_override.is_(True)
            )
        )
    )


def series_uids(session: Session, diary_id: int) -> dict[str, int]:
    """Every series uid of the diary with its row id."""
    rows = session.execute(
        select(SeriesRow.uid, SeriesRow.id).where(SeriesRow.diary_id == diary_id)
    )
    return {uid: series_id for uid, series_id in rows}


# -- the series behind their materialised range (what is kept: series_materialised) ---------


def series_to_top_up(
    session: Session, diary_id: int, wanted_until: datetime, *, limit: int
) -> list[StoredSeries]:
    """Live series whose materialised range ends before `wanted_until` though the rule
    goes on, most behind first (at most `limit`)."""
    rows = session.scalars(
        select(SeriesRow)
        .where(
            SeriesRow.diary_id == diary_id,
            SeriesRow.cancelled.is_(False),
            or_(
                SeriesRow.materialised_until.is_(None),
                SeriesRow.materialised_until < wanted_until,
            ),
            or_(
                SeriesRow.last_start_utc.is_(None),
                SeriesRow.materialised_until.is_(None),
                SeriesRow.last_start_utc >= SeriesRow.materialised_until,
            ),
        )
        .order_by(SeriesRow.materialised_until.is_not(None), SeriesRow.materialised_until)
        .limit(limit)
    )
    names = _Names(session)
    return [_stored(names, row) for row in rows]

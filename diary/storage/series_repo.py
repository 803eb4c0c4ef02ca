"""Recurring series: the master (rule, removed dates, template) and its stored occurrences."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.orm import Session

from diary.domain.model import Appointment, Kind
from diary.storage import bulk, stamps
from diary.storage import repository as repo
from diary.storage.errors import NotFound
from diary.storage.schema import AppointmentRow, SeriesRow


@dataclass(frozen=True, slots=True)
class StoredSeries:
    """A series as stored: its template (first occurrence) and how it repeats."""

    template: Appointment
    rrule: str
    exdates: tuple[datetime, ...] = ()
    rdates: tuple[datetime, ...] = ()
    expanded_until: datetime | None = None
    id: int | None = None

    @property
    def uid(self) -> str:
        return self.template.uid

    def fingerprint(self) -> str:
        """A digest of everything the series says (not when it was stored)."""
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
            self.rrule,
            _dates_json(self.exdates),
            _dates_json(self.rdates),
        ]
        return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=12).hexdigest()


def _dates_json(moments: Iterable[datetime]) -> str:
    return json.dumps(sorted(m.astimezone(UTC).isoformat() for m in moments))


def _dates(text: str, zone: str) -> tuple[datetime, ...]:
    tz = ZoneInfo(zone)
    return tuple(datetime.fromisoformat(value).astimezone(tz) for value in json.loads(text or "[]"))


def _stored(session: Session, row: SeriesRow) -> StoredSeries:
    tz = ZoneInfo(row.zone)
    start = row.start_utc.astimezone(tz)
    template = Appointment(
        uid=row.uid,
        title=row.title,
        start=start,
        end=(row.start_utc + timedelta(seconds=max(row.duration_seconds, 1))).astimezone(tz),
        zone=row.zone,
        kind=Kind(row.kind),
        customer=repo.customer_by_id(session, row.customer_id) if row.customer_id else None,
        location=repo.location_by_id(session, row.location_id) if row.location_id else None,
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
        expanded_until=row.expanded_until,
        id=row.id,
    )


def series_by_uid(session: Session, diary_id: int, uids: Iterable[str]) -> dict[str, StoredSeries]:
    """The stored series among `uids`, by uid."""
    found: dict[str, StoredSeries] = {}
    wanted = sorted(set(uids))
    for first in range(0, len(wanted), bulk.CHUNK):
        chunk = wanted[first : first + bulk.CHUNK]
        rows = session.scalars(
            select(SeriesRow).where(SeriesRow.diary_id == diary_id, SeriesRow.uid.in_(chunk))
        )
        for row in rows:
            found[row.uid] = _stored(session, row)
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
    row.expanded_until = series.expanded_until
    row.updated = t.updated or stamp
    row.cancelled = t.cancelled


def save_many(
    session: Session, diary_id: int, many: Sequence[StoredSeries], *, now: datetime | None = None
) -> dict[str, int]:
    """Insert or overwrite each series (by uid) with one flush; returns uid -> row id."""
    stamp = now or stamps.now(session)
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
            created = series.template.created or stamp
            row = SeriesRow(diary_id=diary_id, uid=series.uid, created=created)
            session.add(row)
            existing[series.uid] = row
        _fill(row, series, stamp)
    session.flush()
    return {uid: existing[uid].id for uid in wanted}


def save_series(
    session: Session, diary_id: int, series: StoredSeries, *, now: datetime | None = None
) -> int:
    """Insert or overwrite the series `series.uid`; returns its row id."""
    return save_many(session, diary_id, [series], now=now)[series.uid]


def replace_occurrences(
    session: Session,
    diary_id: int,
    series_id: int,
    occurrences: Sequence[Appointment],
    *,
    override_keys: Iterable[str] = (),
    now: datetime | None = None,
    source: str = "import",
) -> None:
    """Drop every stored row of the series' UID and store `occurrences` in its place.

    `override_keys` are the recurrence keys of occurrences that differ from the rule
    (RECURRENCE-ID overrides): they export as overrides, the rest come from the rule.
    """
    uid = session.scalar(select(SeriesRow.uid).where(SeriesRow.id == series_id))
    if uid is None:
        raise NotFound(f"series #{series_id} does not exist")
    session.execute(
        delete(AppointmentRow).where(AppointmentRow.diary_id == diary_id, AppointmentRow.uid == uid)
    )
    changed = set(override_keys)
    stamp = now or stamps.now(session)
    rows = []
    for occurrence in occurrences:
        key = bulk.recurrence_key(occurrence.recurrence_id)
        rows.append(
            bulk.row_values(
                diary_id,
                occurrence,
                now=stamp,
                source=source,
                series_id=series_id,
                is_override=key in changed,
            )
        )
    bulk.insert_rows(session, diary_id, rows)


def cancel_series(
    session: Session, diary_id: int, series_id: int, sequence: int, *, now: datetime | None = None
) -> None:
    """Mark a series and all its stored occurrences cancelled."""
    row = session.get(SeriesRow, series_id)
    if row is None or row.diary_id != diary_id:
        raise NotFound(f"series #{series_id} does not exist")
    stamp = now or stamps.now(session)
    row.cancelled = True
    row.sequence = max(row.sequence, sequence)
    row.updated = stamp
    session.execute(
        update(AppointmentRow)
        .where(AppointmentRow.series_id == series_id)
        .values(cancelled=True, sequence=row.sequence, updated=stamp)
    )
    session.flush()


# An expanded_until for a series whose rule has ended: every occurrence is stored.
EXPANDED_FOREVER = datetime(9999, 12, 31, tzinfo=UTC)


def series_short_of(session: Session, diary_id: int, until: datetime) -> list[StoredSeries]:
    """Live series whose occurrences are stored less far ahead than `until` (one query)."""
    rows = session.scalars(
        select(SeriesRow).where(
            SeriesRow.diary_id == diary_id,
            SeriesRow.cancelled.is_(False),
            or_(SeriesRow.expanded_until.is_(None), SeriesRow.expanded_until < until),
        )
    )
    return [_stored(session, row) for row in rows]


def occurrence_keys(session: Session, series_id: int) -> set[str]:
    """The recurrence keys of every stored row of a series (moved and cancelled ones too)."""
    return set(
        session.scalars(
            select(AppointmentRow.recurrence_key).where(AppointmentRow.series_id == series_id)
        )
    )


def live_occurrence_spans(session: Session, series_id: int) -> list[tuple[datetime, datetime]]:
    """(start, end) in UTC of the series' occurrences that are not cancelled."""
    rows = session.execute(
        select(AppointmentRow.start_utc, AppointmentRow.end_utc).where(
            AppointmentRow.series_id == series_id, AppointmentRow.cancelled.is_(False)
        )
    )
    return [(start, end) for start, end in rows]


def series_for_export(
    session: Session, diary_id: int, lo: datetime, hi: datetime | None
) -> list[StoredSeries]:
    """Series with at least one stored occurrence overlapping [lo, hi) (hi None: no end)."""
    occurrence = select(AppointmentRow.id).where(
        AppointmentRow.series_id == SeriesRow.id, AppointmentRow.end_utc > lo
    )
    if hi is not None:
        occurrence = occurrence.where(AppointmentRow.start_utc < hi)
    rows = session.scalars(
        select(SeriesRow)
        .where(SeriesRow.diary_id == diary_id, exists(occurrence))
        .order_by(SeriesRow.start_utc, SeriesRow.id)
    )
    return [_stored(session, row) for row in rows]


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


def set_expanded_until(session: Session, series_id: int, until: datetime) -> None:
    """Record how far ahead the series' occurrences are stored."""
    session.execute(update(SeriesRow).where(SeriesRow.id == series_id).values(expanded_until=until))

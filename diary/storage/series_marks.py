"""Cheap marks of each series' stored content, for a sync to tell which series changed
without rendering them: one query for the masters, one for the overrides."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from diary.storage.schema import AppointmentRow, SeriesRow
from diary.storage.sync_marks import CONTENT_COLUMNS, local_stamp

_MASTER = (
    SeriesRow.id,
    SeriesRow.uid,
    SeriesRow.sequence,
    SeriesRow.title,
    SeriesRow.kind,
    SeriesRow.customer_id,
    SeriesRow.location_id,
    SeriesRow.wrapup_minutes,
    SeriesRow.notes,
    SeriesRow.zone,
    SeriesRow.start_utc,
    SeriesRow.duration_seconds,
    SeriesRow.all_day,
    SeriesRow.rrule,
    SeriesRow.exdates,
    SeriesRow.rdates,
    SeriesRow.cancelled,
)
_OVERRIDE = (
    AppointmentRow.series_id,
    AppointmentRow.recurrence_key,
    AppointmentRow.this_and_future,
    *CONTENT_COLUMNS,
)


def series_marks(session: Session, diary_id: int) -> dict[str, str]:
    """uid -> a mark that changes whenever the series' master or any override changes."""
    masters = {
        row[0]: row
        for row in session.execute(select(*_MASTER).where(SeriesRow.diary_id == diary_id))
    }
    overrides: dict[int, list[str]] = {series_id: [] for series_id in masters}
    rows = session.execute(
        select(*_OVERRIDE).where(
            AppointmentRow.diary_id == diary_id,
            AppointmentRow.series_id.is_not(None),
            AppointmentRow.is_override.is_(True),
        )
    )
    for series_id, key, future, *content in rows:
        if series_id in overrides:
            overrides[series_id].append(f"{key}|{future}|{local_stamp(*content)}")
    marks: dict[str, str] = {}
    for series_id, row in masters.items():
        parts = repr(tuple(row[2:])) + "\x1f" + "\x1f".join(sorted(overrides[series_id]))
        digest = hashlib.blake2b(parts.encode("utf-8"), digest_size=16).hexdigest()
        marks[row[1]] = digest
    return marks

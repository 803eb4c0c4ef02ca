"""The materialised range of a series: which recurrence ids have their derived rows stored,
and dropping those rows. The derived rows are rebuilt at will by the services (see
`series_repo`); the rule and the overrides stay the truth."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from diary.storage import bulk
from diary.storage.schema import AppointmentRow, SeriesRow
from diary.storage.series_repo import MAX_SPREAD


@dataclass(frozen=True, slots=True)
class Materialised:
    """What was stored of one series: recurrence ids [lo, hi), its last start and spread."""

    series_id: int
    lo: datetime | None
    hi: datetime | None
    last_start: datetime | None
    spread: timedelta


def set_materialised_many(session: Session, ranges: Sequence[Materialised]) -> None:
    """Record the materialised range (and last start, spread) of many series at once."""
    if not ranges:
        return
    session.execute(
        update(SeriesRow),
        [
            {
                "id": item.series_id,
                "materialised_from": item.lo,
                "materialised_until": item.hi,
                "last_start_utc": item.last_start,
                "spread_seconds": int(min(item.spread, MAX_SPREAD).total_seconds()),
            }
            for item in ranges
        ],
    )


def drop_derived_many(session: Session, series_ids: Sequence[int]) -> None:
    """Delete every derived row of these series."""
    for first in range(0, len(series_ids), bulk.CHUNK):
        session.execute(
            delete(AppointmentRow).where(
                AppointmentRow.series_id.in_(list(series_ids[first : first + bulk.CHUNK])),
                AppointmentRow.is_override.is_(False),
            )
        )


def set_materialised(
    session: Session,
    series_id: int,
    lo: datetime | None,
    hi: datetime | None,
    *,
    last_start: datetime | None = None,
    spread: timedelta | None = None,
) -> None:
    """Record which recurrence ids [lo, hi) have their rows stored (and what the rule says)."""
    values: dict[str, Any] = {"materialised_from": lo, "materialised_until": hi}
    if last_start is not None:
        values["last_start_utc"] = last_start
    if spread is not None:
        values["spread_seconds"] = int(min(spread, MAX_SPREAD).total_seconds())
    session.execute(update(SeriesRow).where(SeriesRow.id == series_id).values(**values))

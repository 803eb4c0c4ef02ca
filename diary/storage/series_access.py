"""Three repositories of the unit of work: stored series, appointment rows in bulk, and
the busy time of busy calendars.

Each is a thin, typed door onto the queries in `series_repo`, `bulk` and `sync_repo`,
bound to one transaction's session and diary, so the services never hold a session.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from diary.domain.model import Appointment
from diary.storage import bulk, series_materialised, series_repo, sync_repo
from diary.storage.bulk import StoredKey
from diary.storage.series_materialised import Materialised
from diary.storage.series_repo import Override, Reach, StoredSeries
from diary.storage.sync_repo import BusyPiece


class SeriesRecords:
    """The diary's series (SeriesRow): rule and template, overrides, materialised range."""

    def __init__(self, session: Session, diary_id: int) -> None:
        self._session = session
        self._diary_id = diary_id

    def by_uid(self, uid: str) -> StoredSeries | None:
        return series_repo.load_series(self._session, self._diary_id, uid)

    def by_uids(self, uids: Iterable[str]) -> dict[str, StoredSeries]:
        return series_repo.series_by_uid(self._session, self._diary_id, uids)

    def by_ids(self, ids: Sequence[int]) -> dict[int, StoredSeries]:
        return series_repo.series_by_id(self._session, ids)

    def reaches(self) -> list[Reach]:
        """Where each live series reaches and what of it is stored (the readers' catalogue)."""
        return series_repo.reaches(self._session, self._diary_id)

    def for_export(self, lo: datetime, hi: datetime | None) -> list[StoredSeries]:
        """The series with an occurrence in [lo, hi) (hi None: no end)."""
        return series_repo.series_for_export(self._session, self._diary_id, lo, hi)

    def overrides_of(
        self, series_ids: Sequence[int], lo: datetime | None = None, hi: datetime | None = None
    ) -> dict[int, list[Override]]:
        """Series id -> its overrides (of original start in [lo, hi) when given)."""
        return series_repo.overrides_of(self._session, series_ids, lo, hi)

    def live_occurrence_spans(self, series_id: int) -> list[tuple[datetime, datetime]]:
        return series_repo.live_occurrence_spans(self._session, series_id)

    def to_top_up(self, wanted_until: datetime, *, limit: int) -> list[StoredSeries]:
        """Series whose stored occurrences end before `wanted_until` (at most `limit`)."""
        return series_repo.series_to_top_up(
            self._session, self._diary_id, wanted_until, limit=limit
        )

    # -- writing ---------------------------------------------------------------------

    def save(self, series: StoredSeries, *, now: datetime) -> int:
        """Insert or update one series; returns its id."""
        return series_repo.save_series(self._session, self._diary_id, series, now=now)

    def save_many(self, many: Sequence[StoredSeries], *, now: datetime) -> dict[str, int]:
        """Insert or update many series; returns UID -> id."""
        return series_repo.save_many(self._session, self._diary_id, many, now=now)

    def cancel(self, series_id: int, sequence: int, *, now: datetime) -> None:
        """Mark the series and every occurrence cancelled, at SEQUENCE `sequence`."""
        series_repo.cancel_series(self._session, self._diary_id, series_id, sequence, now=now)

    def drop_derived_many(self, series_ids: Sequence[int]) -> None:
        """Delete the occurrences stored for these series' rules (not their overrides)."""
        series_materialised.drop_derived_many(self._session, series_ids)

    def set_materialised_many(self, ranges: Sequence[Materialised]) -> None:
        series_materialised.set_materialised_many(self._session, ranges)

    def set_materialised(self, series_id: int, lo: datetime | None, hi: datetime | None) -> None:
        series_materialised.set_materialised(self._session, series_id, lo, hi)


class AppointmentRows:
    """Appointment rows written and compared in bulk (imports, series), by column values
    (`bulk.row_values`) rather than one ORM object each."""

    def __init__(self, session: Session, diary_id: int) -> None:
        self._session = session
        self._diary_id = diary_id

    def count(self) -> int:
        return bulk.count_rows(self._session, self._diary_id)

    def last_end(self) -> datetime | None:
        """When the diary's last stored appointment ends (None: there are none)."""
        return bulk.last_end(self._session, self._diary_id)

    def existing_by_key(self, uids: Iterable[str]) -> dict[tuple[str, str], StoredKey]:
        """(UID, recurrence key) -> what is stored of it, for these UIDs."""
        return bulk.existing_by_key(self._session, self._diary_id, uids)

    def insert(self, rows: Sequence[Mapping[str, Any]]) -> None:
        bulk.insert_rows(self._session, self._diary_id, rows)

    def insert_new(self, appointments: Sequence[Appointment]) -> None:
        """New appointments (customers and locations already stored), one executemany."""
        bulk.insert_appointments(self._session, self._diary_id, appointments)

    def update(self, rows: Sequence[Mapping[str, Any]]) -> None:
        bulk.update_rows(self._session, self._diary_id, rows)

    def delete_by_uid(self, uids: Iterable[str]) -> None:
        """Every row of these UIDs (singles, overrides and derived occurrences)."""
        bulk.delete_by_uid(self._session, self._diary_id, uids)


class BusyTime:
    """Busy time of the diary's busy calendars (read-only blocks the rules count)."""

    def __init__(self, session: Session, diary_id: int) -> None:
        self._session = session
        self._diary_id = diary_id

    def overlapping(self, lo: datetime, hi: datetime) -> list[BusyPiece]:
        """Busy pieces with `start < hi and end > lo`: one indexed range query."""
        return sync_repo.busy_overlapping(self._session, self._diary_id, lo, hi)

"""The unit of work: one diary in one database, opened for reading or a serialised write."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from diary.domain.model import Appointment, Policy
from diary.domain.rules import Schedule
from diary.services.clock import Clock, system_zone, utc_now
from diary.storage import repository as repo
from diary.storage.engine import Database
from diary.storage.schema import AppointmentRow, DiaryRow

DEFAULT_DIARY = "default"


class DiaryStore:
    """Where a use case gets its session, its diary and its policy from."""

    def __init__(
        self,
        database: Database,
        diary: str = DEFAULT_DIARY,
        clock: Clock = utc_now,
        zone: str | None = None,
    ) -> None:
        self.database = database
        self.diary = diary
        self.clock = clock
        self.diary_id = database.ensure_diary(diary, zone or system_zone())

    @contextmanager
    def write(self) -> Iterator[tuple[Session, int, Policy]]:
        """One write transaction, serialised with every other writer of this diary."""
        with self.database.write(self.diary) as (session, row):
            yield session, row.id, repo.load_policy(session, row)

    @contextmanager
    def read(self) -> Iterator[tuple[Session, int, Policy]]:
        with self.database.session() as session:
            row = diary_row(session, self.diary_id)
            yield session, row.id, repo.load_policy(session, row)

    def schedule(
        self, session: Session, diary_id: int, policy: Policy, lo: datetime, hi: datetime
    ) -> Schedule:
        """The snapshot the rules need for [lo, hi): one indexed range query."""
        appointments = repo.appointments_overlapping(session, diary_id, lo, hi)
        base = (
            repo.location_by_id(session, policy.base_location_id)
            if policy.base_location_id is not None
            else None
        )
        return Schedule.for_window(appointments, policy, repo.travel_table(session), base, lo, hi)


def diary_row(session: Session, diary_id: int) -> DiaryRow:
    row = session.get(DiaryRow, diary_id)
    if row is None:
        raise LookupError(f"diary #{diary_id} does not exist")
    return row


def parse_ref(ref: str) -> tuple[str, datetime | None]:
    """Split an appointment reference into its UID and, for an occurrence, its start."""
    uid, sep, occurrence = ref.partition("#")
    if not sep:
        return uid, None
    try:
        moment = datetime.strptime(occurrence, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return ref, None
    return uid, moment


def appointment_by_ref(session: Session, diary_id: int, ref: str) -> Appointment | None:
    uid, recurrence_id = parse_ref(ref)
    return repo.appointment_by_uid(session, diary_id, uid, recurrence_id=recurrence_id)


def appointment_extent(session: Session, diary_id: int) -> tuple[datetime, datetime] | None:
    """When the diary's first appointment starts and its last one ends."""
    row = session.execute(
        select(func.min(AppointmentRow.start_utc), func.max(AppointmentRow.end_utc)).where(
            AppointmentRow.diary_id == diary_id, AppointmentRow.cancelled.is_(False)
        )
    ).one()
    lo: datetime | None = row[0]
    hi: datetime | None = row[1]
    if lo is None or hi is None:
        return None
    return lo, hi

"""The unit of work: one diary in one database, opened for reading or a serialised write."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, event, func, select
from sqlalchemy.orm import ORMExecuteState, Session

from diary.domain.model import Appointment, Kind, Location, Policy
from diary.domain.rules import Schedule
from diary.domain.travel import TravelTable
from diary.services.clock import Clock, system_zone
from diary.services.neighbour_cache import NeighbourCache, Settings, whole_days
from diary.services.occurrences import REVISION_KEY, SeriesOccurrences
from diary.storage import changes, sync_repo
from diary.storage import repository as repo
from diary.storage.engine import Database
from diary.storage.schema import AppointmentRow, DiaryRow
from diary.storage.unit_of_work import UnitOfWork

DEFAULT_DIARY = "default"
_REVISION = select(DiaryRow.revision).where(DiaryRow.id == bindparam("id"))
_REVISION_KEY = REVISION_KEY


class DiaryStore:
    """Where a use case gets its session, its diary and its policy from."""

    def __init__(
        self,
        database: Database,
        diary: str = DEFAULT_DIARY,
        clock: Clock | None = None,
        zone: str | None = None,
    ) -> None:
        self.database = database
        self.diary = diary
        self.clock: Clock = clock or database.clock
        self._zone = zone
        self.diary_id = database.ensure_diary(diary, zone or system_zone())
        self._cache = NeighbourCache()
        self.announced = Announced()

    def reload(self) -> None:
        """Start afresh after the database was replaced underneath (a restore): the diary's
        id may differ and nothing cached holds."""
        self.diary_id = self.database.ensure_diary(self.diary, self._zone or system_zone())
        self._cache = NeighbourCache()

    @contextmanager
    def write(self, *, announced: bool = True) -> Iterator[UnitOfWork]:
        """One write transaction, serialised with every other writer of this diary.

        What it changes is journaled (`diary.storage.changes`) for the open windows;
        `announced` says the caller's result tells this process's window itself (an
        Outcome's days), so its live watcher need not; a sync writes unannounced.
        """
        with self.database.write(self.diary) as (session, row):
            # Until this transaction writes, the diary is as it was at row.revision (the
            # row is locked), so the rules may read cached days; the first write ends that.
            session.info[_REVISION_KEY] = row.revision
            event.listen(session, "after_flush", _forget_revision)
            event.listen(session, "do_orm_execute", _forget_revision_on_dml)
            tracker = changes.Tracker()
            tracker.attach(session)
            try:
                yield UnitOfWork(session, row.id, repo.load_policy(session, row))
                if _REVISION_KEY not in session.info:
                    # Something was written: writers, never readers, move the stored range
                    # of series occurrences on (a refused change leaves everything as it was).
                    SeriesOccurrences(session, row.id).top_up(self.clock())
                tracker.detach(session)
                if self.database.has_written(session):  # else the revision stays (a refusal)
                    revision = row.revision + 1  # what Database.write commits
                    changes.record(session, row.id, revision, tracker.ranges, tracker.everything)
                    changes.notify(session, row.id, revision)
                    if announced:
                        self.announced.note(revision)
            finally:
                tracker.detach(session)
                event.remove(session, "after_flush", _forget_revision)
                event.remove(session, "do_orm_execute", _forget_revision_on_dml)

    @contextmanager
    def read(self) -> Iterator[UnitOfWork]:
        """A read transaction; what it reads of the rules' input may come from the cache."""
        with self.database.session() as session:
            revision = session.execute(_REVISION, {"id": self.diary_id}).scalar()
            if revision is None:
                raise LookupError(f"diary #{self.diary_id} does not exist")
            session.info[_REVISION_KEY] = revision
            settings = self._cache.settings(revision, lambda: self._settings(session))
            yield UnitOfWork(session, self.diary_id, settings.policy)

    def _settings(self, session: Session) -> Settings:
        policy = repo.load_policy(session, diary_row(session, self.diary_id))
        return Settings(policy, repo.travel_table(session), self._base(session, policy))

    @staticmethod
    def _base(session: Session, policy: Policy) -> Location | None:
        if policy.base_location_id is None:
            return None
        return repo.location_by_id(session, policy.base_location_id)

    def snapshot(self, uow: UnitOfWork, lo: datetime, hi: datetime) -> Schedule:
        """The snapshot the rules need for [lo, hi) in this unit of work (see `schedule`)."""
        session, diary_id, policy = uow
        return self.schedule(session, diary_id, policy, lo, hi)

    def appointment(self, uow: UnitOfWork, ref: str) -> Appointment | None:
        """The appointment or occurrence `ref` names: stored, or expanded from its rule."""
        session, diary_id, _policy = uow
        return appointment_by_ref(session, diary_id, ref)

    def schedule(
        self, session: Session, diary_id: int, policy: Policy, lo: datetime, hi: datetime
    ) -> Schedule:
        """The snapshot the rules need for [lo, hi): one indexed range query.

        Whole days come from the cache while the diary's revision is unchanged: in a
        read transaction, and in a write transaction until it has written anything.
        """
        revision = session.info.get(_REVISION_KEY)
        travel: TravelTable
        if revision is None or not whole_days(lo, hi, policy.zone):
            appointments = occupied(session, diary_id, lo, hi)
            travel, base = repo.travel_table(session), self._base(session, policy)
        else:
            return self._cache.snapshot(
                revision, lo, hi, lambda: self._cached_schedule(session, revision, policy, lo, hi)
            )
        return Schedule.for_window(appointments, policy, travel, base, lo, hi)

    def _cached_schedule(
        self, session: Session, revision: int, policy: Policy, lo: datetime, hi: datetime
    ) -> Schedule:
        settings = self._cache.settings(revision, lambda: self._settings(session))
        appointments = self._cache.appointments(
            revision,
            policy.zone,
            lo,
            hi,
            lambda start, stop: occupied(session, self.diary_id, start, stop),
        )
        return Schedule.for_window(appointments, policy, settings.travel, settings.base, lo, hi)


# The UIDs of busy time from busy calendars start so: no UID from a file or the owner can
# (a NUL is refused in every input), so what is shown as the owner's appointments can
# leave them out.
BUSY_PREFIX = "\x00busy:"


def is_busy_time(appointment: Appointment) -> bool:
    """Busy time from a busy calendar, counted by the rules, not the owner's appointment."""
    return appointment.uid.startswith(BUSY_PREFIX)


class Announced:
    """Revisions this process wrote and told its own window about (thread-safe, bounded)."""

    def __init__(self, keep: int = 512) -> None:
        self._revisions: deque[int] = deque(maxlen=keep)
        self._lock = threading.Lock()

    def note(self, revision: int) -> None:
        with self._lock:
            self._revisions.append(revision)

    def __contains__(self, revision: object) -> bool:
        with self._lock:
            return revision in self._revisions


def occupied(session: Session, diary_id: int, lo: datetime, hi: datetime) -> list[Appointment]:
    """What the rules count in [lo, hi): the diary's appointments (series expanded) plus the
    busy time of its accounts' busy calendars (read-only blocks; issue "One diary
    everywhere")."""
    found = SeriesOccurrences(session, diary_id).overlapping(lo, hi)
    busy = sync_repo.busy_overlapping(session, diary_id, lo, hi)
    if not busy:
        return found
    found.extend(
        Appointment(
            uid=f"{BUSY_PREFIX}{piece.uid}:{piece.start.astimezone(UTC):%Y%m%dT%H%M%SZ}",
            title=piece.title,
            start=piece.start.astimezone(ZoneInfo(piece.zone)),
            end=piece.end.astimezone(ZoneInfo(piece.zone)),
            zone=piece.zone,
            kind=Kind.BLOCK,
            wrapup_minutes=0,
        )
        for piece in busy
    )
    found.sort(key=lambda a: (a.start.timestamp(), a.end.timestamp()))
    return found


def _forget_revision(session: Session, *_args: object) -> None:
    session.info.pop(_REVISION_KEY, None)


def _forget_revision_on_dml(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info.pop(_REVISION_KEY, None)


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
    """The appointment or occurrence `ref` names: stored, or expanded from its series' rule."""
    uid, recurrence_id = parse_ref(ref)
    found = repo.appointment_by_uid(session, diary_id, uid, recurrence_id=recurrence_id)
    if found is None and recurrence_id is not None:
        return SeriesOccurrences(session, diary_id).occurrence(uid, recurrence_id)
    return found


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

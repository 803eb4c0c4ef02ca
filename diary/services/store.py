"""Where the use cases get their unit of work: one diary in one database, opened for
reading or a serialised write, with the rules' snapshots cached by revision."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from diary.domain.model import Appointment, Kind, Location, Policy
from diary.domain.rules import Schedule
from diary.domain.travel import TravelTable
from diary.services.clock import Clock, system_zone
from diary.services.neighbour_cache import NeighbourCache, Settings, whole_days
from diary.services.occurrences import SeriesOccurrences
from diary.storage.engine import Database
from diary.storage.unit_of_work import UnitOfWork, reading, writing

DEFAULT_DIARY = "default"


class DiaryStore:
    """Where a use case gets its unit of work (its diary, policy and repositories) from."""

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
        on_written = self.announced.note if announced else None
        with writing(self.database, self.diary, on_written=on_written) as uow:
            yield uow
            if uow.has_written:
                # Writers, never readers, move the stored range of series occurrences on
                # (a refused change leaves everything as it was).
                SeriesOccurrences(uow).top_up(self.clock())

    @contextmanager
    def read(self) -> Iterator[UnitOfWork]:
        """A read transaction; what it reads of the rules' input may come from the cache."""
        with reading(self.database, self.diary_id) as uow:
            revision = uow.revision
            assert revision is not None  # a read transaction never writes
            uow.policy = self._cache.settings(revision, lambda: self._settings(uow)).policy
            yield uow

    def _settings(self, uow: UnitOfWork) -> Settings:
        policy = uow.settings.policy()
        return Settings(policy, uow.places.travel_table(), self._base(uow, policy))

    @staticmethod
    def _base(uow: UnitOfWork, policy: Policy) -> Location | None:
        if policy.base_location_id is None:
            return None
        return uow.places.by_id(policy.base_location_id)

    def appointment(self, uow: UnitOfWork, ref: str) -> Appointment | None:
        """The appointment or occurrence `ref` names: stored, or expanded from its rule."""
        return appointment_by_ref(uow, ref)

    def snapshot(self, uow: UnitOfWork, lo: datetime, hi: datetime) -> Schedule:
        """The snapshot the rules need for [lo, hi): one indexed range query.

        Whole days come from the cache while the diary's revision is unchanged: in a
        read transaction, and in a write transaction until it has written anything.
        """
        revision = uow.revision
        policy = uow.policy
        travel: TravelTable
        if revision is None or not whole_days(lo, hi, policy.zone):
            appointments = occupied(uow, lo, hi)
            travel, base = uow.places.travel_table(), self._base(uow, policy)
        else:
            return self._cache.snapshot(
                revision, lo, hi, lambda: self._cached_snapshot(uow, revision, policy, lo, hi)
            )
        return Schedule.for_window(appointments, policy, travel, base, lo, hi)

    def _cached_snapshot(
        self, uow: UnitOfWork, revision: int, policy: Policy, lo: datetime, hi: datetime
    ) -> Schedule:
        settings = self._cache.settings(revision, lambda: self._settings(uow))
        appointments = self._cache.appointments(
            revision, policy.zone, lo, hi, lambda start, stop: occupied(uow, start, stop)
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


def occupied(uow: UnitOfWork, lo: datetime, hi: datetime) -> list[Appointment]:
    """What the rules count in [lo, hi): the diary's appointments (series expanded) plus the
    busy time of its accounts' busy calendars (read-only blocks; issue "One diary
    everywhere")."""
    found = SeriesOccurrences(uow).overlapping(lo, hi)
    busy = uow.busy.overlapping(lo, hi)
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


def appointment_by_ref(uow: UnitOfWork, ref: str) -> Appointment | None:
    """The appointment or occurrence `ref` names: stored, or expanded from its series' rule."""
    uid, recurrence_id = parse_ref(ref)
    found = uow.appointments.by_uid(uid, recurrence_id)
    if found is None and recurrence_id is not None:
        return SeriesOccurrences(uow).occurrence(uid, recurrence_id)
    return found

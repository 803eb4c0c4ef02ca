"""The unit of work: one transaction on one diary, with its repositories as attributes.

The services see nothing of SQLAlchemy: they open a unit of work (`DiaryStore.write()` or
`read()`), call the repositories on it, and the transaction ends with the block. Each
repository is a thin, typed door onto the queries in `repository`, `promise_repo`,
`series_repo` and `bulk`, bound to the transaction's session and diary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, event, func, select
from sqlalchemy.orm import ORMExecuteState, Session

from diary.domain.model import Appointment, Channel, Customer, Location, Policy
from diary.domain.promises import Promise, PromiseStatus
from diary.storage import address_book, changes, promise_repo, search_index
from diary.storage import repository as repo
from diary.storage.engine import Database
from diary.storage.errors import NotFound
from diary.storage.schema import AppointmentRow, DiaryRow
from diary.storage.series_access import AppointmentRows, BusyTime, SeriesRecords
from diary.storage.sync_access import SyncRecords

# Where a transaction's session keeps the diary revision it reads, until it writes.
REVISION_KEY = "diary_revision"
_REVISION = select(DiaryRow.revision).where(DiaryRow.id == bindparam("id"))


class Appointments:
    """The diary's stored appointments (single ones and materialised occurrences)."""

    def __init__(self, session: Session, diary_id: int) -> None:
        self._session = session
        self._diary_id = diary_id

    def overlapping(
        self, lo: datetime, hi: datetime, *, include_cancelled: bool = False
    ) -> list[Appointment]:
        """Those with `start < hi and end > lo`, by start: one indexed range query."""
        return repo.appointments_overlapping(
            self._session, self._diary_id, lo, hi, include_cancelled=include_cancelled
        )

    def by_uid(self, uid: str, recurrence_id: datetime | None = None) -> Appointment | None:
        return repo.appointment_by_uid(
            self._session, self._diary_id, uid, recurrence_id=recurrence_id
        )

    def save(self, appointment: Appointment, *, source: str | None = None) -> Appointment:
        """Insert or update by (uid, recurrence id); returns it as stored."""
        return repo.save_appointment(self._session, self._diary_id, appointment, source=source)

    def delete(self, uid: str, recurrence_id: datetime | None = None) -> None:
        repo.delete_appointment(self._session, self._diary_id, uid, recurrence_id=recurrence_id)

    def delete_all(self) -> None:
        """Every appointment of the diary (the demo starts afresh)."""
        mine = AppointmentRow.diary_id == self._diary_id
        self._session.execute(delete(AppointmentRow).where(mine))

    def longest(self) -> timedelta:
        """The longest appointment ever stored (the overlap query's look-back)."""
        return repo.max_span(self._session, self._diary_id)

    def extent(self) -> tuple[datetime, datetime] | None:
        """When the first appointment starts and the last one ends (None: there are none)."""
        row = self._session.execute(
            select(func.min(AppointmentRow.start_utc), func.max(AppointmentRow.end_utc)).where(
                AppointmentRow.diary_id == self._diary_id, AppointmentRow.cancelled.is_(False)
            )
        ).one()
        lo: datetime | None = row[0]
        hi: datetime | None = row[1]
        if lo is None or hi is None:
            return None
        return lo, hi

    def next_starts_by_customer(self, now: datetime) -> dict[int, datetime]:
        """Customer id -> start of their next appointment at or after `now`."""
        return promise_repo.next_starts_by_customer(self._session, self._diary_id, now)

    def by_ids(self, ids: list[int]) -> list[Appointment]:
        """The diary's appointments with these row ids, in that order (search results)."""
        return repo.appointments_by_ids(self._session, self._diary_id, ids)

    def spans_of_customer(self, customer_id: int) -> list[tuple[datetime, datetime]]:
        """(start, end) in UTC of every appointment of one customer, by start."""
        return promise_repo.appointment_refs_of_customer(self._session, self._diary_id, customer_id)


class Customers:
    """Customers (shared by the diaries of a database)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def by_id(self, customer_id: int) -> Customer:
        return address_book.customer_by_id(self._session, customer_id)

    def by_name(self, name: str) -> Customer | None:
        return address_book.customer_by_name(self._session, name)

    def all(self) -> list[Customer]:
        return address_book.all_customers(self._session)

    def by_ids(self, ids: list[int]) -> list[Customer]:
        """The customers with these ids, in that order."""
        return address_book.customers_by_ids(self._session, ids)

    def add(
        self,
        name: str,
        *,
        email: str = "",
        phone: str = "",
        prefers: Channel = Channel.EMAIL,
        notes: str = "",
    ) -> Customer:
        """Store a new customer; StorageError if the name is taken."""
        return address_book.add_customer(
            self._session, name, email=email, phone=phone, prefers=prefers, notes=notes
        )

    def update(self, customer: Customer) -> Customer:
        return address_book.update_customer(self._session, customer)


class Places:
    """Locations and the owner's own travel times between them."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def by_id(self, location_id: int) -> Location:
        return address_book.location_by_id(self._session, location_id)

    def by_name(self, name: str) -> Location | None:
        return address_book.location_by_name(self._session, name)

    def all(self) -> list[Location]:
        return address_book.all_locations(self._session)

    def add(
        self,
        name: str,
        *,
        address: str = "",
        lat: float | None = None,
        lon: float | None = None,
        remote: bool = False,
    ) -> Location:
        """Store a new location; StorageError if the name is taken."""
        return address_book.add_location(
            self._session, name, address=address, lat=lat, lon=lon, remote=remote
        )

    def set_travel(self, from_id: int, to_id: int, minutes: int) -> None:
        address_book.set_travel(self._session, from_id, to_id, minutes)

    def travel_table(self) -> dict[tuple[int, int], int]:
        """(from id, to id) -> minutes, as the owner entered them."""
        return address_book.travel_table(self._session)


class Promises:
    """Promises to customers."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, promise: Promise) -> Promise:
        return promise_repo.add_promise(self._session, promise)

    def save(self, promise: Promise) -> Promise:
        return promise_repo.save_promise(self._session, promise)

    def by_id(self, promise_id: int) -> Promise:
        return promise_repo.promise_by_id(self._session, promise_id)

    def find(self, promise_id: int) -> Promise | None:
        return promise_repo.find_promise(self._session, promise_id)

    def by_ids(self, ids: list[int]) -> list[Promise]:
        """The promises with these ids, in that order."""
        return promise_repo.promises_by_ids(self._session, ids)

    def by_uid(self, uid: str) -> Promise | None:
        return promise_repo.promise_by_uid(self._session, uid)

    def select(
        self,
        *,
        statuses: Iterable[PromiseStatus] | None = None,
        due_from: datetime | None = None,
        due_to: datetime | None = None,
        customer_id: int | None = None,
    ) -> list[Promise]:
        """By due (then id), optionally of some statuses, due in [due_from, due_to), of one
        customer."""
        return promise_repo.promises(
            self._session,
            statuses=statuses,
            due_from=due_from,
            due_to=due_to,
            customer_id=customer_id,
        )

    def pending_counts_by_customer(self) -> dict[int, int]:
        return promise_repo.pending_counts_by_customer(self._session)


class DiarySettings:
    """The diary's own row: its policy."""

    def __init__(self, session: Session, diary_id: int) -> None:
        self._session = session
        self._diary_id = diary_id

    def _row(self) -> DiaryRow:
        row = self._session.get(DiaryRow, self._diary_id)
        if row is None:
            raise NotFound(f"diary #{self._diary_id} does not exist")
        return row

    def policy(self) -> Policy:
        return repo.load_policy(self._session, self._row())

    def save_policy(self, policy: Policy) -> None:
        repo.save_policy(self._session, self._row(), policy)


class SearchIndex:
    """The full-text index (`search_index`): ids of what matches typed words."""

    def __init__(self, session: Session, diary_id: int) -> None:
        self._session = session
        self._diary_id = diary_id

    def appointment_ids(self, words: list[str], now: datetime, limit: int) -> list[int]:
        """The diary's live appointments matching every word, nearest to `now` first."""
        return search_index.appointment_ids(self._session, self._diary_id, words, now, limit)

    def customer_ids(self, words: list[str], limit: int) -> list[int]:
        return search_index.customer_ids(self._session, words, limit)

    def promise_ids(self, words: list[str], limit: int) -> list[int]:
        return search_index.promise_ids(self._session, words, limit)


class Journal:
    """The diary's revision and its change journal (`changes`), for the live windows."""

    def __init__(self, session: Session, diary_id: int) -> None:
        self._session = session
        self._diary_id = diary_id

    def revision(self) -> int | None:
        """The diary's committed revision as this transaction sees it (None: no diary)."""
        row = self._session.get(DiaryRow, self._diary_id)
        return row.revision if row is not None else None

    def since(self, seen: int, now: int) -> dict[int, changes.Ranges | None]:
        """Revision -> the UTC ranges it changed (None: anything), for (seen, now]."""
        return changes.since(self._session, self._diary_id, seen, now)


class UnitOfWork:
    """One transaction on one diary: `diary_id`, `policy` (as the transaction began) and
    the repositories. Made by `writing` and `reading` (through the services' store); lives
    as long as its `with` block."""

    def __init__(self, session: Session, diary_id: int, policy: Policy | None = None) -> None:
        self._session = session
        self.diary_id = diary_id
        self._policy = policy
        self.appointments = Appointments(session, diary_id)
        self.customers = Customers(session)
        self.places = Places(session)
        self.promises = Promises(session)
        self.settings = DiarySettings(session, diary_id)
        self.search = SearchIndex(session, diary_id)
        self.series = SeriesRecords(session, diary_id)
        self.rows = AppointmentRows(session, diary_id)
        self.busy = BusyTime(session, diary_id)
        self.journal = Journal(session, diary_id)
        self.sync = SyncRecords(session, diary_id)

    @property
    def policy(self) -> Policy:
        """The diary's policy (loaded when first asked, unless the opener gave it)."""
        if self._policy is None:
            self._policy = self.settings.policy()
        return self._policy

    @policy.setter
    def policy(self, policy: Policy) -> None:
        self._policy = policy

    @property
    def revision(self) -> int | None:
        """The diary's revision this transaction reads, while it has written nothing; None
        once it has written (from then on nothing cached by revision holds for it)."""
        revision: int | None = self._session.info.get(REVISION_KEY)
        return revision

    @property
    def has_written(self) -> bool:
        """Whether this transaction has changed anything so far (flushed or executed)."""
        return REVISION_KEY not in self._session.info

    def forget_revision(self) -> None:
        """Use nothing cached by revision from now on, as if this transaction had written
        (the benchmarks measure the queries so)."""
        self._session.info.pop(REVISION_KEY, None)

    @property
    def source(self) -> int:
        """Tells databases apart for caches shared between transactions (same engine, same
        number)."""
        return id(self._session.get_bind())


@contextmanager
def writing(
    database: Database, diary: str, *, on_written: Callable[[int], None] | None = None
) -> Iterator[UnitOfWork]:
    """One write transaction on diary `diary`, serialised with every other writer of it.

    What it changes is journaled (`changes`) and announced to the other processes; when it
    changed something, `on_written(revision)` is called with the revision it commits.
    Commits when the block ends normally, rolls back (nothing changed) when it raises.
    """
    with database.write(diary) as (session, row):
        # Until this transaction writes, the diary is as it was at row.revision (the row is
        # locked), so what is cached by revision still holds; the first write ends that.
        session.info[REVISION_KEY] = row.revision
        event.listen(session, "after_flush", _forget_revision)
        event.listen(session, "do_orm_execute", _forget_revision_on_dml)
        tracker = changes.Tracker()
        tracker.attach(session)
        try:
            yield UnitOfWork(session, row.id, repo.load_policy(session, row))
            tracker.detach(session)
            if database.has_written(session):  # else the revision stays (a refusal)
                revision = row.revision + 1  # what Database.write commits
                changes.record(session, row.id, revision, tracker.ranges, tracker.everything)
                changes.notify(session, row.id, revision)
                if on_written is not None:
                    on_written(revision)
        finally:
            tracker.detach(session)
            event.remove(session, "after_flush", _forget_revision)
            event.remove(session, "do_orm_execute", _forget_revision_on_dml)


@contextmanager
def reading(database: Database, diary_id: int) -> Iterator[UnitOfWork]:
    """A read transaction on diary #`diary_id` (LookupError if there is none); its
    `revision` is the diary's as the transaction began."""
    with database.session() as session:
        revision = session.execute(_REVISION, {"id": diary_id}).scalar()
        if revision is None:
            raise LookupError(f"diary #{diary_id} does not exist")
        session.info[REVISION_KEY] = revision
        yield UnitOfWork(session, diary_id)


def _forget_revision(session: Session, *_args: object) -> None:
    session.info.pop(REVISION_KEY, None)


def _forget_revision_on_dml(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info.pop(REVISION_KEY, None)

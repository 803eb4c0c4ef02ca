"""The unit of work: one transaction on one diary, with its repositories as attributes.

The services see nothing of SQLAlchemy: they open a unit of work (`DiaryStore.write()` or
`read()`), call the repositories on it, and the transaction ends with the block. Each
repository is a thin, typed door onto the queries in `repository`, `promise_repo`,
`series_repo` and `bulk`, bound to the transaction's session and diary.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from diary.domain.model import Appointment, Channel, Customer, Location, Policy
from diary.domain.promises import Promise, PromiseStatus
from diary.storage import promise_repo, search_index
from diary.storage import repository as repo
from diary.storage.errors import NotFound
from diary.storage.schema import AppointmentRow, DiaryRow
from diary.storage.sync_access import SyncRecords


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
        return repo.customer_by_id(self._session, customer_id)

    def by_name(self, name: str) -> Customer | None:
        return repo.customer_by_name(self._session, name)

    def all(self) -> list[Customer]:
        return repo.all_customers(self._session)

    def by_ids(self, ids: list[int]) -> list[Customer]:
        """The customers with these ids, in that order."""
        return repo.customers_by_ids(self._session, ids)

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
        return repo.add_customer(
            self._session, name, email=email, phone=phone, prefers=prefers, notes=notes
        )

    def update(self, customer: Customer) -> Customer:
        return repo.update_customer(self._session, customer)


class Places:
    """Locations and the owner's own travel times between them."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def by_id(self, location_id: int) -> Location:
        return repo.location_by_id(self._session, location_id)

    def by_name(self, name: str) -> Location | None:
        return repo.location_by_name(self._session, name)

    def all(self) -> list[Location]:
        return repo.all_locations(self._session)

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
        return repo.add_location(
            self._session, name, address=address, lat=lat, lon=lon, remote=remote
        )

    def set_travel(self, from_id: int, to_id: int, minutes: int) -> None:
        repo.set_travel(self._session, from_id, to_id, minutes)

    def travel_table(self) -> dict[tuple[int, int], int]:
        """(from id, to id) -> minutes, as the owner entered them."""
        return repo.travel_table(self._session)


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


class UnitOfWork:
    """One transaction on one diary: `diary_id`, `policy` (as the transaction began) and
    the repositories. Made by the services' store; lives as long as its `with` block."""

    def __init__(self, session: Session, diary_id: int, policy: Policy) -> None:
        self._session = session
        self.diary_id = diary_id
        self.policy = policy
        self.appointments = Appointments(session, diary_id)
        self.customers = Customers(session)
        self.places = Places(session)
        self.promises = Promises(session)
        self.settings = DiarySettings(session, diary_id)
        self.search = SearchIndex(session, diary_id)
        self.sync = SyncRecords(session, diary_id)

    def __iter__(self) -> Iterator[Any]:
        # While the last services move over: `session, diary_id, policy = uow` as before.
        return iter((self._session, self.diary_id, self.policy))

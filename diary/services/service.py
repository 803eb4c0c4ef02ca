"""The one API the window and the command line call: a facade over the use cases.

Each use case lives in a class of its own, composed over the same `DiaryStore` (its unit
of work, clock and caches): `Scheduler` (book, move, reschedule...), `SeriesService`,
`Reader` (agenda, check, suggest), `Directory` (customers, places, policy),
`PromiseService`, `CustomerViews`, `ReportService`, and `CalendarIO` (iCalendar import and
export, built on first use by `calendar()`). `DiaryService` hands each call over to the one
that holds it; their docstrings give the contracts (shapes, units, errors). Each call is
its own transaction.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

from diary.domain.model import Appointment, Customer, Kind, Location, Policy, Violation
from diary.domain.promises import Promise
from diary.domain.rules import Schedule
from diary.interchange.records import ExportPromise
from diary.services.backups import Backups, Restored
from diary.services.clock import Clock, SystemClock
from diary.services.customer_views import CustomerHistory, CustomerRow, CustomerViews
from diary.services.day_sheet import DaySheet, build_day_sheet
from diary.services.directory import Directory
from diary.services.drafts import MessageDraft
from diary.services.promises import PromiseService, PromiseView
from diary.services.queries import Agenda, Reader
from diary.services.reports import Report, ReportService
from diary.services.results import Draft, Listed, Outcome, Repeat
from diary.services.scheduling import Scheduler
from diary.services.search import Search, SearchResults
from diary.services.series import SeriesService
from diary.services.store import DEFAULT_DIARY, DiaryStore
from diary.storage.engine import Database, open_database, resolve_url

if TYPE_CHECKING:
    from diary.services.calendar_io import CalendarIO
    from diary.services.live import LiveChanges
    from diary.services.sync.accounts import AccountService
    from diary.services.sync.conflicts import ConflictService
    from diary.services.sync.passwords import Passwords
    from diary.services.sync.service import SyncService


class DiaryService:
    """Every use case over one diary (see the module docstring for where each lives)."""

    def __init__(self, store: DiaryStore) -> None:
        self.store = store
        self.scheduler = Scheduler(store)
        self.series_service = SeriesService(store)
        self.reader = Reader(store)
        self.directory = Directory(store)
        self.promise_service = PromiseService(store)
        self.customer_views = CustomerViews(store)
        self.report_service = ReportService(store)
        # The first change of each day leaves a backup behind (issue 16).
        self.backups = Backups(store.database, store.clock)
        store.database.before_write.append(self.backups.before_write)
        store.database.after_change.append(self.backups.after_change)
        self.searching = Search(store)

    def calendar(self) -> CalendarIO:
        """iCalendar import and export over this diary (promises go out with appointments)."""
        # Imported here, not at the top: icalendar, recurring-ical-events and x-wr-timezone
        # take longer to load than a whole `diary list` may (bench/cli_bench.py).
        from diary.services.calendar_io import CalendarIO

        return CalendarIO(self.store, self.promises_to_export)

    def promises_to_export(
        self, lo: datetime, hi: datetime | None, customer: str | None
    ) -> list[ExportPromise]:
        return [
            p
            for p in self.promise_service.promises_for_export(lo, hi)
            if customer is None or p.customer == customer
        ]

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        diary: str = DEFAULT_DIARY,
        clock: Clock | None = None,
        zone: str | None = None,
    ) -> DiaryService:
        """Open (creating and migrating as needed) the database at `url` or the default.

        `clock` is the program's one clock (default: the wall clock); every use case and
        every stamp the database writes reads it.
        """
        clock = clock or SystemClock()
        database = open_database(resolve_url(url), clock)
        return cls(DiaryStore(database, diary, clock, zone))

    # -- CalDAV sync: small services over the same store, made on first use -------------

    @cached_property
    def passwords(self) -> Passwords:
        """Passwords of the accounts: keyring, environment, or typed in this session."""
        from diary.services.sync.passwords import Passwords

        return Passwords()

    @cached_property
    def accounts(self) -> AccountService:
        from diary.services.sync.accounts import AccountService

        return AccountService(self.store, self.passwords)

    @cached_property
    def syncing(self) -> SyncService:
        from diary.services.sync.service import SyncService

        return SyncService(self.store, self.passwords)

    @cached_property
    def sync_conflicts(self) -> ConflictService:
        from diary.services.sync.conflicts import ConflictService

        return ConflictService(self.store)

    def live_changes(self) -> LiveChanges:
        """A watcher of other writers' commits (for a window's thread of its own)."""
        from diary.services.live import LiveChanges

        return LiveChanges(self.store)

    def restore_backup(self, file: str) -> Restored:
        """Replace the database by the backup `file` (see `Backups.restore`); this diary's
        reads start afresh from the restored state."""
        restored = self.backups.restore(file)
        self.store.reload()
        return restored

    @property
    def database(self) -> Database:
        return self.store.database

    def kept_at(self) -> str:
        """Where the diary is kept: its SQLite file, or its database URL without password."""
        return self.store.database.kept_at()

    def close(self) -> None:
        self.store.database.close()

    # -- Scheduler (scheduling.py) ---------------------------------------------------

    def book(self, draft: Draft, *, force: bool = False, reason: str | None = None) -> Outcome:
        return self.scheduler.book(draft, force=force, reason=reason)

    def reschedule(
        self,
        ref: str,
        start: datetime,
        end: datetime,
        *,
        force: bool = False,
        reason: str | None = None,
    ) -> Outcome:
        return self.scheduler.reschedule(ref, start, end, force=force, reason=reason)

    def move(
        self, ref: str, start: datetime, *, force: bool = False, reason: str | None = None
    ) -> Outcome:
        return self.scheduler.move(ref, start, force=force, reason=reason)

    def resize(
        self, ref: str, end: datetime, *, force: bool = False, reason: str | None = None
    ) -> Outcome:
        return self.scheduler.resize(ref, end, force=force, reason=reason)

    def edit(
        self, ref: str, draft: Draft, *, force: bool = False, reason: str | None = None
    ) -> Outcome:
        return self.scheduler.edit(ref, draft, force=force, reason=reason)

    def cancel(self, ref: str) -> Outcome:
        return self.scheduler.cancel(ref)

    def restore(self, value: Appointment) -> Outcome:
        return self.scheduler.restore(value)

    def preview(self, candidate: Appointment) -> tuple[Violation, ...]:
        return self.scheduler.preview(candidate)

    def draft_preview(self, draft: Draft, ref: str | None = None) -> Outcome:
        return self.scheduler.draft_preview(draft, ref)

    # -- SeriesService (series.py) ---------------------------------------------------

    def book_series(
        self, draft: Draft, repeat: Repeat, *, force: bool = False, reason: str | None = None
    ) -> Outcome:
        return self.series_service.book_series(draft, repeat, force=force, reason=reason)

    def cancel_series(self, uid: str) -> Outcome:
        return self.series_service.cancel_series(uid)

    # -- Reader (queries.py) ---------------------------------------------------------

    def agenda(self, lo: datetime, hi: datetime) -> Agenda:
        return self.reader.agenda(lo, hi)

    def listing(self, lo: datetime, hi: datetime) -> list[Listed]:
        return self.reader.listing(lo, hi)

    def check(self, lo: datetime | None = None, hi: datetime | None = None) -> list[Listed]:
        return self.reader.check(lo, hi)

    def get(self, ref: str) -> Appointment:
        return self.reader.get(ref)

    def snapshot(self, lo: datetime, hi: datetime) -> Schedule:
        return self.reader.snapshot(lo, hi)

    def suggest(
        self,
        duration: timedelta,
        location: str | None = None,
        after: datetime | None = None,
        kind: Kind = Kind.MEETING,
    ) -> datetime | None:
        return self.reader.suggest(duration, location, after, kind)

    # -- Directory (directory.py) ----------------------------------------------------

    def customers(self) -> list[Customer]:
        return self.directory.customers()

    def customer(self, name: str) -> Customer:
        return self.directory.customer(name)

    def add_customer(
        self,
        name: str,
        email: str = "",
        phone: str = "",
        prefers: str = "email",
        notes: str = "",
    ) -> Customer:
        return self.directory.add_customer(name, email, phone, prefers, notes)

    def update_customer(self, customer: Customer) -> Customer:
        return self.directory.update_customer(customer)

    def locations(self) -> list[Location]:
        return self.directory.locations()

    def add_location(
        self,
        name: str,
        address: str = "",
        lat: float | None = None,
        lon: float | None = None,
        remote: bool = False,
    ) -> Location:
        return self.directory.add_location(name, address, lat, lon, remote)

    def set_travel(self, origin: str, destination: str, minutes: int) -> None:
        return self.directory.set_travel(origin, destination, minutes)

    def policy(self) -> Policy:
        return self.directory.policy()

    def policy_rows(self) -> list[tuple[str, str]]:
        return self.directory.policy_rows()

    def update_policy(self, policy: Policy) -> Policy:
        return self.directory.update_policy(policy)

    def set_policy(self, key: str, value: str) -> Policy:
        return self.directory.set_policy(key, value)

    # -- PromiseService (promises.py) ------------------------------------------------

    def add_promise(
        self,
        customer: str,
        what: str,
        due: datetime,
        effort: int | None = None,
        depends_on: str | None = None,
        appointment_uid: str | None = None,
        notes: str = "",
    ) -> Promise:
        return self.promise_service.add_promise(
            customer, what, due, effort, depends_on, appointment_uid, notes
        )

    def promise(self, promise_id: int) -> PromiseView:
        return self.promise_service.promise(promise_id)

    def promises(self, at_risk_only: bool = False, include_done: bool = False) -> list[PromiseView]:
        return self.promise_service.promises(at_risk_only, include_done)

    def promises_due(self, lo: datetime, hi: datetime) -> list[PromiseView]:
        return self.promise_service.promises_due(lo, hi)

    def checks_due(self, lo: datetime, hi: datetime) -> list[PromiseView]:
        return self.promise_service.checks_due(lo, hi)

    def customer_promises(self, name: str, include_done: bool = True) -> list[PromiseView]:
        return self.promise_service.customer_promises(name, include_done)

    def confirm(self, promise_id: int) -> PromiseView:
        return self.promise_service.confirm(promise_id)

    def done(self, promise_id: int) -> PromiseView:
        return self.promise_service.done(promise_id)

    def reopen(self, promise_id: int) -> PromiseView:
        return self.promise_service.reopen(promise_id)

    def reschedule_promise(
        self, promise_id: int, due: datetime, effort: int | None = None
    ) -> PromiseView:
        return self.promise_service.reschedule_promise(promise_id, due, effort)

    def suggest_due(self, effort: int, margin: int | None = None) -> datetime:
        return self.promise_service.suggest_due(effort, margin)

    def new_due_for(self, promise_id: int) -> datetime | None:
        return self.promise_service.new_due_for(promise_id)

    def tell_customer(self, promise_id: int, locale: str | None = None) -> MessageDraft:
        return self.promise_service.tell_customer(promise_id, locale)

    def promises_for_export(
        self, lo: datetime | None = None, hi: datetime | None = None
    ) -> list[ExportPromise]:
        return self.promise_service.promises_for_export(lo, hi)

    # -- CustomerViews (customer_views.py) -------------------------------------------

    def customer_rows(self) -> list[CustomerRow]:
        return self.customer_views.customer_rows()

    def customer_history(self, name: str) -> CustomerHistory:
        return self.customer_views.customer_history(name)

    # -- ReportService (reports.py) --------------------------------------------------

    def time_per_customer(self, lo: datetime, hi: datetime) -> Report:
        return self.report_service.time_per_customer(lo, hi)

    # -- search and the day sheet --------------------------------------------------

    def search(self, query: str, limit: int = 20) -> SearchResults:
        """Appointments, customers and promises matching `query` (see `Search.find`)."""
        return self.searching.find(query, limit)

    def day_sheet(self, day: date, zone: str | None = None) -> DaySheet:
        """What to take along on `day` (in `zone`, default the diary's): see `DaySheet`."""
        return build_day_sheet(self, day, zone)

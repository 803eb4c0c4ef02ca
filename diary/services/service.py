"""The one API the window and the command line call."""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from diary.interchange.records import ExportPromise
from diary.services.clock import Clock, SystemClock
from diary.services.customer_views import CustomerViews
from diary.services.directory import Directory
from diary.services.promises import PromiseService
from diary.services.queries import Reader
from diary.services.reports import ReportService
from diary.services.scheduling import Scheduler
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


class DiaryService(
    Scheduler,
    SeriesService,
    Reader,
    Directory,
    PromiseService,
    CustomerViews,
    ReportService,
):
    """Every use case over one diary; each call is its own transaction.

    iCalendar import and export are `calendar()`'s: a separate object, so opening a diary
    to list, book or check does not load the iCalendar stack.
    """

    def __init__(self, store: DiaryStore) -> None:
        self.store = store

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
            for p in self.promises_for_export(lo, hi)
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

    @property
    def database(self) -> Database:
        return self.store.database

    def kept_at(self) -> str:
        """Where the diary is kept: its SQLite file, or its database URL without password."""
        return self.store.database.kept_at()

    def close(self) -> None:
        self.store.database.close()

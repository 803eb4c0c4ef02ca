"""iCalendar import and export use cases, as one service: `CalendarIO`.

The work is in `calendar_import` (all-or-nothing import, repairs, flags; its results in
`import_results`, names of places and customers in `import_directory`) and
`calendar_export` (phone-ready export); this module joins them for `DiaryService.calendar`
and keeps their public names importable from one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from diary.interchange.records import ImportedSeries
from diary.services.calendar_export import (
    EXPORT_LOOKBACK,
    CalendarExport,
    ExportCancelled,
    ExportSummary,
    PromiseProvider,
)
from diary.services.calendar_import import CalendarImport
from diary.services.import_directory import Directory
from diary.services.import_results import ImportCancelled, ImportRefused, ImportSummary, Tally
from diary.services.results import Cancelled, Progress
from diary.services.store import DiaryStore
from diary.storage.unit_of_work import joining

__all__ = [
    "EXPORT_LOOKBACK",
    "CalendarIO",
    "Cancelled",
    "ExportCancelled",
    "ExportSummary",
    "ImportCancelled",
    "ImportRefused",
    "ImportSummary",
    "Progress",
    "PromiseProvider",
]


class CalendarIO(CalendarImport, CalendarExport):
    """Import and export of iCalendar files for one diary."""

    def __init__(self, store: DiaryStore, promise_provider: PromiseProvider | None = None) -> None:
        CalendarImport.__init__(self, store)
        CalendarExport.__init__(self, store, promise_provider)

    def _import_series(
        self,
        session: object,
        diary_id: int,
        series: Sequence[ImportedSeries],
        directory: Directory,
        tally: Tally,
        now: datetime,
    ) -> None:
        # For diary.services.sync, which still holds a session (it moves to `import_series`
        # with its unit of work; then this goes).
        self.import_series(joining(session, diary_id), series, directory, tally, now)


class _Directory(Directory):
    """`Directory` made from a session, for diary.services.sync until it passes its unit
    of work (then this goes)."""

    def __init__(self, session: object) -> None:
        super().__init__(joining(session))


_Tally = Tally  # the name diary.services.sync imports (goes with `_Directory`)

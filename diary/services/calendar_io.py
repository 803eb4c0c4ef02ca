"""iCalendar import and export use cases, as one service: `CalendarIO`.

The work is in `calendar_import` (all-or-nothing import, repairs, flags; its results in
`import_results`, names of places and customers in `import_directory`) and
`calendar_export` (phone-ready export); this module joins them for `DiaryService.calendar`
and keeps their public names importable from one place.
"""

from __future__ import annotations

from diary.services.calendar_export import (
    EXPORT_LOOKBACK,
    CalendarExport,
    ExportCancelled,
    ExportSummary,
    PromiseProvider,
)
from diary.services.calendar_import import CalendarImport
from diary.services.import_results import ImportCancelled, ImportRefused, ImportSummary
from diary.services.results import Cancelled, Progress
from diary.services.store import DiaryStore

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

"""iCalendar in and out: pure functions over diary's value types."""

from diary.interchange.errors import ImportFailure
from diary.interchange.ics_export import export_calendar, promise_components
from diary.interchange.ics_import import (
    CalendarStream,
    ParsedBatch,
    open_calendar_file,
    parse_calendar,
    read_calendar_file,
)
from diary.interchange.records import (
    ExportItem,
    ExportPromise,
    ImportedEvent,
    ImportedSeries,
    ParsedCalendar,
    Place,
    Repair,
    SeriesInfo,
)

__all__ = [
    "CalendarStream",
    "ParsedBatch",
    "Repair",
    "open_calendar_file",
    "ExportItem",
    "ExportPromise",
    "ImportFailure",
    "ImportedEvent",
    "ImportedSeries",
    "ParsedCalendar",
    "Place",
    "SeriesInfo",
    "export_calendar",
    "parse_calendar",
    "promise_components",
    "read_calendar_file",
]

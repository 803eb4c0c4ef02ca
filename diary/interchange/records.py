"""Plain value records that cross the interchange boundary, in and out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from diary.domain.model import Appointment, Kind


@dataclass(frozen=True, slots=True)
class SeriesInfo:
    """How an exported appointment repeats: its RRULE, added and removed dates, and its
    overrides (appointments carrying recurrence_id); `last_start` None: no end."""

    rrule: str
    exdates: tuple[datetime, ...] = ()
    overrides: tuple[ExportItem, ...] = ()
    rdates: tuple[datetime, ...] = ()
    last_start: datetime | None = None


@dataclass(frozen=True, slots=True)
class ExportItem:
    """One appointment to export, with the buffers and flags the rules gave it."""

    appointment: Appointment
    travel_minutes: int = 0
    travel_from: str | None = None
    wrapup_minutes: int = 0
    flags: tuple[str, ...] = ()  # Rule names: "double-booking", "buffer", ...
    flag_reasons: tuple[str, ...] = ()  # human sentences, one per flag
    series: SeriesInfo | None = None
    this_and_future: bool = False  # an override with RANGE=THISANDFUTURE


@dataclass(frozen=True, slots=True)
class ExportPromise:
    """A promise owed to a customer, exported as a VTODO plus a due-time event."""

    uid: str
    customer: str
    what: str
    due: datetime
    check_at: datetime
    status: str = "open"  # "open" | "done" | "cancelled"
    sequence: int = 0
    updated: datetime | None = None


@dataclass(frozen=True, slots=True)
class ImportedEvent:
    """One event read from a calendar file; times are aware and in `zone`."""

    uid: str
    recurrence_id: datetime | None
    title: str
    start: datetime
    end: datetime
    zone: str
    all_day: bool
    location: str | None = None
    description: str = ""
    notes: str = ""  # diary's own notes if the file came from diary, else the description
    customer: str | None = None
    kind: Kind = Kind.MEETING
    wrapup_minutes: int | None = None
    override_reason: str | None = None
    sequence: int = 0
    last_modified: datetime | None = None
    created: datetime | None = None
    cancelled: bool = False
    travel_minutes: int | None = None  # X-APPLE-TRAVEL-DURATION, if given
    place: Place | None = None  # the location as diary's own export describes it
    this_and_future: bool = False  # RECURRENCE-ID;RANGE=THISANDFUTURE


@dataclass(frozen=True, slots=True)
class Place:
    """A location as diary's export writes it (X-DIARY-LOCATION..., GEO)."""

    name: str
    address: str = ""
    remote: bool = False
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class ImportedSeries:
    """A repeating event as its rule: template, RRULE values, RDATE/EXDATE, overrides.

    Nothing is expanded here: occurrences come from the one recurrence engine when read.
    """

    uid: str
    rrule: str  # RRULE values, one a line
    exdates: list[datetime]
    rdates: list[datetime]
    template: ImportedEvent
    overrides: list[ImportedEvent]  # RECURRENCE-ID events (cancelled ones too)


@dataclass(frozen=True, slots=True)
class Repair:
    """Something the import repaired or skipped in one event: where, which event, what."""

    line: int | None
    uid: str | None
    what: str
    skipped: bool = False  # the event was left out, not repaired

    def as_json(self) -> dict[str, object]:
        return {"line": self.line, "uid": self.uid, "what": self.what, "skipped": self.skipped}

    def describe(self, source: str) -> str:
        """"file:line: event UID: what", the way errors are said everywhere."""
        where = source if self.line is None else f"{source}:{self.line}"
        return f"{where}: event {self.uid}: {self.what}" if self.uid else f"{where}: {self.what}"


@dataclass(slots=True)
class ParsedCalendar:
    """Everything importable in one file, the repairs made, and what was left out and why."""

    source: str
    events: list[ImportedEvent] = field(default_factory=list)
    series: list[ImportedSeries] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    calendar_name: str | None = None
    repairs: list[Repair] = field(default_factory=list)

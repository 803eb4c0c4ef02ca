"""The diary's side of a sync: what a server's event becomes here, field by field.

An event that arrives by sync is stored as it is: never refused and never moved; the
rules flag it like any import. LOCATION text is matched to a known place by name or
address, else kept as a new place (the import's own directory does that).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from diary.domain.model import Appointment, Kind, Location, later
from diary.interchange.records import ImportedEvent
from diary.interchange.sync_ics import event_location
from diary.services.import_directory import Directory
from diary.storage import sync_marks
from diary.storage.unit_of_work import UnitOfWork

SOURCE = "import"  # came from elsewhere: flagged, never refused


def _place(event: ImportedEvent, directory: Directory) -> Location | None:
    """The event's place: diary's own description while the LOCATION text still matches it,
    else what the LOCATION text names (a phone changed it)."""
    name = event_location(event)
    if name is None:
        return None
    if event.place is not None and name == event.place.name:
        return directory.place(event)
    return directory.location(name)


def _span(event: ImportedEvent) -> tuple[datetime, datetime]:
    """Start and end as the import keeps them: an all-day event at least a day long, an
    end before the start read as a moment (a zero-length event, as peers keep it)."""
    start, end = event.start, event.end
    if event.all_day and end.timestamp() <= start.timestamp():
        end = later(start, timedelta(days=1))
    elif end.timestamp() < start.timestamp():
        end = start
    return start, end


def new_appointment(event: ImportedEvent, directory: Directory, uid: str) -> Appointment:
    """A server's event as a new appointment of the diary."""
    start, end = _span(event)
    return Appointment(
        uid=uid,
        title=event.title,
        start=start,
        end=end,
        zone=event.zone,
        kind=Kind.ALL_DAY if event.all_day else event.kind,
        customer=directory.customer(event.customer),
        location=_place(event, directory),
        wrapup_minutes=event.wrapup_minutes,
        override_reason=event.override_reason,
        notes=event.description,
        cancelled=event.cancelled,
        sequence=event.sequence,
        created=event.created,
    )


def with_fields(
    local: Appointment, event: ImportedEvent, fields: Iterable[str], directory: Directory
) -> Appointment:
    """`local` with the given fields taken from the server's event."""
    changes: dict[str, object] = {}
    wanted = set(fields)
    if "title" in wanted:
        changes["title"] = event.title
    if "when" in wanted:
        start, end = _span(event)
        changes.update(start=start, end=end, zone=event.zone)
        if event.all_day:
            changes["kind"] = Kind.ALL_DAY
        elif local.kind is Kind.ALL_DAY:
            changes["kind"] = event.kind if event.kind is not Kind.ALL_DAY else Kind.MEETING
    if "location" in wanted:
        changes["location"] = _place(event, directory)
    if "notes" in wanted:
        changes["notes"] = event.description
    if "customer" in wanted:
        changes["customer"] = directory.customer(event.customer)
    if "kind" in wanted and not event.all_day and local.kind is not Kind.ALL_DAY:
        changes["kind"] = event.kind
    if "wrapup" in wanted:
        changes["wrapup_minutes"] = event.wrapup_minutes
    if "cancelled" in wanted:
        changes["cancelled"] = event.cancelled
    if "override_reason" in wanted:
        changes["override_reason"] = event.override_reason
    if not changes:
        return local
    return replace(local, **changes)  # type: ignore[arg-type]


def save(uow: UnitOfWork, appointment: Appointment, *, new: bool) -> tuple[Appointment, str]:
    """Store the appointment as the sync has it; returns it as stored and its local stamp.

    A new one is marked as come from elsewhere; an existing one keeps its origin.
    """
    stored = uow.appointments.save(appointment, source=SOURCE if new else None)
    return stored, sync_marks.stamp_of(stored)


def stamp_of(appointment: Appointment | None) -> str | None:
    return sync_marks.stamp_of(appointment) if appointment is not None else None

"""The diary's side of a sync as stored: a cheap mark of each appointment's content (it
changes whenever anything the sync sends changes) and the single appointments by UID."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from diary.domain.model import Appointment
from diary.storage.repository import _appointment as appointment_value
from diary.storage.repository import _appointment_query as appointment_query
from diary.storage.schema import AppointmentRow


def local_stamp(
    sequence: int,
    updated: datetime | None,
    cancelled: bool,
    start: datetime,
    end: datetime,
    title: str,
    kind: str,
    location_id: int | None,
    customer_id: int | None,
    notes: str,
    wrapup: int | None,
    override_reason: str | None,
) -> str:
    """A mark of the row's content: it changes whenever anything the sync sends changes
    (not only its stamp: a fixed clock, or an import keeping SEQUENCE, must not hide one)."""
    parts = (
        sequence,
        updated.astimezone(UTC).isoformat() if updated is not None else "",
        cancelled,
        start.astimezone(UTC).isoformat(),
        end.astimezone(UTC).isoformat(),
        title,
        kind,
        location_id,
        customer_id,
        notes,
        wrapup,
        override_reason,
    )
    return hashlib.sha1(repr(parts).encode("utf-8"), usedforsecurity=False).hexdigest()


def stamp_of(appointment: Appointment) -> str:
    """`local_stamp` of an appointment as the domain has it."""
    return local_stamp(
        appointment.sequence,
        appointment.updated,
        appointment.cancelled,
        appointment.start,
        appointment.end,
        appointment.title,
        str(appointment.kind),
        appointment.location.id if appointment.location is not None else None,
        appointment.customer.id if appointment.customer is not None else None,
        appointment.notes,
        appointment.wrapup_minutes,
        appointment.override_reason,
    )


# What a local change of an appointment's content is read from (its stamp): the same for
# a single appointment and a series' override, in this order.
CONTENT_COLUMNS = (
    AppointmentRow.sequence,
    AppointmentRow.updated,
    AppointmentRow.cancelled,
    AppointmentRow.start_utc,
    AppointmentRow.end_utc,
    AppointmentRow.title,
    AppointmentRow.kind,
    AppointmentRow.location_id,
    AppointmentRow.customer_id,
    AppointmentRow.notes,
    AppointmentRow.wrapup_minutes,
    AppointmentRow.override_reason,
)
_SINGLES = (AppointmentRow.uid, *CONTENT_COLUMNS)


def single_marks(session: Session, diary_id: int) -> dict[str, tuple[str, bool]]:
    """uid -> (stamp, cancelled) of every single appointment (not part of a series)."""
    rows = session.execute(
        select(*_SINGLES).where(
            AppointmentRow.diary_id == diary_id,
            AppointmentRow.series_id.is_(None),
            AppointmentRow.recurrence_key == "",
        )
    )
    return {
        uid: (
            local_stamp(seq, upd, cancelled, start, end, title, kind, loc, cust, notes, wr, why),
            cancelled,
        )
        for uid, seq, upd, cancelled, start, end, title, kind, loc, cust, notes, wr, why in rows
    }


def singles_by_uid(session: Session, diary_id: int, uids: Iterable[str]) -> dict[str, Appointment]:
    """The single appointments (not in a series) with these UIDs, cancelled ones included."""
    wanted = list(dict.fromkeys(uids))
    found: dict[str, Appointment] = {}
    for first in range(0, len(wanted), 500):
        query = appointment_query(diary_id).where(
            AppointmentRow.uid.in_(wanted[first : first + 500]),
            AppointmentRow.series_id.is_(None),
            AppointmentRow.recurrence_key == "",
        )
        for row in session.scalars(query).unique():
            found[row.uid] = appointment_value(row)
    return found

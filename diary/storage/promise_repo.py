"""Promises in and out of the `promises` table, and the grouped queries the customer list needs.

Stored statuses are `open`, `checked` and `done`; `late` is derived when reading
(diary.domain.promises.assess), so it never goes stale in the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from diary.domain.promises import Promise, PromiseStatus
from diary.storage import stamps
from diary.storage.address_book import customer_value
from diary.storage.errors import NotFound, StorageError
from diary.storage.schema import AppointmentRow, PromiseRow

# What may be written to the status column; `late` is computed, never stored.
STORED = (PromiseStatus.OPEN, PromiseStatus.CHECKED, PromiseStatus.DONE)
PENDING = (PromiseStatus.OPEN.value, PromiseStatus.CHECKED.value)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise StorageError(f"unknown time zone {name!r}") from error


def _promise(row: PromiseRow) -> Promise:
    zone = _zone(row.zone)
    status = PromiseStatus(row.status)
    if status is PromiseStatus.LATE:  # never written by diary; read as open
        status = PromiseStatus.OPEN
    return Promise(
        id=row.id,
        uid=row.uid,
        customer=customer_value(row.customer),
        what=row.what,
        due=row.due_utc.astimezone(zone),
        zone=row.zone,
        effort_minutes=row.effort_minutes,
        depends_on=row.depends_on,
        appointment_uid=row.appointment_uid,
        status=status,
        checked_at=row.checked_at,
        done_at=row.done_at,
        notes=row.notes,
        sequence=row.sequence,
        created=row.created,
        updated=row.updated,
    )


def _query() -> Select[PromiseRow]:
    return select(PromiseRow).options(joinedload(PromiseRow.customer))


def _stored_status(status: PromiseStatus) -> str:
    if status not in STORED:
        raise StorageError(f"status {status.value!r} is derived and cannot be stored")
    return status.value



def add_promise(session: Session, promise: Promise) -> Promise:
    """Store a new promise (its `id` is ignored and assigned); StorageError on a taken uid."""
    if session.scalar(select(PromiseRow.id).where(PromiseRow.uid == promise.uid)) is not None:
        raise StorageError(f"a promise with uid {promise.uid!r} already exists")
    now = stamps.now(session)
    row = PromiseRow(
        uid=promise.uid,
        customer_id=promise.customer.id,
        what=promise.what,
        due_utc=promise.due,
        zone=promise.zone,
        effort_minutes=promise.effort_minutes,
        depends_on=promise.depends_on,
        appointment_uid=promise.appointment_uid,
        status=_stored_status(promise.status),
        checked_at=promise.checked_at,
        done_at=promise.done_at,
        notes=promise.notes,
        sequence=promise.sequence,
        created=promise.created or now,
        updated=promise.updated or now,
    )
    session.add(row)
    session.flush()
    return promise_by_id(session, row.id)


def save_promise(session: Session, promise: Promise) -> Promise:
    """Overwrite the stored promise with id `promise.id` (uid and created stay)."""
    row = session.get(PromiseRow, promise.id)
    if row is None:
        raise NotFound(f"promise #{promise.id} does not exist")
    row.customer_id = promise.customer.id
    row.what = promise.what
    row.due_utc = promise.due
    row.zone = promise.zone
    row.effort_minutes = promise.effort_minutes
    row.depends_on = promise.depends_on
    row.appointment_uid = promise.appointment_uid
    row.status = _stored_status(promise.status)
    row.checked_at = promise.checked_at
    row.done_at = promise.done_at
    row.notes = promise.notes
    row.sequence = promise.sequence
    row.updated = promise.updated or stamps.now(session)
    session.flush()
    session.expire(row, ["customer"])
    return promise_by_id(session, row.id)


def promise_by_id(session: Session, promise_id: int) -> Promise:
    row = session.scalars(_query().where(PromiseRow.id == promise_id)).one_or_none()
    if row is None:
        raise NotFound(f"promise #{promise_id} does not exist")
    return _promise(row)


def find_promise(session: Session, promise_id: int) -> Promise | None:
    row = session.scalars(_query().where(PromiseRow.id == promise_id)).one_or_none()
    return _promise(row) if row is not None else None


def promise_by_uid(session: Session, uid: str) -> Promise | None:
    row = session.scalars(_query().where(PromiseRow.uid == uid)).one_or_none()
    return _promise(row) if row is not None else None


def promises_by_ids(session: Session, ids: list[int]) -> list[Promise]:
    """The promises with these ids, in the order of `ids`."""
    if not ids:
        return []
    by_id = {
        row.id: _promise(row) for row in session.scalars(_query().where(PromiseRow.id.in_(ids)))
    }
    return [by_id[i] for i in ids if i in by_id]


def promises(
    session: Session,
    *,
    statuses: Iterable[PromiseStatus] | None = None,
    due_from: datetime | None = None,
    due_to: datetime | None = None,
    customer_id: int | None = None,
) -> list[Promise]:
    """Promises by due (then id): optionally of some stored statuses, due in [due_from, due_to),
    of one customer. Status plus due range use the (status, due_utc) index."""
    query = _query()
    if statuses is not None:
        query = query.where(PromiseRow.status.in_([_stored_status(s) for s in statuses]))
    if due_from is not None:
        query = query.where(PromiseRow.due_utc >= due_from)
    if due_to is not None:
        query = query.where(PromiseRow.due_utc < due_to)
    if customer_id is not None:
        query = query.where(PromiseRow.customer_id == customer_id)
    query = query.order_by(PromiseRow.due_utc, PromiseRow.id)
    return [_promise(row) for row in session.scalars(query)]


def pending_counts_by_customer(session: Session) -> dict[int, int]:
    """Customer id -> how many of their promises are not done (open or checked), one query."""
    rows = session.execute(
        select(PromiseRow.customer_id, func.count(PromiseRow.id))
        .where(PromiseRow.status.in_(PENDING))
        .group_by(PromiseRow.customer_id)
    )
    return {customer_id: count for customer_id, count in rows}


def next_starts_by_customer(session: Session, diary_id: int, now: datetime) -> dict[int, datetime]:
    """Customer id -> start (UTC) of their next appointment at or after `now`, one query.

    Runs on the (diary_id, start_utc) index from `now` on.
    """
    rows = session.execute(
        select(AppointmentRow.customer_id, func.min(AppointmentRow.start_utc))
        .where(
            AppointmentRow.diary_id == diary_id,
            AppointmentRow.start_utc >= now,
            AppointmentRow.cancelled.is_(False),
            AppointmentRow.customer_id.is_not(None),
        )
        .group_by(AppointmentRow.customer_id)
    )
    found: dict[int, datetime] = {}
    for customer_id, start in rows:
        if customer_id is not None and start is not None:
            # min() keeps the column type, so the instant comes back aware (UTC).
            found[int(customer_id)] = start
    return found


def appointment_refs_of_customer(
    session: Session, diary_id: int, customer_id: int
) -> list[tuple[datetime, datetime]]:
    """(start, end) in UTC of every non-cancelled appointment of one customer, by start."""
    rows = session.execute(
        select(AppointmentRow.start_utc, AppointmentRow.end_utc)
        .where(
            AppointmentRow.diary_id == diary_id,
            AppointmentRow.customer_id == customer_id,
            AppointmentRow.cancelled.is_(False),
        )
        .order_by(AppointmentRow.start_utc)
    )
    return [(start, end) for start, end in rows]

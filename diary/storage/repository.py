"""Rows in, domain values out: the queries the services run inside their transactions."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import CursorResult, Select, bindparam, delete, or_, select, update
from sqlalchemy.orm import Session, joinedload

from diary.domain.model import Appointment, Channel, Customer, Kind, Location, Policy
from diary.storage import stamps
from diary.storage.address_book import customer_row, customer_value, location_row, location_value
from diary.storage.errors import NotFound, StorageError
from diary.storage.policy_json import policy_from_json, policy_to_json
from diary.storage.schema import (
    AppointmentRow,
    CustomerRow,
    DiaryRow,
    LocationRow,
    SeriesRow,
)
from diary.storage.types import UTCDateTime

SOURCES = ("diary", "import")


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise StorageError(f"unknown time zone {name!r}") from error


def _require_aware(value: datetime, what: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be an aware datetime, got {value.isoformat()}")


def recurrence_key(recurrence_id: datetime | None) -> str:
    """The non-null key that makes (diary, uid, occurrence) unique: '' for a single appointment."""
    if recurrence_id is None:
        return ""
    _require_aware(recurrence_id, "recurrence id")
    return recurrence_id.astimezone(UTC).isoformat()


# ------------------------------------------------------------------ rows -> domain values


def _appointment(row: AppointmentRow) -> Appointment:
    zone = _zone(row.zone)
    return Appointment(
        uid=row.uid,
        title=row.title,
        start=row.start_utc.astimezone(zone),
        end=row.end_utc.astimezone(zone),
        zone=row.zone,
        kind=Kind(row.kind),
        customer=customer_value(row.customer) if row.customer is not None else None,
        location=location_value(row.location) if row.location is not None else None,
        wrapup_minutes=row.wrapup_minutes,
        override_reason=row.override_reason,
        notes=row.notes,
        cancelled=row.cancelled,
        sequence=row.sequence,
        created=row.created,
        updated=row.updated,
        # Occurrences carry their series' uid, so no join is needed to name the series.
        series_uid=row.uid if row.series_id is not None else None,
        recurrence_id=row.recurrence_id.astimezone(zone) if row.recurrence_id else None,
    )


def appointment_from_row(row: AppointmentRow) -> Appointment:
    """A stored row (customer and location loaded) as a domain appointment."""
    return _appointment(row)


# ------------------------------------------------------------------ appointments


def _appointment_query(diary_id: int) -> Select[AppointmentRow]:
    return (
        select(AppointmentRow)
        .options(joinedload(AppointmentRow.customer), joinedload(AppointmentRow.location))
        .where(AppointmentRow.diary_id == diary_id)
    )


def max_span(session: Session, diary_id: int) -> timedelta:
    """The longest appointment ever stored in the diary (the overlap query's look-back)."""
    seconds = session.scalar(select(DiaryRow.max_span_seconds).where(DiaryRow.id == diary_id))
    if seconds is None:
        raise NotFound(f"diary #{diary_id} does not exist")
    return timedelta(seconds=seconds)


_ROW_COLUMNS = (
    AppointmentRow.uid,
    AppointmentRow.title,
    AppointmentRow.start_utc,
    AppointmentRow.end_utc,
    AppointmentRow.zone,
    AppointmentRow.kind,
    AppointmentRow.wrapup_minutes,
    AppointmentRow.override_reason,
    AppointmentRow.notes,
    AppointmentRow.cancelled,
    AppointmentRow.sequence,
    AppointmentRow.created,
    AppointmentRow.updated,
    AppointmentRow.series_id,
    AppointmentRow.recurrence_id,
    CustomerRow.id,
    CustomerRow.name,
    CustomerRow.email,
    CustomerRow.phone,
    CustomerRow.prefers,
    CustomerRow.notes,
    LocationRow.id,
    LocationRow.name,
    LocationRow.address,
    LocationRow.lat,
    LocationRow.lon,
    LocationRow.remote,
)


def _overlapping_query(include_cancelled: bool) -> Any:
    # Plain columns rather than ORM objects, and one statement built once with bound
    # parameters: the rules ask for these on every check and every drag.
    query = (
        select(*_ROW_COLUMNS)
        .outerjoin(CustomerRow, AppointmentRow.customer_id == CustomerRow.id)
        .outerjoin(LocationRow, AppointmentRow.location_id == LocationRow.id)
        .where(
            AppointmentRow.diary_id == bindparam("diary_id"),
            AppointmentRow.start_utc >= bindparam("earliest", type_=UTCDateTime),
            AppointmentRow.start_utc < bindparam("hi", type_=UTCDateTime),
            # A zero-length appointment at `lo` is in the window too.
            or_(
                AppointmentRow.end_utc > bindparam("lo", type_=UTCDateTime),
                AppointmentRow.start_utc >= bindparam("lo", type_=UTCDateTime),
            ),
        )
    )
    if not include_cancelled:
        query = query.where(AppointmentRow.cancelled.is_(False))
    return query.order_by(AppointmentRow.start_utc, AppointmentRow.id)


_OVERLAPPING = _overlapping_query(include_cancelled=False)
_OVERLAPPING_ALL = _overlapping_query(include_cancelled=True)


def appointments_overlapping(
    session: Session,
    diary_id: int,
    lo: datetime,
    hi: datetime,
    *,
    include_cancelled: bool = False,
) -> list[Appointment]:
    """Appointments with `start < hi and end > lo` (zero-length ones: `lo <= start < hi`),
    by start; an indexed range query."""
    _require_aware(lo, "range start")
    _require_aware(hi, "range end")
    # Anything overlapping [lo, hi) starts at most max_span before lo: this lower bound
    # keeps the query on the (diary_id, start_utc) index instead of scanning the diary.
    # In UTC: aware arithmetic in a local zone is wall-clock and would be off by the DST shift.
    earliest_start = lo.astimezone(UTC) - max_span(session, diary_id)
    query = _OVERLAPPING_ALL if include_cancelled else _OVERLAPPING
    params = {"diary_id": diary_id, "earliest": earliest_start, "lo": lo, "hi": hi}
    zones: dict[str, ZoneInfo] = {}
    customers: dict[int, Customer] = {}
    locations: dict[int, Location] = {}
    found = []
    for row in session.execute(query, params):
        (
            uid,
            title,
            start,
            end,
            zone_name,
            kind,
            wrapup,
            override,
            notes,
            cancelled,
            sequence,
            created,
            updated,
            series_id,
            recurrence_id,
            c_id,
            c_name,
            c_email,
            c_phone,
            c_prefers,
            c_notes,
            l_id,
            l_name,
            l_address,
            l_lat,
            l_lon,
            l_remote,
        ) = row
        zone = zones.get(zone_name) or zones.setdefault(zone_name, _zone(zone_name))
        customer = None
        if c_id is not None:
            customer = customers.get(c_id)
            if customer is None:
                customer = customers[c_id] = Customer(
                    c_id, c_name, c_email, c_phone, Channel(c_prefers), c_notes
                )
        location = None
        if l_id is not None:
            location = locations.get(l_id)
            if location is None:
                location = locations[l_id] = Location(
                    l_id, l_name, l_address, l_lat, l_lon, l_remote
                )
        found.append(
            Appointment(
                uid=uid,
                title=title,
                start=start.astimezone(zone),
                end=end.astimezone(zone),
                zone=zone_name,
                kind=Kind(kind),
                customer=customer,
                location=location,
                wrapup_minutes=wrapup,
                override_reason=override,
                notes=notes,
                cancelled=cancelled,
                sequence=sequence,
                created=created,
                updated=updated,
                series_uid=uid if series_id is not None else None,
                recurrence_id=recurrence_id.astimezone(zone) if recurrence_id else None,
            )
        )
    return found


def _appointment_row(
    session: Session, diary_id: int, uid: str, recurrence_id: datetime | None
) -> AppointmentRow | None:
    query = _appointment_query(diary_id).where(
        AppointmentRow.uid == uid,
        AppointmentRow.recurrence_key == recurrence_key(recurrence_id),
    )
    return session.scalars(query).unique().one_or_none()


def appointment_by_uid(
    session: Session, diary_id: int, uid: str, *, recurrence_id: datetime | None = None
) -> Appointment | None:
    """The single appointment `uid` (or one occurrence of series `uid`), if stored."""
    row = _appointment_row(session, diary_id, uid, recurrence_id)
    return _appointment(row) if row is not None else None


def appointments_by_ids(session: Session, diary_id: int, ids: list[int]) -> list[Appointment]:
    """The diary's appointments with these row ids, in the order of `ids` (search results)."""
    if not ids:
        return []
    # By primary key alone: with the diary in the WHERE clause too, SQLite (no statistics)
    # walks the diary's whole start index instead. The diary is checked on the rows.
    query = (
        select(AppointmentRow)
        .options(joinedload(AppointmentRow.customer), joinedload(AppointmentRow.location))
        .where(AppointmentRow.id.in_(ids))
    )
    rows = session.scalars(query).unique()
    by_id = {row.id: _appointment(row) for row in rows if row.diary_id == diary_id}
    return [by_id[i] for i in ids if i in by_id]


def _series_id(session: Session, diary_id: int, series_uid: str) -> int:
    series_id = session.scalar(
        select(SeriesRow.id).where(SeriesRow.diary_id == diary_id, SeriesRow.uid == series_uid)
    )
    if series_id is None:
        raise NotFound(f"recurring series {series_uid!r} does not exist")
    return series_id


def _elapsed_seconds(start: datetime, end: datetime) -> int:
    """Real time between two instants (subtracting same-zone aware datetimes gives wall time)."""
    return math.ceil((end.astimezone(UTC) - start.astimezone(UTC)).total_seconds())


def _widen_max_span(session: Session, diary_id: int, span_seconds: int) -> None:
    # Cancelled appointments count too, so include_cancelled queries stay complete.
    session.execute(
        update(DiaryRow)
        .where(DiaryRow.id == diary_id, DiaryRow.max_span_seconds < span_seconds)
        .values(max_span_seconds=span_seconds)
    )


def save_appointment(
    session: Session, diary_id: int, appt: Appointment, *, source: str | None = None
) -> Appointment:
    """Insert or update `appt` by (uid, recurrence id); returns it as stored.

    The caller decides `sequence`. `created` is kept from the first save (or taken from
    `appt.created` for imports); `updated` is now. `source` ('diary' or 'import') is set on
    insert (default 'diary') and changed on update only when given.
    """
    if source is not None and source not in SOURCES:
        raise ValueError(f"unknown appointment source {source!r}")
    _zone(appt.zone)
    now = stamps.now(session)
    row = _appointment_row(session, diary_id, appt.uid, appt.recurrence_id)
    if row is None:
        row = AppointmentRow(
            diary_id=diary_id,
            uid=appt.uid,
            recurrence_key=recurrence_key(appt.recurrence_id),
            created=appt.created or now,
            source=source or "diary",
        )
        session.add(row)
    elif source is not None:
        row.source = source
    row.sequence = appt.sequence
    row.updated = now
    row.start_utc = appt.start
    row.end_utc = appt.end
    row.zone = appt.zone
    row.kind = appt.kind.value
    row.title = appt.title
    row.customer = customer_row(session, appt.customer.id) if appt.customer else None
    row.location = location_row(session, appt.location.id) if appt.location else None
    row.wrapup_minutes = appt.wrapup_minutes
    row.override_reason = appt.override_reason
    row.notes = appt.notes
    row.cancelled = appt.cancelled
    row.recurrence_id = appt.recurrence_id
    row.is_override = appt.recurrence_id is not None
    row.series_id = (
        _series_id(session, diary_id, appt.series_uid) if appt.series_uid is not None else None
    )
    session.flush()
    _widen_max_span(session, diary_id, _elapsed_seconds(appt.start, appt.end))
    return _appointment(row)


def delete_appointment(
    session: Session, diary_id: int, uid: str, *, recurrence_id: datetime | None = None
) -> None:
    """Remove the appointment `uid` (or one stored occurrence); NotFound if absent."""
    result = cast(
        CursorResult[Any],
        session.execute(
            delete(AppointmentRow).where(
                AppointmentRow.diary_id == diary_id,
                AppointmentRow.uid == uid,
                AppointmentRow.recurrence_key == recurrence_key(recurrence_id),
            )
        ),
    )
    if not result.rowcount:
        raise NotFound(f"appointment {uid!r} does not exist")


# ------------------------------------------------------------------ policy


def load_policy(session: Session, diary_row: DiaryRow) -> Policy:
    """The diary's policy; the defaults (in the diary's zone) if none was saved."""
    return policy_from_json(diary_row.policy_json, default_zone=diary_row.zone)


def save_policy(session: Session, diary_row: DiaryRow, policy: Policy) -> None:
    """Store `policy` on the diary; the diary's zone follows the policy's."""
    _zone(policy.zone)
    diary_row.policy_json = policy_to_json(policy)
    diary_row.zone = policy.zone
    session.flush()

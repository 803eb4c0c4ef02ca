"""Batch paths for imports and benchmarks: many appointments per statement, not per row."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Boolean, Connection, Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from diary.domain.model import Appointment
from diary.storage import search_schema, stamps
from diary.storage.schema import AppointmentRow, DiaryRow
from diary.storage.types import UTCDateTime

_TABLE: Table = AppointmentRow.metadata.tables["appointments"]
CHUNK = 500  # uids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits
_MAX_PARAMETERS = 999  # SQLITE_MAX_VARIABLE_NUMBER before SQLite 3.32

# The columns that make up what an appointment says (not when it was stored or by whom).
_CONTENT = (
    "start_utc",
    "end_utc",
    "zone",
    "kind",
    "title",
    "customer_id",
    "location_id",
    "wrapup_minutes",
    "override_reason",
    "notes",
    "cancelled",
    "recurrence_id",
    "is_override",
    "this_and_future",
)


@dataclass(frozen=True, slots=True)
class StoredKey:
    """What an import needs to know about a stored row to decide add, update or keep."""

    id: int
    sequence: int
    fingerprint: str
    cancelled: bool
    series_id: int | None
    created: datetime


def recurrence_key(recurrence_id: datetime | None) -> str:
    """'' for a single appointment, else the occurrence's UTC ISO instant (as repository)."""
    return "" if recurrence_id is None else recurrence_id.astimezone(UTC).isoformat()


def fingerprint(values: Mapping[str, Any]) -> str:
    """A digest of the content columns of one row, equal for equal content."""
    parts = []
    for column in _CONTENT:
        value = values.get(column)
        if isinstance(value, datetime):
            value = value.astimezone(UTC).replace(tzinfo=None).isoformat()
        parts.append(repr(value))
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=12).hexdigest()


def _chunks(items: Sequence[str], size: int = CHUNK) -> Iterable[Sequence[str]]:
    for first in range(0, len(items), size):
        yield items[first : first + size]


def existing_by_key(
    session: Session, diary_id: int, uids: Iterable[str]
) -> dict[tuple[str, str], StoredKey]:
    """Stored rows of the given UIDs, keyed by (uid, recurrence key); ~500 UIDs per query."""
    wanted = sorted(set(uids))
    columns = [getattr(AppointmentRow, name) for name in _CONTENT]
    found: dict[tuple[str, str], StoredKey] = {}
    for chunk in _chunks(wanted):
        rows = session.execute(
            select(
                AppointmentRow.id,
                AppointmentRow.uid,
                AppointmentRow.recurrence_key,
                AppointmentRow.sequence,
                AppointmentRow.series_id,
                AppointmentRow.created,
                *columns,
            ).where(AppointmentRow.diary_id == diary_id, AppointmentRow.uid.in_(chunk))
        )
        for row in rows:
            mapping = row._mapping
            found[(row.uid, row.recurrence_key)] = StoredKey(
                id=row.id,
                sequence=row.sequence,
                fingerprint=fingerprint(dict(mapping)),
                cancelled=row.cancelled,
                series_id=row.series_id,
                created=row.created,
            )
    return found


def elapsed_seconds(start: datetime, end: datetime) -> int:
    """Real seconds between two instants (same-zone aware subtraction would be wall time)."""
    return math.ceil((end.astimezone(UTC) - start.astimezone(UTC)).total_seconds())


def row_values(
    diary_id: int,
    appointment: Appointment,
    *,
    now: datetime,
    source: str = "import",
    series_id: int | None = None,
    is_override: bool = False,
    this_and_future: bool = False,
) -> dict[str, Any]:
    """The column values of one appointment row (customer and location by id)."""
    return {
        "diary_id": diary_id,
        "uid": appointment.uid,
        "recurrence_key": recurrence_key(appointment.recurrence_id),
        "sequence": appointment.sequence,
        "created": appointment.created or now,
        "updated": appointment.updated or now,
        "start_utc": appointment.start.astimezone(UTC),
        "end_utc": appointment.end.astimezone(UTC),
        "zone": appointment.zone,
        "kind": appointment.kind.value,
        "title": appointment.title,
        "customer_id": appointment.customer.id if appointment.customer else None,
        "location_id": appointment.location.id if appointment.location else None,
        "wrapup_minutes": appointment.wrapup_minutes,
        "override_reason": appointment.override_reason,
        "notes": appointment.notes,
        "cancelled": appointment.cancelled,
        "series_id": series_id,
        "recurrence_id": (
            appointment.recurrence_id.astimezone(UTC) if appointment.recurrence_id else None
        ),
        "is_override": is_override,
        "this_and_future": this_and_future,
        "source": source,
    }


def widen_max_span(session: Session, diary_id: int, span_seconds: int) -> None:
    """Keep diaries.max_span_seconds at least the longest appointment stored."""
    session.execute(
        update(DiaryRow)
        .where(DiaryRow.id == diary_id, DiaryRow.max_span_seconds < span_seconds)
        .values(max_span_seconds=span_seconds)
    )


def _longest(rows: Sequence[Mapping[str, Any]]) -> int:
    return max((elapsed_seconds(r["start_utc"], r["end_utc"]) for r in rows), default=0)


def insert_rows(session: Session, diary_id: int, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert prepared rows (see `row_values`): on SQLite many rows per statement, else one
    executemany."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name == "sqlite" and _insert_sqlite(connection, rows):
        widen_max_span(session, diary_id, _longest(rows))
        return
    # Core executemany on the table: the ORM bulk path batches with RETURNING (many
    # statements); this is one executemany for all rows.
    connection.execute(insert(_TABLE), list(rows))
    widen_max_span(session, diary_id, _longest(rows))


_INSTANTS = frozenset(c.name for c in _TABLE.columns if isinstance(c.type, UTCDateTime))
_FLAGS = frozenset(c.name for c in _TABLE.columns if isinstance(c.type, Boolean))


def _sqlite_instant(value: Any) -> str | None:
    """An instant as SQLAlchemy stores a naive UTC DATETIME in SQLite (UTCDateTime's checks)."""
    if value is None:
        return None
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        UTCDateTime().process_bind_param(value, None)  # type: ignore[arg-type]  # raises
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    # "YYYY-MM-DD HH:MM:SS.ffffff", SQLAlchemy's SQLite DATETIME text, without the offset.
    return value.isoformat(" ", "microseconds")[:26]


def _insert_sqlite(connection: Connection, rows: Sequence[Mapping[str, Any]]) -> bool:
    """Rows straight to sqlite3, many per statement, bound as SQLAlchemy would bind them.

    Binding through the Core statement spends most of an import's insert time in per-value
    type processing; here each column's conversion is picked once. False (nothing done)
    when the rows do not all name the same table columns.
    """
    names = list(rows[0].keys())
    wanted = set(names)
    if not wanted <= set(_TABLE.columns.keys()) or any(row.keys() != wanted for row in rows):
        return False
    converters: list[Callable[[Any], Any] | None] = [
        _sqlite_instant if name in _INSTANTS else _sqlite_flag if name in _FLAGS else None
        for name in names
    ]
    converted = [
        (index, convert) for index, convert in enumerate(converters) if convert is not None
    ]
    values: list[Any] = []
    for row in rows:
        items = [row[name] for name in names]
        for index, convert in converted:
            items[index] = convert(items[index])
        values.extend(items)
    columns = ", ".join(f'"{name}"' for name in names)
    marks = "(" + ", ".join("?" for _ in names) + ")"
    # Many rows per statement, not one per row; the search index files them all at the end
    # (FTS5 writes its pending terms out at every statement and at every rowid out of
    # order: filed one by one, the index took most of an import's inserting).
    # Builds of SQLite before 3.32 bind at most 999 parameters per statement.
    per = max(1, _MAX_PARAMETERS // len(names)) * len(names)
    with search_schema.deferred_appointments(connection):
        for first in range(0, len(values), per):
            chunk = values[first : first + per]
            tuples = ", ".join([marks] * (len(chunk) // len(names)))
            statement = f"INSERT INTO appointments ({columns}) VALUES {tuples}"
            connection.exec_driver_sql(statement, tuple(chunk))
    return True


def _sqlite_flag(value: Any) -> int | None:
    """A boolean as SQLAlchemy binds it for SQLite."""
    return None if value is None else int(value)


def insert_appointments(
    session: Session,
    diary_id: int,
    appointments: Sequence[Appointment],
    source: str = "import",
    *,
    now: datetime | None = None,
    series_id: int | None = None,
) -> None:
    """Insert new appointments (customers and locations already stored) in bulk."""
    stamp = now or stamps.now(session)
    rows = [
        row_values(diary_id, a, now=stamp, source=source, series_id=series_id) for a in appointments
    ]
    insert_rows(session, diary_id, rows)


def update_rows(session: Session, diary_id: int, rows: Sequence[Mapping[str, Any]]) -> None:
    """Overwrite stored rows by primary key ("id" in each mapping), in one bulk UPDATE."""
    if not rows:
        return
    session.execute(update(AppointmentRow), list(rows))
    widen_max_span(session, diary_id, _longest(rows))


def update_appointments(
    session: Session,
    diary_id: int,
    changes: Sequence[tuple[int, Appointment]],
    source: str = "import",
    *,
    now: datetime | None = None,
) -> None:
    """Overwrite stored rows (by row id) with new values for each appointment."""
    stamp = now or stamps.now(session)
    rows = []
    for row_id, appointment in changes:
        values = row_values(diary_id, appointment, now=stamp, source=source)
        values.pop("diary_id")
        values.pop("series_id")
        values["id"] = row_id
        rows.append(values)
    update_rows(session, diary_id, rows)


def delete_by_uid(session: Session, diary_id: int, uids: Iterable[str]) -> None:
    """Remove every stored row (single or occurrence) of the given UIDs."""
    for chunk in _chunks(sorted(set(uids))):
        session.execute(
            delete(AppointmentRow).where(
                AppointmentRow.diary_id == diary_id, AppointmentRow.uid.in_(chunk)
            )
        )


def count_rows(session: Session, diary_id: int) -> int:
    """How many appointment rows the diary holds (cancelled ones included)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(AppointmentRow)
            .where(AppointmentRow.diary_id == diary_id)
        )
        or 0
    )


def last_end(session: Session, diary_id: int) -> datetime | None:
    """The end of the diary's last appointment, cancelled ones included."""
    value: datetime | None = session.scalar(
        select(func.max(AppointmentRow.end_utc)).where(AppointmentRow.diary_id == diary_id)
    )
    return value

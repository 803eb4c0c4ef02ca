"""What each write changed, for the windows that must show it: a journal by revision.

Every write transaction of a diary raises its revision by one; the journal keeps, per
revision, the time ranges whose appointments changed (old and new places of a moved one).
A window that last saw revision N reads the rows after N and refreshes only those days.
A write whose ranges cannot be known (a bulk statement, a series rule) records one row
without a range: "anything may have changed".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Index, Integer, delete, event, insert, inspect, select, text
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from diary.storage.schema import Base, DiaryRow
from diary.storage.types import UTCDateTime

KEEP_REVISIONS = 2000  # journal rows older than this many revisions are dropped
NOTHING = datetime(1970, 1, 1, tzinfo=UTC)  # start = end = NOTHING: no appointment changed
# Tables whose writes never change what a window shows (bookkeeping of sync and journal).
QUIET_TABLES = frozenset(
    {"diary_changes", "sync_accounts", "sync_collections", "sync_items", "sync_conflicts"}
)
RANGED_TABLES = frozenset({"appointments", "sync_busy"})


class ChangeRow(Base):
    __tablename__ = "diary_changes"
    __table_args__ = (Index("ix_diary_changes_diary_id_revision", "diary_id", "revision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    diary_id: Mapped[int] = mapped_column(Integer)  # no foreign key: a journal, pruned
    revision: Mapped[int] = mapped_column(Integer)
    start_utc: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_utc: Mapped[datetime | None] = mapped_column(UTCDateTime)


Ranges = tuple[tuple[datetime, datetime], ...]


class Tracker:
    """Collects what one write session changes: appointment ranges, or "everything".

    ORM flushes give each appointment's old and new place; an INSERT statement its rows'
    places; any other statement on the diary's tables (or a change of customers, places,
    travel, policy, series) may touch anything.
    """

    def __init__(self) -> None:
        self.ranges: list[tuple[datetime, datetime]] = []
        self.everything = False

    def attach(self, session: Session) -> None:
        event.listen(session, "before_flush", self._flush)
        event.listen(session, "do_orm_execute", self._execute)

    def detach(self, session: Session) -> None:
        if event.contains(session, "before_flush", self._flush):
            event.remove(session, "before_flush", self._flush)
            event.remove(session, "do_orm_execute", self._execute)

    def _flush(self, session: Session, _context: object, _instances: object) -> None:
        for obj in session.new:
            self._object(obj)
        for obj in session.dirty:
            if session.is_modified(obj):
                self._object(obj)
        for obj in session.deleted:
            self._object(obj)

    def _object(self, obj: object) -> None:
        table = getattr(obj, "__tablename__", "")
        if table in QUIET_TABLES:
            return
        if isinstance(obj, DiaryRow):
            changed = {a.key for a in inspect(obj).attrs if a.history.has_changes()}
            if changed - {"revision", "max_span_seconds"}:
                self.everything = True
            return
        if table in RANGED_TABLES:
            state = inspect(obj)
            start, end = state.attrs.start_utc.history, state.attrs.end_utc.history
            now_start, now_end = getattr(obj, "start_utc", None), getattr(obj, "end_utc", None)
            self._add(now_start, now_end)
            if start.deleted or end.deleted:  # moved: its old place changed too
                self._add(
                    start.deleted[0] if start.deleted else now_start,
                    end.deleted[0] if end.deleted else now_end,
                )
            return
        self.everything = True

    def _add(self, lo: Any, hi: Any) -> None:
        if isinstance(lo, datetime) and isinstance(hi, datetime):
            self.ranges.append((min(lo, hi), max(lo, hi)))
        else:
            self.everything = True

    def _execute(self, state: ORMExecuteState) -> None:
        if not (state.is_insert or state.is_update or state.is_delete):
            return
        table = getattr(getattr(state.statement, "table", None), "name", "")
        if table in QUIET_TABLES or (table == "diaries" and state.is_update):
            return  # revision and span bookkeeping
        params: Any = state.parameters
        if state.is_insert and table in RANGED_TABLES and params:
            for values in params if isinstance(params, list | tuple) else [params]:
                self._add(values.get("start_utc"), values.get("end_utc"))
            return
        self.everything = True


def record(
    session: Session,
    diary_id: int,
    revision: int,
    ranges: Iterable[tuple[datetime, datetime]],
    everything: bool,
) -> None:
    """Journal the write that commits `revision` (inside that write's transaction)."""
    rows = [
        {"diary_id": diary_id, "revision": revision, "start_utc": lo, "end_utc": hi}
        for lo, hi in dict.fromkeys(ranges)
    ]
    if everything:
        rows = [{"diary_id": diary_id, "revision": revision, "start_utc": None, "end_utc": None}]
    elif not rows:
        marker = {"start_utc": NOTHING, "end_utc": NOTHING}
        rows = [{"diary_id": diary_id, "revision": revision, **marker}]
    session.execute(insert(ChangeRow), rows)
    if revision % 100 == 0:
        session.execute(
            delete(ChangeRow).where(
                ChangeRow.diary_id == diary_id, ChangeRow.revision < revision - KEEP_REVISIONS
            )
        )


def since(session: Session, diary_id: int, seen: int, now: int) -> dict[int, Ranges | None]:
    """Per revision after `seen` up to `now`: the appointment ranges it changed (() for none),
    or None when it may have changed anything (or left no journal rows)."""
    found: dict[int, Ranges | None] = dict.fromkeys(range(seen + 1, now + 1))
    ranges: dict[int, list[tuple[datetime, datetime]]] = {}
    everything: set[int] = set()
    rows = session.execute(
        select(ChangeRow.revision, ChangeRow.start_utc, ChangeRow.end_utc).where(
            ChangeRow.diary_id == diary_id,
            ChangeRow.revision > seen,
            ChangeRow.revision <= now,
        )
    )
    for revision, lo, hi in rows:
        if lo is None or hi is None:
            everything.add(revision)
            continue
        kept = ranges.setdefault(revision, [])
        if lo < hi:  # lo == hi marks a write that changed no appointment
            kept.append((lo, hi))
    for revision, kept in ranges.items():
        if revision not in everything:
            found[revision] = tuple(kept)
    return found


def channel(diary_id: int) -> str:
    """The PostgreSQL NOTIFY channel of one diary."""
    return f"diary_changes_{diary_id}"


def notify(session: Session, diary_id: int, revision: int) -> None:
    """Tell PostgreSQL listeners of this diary that `revision` commits (sent at COMMIT)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": channel(diary_id), "payload": str(revision)},
        )

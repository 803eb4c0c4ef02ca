"""Sync conflicts as stored: what changed on both sides of one appointment, kept until the
owner resolves it (field -> the desktop's and the server's value), inside the caller's
transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from diary.storage.sync_schema import AccountRow, ConflictRow


@dataclass(frozen=True, slots=True)
class Conflict:
    """Fields changed on both sides: field -> {"desktop": value, "server": value}."""

    id: int
    account_id: int
    uid: str
    title: str
    fields: dict[str, dict[str, Any]]
    created: datetime


def _conflict(row: ConflictRow) -> Conflict:
    return Conflict(
        row.id, row.account_id, row.uid, row.title, json.loads(row.fields or "{}"), row.created
    )


def conflicts(session: Session, diary_id: int) -> list[Conflict]:
    rows = session.scalars(
        select(ConflictRow)
        .join(AccountRow, AccountRow.id == ConflictRow.account_id)
        .where(AccountRow.diary_id == diary_id)
        .order_by(ConflictRow.id)
    )
    return [_conflict(row) for row in rows]


def conflict_by_id(session: Session, diary_id: int, conflict_id: int) -> Conflict | None:
    row = session.scalars(
        select(ConflictRow)
        .join(AccountRow, AccountRow.id == ConflictRow.account_id)
        .where(AccountRow.diary_id == diary_id, ConflictRow.id == conflict_id)
    ).one_or_none()
    return _conflict(row) if row is not None else None


def keep_conflict(
    session: Session,
    account_id: int,
    *,
    uid: str,
    title: str,
    fields: dict[str, dict[str, Any]],
    created: datetime,
) -> None:
    """Record (or add to) the conflict of `uid`: later fields join earlier unresolved ones."""
    row = session.scalars(
        select(ConflictRow).where(ConflictRow.account_id == account_id, ConflictRow.uid == uid)
    ).one_or_none()
    if row is None:
        row = ConflictRow(account_id=account_id, uid=uid, created=created, fields="{}")
        session.add(row)
    merged = json.loads(row.fields or "{}")
    merged.update(fields)
    row.fields = json.dumps(merged, sort_keys=True, ensure_ascii=False)
    row.title = title
    session.flush()


def drop_conflict(session: Session, conflict_id: int) -> None:
    session.execute(delete(ConflictRow).where(ConflictRow.id == conflict_id))


def drop_conflicts_of(session: Session, account_id: int, uid: str) -> None:
    """An appointment deleted by the sync takes its conflict along."""
    session.execute(
        delete(ConflictRow).where(ConflictRow.account_id == account_id, ConflictRow.uid == uid)
    )

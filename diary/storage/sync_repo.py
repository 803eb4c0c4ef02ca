"""Rows of the sync tables in and plain records out, inside the caller's transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from diary.storage.errors import NotFound, StorageError
from diary.storage.sync_schema import (
    AccountRow,
    BusyRow,
    CollectionRow,
    ConflictRow,
    ItemRow,
)
from diary.storage.types import UTCDateTime

BUSY_PIECE = timedelta(days=1)  # busy rows are cut at UTC midnights (see BusyRow)


@dataclass(frozen=True, slots=True)
class Collection:
    """A calendar of an account as stored: its role, the owner's words, where it was found."""

    id: int
    role: str  # 'diary' or 'busy'
    wanted: str
    url: str
    display_name: str
    sync_token: str | None
    expanded_until: datetime | None
    ctag: str | None = None  # the server's, read before the last sync with nothing to send


@dataclass(frozen=True, slots=True)
class Account:
    """A CalDAV account of the diary (no password: that is in the keyring)."""

    id: int
    name: str
    url: str
    username: str
    push_bands: bool
    created: datetime
    last_sync: datetime | None
    last_result: str
    local_revision: int
    collections: tuple[Collection, ...]

    @property
    def diary_collection(self) -> Collection | None:
        return next((c for c in self.collections if c.role == "diary"), None)

    @property
    def busy_collections(self) -> tuple[Collection, ...]:
        return tuple(c for c in self.collections if c.role == "busy")


@dataclass(frozen=True, slots=True)
class Item:
    """The sync state of one resource (see ItemRow)."""

    id: int
    collection_id: int
    href: str
    uid: str
    kind: str
    etag: str | None
    base_ics: str
    base_hash: str
    local_fields: dict[str, Any]
    local_stamp: str


@dataclass(frozen=True, slots=True)
class BusyPiece:
    """A piece of busy time (at most a day long) from a busy calendar."""

    uid: str
    title: str
    start: datetime
    end: datetime
    zone: str


# ------------------------------------------------------------------ accounts


def _collection(row: CollectionRow) -> Collection:
    return Collection(
        row.id,
        row.role,
        row.wanted,
        row.url,
        row.display_name,
        row.sync_token,
        row.expanded_until,
        row.ctag,
    )


def _account(session: Session, row: AccountRow) -> Account:
    collections = session.scalars(
        select(CollectionRow)
        .where(CollectionRow.account_id == row.id)
        .order_by(CollectionRow.role.desc(), CollectionRow.id)
    )
    return Account(
        id=row.id,
        name=row.name,
        url=row.url,
        username=row.username,
        push_bands=row.push_bands,
        created=row.created,
        last_sync=row.last_sync,
        last_result=row.last_result,
        local_revision=row.local_revision,
        collections=tuple(_collection(c) for c in collections),
    )


def accounts(session: Session, diary_id: int) -> list[Account]:
    rows = session.scalars(
        select(AccountRow).where(AccountRow.diary_id == diary_id).order_by(AccountRow.name)
    )
    return [_account(session, row) for row in rows]


def _account_row(session: Session, diary_id: int, name: str) -> AccountRow | None:
    return session.scalars(
        select(AccountRow).where(AccountRow.diary_id == diary_id, AccountRow.name == name)
    ).one_or_none()


def account_by_name(session: Session, diary_id: int, name: str) -> Account | None:
    row = _account_row(session, diary_id, name)
    return _account(session, row) if row is not None else None


def add_account(
    session: Session,
    diary_id: int,
    *,
    name: str,
    url: str,
    username: str,
    calendar: str,
    busy: Iterable[str],
    created: datetime,
    push_bands: bool = True,
) -> Account:
    """Store a new account with its calendars (unresolved); StorageError if the name is taken."""
    if _account_row(session, diary_id, name) is not None:
        raise StorageError(f"an account called {name!r} already exists")
    row = AccountRow(
        diary_id=diary_id,
        name=name,
        url=url,
        username=username,
        push_bands=push_bands,
        created=created,
        last_result="",
        local_revision=-1,
    )
    session.add(row)
    session.flush()
    session.add(CollectionRow(account_id=row.id, role="diary", wanted=calendar))
    for wanted in dict.fromkeys(busy):  # once each, in the order given
        session.add(CollectionRow(account_id=row.id, role="busy", wanted=wanted))
    session.flush()
    return _account(session, row)


def remove_account(session: Session, diary_id: int, name: str) -> None:
    """Forget the account, its sync state, conflicts and busy time; NotFound if absent."""
    row = _account_row(session, diary_id, name)
    if row is None:
        raise NotFound(f"no account called {name!r}")
    collection_ids = list(
        session.scalars(select(CollectionRow.id).where(CollectionRow.account_id == row.id))
    )
    if collection_ids:
        item_ids = select(ItemRow.id).where(ItemRow.collection_id.in_(collection_ids))
        session.execute(delete(BusyRow).where(BusyRow.item_id.in_(item_ids)))
        session.execute(delete(ItemRow).where(ItemRow.collection_id.in_(collection_ids)))
        session.execute(delete(CollectionRow).where(CollectionRow.id.in_(collection_ids)))
    session.execute(delete(ConflictRow).where(ConflictRow.account_id == row.id))
    session.delete(row)
    session.flush()


def set_result(
    session: Session,
    account_id: int,
    *,
    result: str,
    when: datetime | None = None,
    local_revision: int | None = None,
) -> None:
    """Record how the last sync went (`when` it finished, None: it did not)."""
    row = session.get(AccountRow, account_id)
    if row is None:
        raise NotFound(f"account #{account_id} does not exist")
    row.last_result = result
    if when is not None:
        row.last_sync = when
    if local_revision is not None:
        row.local_revision = local_revision
    session.flush()


def resolve_collection(
    session: Session, collection_id: int, *, url: str, display_name: str
) -> None:
    row = session.get(CollectionRow, collection_id)
    if row is None:
        raise NotFound(f"calendar #{collection_id} does not exist")
    if row.url and row.url != url:
        # Another calendar than before: what was known of the old one means nothing here.
        _forget_items(session, [collection_id])
        row.sync_token = None
    row.url = url
    row.display_name = display_name
    session.flush()


def set_collection_state(
    session: Session,
    collection_id: int,
    *,
    sync_token: str | None,
    expanded_until: datetime | None = None,
    ctag: str | None = None,
) -> None:
    """The collection's sync-token, and the CTag read before a sync that had nothing to
    send (None otherwise: the next sync then asks the sync report)."""
    row = session.get(CollectionRow, collection_id)
    if row is None:
        raise NotFound(f"calendar #{collection_id} does not exist")
    row.sync_token = sync_token
    row.ctag = ctag
    if expanded_until is not None:
        row.expanded_until = expanded_until
    session.flush()


def set_bands_current(session: Session, collection_id: int, when: datetime) -> None:
    """The travel and wrap-up events of the calendar were brought up to date at `when`."""
    row = session.get(CollectionRow, collection_id)
    if row is not None:
        row.expanded_until = when
        session.flush()


def _forget_items(session: Session, collection_ids: list[int]) -> None:
    item_ids = select(ItemRow.id).where(ItemRow.collection_id.in_(collection_ids))
    session.execute(delete(BusyRow).where(BusyRow.item_id.in_(item_ids)))
    session.execute(delete(ItemRow).where(ItemRow.collection_id.in_(collection_ids)))


# ------------------------------------------------------------------ items


def _item(row: ItemRow) -> Item:
    return Item(
        id=row.id,
        collection_id=row.collection_id,
        href=row.href,
        uid=row.uid,
        kind=row.kind,
        etag=row.etag,
        base_ics=row.base_ics,
        base_hash=row.base_hash,
        local_fields=json.loads(row.local_fields or "{}"),
        local_stamp=row.local_stamp,
    )


def items(session: Session, collection_id: int) -> list[Item]:
    rows = session.scalars(
        select(ItemRow).where(ItemRow.collection_id == collection_id).order_by(ItemRow.id)
    )
    return [_item(row) for row in rows]


def item_marks(session: Session, collection_id: int) -> dict[str, tuple[str, str, str, str | None]]:
    """href -> (uid, kind, local_stamp, etag) of every item: the cheap part, no copies."""
    rows = session.execute(
        select(ItemRow.href, ItemRow.uid, ItemRow.kind, ItemRow.local_stamp, ItemRow.etag).where(
            ItemRow.collection_id == collection_id
        )
    )
    return {href: (uid, kind, stamp, etag) for href, uid, kind, stamp, etag in rows}


def items_by_href(session: Session, collection_id: int, hrefs: Iterable[str]) -> list[Item]:
    wanted = list(hrefs)
    found: list[Item] = []
    for first in range(0, len(wanted), 500):
        rows = session.scalars(
            select(ItemRow).where(
                ItemRow.collection_id == collection_id,
                ItemRow.href.in_(wanted[first : first + 500]),
            )
        )
        found.extend(_item(row) for row in rows)
    return found


def save_item(
    session: Session,
    collection_id: int,
    *,
    href: str,
    uid: str,
    kind: str,
    etag: str | None,
    base_ics: str,
    base_hash: str,
    local_fields: dict[str, Any] | None = None,
    local_stamp: str = "",
) -> int:
    """Insert or replace the state of the resource at `href`; returns the item's id."""
    row = session.scalars(
        select(ItemRow).where(ItemRow.collection_id == collection_id, ItemRow.href == href)
    ).one_or_none()
    if row is None:
        row = ItemRow(collection_id=collection_id, href=href)
        session.add(row)
    row.uid = uid
    row.kind = kind
    row.etag = etag
    row.base_ics = base_ics
    row.base_hash = base_hash
    row.local_fields = json.dumps(local_fields or {}, sort_keys=True, ensure_ascii=False)
    row.local_stamp = local_stamp
    session.flush()
    return row.id


def set_etag(session: Session, collection_id: int, href: str, etag: str | None) -> None:
    row = session.scalars(
        select(ItemRow).where(ItemRow.collection_id == collection_id, ItemRow.href == href)
    ).one_or_none()
    if row is not None:
        row.etag = etag


def forget_item(session: Session, collection_id: int, href: str) -> None:
    item_ids = select(ItemRow.id).where(
        ItemRow.collection_id == collection_id, ItemRow.href == href
    )
    session.execute(delete(BusyRow).where(BusyRow.item_id.in_(item_ids)))
    session.execute(
        delete(ItemRow).where(ItemRow.collection_id == collection_id, ItemRow.href == href)
    )


# ------------------------------------------------------------------ busy time


def replace_busy(
    session: Session,
    diary_id: int,
    item_id: int,
    uid: str,
    title: str,
    intervals: Iterable[tuple[datetime, datetime, str]],
) -> None:
    """The busy time of one item is now `intervals` (start, end, zone), cut at UTC midnights."""
    session.execute(delete(BusyRow).where(BusyRow.item_id == item_id))
    rows = []
    for start, end, zone in intervals:
        for piece_start, piece_end in _pieces(start, end):
            rows.append(
                BusyRow(
                    diary_id=diary_id,
                    item_id=item_id,
                    uid=uid,
                    title=title,
                    start_utc=piece_start,
                    end_utc=piece_end,
                    zone=zone,
                )
            )
    session.add_all(rows)
    session.flush()


def _pieces(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    pieces = []
    while start < end:
        midnight = datetime(start.year, start.month, start.day, tzinfo=UTC) + BUSY_PIECE
        stop = min(end, midnight)
        pieces.append((start, stop))
        start = stop
    return pieces


_BUSY = (
    select(BusyRow.uid, BusyRow.title, BusyRow.start_utc, BusyRow.end_utc, BusyRow.zone)
    .where(
        BusyRow.diary_id == bindparam("diary_id"),
        BusyRow.start_utc >= bindparam("earliest", type_=UTCDateTime),
        BusyRow.start_utc < bindparam("hi", type_=UTCDateTime),
        BusyRow.end_utc > bindparam("lo", type_=UTCDateTime),
    )
    .order_by(BusyRow.start_utc, BusyRow.id)
)


def busy_overlapping(
    session: Session, diary_id: int, lo: datetime, hi: datetime
) -> list[BusyPiece]:
    """Busy pieces with `start < hi and end > lo`: an indexed range query (one day back)."""
    params = {"diary_id": diary_id, "earliest": lo - BUSY_PIECE, "lo": lo, "hi": hi}
    return [BusyPiece(*row) for row in session.execute(_BUSY, params)]


def has_busy(session: Session, diary_id: int) -> bool:
    found = session.scalar(select(BusyRow.id).where(BusyRow.diary_id == diary_id).limit(1))
    return found is not None

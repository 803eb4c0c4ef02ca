"""The sync state of one diary as a repository of the unit of work: its accounts and their
calendars, the state of every synced resource, the conflicts kept for the owner, the busy
time read from busy calendars, and the diary's side of a sync (cheap marks of what it
holds). A thin, typed door onto `sync_repo`, `conflict_repo`, `sync_marks` and
`series_marks`, bound to the transaction's session and diary.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from diary.domain.model import Appointment
from diary.storage import conflict_repo, sync_marks, sync_repo
from diary.storage.conflict_repo import Conflict
from diary.storage.engine import Database
from diary.storage.schema import DiaryRow
from diary.storage.series_marks import series_marks
from diary.storage.sync_repo import Account, Item


class SyncRecords:
    """What the sync keeps of one diary, in one transaction."""

    def __init__(self, session: Session, diary_id: int) -> None:
        self._session = session
        self._diary_id = diary_id

    # -- accounts and their calendars ----------------------------------------------------

    def accounts(self) -> list[Account]:
        return sync_repo.accounts(self._session, self._diary_id)

    def account_by_name(self, name: str) -> Account | None:
        return sync_repo.account_by_name(self._session, self._diary_id, name)

    def add_account(
        self,
        *,
        name: str,
        url: str,
        username: str,
        calendar: str,
        busy: Iterable[str],
        created: datetime,
        push_bands: bool = True,
    ) -> Account:
        """StorageError when the diary has an account of that name already."""
        return sync_repo.add_account(
            self._session,
            self._diary_id,
            name=name,
            url=url,
            username=username,
            calendar=calendar,
            busy=busy,
            created=created,
            push_bands=push_bands,
        )

    def remove_account(self, name: str) -> None:
        """NotFound when there is no such account; its calendars' state goes with it."""
        sync_repo.remove_account(self._session, self._diary_id, name)

    def set_result(
        self,
        account_id: int,
        *,
        result: str,
        when: datetime | None = None,
        local_revision: int | None = None,
    ) -> None:
        sync_repo.set_result(
            self._session, account_id, result=result, when=when, local_revision=local_revision
        )

    def resolve_collection(self, collection_id: int, *, url: str, display_name: str) -> None:
        sync_repo.resolve_collection(
            self._session, collection_id, url=url, display_name=display_name
        )

    def set_collection_state(
        self,
        collection_id: int,
        *,
        sync_token: str | None,
        expanded_until: datetime | None = None,
        ctag: str | None = None,
    ) -> None:
        sync_repo.set_collection_state(
            self._session,
            collection_id,
            sync_token=sync_token,
            expanded_until=expanded_until,
            ctag=ctag,
        )

    def set_bands_current(self, collection_id: int, when: datetime) -> None:
        sync_repo.set_bands_current(self._session, collection_id, when)

    # -- the state of each synced resource ----------------------------------------------

    def items(self, collection_id: int) -> list[Item]:
        return sync_repo.items(self._session, collection_id)

    def item_marks(self, collection_id: int) -> dict[str, tuple[str, str, str, str | None]]:
        """href -> (uid, kind, local stamp, etag) of every item of the calendar."""
        return sync_repo.item_marks(self._session, collection_id)

    def items_by_href(self, collection_id: int, hrefs: Iterable[str]) -> list[Item]:
        return sync_repo.items_by_href(self._session, collection_id, hrefs)

    def save_item(
        self,
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
        """Insert or update the item at `href`; returns its id."""
        return sync_repo.save_item(
            self._session,
            collection_id,
            href=href,
            uid=uid,
            kind=kind,
            etag=etag,
            base_ics=base_ics,
            base_hash=base_hash,
            local_fields=local_fields,
            local_stamp=local_stamp,
        )

    def set_etag(self, collection_id: int, href: str, etag: str | None) -> None:
        sync_repo.set_etag(self._session, collection_id, href, etag)

    def forget_item(self, collection_id: int, href: str) -> None:
        sync_repo.forget_item(self._session, collection_id, href)

    # -- conflicts ----------------------------------------------------------------------

    def conflicts(self) -> list[Conflict]:
        return conflict_repo.conflicts(self._session, self._diary_id)

    def conflict_by_id(self, conflict_id: int) -> Conflict | None:
        return conflict_repo.conflict_by_id(self._session, self._diary_id, conflict_id)

    def keep_conflict(
        self,
        account_id: int,
        *,
        uid: str,
        title: str,
        fields: dict[str, dict[str, Any]],
        created: datetime,
    ) -> None:
        conflict_repo.keep_conflict(
            self._session, account_id, uid=uid, title=title, fields=fields, created=created
        )

    def drop_conflict(self, conflict_id: int) -> None:
        conflict_repo.drop_conflict(self._session, conflict_id)

    def drop_conflicts_of(self, account_id: int, uid: str) -> None:
        conflict_repo.drop_conflicts_of(self._session, account_id, uid)

    # -- busy time ----------------------------------------------------------------------

    def replace_busy(
        self,
        item_id: int,
        uid: str,
        title: str,
        intervals: Iterable[tuple[datetime, datetime, str]],
    ) -> None:
        sync_repo.replace_busy(self._session, self._diary_id, item_id, uid, title, intervals)

    # -- the diary's side ---------------------------------------------------------------

    def revision(self) -> int:
        """The diary's revision as this transaction sees it (before its own write)."""
        revision = self._session.scalar(
            select(DiaryRow.revision).where(DiaryRow.id == self._diary_id)
        )
        if revision is None:
            raise LookupError(f"diary #{self._diary_id} does not exist")
        return int(revision)

    def single_marks(self) -> dict[str, tuple[str, bool]]:
        """uid -> (content stamp, cancelled) of every single appointment."""
        return sync_marks.single_marks(self._session, self._diary_id)

    def singles_by_uid(self, uids: Iterable[str]) -> dict[str, Appointment]:
        return sync_marks.singles_by_uid(self._session, self._diary_id, uids)

    def series_marks(self) -> dict[str, str]:
        """uid -> a mark of each series' stored content (changes with any change)."""
        return series_marks(self._session, self._diary_id)


@contextmanager
def recording(database: Database, diary_id: int) -> Iterator[SyncRecords]:
    """A transaction that changes the sync state only (items, tokens, results), committed
    when the block ends: no diary revision and nothing journaled, since the diary's content
    is as it was (a sync's progress must not read as a change of the diary)."""
    with database.session() as session, session.begin():
        yield SyncRecords(session, diary_id)

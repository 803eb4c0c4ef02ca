"""Busy calendars (`--busy`): other calendars of the account whose events count as busy
time for every rule. Read-only: nothing is ever written to them, nothing of them is
exported or shown as the owner's appointment.
"""

from __future__ import annotations

from datetime import timedelta

from diary.interchange.dav import CalDAVClient, Changes, SyncTokenRejected, SyncUnsupported
from diary.interchange.sync_ics import busy_intervals, normalised_hash
from diary.services.store import DiaryStore
from diary.storage.sync_access import recording
from diary.storage.sync_repo import Collection

LOOK_BACK = timedelta(days=31)
LOOK_AHEAD = timedelta(days=2 * 366)  # how far repeating busy events are expanded
REEXPAND_EARLY = timedelta(days=30)  # expand again once the horizon is this close


class BusySync:
    """Brings one busy calendar's events into the diary's busy time."""

    def __init__(self, store: DiaryStore, client: CalDAVClient, collection: Collection) -> None:
        self.store = store
        self.client = client
        self.collection = collection

    def _changes(self) -> Changes:
        try:
            return self.client.changes_since(self.collection.url, self.collection.sync_token)
        except (SyncTokenRejected, SyncUnsupported):
            return self.client.list_etags(self.collection.url)

    def run(self) -> int:
        """Sync once; returns how many resources changed."""
        now = self.store.clock()
        lo, hi = now - LOOK_BACK, now + LOOK_AHEAD
        changes = self._changes()
        with self.store.read() as uow:
            marks = uow.sync.item_marks(self.collection.id)
            zone = uow.policy.zone
        if changes.complete:
            removed = {h for h in marks if h not in changes.changed}
        else:
            removed = {h for h in changes.removed if h in marks}
        fetch = sorted(
            h
            for h, etag in changes.changed.items()
            if h not in marks or etag is None or marks[h][3] != etag
        )
        expanded = self.collection.expanded_until
        again = expanded is None or expanded < hi - REEXPAND_EARLY  # a month has passed
        resources = self.client.multiget(self.collection.url, fetch) if fetch else []
        if not resources and not removed and not again:
            if changes.token != self.collection.sync_token:
                with recording(self.store.database, self.store.diary_id) as records:
                    records.set_collection_state(self.collection.id, sync_token=changes.token)
            return 0
        with self.store.write(announced=False) as uow:
            for href in removed:
                uow.sync.forget_item(self.collection.id, href)
            fetched = set()
            for resource in resources:
                fetched.add(resource.href)
                title, intervals = busy_intervals(resource.data, lo=lo, hi=hi, default_zone=zone)
                item_id = uow.sync.save_item(
                    self.collection.id,
                    href=resource.href,
                    uid=resource.href,
                    kind="busy",
                    etag=resource.etag,
                    base_ics=resource.data,
                    base_hash=normalised_hash(resource.data),
                )
                uow.sync.replace_busy(item_id, resource.href, title, intervals)
            if again:
                for item in uow.sync.items(self.collection.id):
                    if item.href in fetched or item.href in removed:
                        continue
                    title, intervals = busy_intervals(
                        item.base_ics, lo=lo, hi=hi, default_zone=zone
                    )
                    uow.sync.replace_busy(item.id, item.href, title, intervals)
            uow.sync.set_collection_state(
                self.collection.id,
                sync_token=changes.token,
                expanded_until=hi if again else None,
            )
        return len(resources) + len(removed)

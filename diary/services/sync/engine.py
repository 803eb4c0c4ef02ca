"""One two-way sync of the diary with its calendar on a CalDAV server.

The shape is vdirsyncer's and DAVx5's: read both sides' changes since the last sync
(the diary's by a mark per item, the server's by sync-token, else a full ETag listing),
classify each item with a pure function, then act: conditional writes on the server
(a 412 means re-read and merge, never overwrite), and the diary's changes plus the new
sync state in one transaction at the end. A sync stopped part-way loses nothing: what
was written to the server is found again next time (by UID and content), and nothing
here is recorded as done before it is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from diary.domain.model import Appointment
from diary.interchange.dav import (
    CalDAVClient,
    Changes,
    ItemRefused,
    PreconditionFailed,
    SyncTokenRejected,
    SyncUnsupported,
)
from diary.interchange.dav import canonical_href as href_path
from diary.interchange.sync_ics import (
    FIELDS,
    appointment_fields,
    build_upload,
    normalised_hash,
    read_item,
    render_event,
    resource_name,
)
from diary.services.store import DiaryStore
from diary.services.sync import local, singles
from diary.services.sync.classify import Action, Sides, classify, refuse_empty
from diary.services.sync.merge import Merge, changed_fields, merge
from diary.services.sync.series import SeriesDecision, SeriesSync
from diary.services.sync.singles import Decision, Remote, Tally, Unit
from diary.storage.sync_access import recording
from diary.storage.sync_repo import Account, Collection, Item

log = logging.getLogger(__name__)

PUSH_BATCH = 200  # pushes whose state is committed together (a resumed sync skips them)
MAX_RETRIES = 3  # re-reads after a 412 before leaving an item for the next sync
MAX_PASSES = 3  # a pass that pushed is followed by one that confirms the pushes


class EmptyServerCalendar(Exception):
    """The server's calendar is suddenly empty: nothing was deleted here."""


class CalendarSync:
    """Syncs the diary's single appointments with one calendar of one account."""

    def __init__(
        self,
        store: DiaryStore,
        client: CalDAVClient,
        account: Account,
        collection: Collection,
        *,
        accept_empty: bool = False,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.account = account
        self.collection = collection
        self.accept_empty = accept_empty
        self.now = now or store.clock
        self.tally = Tally()
        self.path = href_path(collection.url)
        self.zone = "UTC"
        self._others: list[Remote] = []  # resources that are no appointment of ours
        self._committed: set[int] = set()  # decisions whose state is already recorded
        # Travel and wrap-up events changed (new ETag) or deleted (None) on the server.
        self.bands_touched: dict[str, str | None] = {}
        self.unchanged_here = False
        self._passes = 0
        self._ctag: str | None = None  # the server's CTag before this sync read its changes
        # An item was left for the next sync: the sync-token and the local revision stay
        # where they were, so the next sync reads that item's change again.
        self.left_for_later = False
        self.series = SeriesSync(
            store, client, collection.url, collection.id, account.id, zone="UTC", now=self.now()
        )
        self.series_decisions: list[SeriesDecision] = []

    # -- reading both sides -------------------------------------------------------------

    def _remote_changes(self) -> Changes:
        token = self.collection.sync_token
        try:
            return self.client.changes_since(self.collection.url, token)
        except SyncTokenRejected:
            self.tally.token_rejected = True
        except SyncUnsupported:
            pass
        return self.client.list_etags(self.collection.url)

    def run(self) -> Tally:
        """Sync, then once more after pushing anything: the server's next answer lists our
        own writes, so the token kept covers them (a member made after a token and removed
        again may go unreported, RFC 6578 §3.5.2; a token taken before our writes would
        then never learn that the phone deleted one of them)."""
        for _pass in range(MAX_PASSES):
            pushed = self.tally.pushed
            self._pass()
            self._passes += 1
            if self.tally.pushed == pushed:
                break
        return self.tally

    def _pass(self) -> None:
        self._others = []
        with self.store.read() as uow:
            unchanged_here = (
                uow.sync.revision() == self.account.local_revision
                and self.collection.sync_token is not None
            )
            if not self._passes:
                self.unchanged_here = unchanged_here  # as the first pass found the diary
            self.zone = uow.policy.zone
        if unchanged_here and not self._passes:
            # Nothing changed here since the last sync: the CTag, cheaper for a server to
            # give than an empty sync report (it lists no history), says whether anything
            # changed there (DAVx5 asks so too). It is read before this sync reads or
            # writes anything, so a change there since, ours included, makes the next
            # sync find another CTag and ask the report.
            self._ctag = self.client.ctag(self.collection.url)
            if self._ctag is not None and self._ctag == self.collection.ctag:
                unchanged = Changes({}, frozenset(), self.collection.sync_token, complete=False)
                self._finish([], unchanged, marks={}, etags={})
                return
        changes = self._remote_changes()
        self.series_decisions = []
        self.series = SeriesSync(
            self.store,
            self.client,
            self.collection.url,
            self.collection.id,
            self.account.id,
            zone=self.zone,
            now=self.now(),
        )
        if unchanged_here and not changes.complete and not changes.changed and not changes.removed:
            # Neither side changed since the token: the items' state (a row per resource of
            # the calendar, 5,000 and more) need not be read to learn that.
            self._finish([], changes, marks={}, etags={})
            return
        with self.store.read() as uow:
            marks = uow.sync.item_marks(self.collection.id)
            singles = {} if unchanged_here else uow.sync.single_marks()
        uid_href = {uid: href for href, (uid, kind, _s, _e) in marks.items() if kind == "event"}
        if changes.complete:
            removed = {h for h in marks if h not in changes.changed}
        else:
            removed = {h for h in changes.removed if h in marks}
        fetch = sorted(
            h
            for h, etag in changes.changed.items()
            if h not in marks or etag is None or marks[h][3] != etag
        )
        if not fetch and not removed and unchanged_here:
            self._finish([], changes, marks={}, etags={})
            return
        series_known = {
            uid: (href, stamp) for href, (uid, kind, stamp, _e) in marks.items() if kind == "series"
        }
        units: dict[str, Unit] = {}
        etags: dict[str, str | None] = {}  # known resources re-listed with the same content
        returned: set[str] = set()
        for resource in self.client.multiget(self.collection.url, fetch) if fetch else []:
            remote = self._remote(resource.href, resource.etag, resource.data)
            returned.add(remote.href)
            known = marks.get(remote.href)
            if known is not None and known[1] == "band":
                self.bands_touched[remote.href] = remote.etag  # the phone edited one of ours
                continue
            if (
                known is not None
                and known[1] == "series"
                or (known is None and remote.item.recurring and remote.item.uid is not None)
            ):
                uid = known[0] if known is not None else remote.item.uid
                assert uid is not None
                self.series.remote(uid, remote.href, remote.etag, remote.text)
                continue
            if known is not None and known[1] != "event":
                etags[remote.href] = remote.etag
                continue
            if remote.item.recurring:  # a single appointment here, repeating there
                self.tally.problems.append(
                    f"{remote.href}: repeats on the server but is a single appointment here; "
                    "left as it is"
                )
                continue
            if remote.item.kind != "event" or remote.item.uid is None:
                self._note_other(remote)
                continue
            units.setdefault(remote.item.uid, Unit(remote.item.uid)).remote = remote
        removed |= {h for h in set(fetch) - returned if h in marks}  # deleted meanwhile
        for href in removed:
            uid, kind, _stamp, _etag = marks[href]
            if kind == "event":
                units.setdefault(uid, Unit(uid)).removed = True
            elif kind == "band":
                self.bands_touched[href] = None
            elif kind == "series":
                self.series.unit(uid).removed = True
        for uid, (stamp, cancelled) in singles.items():
            synced_at = uid_href.get(uid)
            if synced_at is None:
                if not cancelled:
                    units.setdefault(uid, Unit(uid))
            elif marks[synced_at][2] != stamp:
                units.setdefault(uid, Unit(uid))
        if not unchanged_here:
            for uid in uid_href:
                if uid not in singles:
                    units.setdefault(uid, Unit(uid))
        if not unchanged_here:
            with self.store.read() as uow:
                self.series.local_changes(uow, series_known)
        self._load(units, uid_href)
        decisions = self._decide(units, changes, marks)
        self._finish(decisions, changes, marks, etags)

    def _remote(self, href: str, etag: str | None, text: str) -> Remote:
        item = read_item(text, default_zone=self.zone, source=href)
        return Remote(href_path(href), etag, text, normalised_hash(text), item)

    def _note_other(self, remote: Remote) -> None:
        """A resource diary does not sync as an appointment: remembered, left alone."""
        self._others.append(remote)

    def _load(self, units: dict[str, Unit], uid_href: dict[str, str]) -> None:
        with self.store.read() as uow:
            self.series.load(uow)
            known = uow.sync.items_by_href(
                self.collection.id, [uid_href[u] for u in units if u in uid_href]
            )
            singles = uow.sync.singles_by_uid(units)
        for item in known:
            if item.uid in units:
                units[item.uid].item = item
        for uid, appointment in singles.items():
            units[uid].local = appointment

    # -- deciding and acting on the server ---------------------------------------------

    def _decide(
        self, units: dict[str, Unit], changes: Changes, marks: dict[str, Any]
    ) -> list[Decision]:
        plans = [(unit, classify(self._sides(unit))) for unit in units.values()]
        series_plans = self.series.plan()
        known_events = sum(1 for value in marks.values() if value[1] in ("event", "series"))
        still_there = known_events - sum(1 for u in units.values() if u.removed and u.item)
        still_there += sum(1 for u in units.values() if u.remote is not None and u.item is None)
        still_there -= sum(1 for u, _a in series_plans if u.removed and u.item)
        still_there += sum(1 for u, _a in series_plans if u.remote is not None and u.item is None)
        deletions = sum(1 for _u, action in [*plans, *series_plans] if action is Action.PULL_DELETE)
        if not self.accept_empty and refuse_empty(known_events, still_there, deletions):
            raise EmptyServerCalendar(
                f"the calendar {self.collection.display_name or self.collection.wanted!r} on "
                f"the server is suddenly empty ({known_events} synced items are gone there); "
                "nothing was deleted here"
            )
        decisions: list[Decision] = []
        pending: list[Decision] = []
        for unit, action in plans:
            decision = self._act(unit, action)
            if decision is None:
                continue
            decisions.append(decision)
            if decision.state is not None and not decision.pull and not decision.pull_new:
                pending.append(decision)
            if len(pending) >= PUSH_BATCH:
                self._commit_pushes(pending)
                pending = []
        self.series_decisions = self.series.act(series_plans)
        return decisions

    def _sides(self, unit: Unit) -> Sides:
        item, here, there = unit.item, unit.local, unit.remote
        present_here = here is not None and not here.cancelled
        present_there = there is not None or (item is not None and not unit.removed)
        return Sides(
            known=item is not None,
            local=present_here,
            remote=present_there,
            local_changed=self._changed_here(item, here),
            remote_changed=self._changed_there(item, there),
        )

    @staticmethod
    def _changed_here(item: Item | None, here: Appointment | None) -> bool:
        """Saved since the last sync with a different value in a field diary syncs (a move to
        where it already was is no change)."""
        if item is None or here is None or local.stamp_of(here) == item.local_stamp:
            return False
        return not item.local_fields or appointment_fields(here) != item.local_fields

    def _changed_there(self, item: Item | None, there: Remote | None) -> bool:
        """Different text on the server with a different value in a field diary syncs (an
        alarm the phone added is no change of the appointment)."""
        if item is None or there is None or there.hash == item.base_hash:
            return False
        before = self._base_fields(item)
        return before is None or there.item.fields is None or there.item.fields != before

    def _act(self, unit: Unit, action: Action, attempt: int = 0) -> Decision | None:
        try:
            return self._act_once(unit, action)
        except PreconditionFailed as failure:
            if attempt >= MAX_RETRIES:
                self.tally.problems.append(
                    f"{failure.href}: changed again and again on the server; left for later"
                )
                self.left_for_later = True
                return None
            fresh = self.client.get(failure.href)
            if fresh is None:
                unit.remote, unit.removed = None, True
            else:
                unit.remote = self._remote(fresh.href, fresh.etag, fresh.data)
            return self._act(unit, classify(self._sides(unit)), attempt + 1)
        except ItemRefused as refused:
            self.tally.problems.append(str(refused))
            self.left_for_later = True
            return None

    def _act_once(self, unit: Unit, action: Action) -> Decision | None:
        item, here, there = unit.item, unit.local, unit.remote
        now = self.now()
        if action is Action.NOTHING:
            if item is None:
                return None
            if there is not None:  # the server's copy as it is now (say, with a new alarm)
                return Decision(unit, state=(there.href, there.etag, there.text))
            return Decision(unit, state=(item.href, item.etag, item.base_ics))
        if action is Action.FORGET:
            return Decision(unit, forget=True)
        if action is Action.PUSH_NEW:
            assert here is not None
            href = item.href if item is not None else self.path + resource_name(unit.uid)
            text = render_event(here, now=now)
            etag = self.client.put(href, text, etag=None)
            self.tally.pushed += 1
            return Decision(unit, state=(href, etag, text))
        # The server's copy as this sync read it, else as the last sync left it: a write is
        # conditional on that one (a copy re-read after a 412 that changed nothing diary
        # syncs, say a phone's alarm, is written over with its own ETag, keeping the alarm).
        current_etag = there.etag if there is not None else item.etag if item else None
        current_text = there.text if there is not None else item.base_ics if item else ""
        if action is Action.PUSH_UPDATE:
            assert here is not None and item is not None
            fields = changed_fields(item.local_fields, appointment_fields(here), FIELDS)
            if not fields:
                return Decision(unit, state=(item.href, current_etag, current_text))
            text = build_upload(current_text, render_event(here, now=now), fields, now=now)
            etag = self.client.put(item.href, text, etag=current_etag)
            self.tally.pushed += 1
            return Decision(unit, state=(item.href, etag, text))
        if action is Action.PUSH_DELETE:
            assert item is not None
            self.client.delete(item.href, etag=current_etag)
            self.tally.pushed += 1
            return Decision(unit, forget=True)
        if action is Action.PULL_DELETE:
            return Decision(unit, cancel_here=True, forget=True)
        assert there is not None
        if action is Action.PULL_NEW:
            return Decision(
                unit, pull_new=True, state=(there.href, there.etag, there.text), event_remote=there
            )
        base_remote = self._base_fields(item)
        remote_fields = there.item.fields or {}
        if action is Action.PULL_UPDATE:
            pull = changed_fields(base_remote, remote_fields, FIELDS)
            return Decision(
                unit, pull=pull, state=(there.href, there.etag, there.text), event_remote=there
            )
        assert here is not None and action is Action.MERGE
        decided = merge(
            FIELDS,
            base_local=item.local_fields if item is not None else None,
            local=appointment_fields(here),
            base_remote=base_remote,
            remote=remote_fields,
        )
        return self._merged(unit, decided, now)

    def _merged(self, unit: Unit, decided: Merge, now: datetime) -> Decision:
        here, there = unit.local, unit.remote
        assert here is not None and there is not None
        state = (there.href, there.etag, there.text)
        if decided.push:
            text = build_upload(there.text, render_event(here, now=now), decided.push, now=now)
            etag = self.client.put(there.href, text, etag=there.etag)
            self.tally.pushed += 1
            state = (there.href, etag, text)
        if decided.conflicts:
            self.tally.conflicts += 1
        return Decision(
            unit, pull=decided.pull, state=state, conflicts=decided.conflicts, event_remote=there
        )

    @staticmethod
    def _base_fields(item: Item | None) -> dict[str, Any] | None:
        if item is None or not item.base_ics:
            return None
        return read_item(item.base_ics, default_zone="UTC", source=item.href).fields

    # -- recording ---------------------------------------------------------------------

    def _commit_pushes(self, decisions: list[Decision]) -> None:
        """Record pushes already on the server, so a sync stopped later does not redo them."""
        with recording(self.store.database, self.store.diary_id) as records:
            for decision in decisions:
                singles.record(records, self.collection.id, decision, decision.unit.local)
        self._committed.update(id(decision) for decision in decisions)

    def _finish(
        self,
        decisions: list[Decision],
        changes: Changes,
        marks: dict[str, Any],
        etags: dict[str, str | None],
    ) -> None:
        """The diary's changes, the items' state and the sync-token, in one transaction."""
        with self.store.write(announced=False) as uow:
            directory = local.Directory(uow)
            for decision in decisions:
                singles.apply(
                    uow,
                    directory,
                    decision,
                    collection_id=self.collection.id,
                    account_id=self.account.id,
                    tally=self.tally,
                    now=self.now(),
                    recorded=id(decision) in self._committed,
                )
            self.series.apply(uow, self.series_decisions)
            for remote in self._others:
                band = remote.item.kind == "band"  # one of ours the state forgot: adopted
                uow.sync.save_item(
                    self.collection.id,
                    href=remote.href,
                    uid=remote.item.uid or remote.href,
                    kind="band" if band else "other",
                    etag=remote.etag,
                    base_ics=remote.text,
                    base_hash=remote.hash,
                )
            for href, etag in etags.items():
                uow.sync.set_etag(self.collection.id, href, etag)
            self.left_for_later = self.left_for_later or self.series.left_for_later
            token = self.collection.sync_token if self.left_for_later else changes.token
            ctag = None if self.left_for_later else self._ctag
            uow.sync.set_collection_state(self.collection.id, sync_token=token, ctag=ctag)
            revision = uow.sync.revision() + 1  # the revision this transaction commits
            if self.left_for_later:
                revision = self.account.local_revision  # "changed here since": look again
            uow.sync.set_result(
                self.account.id, result="ok", when=self.now(), local_revision=revision
            )
        self.account = replace(self.account, local_revision=revision)
        self.collection = replace(self.collection, sync_token=token, ctag=ctag)
        series = self.series
        self.tally.pushed += series.pushed
        self.tally.pulled += series.pulled
        self.tally.deleted += series.deleted
        self.tally.conflicts += series.conflicts
        self.tally.pulled_refs.extend(series.pulled_refs)
        self.tally.problems.extend(series.problems)

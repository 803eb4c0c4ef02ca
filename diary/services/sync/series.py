"""Repeating appointments in a two-way sync: one resource per UID holding the master (its
rule) and every override, synced as a whole.

Each side's state is a digest of what the series says (`interchange.sync_series`): the
rule, the removed occurrences, the master's fields and each override's. The same table as
for single appointments decides (`classify`); a series changed on both sides keeps the
server's version live and the desktop's aside as a conflict (field "series": the two
texts), which the owner resolves like any other. Writes are conditional as for single
appointments, and a 412 re-reads and decides again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from diary.interchange.dav import CalDAVClient, ItemRefused, PreconditionFailed
from diary.interchange.dav import canonical_href as href_path
from diary.interchange.records import ExportItem, ImportedSeries, SeriesInfo
from diary.interchange.sync_ics import normalised_hash, render_item, resource_name
from diary.interchange.sync_series import build_series_upload, read_series, series_digest
from diary.services.calendar_io import CalendarIO
from diary.services.import_directory import Directory
from diary.services.import_results import Tally
from diary.services.store import DiaryStore
from diary.services.sync.classify import Action, Sides, classify
from diary.storage import series_repo
from diary.storage.sync_repo import Item
from diary.storage.unit_of_work import UnitOfWork

MAX_RETRIES = 3  # re-reads after a 412 before leaving a series for the next sync
NOTICE_REACH = timedelta(days=60)  # occurrences of a pulled series checked for a notice


@dataclass(slots=True)
class LocalSeries:
    """diary's series as a resource would hold it now."""

    text: str
    digest: str
    live: bool  # not cancelled
    mark: str  # `series_marks`: changes with any stored change, cheaply

    @property
    def stamp(self) -> str:
        """What the sync state keeps as the item's local stamp."""
        return f"{self.mark}:{self.digest}"


def _digest_of(stamp: str) -> str:
    return stamp.partition(":")[2]


@dataclass(slots=True)
class RemoteSeries:
    href: str
    etag: str | None
    text: str
    series: ImportedSeries | None  # None: the resource holds no series diary can read


@dataclass(slots=True)
class SeriesUnit:
    uid: str
    item: Item | None = None
    local: LocalSeries | None = None
    remote: RemoteSeries | None = None
    removed: bool = False  # the server reported the known resource gone


@dataclass(slots=True)
class SeriesDecision:
    unit: SeriesUnit
    pull: bool = False  # store the server's version here
    cancel_here: bool = False
    forget: bool = False
    state: tuple[str, str | None, str] | None = None  # (href, etag, text) after this sync
    desktop_aside: str | None = None  # the desktop's version, kept as a conflict


def series_item(
    stored: series_repo.StoredSeries, overrides: list[series_repo.Override]
) -> ExportItem:
    """A stored series with its overrides, as export writes it: a cancelled occurrence of a
    live series is an EXDATE of the master."""
    removed: list[datetime] = list(stored.exdates)
    parts: list[ExportItem] = []
    for override in overrides:
        a = override.appointment
        if a.cancelled and not override.this_and_future:
            if not stored.template.cancelled and a.recurrence_id is not None:
                removed.append(a.recurrence_id)
            continue
        parts.append(ExportItem(appointment=a, this_and_future=override.this_and_future))
    parts.sort(key=lambda i: i.appointment.start.timestamp())
    by_instant = {m.timestamp(): m for m in removed}
    return ExportItem(
        appointment=stored.template,
        series=SeriesInfo(
            stored.rrule,
            tuple(by_instant[k] for k in sorted(by_instant)),
            tuple(parts),
            rdates=stored.rdates,
            last_start=stored.last_start,
        ),
    )


def _stored_series(
    uow: UnitOfWork, uids: list[str]
) -> tuple[dict[str, series_repo.StoredSeries], dict[int, list[series_repo.Override]]]:
    """The stored series with these UIDs and the overrides of each (by series id)."""
    stored = uow.series.by_uids(uids)
    overrides = uow.series.overrides_of([s.id for s in stored.values() if s.id is not None])
    return stored, overrides


def local_series(
    uow: UnitOfWork, uids: list[str] | None, *, now: datetime, zone: str
) -> dict[str, LocalSeries]:
    """The diary's series (`uids`, or all) rendered as resources, with their digests."""
    marks = uow.sync.series_marks()
    wanted = list(marks) if uids is None else uids
    stored, overrides = _stored_series(uow, wanted)
    found: dict[str, LocalSeries] = {}
    for uid, series in stored.items():
        assert series.id is not None
        text = render_item(series_item(series, overrides[series.id]), now=now)
        parsed = read_series(text, default_zone=zone, source=uid)
        digest = series_digest(parsed) if parsed is not None else normalised_hash(text)
        found[uid] = LocalSeries(
            text, digest, live=not series.template.cancelled, mark=marks.get(uid, "")
        )
    return found


def store_series(
    store: DiaryStore,
    uow: UnitOfWork,
    series: ImportedSeries,
    *,
    now: datetime,
    uid: str | None = None,
) -> list[Any]:
    """Store a server's (or a kept) series here as its rule and overrides, replacing what
    diary has under that UID; returns the appointments it touched (for the rules' notice).

    Its SEQUENCE is raised above diary's own, so the import never takes it for stale (a
    phone need not raise SEQUENCE when it edits).
    """
    uid = uid or series.uid
    before = uow.series.by_uid(uid)
    sequence = series.template.sequence
    if before is not None:
        sequence = max(sequence, before.template.sequence + 1)
    template = replace(series.template, uid=uid, sequence=sequence)
    overrides = [replace(o, uid=uid) for o in series.overrides]
    entry = replace(series, uid=uid, template=template, overrides=overrides)
    tally = Tally()
    CalendarIO(store).import_series(uow, [entry], Directory(uow), tally, now)
    return list(tally.touched or [])


class SeriesSync:
    """The series of one calendar in one sync pass: collected by the engine, decided and
    written to the server here, applied here inside the engine's final transaction."""

    def __init__(
        self,
        store: DiaryStore,
        client: CalDAVClient,
        collection_url: str,
        collection_id: int,
        account_id: int,
        *,
        zone: str,
        now: datetime,
    ) -> None:
        self.store = store
        self.client = client
        self.path = href_path(collection_url)
        self.collection_id = collection_id
        self.account_id = account_id
        self.zone = zone
        self.now = now
        self.units: dict[str, SeriesUnit] = {}
        self.pushed = self.pulled = self.deleted = self.conflicts = 0
        self.pulled_refs: list[str] = []
        self.problems: list[str] = []
        self.left_for_later = False  # a series left for the next sync (see the engine)

    # -- collecting ---------------------------------------------------------------------

    def unit(self, uid: str) -> SeriesUnit:
        return self.units.setdefault(uid, SeriesUnit(uid))

    def remote(self, uid: str, href: str, etag: str | None, text: str) -> None:
        series = read_series(text, default_zone=self.zone, source=href)
        self.unit(uid).remote = RemoteSeries(href_path(href), etag, text, series)

    def local_changes(self, uow: UnitOfWork, known: dict[str, tuple[str, str]]) -> None:
        """Units for every series diary made, changed or dropped since the last sync.

        `known`: uid -> (href, local stamp at the last sync) of the series items. Only a
        series whose stored mark moved is rendered.
        """
        marks = uow.sync.series_marks()
        stale = [
            uid
            for uid, mark in marks.items()
            if uid not in known or known[uid][1].partition(":")[0] != mark
        ]
        for uid, value in local_series(uow, stale, now=self.now, zone=self.zone).items():
            last = known.get(uid)
            if (
                last is None
                and value.live
                or last is not None
                and _digest_of(last[1]) != value.digest
            ):
                self.unit(uid).local = value
        for uid in known:
            if uid not in marks:
                self.unit(uid)  # gone here

    def load(self, uow: UnitOfWork) -> None:
        """The sync state and diary's copy of every unit collected."""
        missing = [u for u, unit in self.units.items() if unit.local is None]
        found = local_series(uow, missing, now=self.now, zone=self.zone)
        for uid, value in found.items():
            self.units[uid].local = value
        for item in uow.sync.items(self.collection_id):
            if item.kind == "series" and item.uid in self.units:
                self.units[item.uid].item = item

    # -- deciding and writing to the server --------------------------------------------

    def _sides(self, unit: SeriesUnit) -> Sides:
        item, here, there = unit.item, unit.local, unit.remote
        present_there = there is not None or (item is not None and not unit.removed)
        local_changed = (
            item is not None and here is not None and here.digest != _digest_of(item.local_stamp)
        )
        remote_changed = False
        if item is not None and there is not None and normalised_hash(there.text) != item.base_hash:
            before = read_series(item.base_ics, default_zone=self.zone, source=item.href)
            remote_changed = (
                before is None
                or there.series is None
                or series_digest(before) != series_digest(there.series)
            )
        return Sides(
            known=item is not None,
            local=here is not None and here.live,
            remote=present_there,
            local_changed=local_changed,
            remote_changed=remote_changed,
        )

    def plan(self) -> list[tuple[SeriesUnit, Action]]:
        """Each unit with its action (nothing written yet)."""
        plans = []
        for unit in self.units.values():
            if unit.remote is not None and unit.remote.series is None:
                self.problems.append(
                    f"{unit.remote.href}: a repeating event diary cannot read; left as it is"
                )
                continue
            plans.append((unit, classify(self._sides(unit))))
        return plans

    def act(self, plans: list[tuple[SeriesUnit, Action]]) -> list[SeriesDecision]:
        """Write to the server what the plans say; what is left to apply here."""
        decisions = []
        for unit, action in plans:
            decision = self._act(unit, action, 0)
            if decision is not None:
                decisions.append(decision)
        return decisions

    def _act(self, unit: SeriesUnit, action: Action, attempt: int) -> SeriesDecision | None:
        try:
            return self._act_once(unit, action)
        except PreconditionFailed as failure:
            if attempt >= MAX_RETRIES:
                self.problems.append(
                    f"{failure.href}: changed again and again on the server; left for later"
                )
                self.left_for_later = True
                return None
            fresh = self.client.get(failure.href)
            if fresh is None:
                unit.remote, unit.removed = None, True
            else:
                self.remote(unit.uid, fresh.href, fresh.etag, fresh.data)
            return self._act(unit, classify(self._sides(unit)), attempt + 1)
        except ItemRefused as refused:
            self.problems.append(str(refused))
            self.left_for_later = True
            return None

    def _act_once(self, unit: SeriesUnit, action: Action) -> SeriesDecision | None:
        item, here, there = unit.item, unit.local, unit.remote
        if action is Action.NOTHING:
            if item is None:
                return None
            if there is not None:
                return SeriesDecision(unit, state=(there.href, there.etag, there.text))
            return SeriesDecision(unit, state=(item.href, item.etag, item.base_ics))
        if action is Action.FORGET:
            return SeriesDecision(unit, forget=True)
        if action in (Action.PUSH_NEW, Action.PUSH_UPDATE):
            assert here is not None
            href = item.href if item is not None else self.path + resource_name(unit.uid)
            etag, text = None, here.text
            if item is not None and action is Action.PUSH_UPDATE:
                # Built on the server's copy (as read now, else as last synced), so what
                # the phone set on the series (its alarms, colours) survives diary's edit.
                etag = there.etag if there is not None else item.etag
                base = there.text if there is not None else item.base_ics
                text = build_series_upload(base, here.text, now=self.now) if base else text
            new_etag = self.client.put(href, text, etag=etag)
            self.pushed += 1
            return SeriesDecision(unit, state=(href, new_etag, text))
        if action is Action.PUSH_DELETE:
            assert item is not None
            self.client.delete(item.href, etag=there.etag if there is not None else item.etag)
            self.pushed += 1
            return SeriesDecision(unit, forget=True)
        if action is Action.PULL_DELETE:
            return SeriesDecision(unit, cancel_here=True, forget=True)
        assert there is not None and there.series is not None
        state = (there.href, there.etag, there.text)
        if action in (Action.PULL_NEW, Action.PULL_UPDATE):
            return SeriesDecision(unit, pull=True, state=state)
        assert action is Action.MERGE and here is not None
        if series_digest(there.series) == here.digest:
            return SeriesDecision(unit, state=state)  # the same on both sides
        self.conflicts += 1
        return SeriesDecision(unit, pull=True, state=state, desktop_aside=here.text)

    # -- applying here (inside the engine's final transaction) -------------------------

    def apply(self, uow: UnitOfWork, decisions: list[SeriesDecision]) -> None:
        for decision in decisions:
            self._apply(uow, decision)

    def _apply(self, uow: UnitOfWork, decision: SeriesDecision) -> None:
        unit = decision.unit
        if decision.pull or decision.cancel_here:
            now_here = local_series(uow, [unit.uid], now=self.now, zone=self.zone)
            current = now_here.get(unit.uid)
            before = unit.local.digest if unit.local is not None else None
            if (current.digest if current is not None else None) != before:
                self.problems.append(f"{unit.uid}: changed here during the sync; next time")
                return
        stamp = unit.local.stamp if unit.local is not None else ""
        if decision.pull and unit.remote is not None and unit.remote.series is not None:
            touched = store_series(self.store, uow, unit.remote.series, now=self.now)
            self.pulled += 1
            lo, hi = self.now - timedelta(days=1), self.now + NOTICE_REACH
            self.pulled_refs.extend(
                a.ref for a in touched if not a.cancelled and lo <= a.start < hi
            )
            stored = local_series(uow, [unit.uid], now=self.now, zone=self.zone)
            stamp = stored[unit.uid].stamp if unit.uid in stored else ""
        if decision.cancel_here:
            current_series = uow.series.by_uid(unit.uid)
            if current_series is not None and not current_series.template.cancelled:
                assert current_series.id is not None
                uow.series.cancel(
                    current_series.id, current_series.template.sequence + 1, now=self.now
                )
                self.deleted += 1
                uow.sync.drop_conflicts_of(self.account_id, unit.uid)
        if decision.desktop_aside is not None and unit.remote is not None:
            title = unit.remote.series.template.title if unit.remote.series else unit.uid
            uow.sync.keep_conflict(
                self.account_id,
                uid=unit.uid,
                title=title,
                fields={"series": {"desktop": decision.desktop_aside, "server": unit.remote.text}},
                created=self.now,
            )
        if decision.forget or decision.state is None:
            if unit.item is not None:
                uow.sync.forget_item(self.collection_id, unit.item.href)
            return
        href, etag, text = decision.state
        if unit.item is not None and unit.item.href != href:
            uow.sync.forget_item(self.collection_id, unit.item.href)
        uow.sync.save_item(
            self.collection_id,
            href=href,
            uid=unit.uid,
            kind="series",
            etag=etag,
            base_ics=text,
            base_hash=normalised_hash(text),
            local_stamp=stamp,
        )

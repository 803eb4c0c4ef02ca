"""The single appointments of one sync pass: each UID as both sides and the last sync
have it (`Unit`), what the pass decided for it (`Decision`), and how a decision is
recorded and applied here inside the engine's final transaction (never refused, never
moved: what comes from the server is stored as it is and flagged by the rules).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from diary.domain.model import Appointment
from diary.interchange.sync_ics import RemoteItem, appointment_fields, normalised_hash
from diary.services.sync import local
from diary.services.sync.local import Directory
from diary.storage.sync_access import SyncRecords
from diary.storage.sync_repo import Item
from diary.storage.unit_of_work import UnitOfWork


@dataclass(slots=True)
class Tally:
    """What one sync did, counted per appointment."""

    pushed: int = 0
    pulled: int = 0
    deleted: int = 0
    conflicts: int = 0
    pulled_refs: list[str] = field(default_factory=list)  # to check against the rules
    problems: list[str] = field(default_factory=list)  # items left for next time, in words
    token_rejected: bool = False


@dataclass(slots=True)
class Remote:
    """The server's current copy of one resource."""

    href: str
    etag: str | None
    text: str
    hash: str
    item: RemoteItem


@dataclass(slots=True)
class Unit:
    """One appointment (one UID) as both sides and the last sync have it."""

    uid: str
    item: Item | None = None
    local: Appointment | None = None
    remote: Remote | None = None
    removed: bool = False  # the server reported the known resource gone


@dataclass(slots=True)
class Decision:
    """What the final transaction does for one unit."""

    unit: Unit
    pull: frozenset[str] = frozenset()  # fields to take from `event`
    pull_new: bool = False
    cancel_here: bool = False
    forget: bool = False
    state: tuple[str, str | None, str] | None = None  # (href, etag, base text) after this sync
    conflicts: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    event_remote: Remote | None = None


def record(
    records: SyncRecords, collection_id: int, decision: Decision, appointment: Appointment | None
) -> None:
    """The item's sync state after this sync (`appointment`: as diary now has it)."""
    unit = decision.unit
    if decision.forget or decision.state is None:
        if unit.item is not None:
            records.forget_item(collection_id, unit.item.href)
        return
    href, etag, text = decision.state
    if unit.item is not None and unit.item.href != href:
        records.forget_item(collection_id, unit.item.href)
    records.save_item(
        collection_id,
        href=href,
        uid=unit.uid,
        kind="event",
        etag=etag,
        base_ics=text,
        base_hash=normalised_hash(text),
        local_fields=appointment_fields(appointment) if appointment is not None else {},
        local_stamp=local.stamp_of(appointment) or "",
    )


def apply(
    uow: UnitOfWork,
    directory: Directory,
    decision: Decision,
    *,
    collection_id: int,
    account_id: int,
    tally: Tally,
    now: datetime,
    recorded: bool,
) -> None:
    """What `decision` changes here, and the item's new state (unless a push already
    `recorded` it). An appointment changed here while the sync talked to the server is
    left for the next sync, which merges it."""
    unit = decision.unit
    touches_here = decision.pull or decision.pull_new or decision.cancel_here
    if not touches_here and not decision.conflicts:
        if not recorded:  # a push: nothing changes here
            record(uow.sync, collection_id, decision, unit.local)
        return
    current = uow.sync.singles_by_uid([unit.uid]).get(unit.uid)
    if touches_here and local.stamp_of(current) != local.stamp_of(unit.local):
        # Changed here while we talked to the server: the next sync merges it (its
        # conditional write will meet the server's new version and re-read it).
        tally.problems.append(f"{unit.uid}: changed here during the sync; next time")
        return
    stored = unit.local  # what was pushed, unless something is pulled below
    remote = decision.event_remote
    event = remote.item.event if remote is not None else None
    if decision.pull_new and event is not None:
        fresh = local.new_appointment(event, directory, unit.uid)
        if current is not None:
            fresh = replace(fresh, sequence=current.sequence + 1, created=current.created)
        stored, _stamp = local.save(uow, fresh, new=current is None)
        tally.pulled += 1
        tally.pulled_refs.append(stored.ref)
    elif decision.pull and current is not None and event is not None:
        updated = local.with_fields(current, event, decision.pull, directory)
        if updated != current:
            updated = replace(updated, sequence=current.sequence + 1)
            stored, _stamp = local.save(uow, updated, new=False)
            tally.pulled += 1
            if "when" in decision.pull or "cancelled" in decision.pull:
                tally.pulled_refs.append(stored.ref)
    elif decision.cancel_here and current is not None and not current.cancelled:
        cancelled = replace(current, cancelled=True, sequence=current.sequence + 1)
        stored, _stamp = local.save(uow, cancelled, new=False)
        tally.deleted += 1
        uow.sync.drop_conflicts_of(account_id, unit.uid)
    if decision.conflicts:
        uow.sync.keep_conflict(
            account_id,
            uid=unit.uid,
            title=stored.title if stored is not None else unit.uid,
            fields={
                name: {"desktop": mine, "server": theirs}
                for name, (mine, theirs) in decision.conflicts.items()
            },
            created=now,
        )
    record(uow.sync, collection_id, decision, stored)

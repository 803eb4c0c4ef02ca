"""What to do with one item of a two-way sync: a pure function of what each side did.

As vdirsyncer's `sync/__init__.py` and DAVx5's SyncManager decide it: the status of the
last sync (is the item known?) and whether each side has it now and changed it since
give one action. Deleted on one side and edited on the other: the edit wins. The
actions are applied afterwards, by the engine; nothing here does I/O.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Action(enum.Enum):
    NOTHING = "nothing"
    PUSH_NEW = "push-new"  # create on the server (If-None-Match: *)
    PUSH_UPDATE = "push-update"  # replace on the server (If-Match)
    PUSH_DELETE = "push-delete"  # delete on the server (If-Match)
    PULL_NEW = "pull-new"  # create (or bring back) here
    PULL_UPDATE = "pull-update"  # change here
    PULL_DELETE = "pull-delete"  # delete (cancel) here
    MERGE = "merge"  # both changed, or both new: field by field
    FORGET = "forget"  # gone on both sides: drop the status


@dataclass(frozen=True, slots=True)
class Sides:
    """One item as both sides have it now, against the status of the last sync.

    `known`: the last sync recorded it. `local`/`remote`: the side has it now (a cancelled
    appointment counts as deleted). `local_changed`/`remote_changed`: it differs from
    what the last sync recorded (only meaningful when known and present).
    """

    known: bool
    local: bool
    remote: bool
    local_changed: bool = False
    remote_changed: bool = False


def classify(sides: Sides) -> Action:
    """The action for one item (see the table in tests/services/sync/test_classify.py)."""
    if not sides.known:
        if sides.local and sides.remote:
            return Action.MERGE  # both new with one UID: compare before deciding
        if sides.local:
            return Action.PUSH_NEW
        if sides.remote:
            return Action.PULL_NEW
        return Action.NOTHING
    if sides.local and sides.remote:
        if sides.local_changed and sides.remote_changed:
            return Action.MERGE
        if sides.local_changed:
            return Action.PUSH_UPDATE
        if sides.remote_changed:
            return Action.PULL_UPDATE
        return Action.NOTHING
    if sides.remote:  # deleted here
        return Action.PULL_NEW if sides.remote_changed else Action.PUSH_DELETE
    if sides.local:  # deleted there
        return Action.PUSH_NEW if sides.local_changed else Action.PULL_DELETE
    return Action.FORGET


def refuse_empty(known: int, remote_now: int, deletions: int) -> bool:
    """True when the server suddenly shows an empty calendar that held synced items.

    Deleting everything here because the server (or a misconfigured URL) looks empty is
    what vdirsyncer refuses to do without `--force-delete`; so do we, until the owner says.
    """
    return known > 0 and remote_now == 0 and deletions > 0

"""Field-by-field merge of one appointment changed on both sides since the last sync.

Where only one side changed a field, that side's value wins. Where both changed the same
field to different values, the server's value stays live and the desktop's is kept as a
conflict for the owner (issue "One diary everywhere"). Pure: values in, decisions out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Merge:
    """What to do per field: send `push` to the server, take `pull` from it; `conflicts`
    (field -> (desktop value, server value)) were pulled too and the desktop's kept aside."""

    push: frozenset[str] = frozenset()
    pull: frozenset[str] = frozenset()
    conflicts: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def changed_fields(
    before: Mapping[str, Any] | None, now: Mapping[str, Any], fields: Iterable[str]
) -> frozenset[str]:
    """The fields whose value differs from `before` (all of them when there is no before)."""
    if not before:
        return frozenset(fields)
    return frozenset(f for f in fields if now.get(f) != before.get(f))


def merge(
    fields: Iterable[str],
    *,
    base_local: Mapping[str, Any] | None,
    local: Mapping[str, Any],
    base_remote: Mapping[str, Any] | None,
    remote: Mapping[str, Any],
) -> Merge:
    """Decide each field. Without a base (both sides made the UID on their own), every
    field that differs is a conflict: nothing says which side is newer."""
    names = tuple(fields)
    here = changed_fields(base_local, local, names)
    there = changed_fields(base_remote, remote, names)
    push: set[str] = set()
    pull: set[str] = set()
    conflicts: dict[str, tuple[Any, Any]] = {}
    for name in names:
        mine, theirs = local.get(name), remote.get(name)
        if name in here and name in there:
            if mine != theirs:
                pull.add(name)
                conflicts[name] = (mine, theirs)
        elif name in here:
            push.add(name)
        elif name in there:
            pull.add(name)
    return Merge(frozenset(push), frozenset(pull), conflicts)

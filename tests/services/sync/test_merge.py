"""Field-by-field merge: one side's change wins, the same field changed twice is a conflict."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from diary.services.sync.merge import merge

FIELDS = ("title", "when", "location", "notes")
BASE = {"title": "Boiler check", "when": "10-11", "location": "Hauptstr. 5", "notes": ""}


def test_different_fields_changed_on_each_side_both_survive() -> None:
    local = {**BASE, "title": "Boiler service"}
    remote = {**BASE, "when": "11-12"}
    result = merge(FIELDS, base_local=BASE, local=local, base_remote=BASE, remote=remote)
    assert result.push == {"title"} and result.pull == {"when"} and not result.conflicts


def test_the_same_field_changed_twice_keeps_the_server_live_and_the_desktop_aside() -> None:
    local = {**BASE, "when": "09-10"}
    remote = {**BASE, "when": "14-15"}
    result = merge(FIELDS, base_local=BASE, local=local, base_remote=BASE, remote=remote)
    assert result.pull == {"when"} and not result.push
    assert result.conflicts == {"when": ("09-10", "14-15")}


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    changed = {**BASE, "notes": "bring the ladder"}
    result = merge(FIELDS, base_local=BASE, local=changed, base_remote=BASE, remote=changed)
    assert not result.push and not result.pull and not result.conflicts


def test_without_a_base_only_differences_are_conflicts() -> None:
    remote = {**BASE, "notes": "from the phone"}
    result = merge(FIELDS, base_local=None, local=BASE, base_remote=None, remote=remote)
    assert result.conflicts == {"notes": ("", "from the phone")}
    assert result.pull == {"notes"} and not result.push


values = st.sampled_from(["a", "b", "c"])
sides = st.fixed_dictionaries({name: values for name in FIELDS})


@given(base=sides, local=sides, remote=sides)
def test_every_change_is_applied_or_kept_as_a_conflict(
    base: dict[str, Any], local: dict[str, Any], remote: dict[str, Any]
) -> None:
    result = merge(FIELDS, base_local=base, local=local, base_remote=base, remote=remote)
    merged_server = {f: (local[f] if f in result.push else remote[f]) for f in FIELDS}
    merged_desktop = {f: (remote[f] if f in result.pull else local[f]) for f in FIELDS}
    assert merged_server == merged_desktop  # both sides end equal
    for name in FIELDS:
        if local[name] != base[name]:  # a desktop change is live or kept aside
            assert merged_desktop[name] == local[name] or name in result.conflicts
        if remote[name] != base[name]:  # a server change is live
            assert merged_desktop[name] == remote[name]

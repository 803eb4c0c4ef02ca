"""A diary restored from an older backup syncs as one that must compare everything: the
server's later items and edits stay and come back, nothing there is deleted or overwritten
(issue 16; the restore path, storage/snapshot.py). Dates in 2030 (conftest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from diary.services.results import NotFoundError

from .conftest import Desk, at, phone_event


def _sync_state(desk: Desk) -> tuple[list[str | None], list[int]]:
    with desk.service.store.read() as uow:
        accounts = uow.sync.accounts()
    tokens = [c.sync_token for a in accounts for c in a.collections]
    return tokens, [a.local_revision for a in accounts]


def test_a_restored_backup_compares_every_etag_and_keeps_the_servers_later_items(
    desk: Desk, tmp_path: Path
) -> None:
    desk.phone.put("phone.ics", phone_event("phone-1", "Gas meter", at(5, 9)))
    boiler = desk.book("Boiler check", at(4, 10))
    desk.sync()
    backup = desk.service.backups.take(tmp_path / "last-week.sqlite3")
    later = desk.book("Radiator", at(6, 14))  # booked after the backup, and synced
    desk.sync()
    desk.phone.put("phone.ics", phone_event("phone-1", "Gas meter\\, side door", at(5, 11)))
    server_before = desk.by_uid()
    assert set(server_before) == {"phone-1", boiler, later}

    desk.service.restore_backup(str(backup.path))
    tokens, revisions = _sync_state(desk)
    assert tokens and all(token is None for token in tokens)
    assert revisions == [-1]
    with pytest.raises(NotFoundError):
        desk.service.get(later)  # last week's diary did not have it

    report = desk.sync()
    assert report.pushed == 0
    server_after = desk.by_uid()
    assert set(server_after) == set(server_before)  # nothing deleted there
    assert server_after[boiler] == server_before[boiler]  # nor overwritten
    assert server_after["phone-1"] == server_before["phone-1"]
    assert desk.service.get(later).title == "Radiator"  # the server's copy came back
    moved = desk.service.get("phone-1")
    assert (moved.title, moved.start) == ("Gas meter, side door", at(5, 11))
    again = desk.sync()
    assert (again.pushed, again.pulled, again.deleted) == (0, 0, 0)

"""The unit of work alone: what a write announces, what a refused or failed one leaves,
and the revision that tells the services' caches whether they still hold.

Appointments in June 2024, read by their dates only: nothing here depends on today.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from diary.domain.model import Appointment
from diary.storage import Database, open_database
from diary.storage.unit_of_work import reading, writing

LONDON = ZoneInfo("Europe/London")
NINE = datetime(2024, 6, 3, 9, tzinfo=LONDON)
TEN = datetime(2024, 6, 3, 10, tzinfo=LONDON)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    opened = open_database(f"sqlite:///{tmp_path / 'diary.sqlite3'}")
    opened.ensure_diary("default", "Europe/London")
    yield opened
    opened.close()


def _visit(uid: str = "visit@test") -> Appointment:
    return Appointment(uid=uid, title="Visit", start=NINE, end=TEN, zone="Europe/London")


def _revision(database: Database, diary_id: int) -> int:
    with reading(database, diary_id) as uow:
        found = uow.journal.revision()
    assert found is not None
    return found


def test_a_write_that_stores_announces_the_revision_it_commits(database: Database) -> None:
    written: list[int] = []
    with writing(database, "default", on_written=written.append) as uow:
        diary_id = uow.diary_id
        before = uow.revision
        assert before is not None and not uow.has_written
        uow.appointments.save(_visit())
        assert uow.has_written and uow.revision is None  # caches by revision no longer hold

    assert written == [before + 1] == [_revision(database, diary_id)]
    with reading(database, diary_id) as uow:
        assert uow.revision == before + 1
        stored = uow.appointments.overlapping(NINE, TEN)
        journal = uow.journal.since(before, before + 1)
    assert [a.uid for a in stored] == ["visit@test"]
    assert journal[before + 1] is not None  # the window learns which times changed


def test_a_write_that_changes_nothing_announces_nothing(database: Database) -> None:
    written: list[int] = []
    with writing(database, "default", on_written=written.append) as uow:
        diary_id, before = uow.diary_id, uow.revision
        assert uow.appointments.by_uid("nobody@test") is None
    assert written == []
    assert _revision(database, diary_id) == before


def test_a_failed_write_leaves_the_database_as_it_was(database: Database) -> None:
    written: list[int] = []
    with (
        pytest.raises(RuntimeError, match="refused"),
        writing(database, "default", on_written=written.append) as uow,
    ):
        diary_id, before = uow.diary_id, uow.revision
        uow.appointments.save(_visit())
        raise RuntimeError("refused")
    assert written == []
    assert _revision(database, diary_id) == before
    with reading(database, diary_id) as uow:
        assert uow.appointments.overlapping(NINE, TEN) == []


def test_reading_a_diary_that_does_not_exist_is_a_lookup_error(database: Database) -> None:
    with pytest.raises(LookupError, match="#9999"), reading(database, 9999):
        pass


def test_the_policy_is_read_when_first_asked(database: Database) -> None:
    with writing(database, "default") as uow:
        diary_id = uow.diary_id
    with reading(database, diary_id) as uow:
        assert uow.policy.zone == "Europe/London"

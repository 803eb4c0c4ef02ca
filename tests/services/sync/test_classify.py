"""The sync's decision per item, on the whole table of cases (pure, no server)."""

from __future__ import annotations

import pytest

from diary.services.sync.classify import Action, Sides, classify, refuse_empty

# known, here, there, changed here, changed there -> action
TABLE = [
    # never synced
    (False, True, False, False, False, Action.PUSH_NEW),
    (False, False, True, False, False, Action.PULL_NEW),
    (False, True, True, False, False, Action.MERGE),  # same UID made on both sides
    (False, False, False, False, False, Action.NOTHING),
    # synced before, both still have it
    (True, True, True, False, False, Action.NOTHING),
    (True, True, True, True, False, Action.PUSH_UPDATE),
    (True, True, True, False, True, Action.PULL_UPDATE),
    (True, True, True, True, True, Action.MERGE),
    # deleted here
    (True, False, True, False, False, Action.PUSH_DELETE),
    (True, False, True, False, True, Action.PULL_NEW),  # edited there: the edit wins
    # deleted there
    (True, True, False, False, False, Action.PULL_DELETE),
    (True, True, False, True, False, Action.PUSH_NEW),  # edited here: the edit wins
    # deleted on both sides
    (True, False, False, False, False, Action.FORGET),
]


@pytest.mark.parametrize(
    ("known", "here", "there", "changed_here", "changed_there", "action"), TABLE
)
def test_each_case_has_its_action(
    known: bool, here: bool, there: bool, changed_here: bool, changed_there: bool, action: Action
) -> None:
    assert classify(Sides(known, here, there, changed_here, changed_there)) is action


def test_an_empty_server_deletes_nothing_without_the_owners_word() -> None:
    assert refuse_empty(known=12, remote_now=0, deletions=12)
    assert not refuse_empty(known=12, remote_now=1, deletions=11)  # the phone deleted 11
    assert not refuse_empty(known=0, remote_now=0, deletions=0)  # a new, empty calendar

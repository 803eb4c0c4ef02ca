"""The date-and-time field's reading of wall-clock times around clock changes (over the
domain's `limits.wall_time`): none in the spring gap, two in the autumn fold, else one."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diary.domain.local_time import is_ambiguous
from diary.ui.date_field import instants_at

ZONES = ("Europe/London", "Europe/Berlin", "America/New_York", "Australia/Sydney")
CHANGE_NIGHTS = [
    ("Europe/London", datetime(2030, 3, 31, 1, 30), 0),
    ("Europe/London", datetime(2030, 10, 27, 1, 30), 2),
    ("America/New_York", datetime(2030, 3, 10, 2, 30), 0),
    ("America/New_York", datetime(2030, 11, 3, 1, 30), 2),
    ("Australia/Lord_Howe", datetime(2030, 4, 7, 1, 45), 2),  # a half-hour change
    ("Australia/Lord_Howe", datetime(2030, 10, 6, 2, 15), 0),
]


@pytest.mark.parametrize(("zone", "wall", "count"), CHANGE_NIGHTS)
def test_change_nights_have_missing_and_repeated_times(
    zone: str, wall: datetime, count: int
) -> None:
    found = instants_at(wall, zone)
    assert len(found) == count
    if count == 2:
        first, second = found
        assert second.timestamp() > first.timestamp()
        assert all(m.replace(tzinfo=None) == wall for m in found)
        assert is_ambiguous(first, ZoneInfo(zone)) and is_ambiguous(second, ZoneInfo(zone))


@given(
    zone=st.sampled_from(ZONES),
    moment=st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)
    ),
)
def test_every_instant_is_found_again_from_its_wall_time(zone: str, moment: datetime) -> None:
    local = moment.astimezone(ZoneInfo(zone)).replace(second=0, microsecond=0)
    found = instants_at(local.replace(tzinfo=None), zone)
    assert local.timestamp() in [f.timestamp() for f in found]
    assert len(found) in (1, 2)
    assert is_ambiguous(local, ZoneInfo(zone)) == (len(found) == 2)

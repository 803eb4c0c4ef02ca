"""Wall-clock times on clock-change nights and the years diary keeps (diary.domain.limits).

Dates are the Europe/London changes of 2026 and an arbitrary sample of zones and years:
fixed on purpose, the rules do not depend on "now".
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diary.domain.limits import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_MINUTES,
    AmbiguousTime,
    NonexistentTime,
    supported,
    wall_time,
)

LONDON = ZoneInfo("Europe/London")
ZONES = [
    ZoneInfo(z)
    for z in (
        "Europe/London",
        "America/New_York",
        "Australia/Lord_Howe",
        "America/Santiago",
        "Asia/Kolkata",
        "UTC",
    )
]


def test_a_time_that_happens_twice_gives_both_instants() -> None:
    with pytest.raises(AmbiguousTime) as twice:
        wall_time(datetime(2026, 10, 25, 1, 30), LONDON)
    assert twice.value.first.isoformat() == "2026-10-25T01:30:00+01:00"
    assert twice.value.second.isoformat() == "2026-10-25T01:30:00+00:00"
    assert twice.value.second - twice.value.first == timedelta(hours=1)


def test_a_time_the_clocks_skip_does_not_exist() -> None:
    with pytest.raises(NonexistentTime):
        wall_time(datetime(2026, 3, 29, 1, 30), LONDON)


@given(
    st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1)),
    st.sampled_from(ZONES),
)
def test_an_accepted_wall_time_reads_back_as_itself(value: datetime, zone: ZoneInfo) -> None:
    try:
        moment = wall_time(value, zone)
    except NonexistentTime:
        return
    except AmbiguousTime as twice:
        for instant in (twice.first, twice.second):
            assert instant.astimezone(zone).replace(tzinfo=None) == value
        assert twice.first.astimezone(UTC) < twice.second.astimezone(UTC)
        return
    assert moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == value


def test_supported_years_and_the_longest_length() -> None:
    assert supported(date(FIRST_YEAR, 1, 1)) and supported(date(LAST_YEAR, 12, 31))
    assert not supported(date(FIRST_YEAR - 1, 12, 31)) and not supported(date(LAST_YEAR + 1, 1, 1))
    # Any supported start plus the longest length still fits a datetime.
    assert datetime(LAST_YEAR, 12, 31, tzinfo=UTC) + timedelta(minutes=MAX_MINUTES)

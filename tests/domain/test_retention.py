"""diary.domain.retention: 7 daily and 4 weekly backups, counted over days that have one."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from diary.domain.retention import kept

LONDON = ZoneInfo("Europe/London")
moments = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(LONDON)
)


@given(st.lists(moments, max_size=80))
def test_what_is_kept_is_a_few_of_the_backups_and_always_the_newest(taken: list[datetime]) -> None:
    keep = kept(taken)
    assert keep <= set(taken)
    assert len(keep) <= 7 + 4
    if taken:
        assert max(taken) in keep
        days = {m.date() for m in keep}
        assert len(days) >= min(7, len({m.date() for m in taken}))


@given(st.lists(moments, min_size=1, max_size=80), moments)
def test_an_older_backup_never_displaces_a_newer_one(
    taken: list[datetime], extra: datetime
) -> None:
    """A backup older than all others never costs a newer one its place."""
    keep = kept(taken)
    if extra < min(taken):
        assert kept([*taken, extra]) >= keep


def test_two_months_of_daily_use() -> None:
    first = datetime(2026, 9, 1, 8, 30, tzinfo=LONDON)  # a Tuesday
    taken = [first + timedelta(days=n) for n in range(61)] + [
        first + timedelta(days=60, hours=3)  # a second one on the last day
    ]
    keep = sorted(kept(taken))
    last = first + timedelta(days=60, hours=3)
    dailies = [last, *[first + timedelta(days=n) for n in range(59, 53, -1)]]
    # The newest of each of the four most recent ISO weeks: Sundays before this week.
    assert last.date().isoweekday() == 6  # Saturday 31 October 2026
    sundays = [datetime(2026, 10, d, 8, 30, tzinfo=LONDON) for d in (25, 18, 11)]
    assert keep == sorted({*dailies, *sundays})


def test_a_long_break_keeps_the_backups_from_before_it() -> None:
    before = [datetime(2026, 3, d, 9, tzinfo=LONDON) for d in range(1, 11)]
    after = [datetime(2026, 6, 1, 9, tzinfo=LONDON)]
    keep = kept(before + after)
    assert {m.date() for m in keep} >= {datetime(2026, 3, d).date() for d in range(5, 11)}

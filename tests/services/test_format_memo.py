"""The memo of what babel said at the last start: it may only ever save time, never words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from diary import format_memo
from diary.i18n import Formatter


@pytest.fixture(autouse=True)
def fresh_memo() -> Iterator[None]:
    saved = (dict(format_memo._known), dict(format_memo._used), format_memo._recording)
    format_memo._known.clear()
    format_memo._used.clear()
    format_memo._recording = True
    yield
    format_memo._known.clear()
    format_memo._known.update(saved[0])
    format_memo._used.clear()
    format_memo._used.update(saved[1])
    format_memo._recording = saved[2]


def never() -> str:
    raise AssertionError("computed although it was remembered")


def test_what_a_start_formatted_is_there_at_the_next() -> None:
    assert format_memo.remembered("en_US\tMEd\t2026-11-23", lambda: "Mon, 11/23") == "Mon, 11/23"
    kept = format_memo.keep(also=lambda: format_memo.remembered("en_US\tnext", lambda: "Mon"))
    assert kept is not None
    format_memo.recall(kept)
    assert format_memo.remembered("en_US\tMEd\t2026-11-23", never) == "Mon, 11/23"
    assert format_memo.remembered("en_US\tnext", never) == "Mon"
    # A process starts once: a second window keeps nothing over the first one's memo.
    assert format_memo.keep() is None


def test_a_memo_of_other_babel_data_or_garbage_is_ignored() -> None:
    format_memo.remembered("k", lambda: "v")
    kept = format_memo.keep()
    assert kept is not None
    stamp, _, entries = kept.partition("\n")
    for text in (f"{stamp}x\n{entries}", "", None, 42, "\n\x1f\n", "no stamp\x1fat all"):
        format_memo.recall(text)
        assert format_memo.remembered("k", lambda: "computed") == "computed"


def test_strings_that_would_break_the_memo_are_not_kept() -> None:
    format_memo.remembered("line\nbreak", lambda: "v")
    format_memo.remembered("k", lambda: "two\x1ffields")
    format_memo.remembered("fine", lambda: "v")
    format_memo.recall(format_memo.keep())
    assert format_memo.remembered("fine", never) == "v"
    assert format_memo.remembered("k", lambda: "asked again") == "asked again"


@pytest.mark.parametrize("locale", ["en_US", "de_DE", "fr_FR", None])
def test_a_recalled_memo_says_exactly_what_babel_says(locale: str | None) -> None:
    days = [date(2026, 11, 23 + i) for i in range(7)]
    times = [datetime(2026, 11, 23, h, 30, tzinfo=ZoneInfo("Europe/Berlin")) for h in range(24)]

    def words(f: Formatter) -> list[object]:
        return [
            f.locale,
            f.first_weekday,
            *(f.day_header(d) for d in days),
            *(f.date_medium(d) for d in days),
            *(f.time(t) for t in times),
        ]

    said = words(Formatter(locale, "Europe/Berlin"))
    format_memo.recall(format_memo.keep())
    assert len(format_memo._known) >= 1 + 1 + 7 + 7 + 24
    assert words(Formatter(locale, "Europe/Berlin")) == said

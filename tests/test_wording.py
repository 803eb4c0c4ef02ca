"""Conflicts in words from the side of the appointment being changed (diary.wording)."""

from __future__ import annotations

from diary.domain.model import BufferShortfall, Rule, Violation
from diary.wording import describe, describe_for

SQUEEZED = Violation(
    Rule.BUFFER,
    "boiler",
    other_ref="this",
    other_title="Radiator bleed",
    shortfall=BufferShortfall(15, 15, 20, "Radiator bleed", "Bahnhofstr. 9"),
    title="Boiler service",
)


def test_a_neighbour_squeezed_is_named_with_the_direction() -> None:
    assert describe_for(SQUEEZED, "this") == (
        "15 min short before Boiler service: 15 min wrap-up after this job "
        "and 20 min travel from Bahnhofstr. 9"
    )
    # From the neighbour's own side (the command line, its tooltip) it is said as before.
    assert describe(SQUEEZED) == (
        "15 min short: 15 min wrap-up after Radiator bleed, 20 min travel from Bahnhofstr. 9"
    )


def test_the_appointments_own_shortfall_names_what_comes_before() -> None:
    own = Violation(
        Rule.BUFFER,
        "this",
        other_ref="survey",
        other_title="Kitchen survey",
        shortfall=BufferShortfall(10, 15, 0, "Kitchen survey", None),
        title="Radiator bleed",
    )
    assert describe_for(own, "this") == (
        "10 min short after Kitchen survey: 15 min wrap-up after Kitchen survey"
    )


def test_the_mirror_of_its_own_double_booking_is_not_said() -> None:
    mine = Violation(Rule.DOUBLE_BOOKING, "this", other_ref="b", other_title="Kitchen survey")
    mirror = Violation(Rule.DOUBLE_BOOKING, "b", other_ref="this", other_title="Radiator bleed")
    assert describe_for(mine, "this") == "double-booked with Kitchen survey"
    assert describe_for(mirror, "this") is None
    assert describe_for(Violation(Rule.AFTER_HOURS, "b"), "this") is None


def test_a_long_run_of_reasons_is_counted_not_listed() -> None:
    """A booking from 2027 to 2199 breaks the reserve on every working day: the owner reads
    a dozen of them and how many more, not 45,000 lines."""
    from datetime import date, timedelta

    from diary.ui.explain import reasons
    from diary.wording import MOST_SAID, describe_all

    first = date(2027, 1, 4)
    days = [
        Violation(
            Rule.RESERVE,
            "long",
            day=(first + timedelta(days=i)).isoformat(),
            free_minutes=0,
            reserve_minutes=60,
        )
        for i in range(45_000)
    ]
    said = describe_all(days)
    assert len(said) == MOST_SAID + 1
    assert said[0] == "reserve: only 0 min free on 2027-01-04, 60 min are kept for urgent calls"
    assert said[-1] == f"…and {45_000 - MOST_SAID:,} more"
    shown = reasons(days, "long")
    assert len(shown) == MOST_SAID + 1 and shown[-1] == said[-1]
    assert describe_all(days[:3]) == [f"reserve: {describe(v)}" for v in days[:3]]

"""A listed appointment made by the listing's fast constructor is the one its class makes."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from diary.domain.model import Appointment, Rule, Violation
from diary.domain.verdicts import Bands
from diary.services.results import Listed, listed

START = datetime.fromisoformat("2026-12-01T09:00:00+00:00")
END = datetime.fromisoformat("2026-12-01T10:00:00+00:00")


def test_listed_equals_hashes_and_freezes_as_the_class_makes_it() -> None:
    appointment = Appointment("a@test", "Visit", START, END, "Europe/London")
    flags = (Violation(Rule.AFTER_HOURS, appointment.ref, day="2026-12-01"),)
    bands = Bands(20, "Home", 10)
    made = listed(appointment, flags, bands)
    assert type(made) is Listed
    assert made == Listed(appointment, flags, bands)
    assert hash(made) == hash(Listed(appointment, flags, bands))
    assert repr(made) == repr(Listed(appointment, flags, bands))
    assert (made.appointment, made.flags, made.bands) == (appointment, flags, bands)
    assert (
        made.flag_names == Listed(appointment, flags, bands).flag_names == [str(Rule.AFTER_HOURS)]
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.flags = ()  # type: ignore[misc]

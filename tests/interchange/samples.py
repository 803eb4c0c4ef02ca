"""Sample appointments and export items for the export tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from diary.domain.model import Appointment, Customer, Kind, Location
from diary.interchange.records import ExportItem, ExportPromise, SeriesInfo

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
CREATED = datetime(2025, 2, 20, 8, 0, tzinfo=ZoneInfo("UTC"))
UPDATED = datetime(2025, 2, 27, 16, 30, tzinfo=ZoneInfo("UTC"))


def meeting(**changes: object) -> Appointment:
    """A flagged customer meeting in London with a location and notes."""
    values: dict[str, object] = {
        "uid": "m1@diary",
        "title": "Zoë Müller-Łukasik 🎉 kitchen survey, part; two",
        "start": datetime(2025, 3, 10, 10, 0, tzinfo=LONDON),
        "end": datetime(2025, 3, 10, 11, 0, tzinfo=LONDON),
        "zone": "Europe/London",
        "customer": Customer(1, "Zoë Müller-Łukasik"),
        "location": Location(1, "Shop", "1 High St, Leeds"),
        "notes": "Bring the \\ tools;\nand, the ladder",
        "sequence": 3,
        "created": CREATED,
        "updated": UPDATED,
        "wrapup_minutes": 20,
        "override_reason": "customer asked for it",
    }
    values.update(changes)
    return Appointment(**values)  # type: ignore[arg-type]


def sample_items() -> list[ExportItem]:
    """A flagged meeting, a weekly series over the DST change, an all-day, a cancelled NY block."""
    series_start = Appointment(
        uid="s1@diary",
        title="Weekly stand-up",
        start=datetime(2025, 3, 20, 9, 0, tzinfo=LONDON),
        end=datetime(2025, 3, 20, 9, 30, tzinfo=LONDON),
        zone="Europe/London",
        kind=Kind.BLOCK,
        sequence=1,
        updated=UPDATED,
    )
    moved = Appointment(
        uid="s1@diary",
        title="Weekly stand-up (moved)",
        start=datetime(2025, 4, 3, 11, 0, tzinfo=LONDON),
        end=datetime(2025, 4, 3, 11, 30, tzinfo=LONDON),
        zone="Europe/London",
        kind=Kind.BLOCK,
        sequence=2,
        updated=UPDATED,
        recurrence_id=datetime(2025, 4, 3, 9, 0, tzinfo=LONDON),
    )
    holiday = Appointment(
        uid="d1@diary",
        title="Holiday",
        start=datetime(2025, 3, 12, tzinfo=LONDON),
        end=datetime(2025, 3, 13, tzinfo=LONDON),
        zone="Europe/London",
        kind=Kind.ALL_DAY,
    )
    call = Appointment(
        uid="n1@diary",
        title="NY call",
        start=datetime(2025, 3, 12, 9, 0, tzinfo=NEW_YORK),
        end=datetime(2025, 3, 12, 9, 30, tzinfo=NEW_YORK),
        zone="America/New_York",
        kind=Kind.BLOCK,
        cancelled=True,
        sequence=4,
    )
    return [
        ExportItem(
            meeting(),
            travel_minutes=25,
            travel_from="Office",
            wrapup_minutes=20,
            flags=("double-booking", "buffer"),
            flag_reasons=("Overlaps 'Dentist'", "10 minutes short of travel"),
        ),
        ExportItem(
            series_start,
            travel_minutes=10,
            wrapup_minutes=5,
            series=SeriesInfo(
                "FREQ=WEEKLY;COUNT=6",
                exdates=(datetime(2025, 3, 27, 9, 0, tzinfo=LONDON),),
                overrides=(ExportItem(moved, travel_minutes=10, wrapup_minutes=5),),
            ),
        ),
        ExportItem(holiday),
        ExportItem(call, travel_minutes=0, wrapup_minutes=0),
    ]


def sample_promise() -> ExportPromise:
    """An open promise due on a Friday afternoon."""
    return ExportPromise(
        uid="p1@diary",
        customer="Zoë Müller-Łukasik",
        what="send the quote",
        due=datetime(2025, 3, 14, 17, 0, tzinfo=LONDON),
        check_at=datetime(2025, 3, 13, 17, 0, tzinfo=LONDON),
        sequence=2,
        updated=UPDATED,
    )


def minutes(value: timedelta) -> int:
    """A timedelta in whole minutes."""
    return int(value.total_seconds() // 60)

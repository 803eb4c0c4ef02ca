"""Time per customer: meetings, travel and wrap-up as the rules count them, and the shares."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from diary.services import DiaryService, Draft, InputError
from diary.services.reports import CSV_FIELDS, report_csv

TZ = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 1, 7, 0, tzinfo=TZ)


Svc = DiaryService


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def svc(any_db_url: str) -> Iterator[Svc]:
    service = Svc.open(any_db_url, zone="Europe/London", clock=lambda: NOW)
    service.add_location("Home", address="1 Home St")
    service.add_location("Kitchen", address="Hauptstr. 5")
    service.add_location("Bath", address="Bahnhofstr. 9")
    service.add_location("Phone", remote=True)
    service.set_travel("Home", "Kitchen", 20)
    service.set_travel("Kitchen", "Bath", 25)
    service.set_travel("Home", "Bath", 30)
    service.set_policy("base", "Home")
    for name in ("Zoë", "Bram", "Aisha"):
        service.add_customer(name)
    yield service
    service.close()


def book(svc: Svc, start: datetime, minutes: int, customer: str | None, place: str | None) -> None:
    outcome = svc.book(
        Draft("x", start, start + timedelta(minutes=minutes), customer=customer, location=place)
    )
    assert outcome.ok, outcome.violations


def test_time_per_customer_counts_meetings_travel_and_wrapup(svc: Svc) -> None:
    # Monday 2 Nov: Kitchen 09:00-10:00 (Zoë: 20 min from Home), Bath 11:00-12:00 (Bram:
    # 25 min from the Kitchen), a call 14:00-14:30 (Zoë: no travel). 15 min wrap-up each.
    book(svc, at(2, 9), 60, "Zoë", "Kitchen")
    book(svc, at(2, 11), 60, "Bram", "Bath")
    book(svc, at(2, 14), 30, "Zoë", "Phone")
    book(svc, at(2, 16), 30, None, None)  # no customer: not in the report
    # A week later (a second chunk): Bath for Zoë, 30 min from Home.
    book(svc, at(10, 9), 90, "Zoë", "Bath")
    # Outside the period.
    book(svc, at(20, 9), 60, "Aisha", "Kitchen")
    report = svc.time_per_customer(at(1, 0), at(15, 0))
    rows = {r.customer.name: r for r in report.rows}
    assert set(rows) == {"Zoë", "Bram"}
    zoe, bram = rows["Zoë"], rows["Bram"]
    assert (zoe.meetings, zoe.meeting_minutes, zoe.travel_minutes, zoe.wrapup_minutes) == (
        3,
        180,
        50,
        45,
    )
    assert (bram.meetings, bram.meeting_minutes, bram.travel_minutes, bram.wrapup_minutes) == (
        1,
        60,
        25,
        15,
    )
    assert zoe.total_minutes == 275 and bram.total_minutes == 100
    assert report.total_minutes == 375
    assert zoe.share == pytest.approx(275 / 375) and bram.share == pytest.approx(100 / 375)
    # More than their share: above an equal split (1/2 with two customers).
    assert report.fair_share == 0.5 and zoe.over_share and not bram.over_share
    assert [r.customer.name for r in report.rows] == ["Zoë", "Bram"]  # largest first


def test_an_appointment_is_counted_once_in_the_period_it_starts(svc: Svc) -> None:
    book(svc, at(9, 9), 60, "Zoë", "Kitchen")
    one = svc.time_per_customer(at(9, 0), at(10, 0))
    assert [r.meetings for r in one.rows] == [1]
    # A period that starts mid-meeting does not count it.
    assert svc.time_per_customer(at(9, 9, 30), at(12, 0)).rows == ()
    # Split into chunks of a week, an appointment on a chunk edge is still counted once.
    many = svc.time_per_customer(at(2, 9), at(30, 0))
    assert [r.meetings for r in many.rows] == [1]


def test_equal_shares_are_not_over_and_an_empty_period_is_empty(svc: Svc) -> None:
    book(svc, at(2, 10), 60, "Zoë", "Phone")
    book(svc, at(3, 10), 60, "Bram", "Phone")
    report = svc.time_per_customer(at(1, 0), at(8, 0))
    assert [r.over_share for r in report.rows] == [False, False]
    empty = svc.time_per_customer(at(20, 0), at(21, 0))
    assert empty.rows == () and empty.total_minutes == 0 and empty.fair_share == 0.0
    with pytest.raises(InputError) as bad:
        svc.time_per_customer(at(8, 0), at(1, 0))
    assert bad.value.where == "to"


def test_report_csv_has_a_header_and_a_row_per_customer(svc: Svc) -> None:
    book(svc, at(2, 9), 60, "Zoë", "Kitchen")
    book(svc, at(2, 11), 60, "Bram", "Bath")
    text = report_csv(svc.time_per_customer(at(1, 0), at(8, 0)))
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_FIELDS
    # Bram: 60 + 25 travel from the Kitchen + 15 = 100; Zoë: 60 + 20 from Home + 15 = 95.
    assert rows[1] == ["Bram", "1", "60", "25", "15", "100", "0.5128", "yes"]
    assert rows[2] == ["Zoë", "1", "60", "20", "15", "95", "0.4872", "no"]
    assert len(rows) == 3

"""The day sheet's content: jobs in real time order with when to leave, promises, reserve."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from diary.domain.model import Kind, later
from diary.services import DiaryService, Draft
from diary.services.day_sheet import map_url

TZ = ZoneInfo("Europe/London")
MONDAY = date(2026, 11, 23)  # the fixture's clock reads 07:00 that day


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def test_jobs_come_in_time_order_with_when_to_leave_and_from_where(
    service: DiaryService,
) -> None:
    service.set_policy("owner", "Sam Fischer")
    service.add_customer("Bram de Vries", phone="+44 20 7946 0012")
    service.book(
        Draft(
            "Boiler service",
            at(MONDAY, 11),
            at(MONDAY, 12),
            location="Bath",
            customer="Bram de Vries",
            notes="Key under the mat",
        )
    )
    service.book(
        Draft(
            "Kitchen survey",
            at(MONDAY, 9),
            at(MONDAY, 10),
            location="Kitchen",
            customer="Zoë Müller-Łukasik",
        )
    )
    service.book(
        Draft("Holiday", at(MONDAY, 0), at(MONDAY + timedelta(days=1), 0), kind=Kind.ALL_DAY)
    )
    service.book(
        Draft("Elsewhere", at(MONDAY + timedelta(days=1), 9), at(MONDAY + timedelta(days=1), 10))
    )

    sheet = service.day_sheet(MONDAY)

    assert sheet.owner == "Sam Fischer"
    assert [job.appointment.title for job in sheet.jobs] == ["Kitchen survey", "Boiler service"]
    assert [a.title for a in sheet.all_day] == ["Holiday"]
    survey, boiler = sheet.jobs
    # The first meeting is driven to from the base (20 min), the next from the kitchen (25).
    assert survey.departure is not None and boiler.departure is not None
    assert survey.departure.leave_at == at(MONDAY, 8, 40)
    assert survey.departure.origin == "1 Home St"
    assert boiler.departure.leave_at == at(MONDAY, 10, 35)
    assert (boiler.departure.origin, boiler.departure.travel_minutes) == ("Hauptstr. 5", 25)
    assert boiler.wrapup_minutes == 15
    assert boiler.appointment.customer is not None
    assert boiler.appointment.customer.phone == "+44 20 7946 0012"
    assert boiler.appointment.notes == "Key under the mat"
    assert boiler.map_url == "https://www.openstreetmap.org/search?query=Bahnhofstr.+9"
    assert sheet.reserve is not None and not sheet.reserve.breached
    assert sheet.working == (at(MONDAY, 8), at(MONDAY, 18))


def test_promises_due_that_day_and_those_at_risk(service: DiaryService) -> None:
    zoe = "Zoë Müller-Łukasik"
    due_today = service.add_promise(zoe, "Send the quote", at(MONDAY, 17))
    # Its 24-hour check was yesterday and nobody confirmed it: at risk, due tomorrow.
    risky = service.add_promise(zoe, "Order the tiles", at(MONDAY + timedelta(days=1), 6))
    service.add_promise(zoe, "Fit the sink", at(MONDAY + timedelta(days=20), 12))

    sheet = service.day_sheet(MONDAY)

    assert [v.promise.id for v in sheet.due] == [due_today.id]
    assert [v.promise.id for v in sheet.at_risk] == [risky.id]


def test_a_job_in_the_repeated_autumn_hour_is_in_its_real_place(service: DiaryService) -> None:
    """Sun 27 Oct 2030: 01:00-02:00 BST, then 01:00-02:00 GMT again (one real hour later)."""
    night = date(2030, 10, 27)
    first = datetime(2030, 10, 27, 1, 20, tzinfo=TZ)  # BST
    second = datetime(2030, 10, 27, 1, 10, fold=1, tzinfo=TZ)  # GMT: 50 min after `first`
    service.book(
        Draft("Second pass", second, later(second, timedelta(minutes=20)), kind=Kind.BLOCK)
    )
    service.book(Draft("First pass", first, first + timedelta(minutes=20), kind=Kind.BLOCK))

    sheet = service.day_sheet(night)

    assert [job.appointment.title for job in sheet.jobs] == ["First pass", "Second pass"]
    assert sheet.jobs[1].appointment.start.timestamp() - first.timestamp() == 50 * 60


def test_a_map_link_from_coordinates_or_address_and_none_for_a_call() -> None:
    from diary.domain.model import Location

    assert map_url(Location(1, "Phone", remote=True)) is None
    assert map_url(Location(1, "Nowhere")) is None
    assert map_url(Location(1, "Yard", lat=51.5, lon=-0.25)) == (
        "https://www.openstreetmap.org/?mlat=51.50000&mlon=-0.25000#map=17/51.50000/-0.25000"
    )

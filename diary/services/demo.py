"""A sample week of customer meetings, so a newcomer sees the point of diary in one look."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from diary.domain.model import Kind, later
from diary.services.results import Draft
from diary.services.service import DiaryService

CUSTOMERS = (
    ("Zoë Müller-Łukasik", "zoe@example.com", "+44 20 7946 0011", "email"),
    ("Bram de Vries", "bram@example.com", "+44 20 7946 0012", "text"),
    ("Aisha Okafor", "aisha@example.com", "+44 20 7946 0013", "phone"),
    ("Tom Hughes", "tom@example.com", "+44 20 7946 0014", "email"),
    ("Greenleaf Dental Ltd", "office@greenleaf.example", "+44 20 7946 0015", "email"),
)
LOCATIONS = (
    ("Workshop", "Brook Lane 2", 51.5155, -0.0922, False),
    ("Müller kitchen", "Hauptstr. 5", 51.5416, -0.1426, False),
    ("Station flat", "Bahnhofstr. 9", 51.5281, -0.1337, False),
    ("Rose Cottage", "Rose Cottage, Mill Road", 51.4613, -0.1156, False),
    ("Greenleaf surgery", "Office Park 3", 51.5033, -0.0195, False),
    ("Video call", "", None, None, True),
)
TRAVEL = (
    ("Workshop", "Müller kitchen", 25),
    ("Workshop", "Station flat", 15),
    ("Workshop", "Rose Cottage", 30),
    ("Müller kitchen", "Station flat", 20),
    ("Müller kitchen", "Rose Cottage", 35),
    ("Station flat", "Rose Cottage", 25),
)
# (weekday, start, minutes, title, customer, location, kind)
WEEK = (
    (0, "09:00", 60, "Kitchen survey", "Zoë Müller-Łukasik", "Müller kitchen", Kind.MEETING),
    (0, "10:40", 50, "Boiler service", "Bram de Vries", "Station flat", Kind.MEETING),
    (0, "13:00", 30, "Quote call", "Tom Hughes", "Video call", Kind.MEETING),
    (0, "14:30", 90, "Bathroom fitting", "Aisha Okafor", "Rose Cottage", Kind.MEETING),
    (1, "08:45", 60, "Leak repair", "Bram de Vries", "Station flat", Kind.MEETING),
    (
        1,
        "10:20",
        90,
        "Kitchen fitting, day 1",
        "Zoë Müller-Łukasik",
        "Müller kitchen",
        Kind.MEETING,
    ),
    (1, "14:00", 60, "Follow-up visit", "Aisha Okafor", "Rose Cottage", Kind.MEETING),
    (
        2,
        "09:00",
        180,
        "Kitchen fitting, day 2",
        "Zoë Müller-Łukasik",
        "Müller kitchen",
        Kind.MEETING,
    ),
    (
        2,
        "13:30",
        60,
        "Practice consultation",
        "Greenleaf Dental Ltd",
        "Greenleaf surgery",
        Kind.MEETING,
    ),
    (2, "16:00", 45, "Radiator check", "Bram de Vries", "Station flat", Kind.MEETING),
    (3, "10:00", 60, "Boiler check", "Aisha Okafor", "Rose Cottage", Kind.MEETING),
    (3, "12:00", 60, "Lunch with supplier", None, None, Kind.BLOCK),
    (3, "14:00", 45, "Quote visit", "Tom Hughes", "Station flat", Kind.MEETING),
    (4, "09:30", 60, "Final inspection", "Zoë Müller-Łukasik", "Müller kitchen", Kind.MEETING),
    (4, "11:00", 30, "Paperwork and invoices", None, None, Kind.BLOCK),
    (
        4,
        "14:00",
        90,
        "New practice visit",
        "Greenleaf Dental Ltd",
        "Greenleaf surgery",
        Kind.MEETING,
    ),
)
# Booked over the rules on purpose, with the reason the owner gave.
OVERRIDE = (3, "10:30", 45, "Burst pipe", "Tom Hughes", "Station flat", Kind.MEETING)
OVERRIDE_REASON = "Burst pipe: customer could not wait"


def _monday(today: date) -> date:
    if today.weekday() >= 5:  # at the weekend, show the coming week
        return today + timedelta(days=7 - today.weekday())
    return today - timedelta(days=today.weekday())


def fill_demo(service: DiaryService, *, reset: bool = False, today: date | None = None) -> str:
    """Customers, places, travel times and a week of meetings (some tight, one overridden)."""
    policy = service.policy()
    tz = ZoneInfo(policy.zone)
    today = today or service.store.clock().astimezone(tz).date()
    if reset:
        with service.store.write() as uow:
            uow.appointments.delete_all()
    known_customers = {c.name for c in service.customers()}
    for name, email, phone, prefers in CUSTOMERS:
        if name not in known_customers:
            service.add_customer(name, email=email, phone=phone, prefers=prefers)
    known_locations = {loc.name for loc in service.locations()}
    for name, address, lat, lon, remote in LOCATIONS:
        if name not in known_locations:
            service.add_location(name, address=address, lat=lat, lon=lon, remote=remote)
    for origin, destination, minutes in TRAVEL:
        service.set_travel(origin, destination, minutes)
    service.set_policy("base", "Workshop")
    monday = _monday(today)
    booked = 0
    for weekday, hhmm, minutes, title, customer, location, kind in WEEK:
        start = datetime.combine(monday + timedelta(days=weekday), time.fromisoformat(hhmm), tz)
        draft = Draft(
            title, start, later(start, timedelta(minutes=minutes)), kind, customer, location
        )
        outcome = service.book(draft)
        if outcome.refused and outcome.nearest is not None:
            moved = outcome.nearest
            outcome = service.book(
                Draft(
                    title, moved, later(moved, timedelta(minutes=minutes)), kind, customer, location
                )
            )
        booked += outcome.ok
    weekday, hhmm, minutes, title, customer, location, kind = OVERRIDE
    start = datetime.combine(monday + timedelta(days=weekday), time.fromisoformat(hhmm), tz)
    service.book(
        Draft(title, start, later(start, timedelta(minutes=minutes)), kind, customer, location),
        force=True,
        reason=OVERRIDE_REASON,
    )
    return (
        f"demo week of {monday.isoformat()}: {booked + 1} appointments, 1 double-booked by override"
    )

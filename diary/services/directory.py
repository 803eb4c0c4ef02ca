"""Customers, locations, travel times and the policy: the diary's address book and rules."""

from __future__ import annotations

import dataclasses
import math
import re
from datetime import time

from diary.domain.model import Channel, Customer, Location, Policy, WorkingHours
from diary.services.clock import valid_zone
from diary.services.results import InputError, NotFoundError
from diary.services.store import DiaryStore
from diary.storage.unit_of_work import UnitOfWork

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
_OFF = {"off", "none", "closed", "-"}
# Upper bounds that keep every travel time a sane number of minutes (nothing drives
# faster; no road is ten times the straight line).
MAX_SPEED_KMH = 1000.0
MAX_ROAD_FACTOR = 10.0

# policy key -> (field, parser); the words of `diary policy set KEY VALUE`.
POLICY_KEYS = (
    "hours.mon .. hours.sun (HH:MM-HH:MM or off)",
    "reserve (minutes)",
    "wrapup (minutes, meetings)",
    "wrapup.block (minutes)",
    "travel (default minutes)",
    "base (location name, or none)",
    "travel-from-base (yes/no)",
    "speed (km/h)",
    "road-factor",
    "zone (IANA name)",
    "locale (e.g. de_DE)",
    "margin (working days added to promised dates)",
    "sync (minutes between the window's calendar syncs, 0: only on demand)",
    "owner (your name, the heading of the day sheet)",
)


def parse_hours(text: str, where: str) -> WorkingHours | None:
    value = text.strip().lower()
    if value in _OFF:
        return None
    match = _HOURS.match(value)
    if not match:
        raise InputError(where, f"{text!r} is not HH:MM-HH:MM or 'off'")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    try:
        start, end = time(h1, m1), time(h2, m2)
    except ValueError:
        raise InputError(where, f"{text!r} is not a time of day") from None
    if (h2, m2) <= (h1, m1):
        raise InputError(where, f"{text!r} ends before it starts")
    return WorkingHours(start, end)


def format_hours(hours: WorkingHours | None) -> str:
    if hours is None:
        return "off"
    return f"{hours.start:%H:%M}-{hours.end:%H:%M}"


def _minutes(text: str, where: str, upper: int = 24 * 60) -> int:
    try:
        value = int(text)
    except ValueError:
        raise InputError(where, f"{text!r} is not a whole number of minutes") from None
    if not 0 <= value <= upper:
        raise InputError(where, f"{value} is not between 0 and {upper}")
    return value


def _positive(text: str, where: str, upper: float) -> float:
    """A finite number in (0, upper]: nan or inf would break every travel time later."""
    try:
        value = float(text)
    except ValueError:
        raise InputError(where, f"{text[:40]!r} is not a number") from None
    if not math.isfinite(value) or value <= 0:
        raise InputError(where, "must be a number greater than 0")
    if value > upper:
        raise InputError(where, f"must be at most {upper:g}")
    return value


def _yes_no(text: str, where: str) -> bool:
    value = text.strip().lower()
    if value in ("yes", "true", "on", "1"):
        return True
    if value in ("no", "false", "off", "0"):
        return False
    raise InputError(where, f"{text!r} is not yes or no")


def policy_rows(policy: Policy, base_name: str | None) -> list[tuple[str, str]]:
    """The policy as KEY VALUE pairs, in the words `policy set` takes."""
    rows = [(f"hours.{day}", format_hours(policy.week[i])) for i, day in enumerate(WEEKDAYS)]
    rows += [
        ("reserve", str(policy.reserve_minutes)),
        ("wrapup", str(policy.wrapup_meeting_minutes)),
        ("wrapup.block", str(policy.wrapup_block_minutes)),
        ("travel", str(policy.default_travel_minutes)),
        ("base", base_name or "none"),
        ("travel-from-base", "yes" if policy.travel_from_base else "no"),
        ("speed", f"{policy.average_speed_kmh:g}"),
        ("road-factor", f"{policy.road_factor:g}"),
        ("zone", policy.zone),
        ("locale", policy.locale or "system"),
        ("margin", str(policy.promise_margin_days)),
        ("sync", str(policy.sync_minutes)),
        ("owner", policy.owner_name),
    ]
    return rows


class Directory:
    def __init__(self, store: DiaryStore) -> None:
        self.store = store

    # -- customers -------------------------------------------------------------------

    def customers(self) -> list[Customer]:
        with self.store.read() as uow:
            return uow.customers.all()

    def customer(self, name: str) -> Customer:
        with self.store.read() as uow:
            found = uow.customers.by_name(name)
        if found is None:
            raise NotFoundError("customer", f"no customer named {name!r}")
        return found

    def add_customer(
        self,
        name: str,
        email: str = "",
        phone: str = "",
        prefers: str = "email",
        notes: str = "",
    ) -> Customer:
        if not name.strip():
            raise InputError("name", "must not be empty")
        channel = _channel(prefers)
        if email and "@" not in email:
            raise InputError("email", f"{email!r} is not an e-mail address")
        with self.store.write() as uow:
            if uow.customers.by_name(name.strip()) is not None:
                raise InputError("name", f"a customer named {name.strip()!r} already exists")
            return uow.customers.add(
                name.strip(), email=email, phone=phone, prefers=channel, notes=notes
            )

    def update_customer(self, customer: Customer) -> Customer:
        if not customer.name.strip():
            raise InputError("name", "must not be empty")
        with self.store.write() as uow:
            other = uow.customers.by_name(customer.name)
            if other is not None and other.id != customer.id:
                raise InputError("name", f"a customer named {customer.name!r} already exists")
            return uow.customers.update(customer)

    # -- locations and travel --------------------------------------------------------

    def locations(self) -> list[Location]:
        with self.store.read() as uow:
            return uow.places.all()

    def add_location(
        self,
        name: str,
        address: str = "",
        lat: float | None = None,
        lon: float | None = None,
        remote: bool = False,
    ) -> Location:
        if not name.strip():
            raise InputError("name", "must not be empty")
        if (lat is None) != (lon is None):
            raise InputError("lat/lon", "give both or neither")
        if lat is not None and not -90 <= lat <= 90:
            raise InputError("lat", f"{lat} is not between -90 and 90")
        if lon is not None and not -180 <= lon <= 180:
            raise InputError("lon", f"{lon} is not between -180 and 180")
        with self.store.write() as uow:
            if uow.places.by_name(name.strip()) is not None:
                raise InputError("name", f"a location named {name.strip()!r} already exists")
            return uow.places.add(name.strip(), address=address, lat=lat, lon=lon, remote=remote
            )

    def set_travel(self, origin: str, destination: str, minutes: int) -> None:
        if not 0 <= minutes <= 24 * 60:
            raise InputError("MINUTES", f"{minutes} is not between 0 and 1440")
        with self.store.write() as uow:
            a = uow.places.by_name(origin)
            if a is None:
                raise NotFoundError("FROM", f"no location named {origin!r}")
            b = uow.places.by_name(destination)
            if b is None:
                raise NotFoundError("TO", f"no location named {destination!r}")
            uow.places.set_travel(a.id, b.id, minutes)

    # -- policy ----------------------------------------------------------------------

    def policy(self) -> Policy:
        with self.store.read() as uow:
            return uow.policy

    def policy_rows(self) -> list[tuple[str, str]]:
        with self.store.read() as uow:
            policy = uow.policy
            base = (
                uow.places.by_id(policy.base_location_id)
                if policy.base_location_id is not None
                else None
            )
            return policy_rows(policy, base.name if base else None)

    def update_policy(self, policy: Policy) -> Policy:
        if not valid_zone(policy.zone):
            raise InputError("zone", f"{policy.zone!r} is not a known time zone")
        with self.store.write() as uow:
            uow.settings.save_policy(policy)
            return policy

    def set_policy(self, key: str, value: str) -> Policy:
        """Change one policy setting, named as `policy show` prints it."""
        with self.store.write() as uow:
            changed = _changed(uow, uow.policy, key.strip().lower(), value)
            uow.settings.save_policy(changed)
            return changed


def _changed(uow: UnitOfWork, policy: Policy, key: str, value: str) -> Policy:
    replace = dataclasses.replace
    if key.startswith("hours."):
        day = key.split(".", 1)[1][:3]
        if day not in WEEKDAYS:
            raise InputError("KEY", f"{key!r}: the day must be one of {', '.join(WEEKDAYS)}")
        week = list(policy.week)
        week[WEEKDAYS.index(day)] = parse_hours(value, key)
        return replace(policy, week=tuple(week))
    if key == "reserve":
        return replace(policy, reserve_minutes=_minutes(value, key))
    if key == "wrapup":
        return replace(policy, wrapup_meeting_minutes=_minutes(value, key))
    if key == "wrapup.block":
        return replace(policy, wrapup_block_minutes=_minutes(value, key))
    if key == "travel":
        return replace(policy, default_travel_minutes=_minutes(value, key))
    if key == "base":
        if value.strip().lower() in _OFF:
            return replace(policy, base_location_id=None)
        base = uow.places.by_name(value)
        if base is None:
            raise NotFoundError("VALUE", f"no location named {value!r}")
        return replace(policy, base_location_id=base.id)
    if key == "travel-from-base":
        return replace(policy, travel_from_base=_yes_no(value, key))
    if key == "speed":
        return replace(policy, average_speed_kmh=_positive(value, key, MAX_SPEED_KMH))
    if key == "road-factor":
        return replace(policy, road_factor=_positive(value, key, MAX_ROAD_FACTOR))
    if key == "zone":
        if not valid_zone(value):
            raise InputError(key, f"{value!r} is not a known time zone")
        return replace(policy, zone=value)
    if key == "locale":
        return replace(policy, locale="" if value == "system" else value)
    if key == "margin":
        return replace(policy, promise_margin_days=int(_minutes(value, key, 30)))
    if key == "sync":
        return replace(policy, sync_minutes=int(_minutes(value, key, 24 * 60)))
    if key == "owner":
        return replace(policy, owner_name=value.strip())
    raise InputError("KEY", f"{key!r} is not a policy setting; known: {'; '.join(POLICY_KEYS)}")


def _channel(text: str) -> Channel:
    try:
        return Channel(text)
    except ValueError:
        raise InputError("prefers", f"{text!r} is not one of email, phone, text") from None

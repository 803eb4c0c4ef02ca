"""The address book: customers, places and the travel minutes between places, as domain
values (rows in, values out, inside the caller's transaction)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from diary.domain.model import Channel, Customer, Location
from diary.storage import stamps
from diary.storage.errors import NotFound, StorageError
from diary.storage.schema import CustomerRow, LocationRow, TravelTimeRow


def customer_value(row: CustomerRow) -> Customer:
    return Customer(
        id=row.id,
        name=row.name,
        email=row.email,
        phone=row.phone,
        prefers=Channel(row.prefers),
        notes=row.notes,
    )


def location_value(row: LocationRow) -> Location:
    return Location(
        id=row.id,
        name=row.name,
        address=row.address,
        lat=row.lat,
        lon=row.lon,
        remote=row.remote,
    )


# ------------------------------------------------------------------ customers


def customer_row(session: Session, customer_id: int) -> CustomerRow:
    row = session.get(CustomerRow, customer_id)
    if row is None:
        raise NotFound(f"customer #{customer_id} does not exist")
    return row


def customer_by_id(session: Session, customer_id: int) -> Customer:
    return customer_value(customer_row(session, customer_id))


def customer_by_name(session: Session, name: str) -> Customer | None:
    row = session.scalars(select(CustomerRow).where(CustomerRow.name == name)).one_or_none()
    return customer_value(row) if row is not None else None


def add_customer(
    session: Session,
    name: str,
    *,
    email: str = "",
    phone: str = "",
    prefers: Channel = Channel.EMAIL,
    notes: str = "",
) -> Customer:
    """Store a new customer; StorageError if the name is taken."""
    if customer_by_name(session, name) is not None:
        raise StorageError(f"a customer called {name!r} already exists")
    now = stamps.now(session)
    row = CustomerRow(
        name=name,
        email=email,
        phone=phone,
        prefers=Channel(prefers).value,
        notes=notes,
        created=now,
        updated=now,
    )
    session.add(row)
    session.flush()
    return customer_value(row)


def update_customer(session: Session, customer: Customer) -> Customer:
    """Overwrite the stored customer with id `customer.id`."""
    row = customer_row(session, customer.id)
    if customer.name != row.name:
        other = customer_by_name(session, customer.name)
        if other is not None:
            raise StorageError(f"a customer called {customer.name!r} already exists")
    row.name = customer.name
    row.email = customer.email
    row.phone = customer.phone
    row.prefers = Channel(customer.prefers).value
    row.notes = customer.notes
    row.updated = stamps.now(session)
    session.flush()
    return customer_value(row)


def customers_by_ids(session: Session, ids: list[int]) -> list[Customer]:
    """The customers with these ids, in the order of `ids`."""
    if not ids:
        return []
    by_id = {
        row.id: customer_value(row)
        for row in session.scalars(select(CustomerRow).where(CustomerRow.id.in_(ids)))
    }
    return [by_id[i] for i in ids if i in by_id]


def all_customers(session: Session) -> list[Customer]:
    rows = session.scalars(select(CustomerRow).order_by(CustomerRow.name, CustomerRow.id))
    return [customer_value(row) for row in rows]


# ------------------------------------------------------------------ locations and travel


def location_row(session: Session, location_id: int) -> LocationRow:
    row = session.get(LocationRow, location_id)
    if row is None:
        raise NotFound(f"location #{location_id} does not exist")
    return row


def location_by_id(session: Session, location_id: int) -> Location:
    return location_value(location_row(session, location_id))


def location_by_name(session: Session, name: str) -> Location | None:
    row = session.scalars(select(LocationRow).where(LocationRow.name == name)).one_or_none()
    return location_value(row) if row is not None else None


def add_location(
    session: Session,
    name: str,
    *,
    address: str = "",
    lat: float | None = None,
    lon: float | None = None,
    remote: bool = False,
) -> Location:
    """Store a new location; StorageError if the name is taken."""
    if location_by_name(session, name) is not None:
        raise StorageError(f"a location called {name!r} already exists")
    row = LocationRow(name=name, address=address, lat=lat, lon=lon, remote=remote)
    session.add(row)
    session.flush()
    return location_value(row)


def all_locations(session: Session) -> list[Location]:
    rows = session.scalars(select(LocationRow).order_by(LocationRow.name, LocationRow.id))
    return [location_value(row) for row in rows]


def set_travel(session: Session, from_id: int, to_id: int, minutes: int) -> None:
    """Record the user's own travel time from one location to another (one direction)."""
    if minutes < 0:
        raise ValueError(f"travel time cannot be negative ({minutes} minutes)")
    location_row(session, from_id)
    location_row(session, to_id)
    row = session.get(TravelTimeRow, (from_id, to_id))
    if row is None:
        session.add(TravelTimeRow(from_location_id=from_id, to_location_id=to_id, minutes=minutes))
    else:
        row.minutes = minutes
    session.flush()


def travel_table(session: Session) -> dict[tuple[int, int], int]:
    """Every user-entered travel time, keyed by (from location id, to location id)."""
    rows = session.execute(
        select(TravelTimeRow.from_location_id, TravelTimeRow.to_location_id, TravelTimeRow.minutes)
    )
    return {(from_id, to_id): minutes for from_id, to_id, minutes in rows}

"""Customers and locations by the names a calendar file uses, created on first sight.

Shared by the iCalendar import and the CalDAV sync: LOCATION text is matched to a stored
location by name, then by address (diary's own export writes the address); otherwise a
location named by the text is created. Customers come by name (X-DIARY-CUSTOMER).
"""

from __future__ import annotations

from diary.domain.model import Customer, Location
from diary.interchange.records import ImportedEvent
from diary.storage.schema import NAME_LENGTH
from diary.storage.unit_of_work import UnitOfWork


class Directory:
    """Customers and locations by the names a file uses, created on first sight."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.locations: dict[str, Location | None] = {}
        self.customers: dict[str, Customer | None] = {}
        self._by_address: dict[str, Location] | None = None

    def place(self, event: ImportedEvent) -> Location | None:
        """The event's location: as diary's export described it, else by its LOCATION text."""
        place = event.place
        if place is None:
            return self.location(event.location)
        name = place.name[:NAME_LENGTH]
        key = f"\x00{name}"  # never a LOCATION text (those are stripped, non-empty)
        if key not in self.locations:
            found = self.uow.places.by_name(name)
            self.locations[key] = found or self.uow.places.add(
                name,
                address=place.address,
                lat=place.lat,
                lon=place.lon,
                remote=place.remote,
            )
        return self.locations[key]

    def location(self, text: str | None) -> Location | None:
        label = (text or "").strip()
        if not label:
            return None
        if label not in self.locations:
            self.locations[label] = self._find_or_add_location(label)
        return self.locations[label]

    def _find_or_add_location(self, label: str) -> Location:
        name = label[:NAME_LENGTH]
        found = self.uow.places.by_name(name)
        if found is not None:
            return found
        if self._by_address is None:
            self._by_address = {}
            for place in self.uow.places.all():
                if place.address:
                    self._by_address.setdefault(place.address, place)
        if label in self._by_address:
            return self._by_address[label]
        address = label if len(label) > NAME_LENGTH else ""
        return self.uow.places.add(name, address=address)

    def customer(self, name: str | None) -> Customer | None:
        cleaned = (name or "").strip()[:NAME_LENGTH]
        if not cleaned:
            return None
        if cleaned not in self.customers:
            found = self.uow.customers.by_name(cleaned)
            self.customers[cleaned] = found or self.uow.customers.add(cleaned)
        return self.customers[cleaned]


"""The import's directory alone: the names a calendar file uses become the diary's places
and customers, found before created, each created once.

Uses the services' fixture diary (Home, Kitchen at "Hauptstr. 5", Bath, Phone); no dates.
"""

from __future__ import annotations

from diary.services import DiaryService
from diary.services.import_directory import Directory


def test_location_text_is_matched_by_name_then_by_address_else_created_once(
    service: DiaryService,
) -> None:
    with service.store.write() as uow:
        directory = Directory(uow)
        by_name = directory.location("Kitchen")
        by_address = directory.location("Hauptstr. 5")  # diary's own export writes this
        new = directory.location("Garden shed")
        again = directory.location("  Garden shed ")
        assert directory.location("   ") is None
    assert by_name is not None and by_name.name == "Kitchen"
    assert by_address is not None and by_address.id == by_name.id
    assert new is not None and again is not None and new.id == again.id
    names = [place.name for place in service.locations()]
    assert names.count("Garden shed") == 1


def test_a_customer_is_found_by_name_or_created_once(service: DiaryService) -> None:
    with service.store.write() as uow:
        directory = Directory(uow)
        known = directory.customer("Zoë Müller-Łukasik")
        first = directory.customer("Ada Lovelace")
        second = directory.customer("Ada Lovelace ")
        assert directory.customer(None) is None
    assert known is not None and known.email == "zoe@example.com"
    assert first is not None and second is not None and first.id == second.id
    assert [c.name for c in service.customers()].count("Ada Lovelace") == 1

"""The message to the customer comes from the translation catalogue of the chosen locale."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from diary.services import DiaryService

TZ = ZoneInfo("Europe/Berlin")


def test_a_late_promise_is_drafted_in_german_and_in_english(db_url: str) -> None:
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    service = DiaryService.open(db_url, zone="Europe/Berlin", clock=lambda: now)
    try:
        service.add_customer("Zoë Müller-Łukasik", email="zoe@example.com", prefers="email")
        promise = service.add_promise(
            "Zoë Müller-Łukasik", "Angebot", datetime(2026, 11, 25, 12, 0, tzinfo=TZ)
        )
        late = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
        service.store.clock = lambda: late
        german = service.tell_customer(promise.id, locale="de_DE")
        english = service.tell_customer(promise.id, locale="en_US")
    finally:
        service.close()
    assert german.subject == "„Angebot“: ein neuer Termin"
    assert "ist noch nicht fertig" in german.body and "tun mir leid" in german.body
    assert "Mittwoch, 25. November 2026" in german.body  # the original date, by babel
    assert english.subject == "About “Angebot”: a new date"
    assert german.mailto_url is not None and german.mailto_url.startswith("mailto:zoe@example.com")

"""Search (Ctrl+F): appointments, customers and promises whose words match what is typed.

A small use case composed over the store; the index is the storage's
(`diary.storage.search_index`). Each word is a prefix and all must match: "mül bahn" finds
the Müller job at Bahnhofstr. 9. Appointments come nearest-first: the coming ones from now
(by the store's clock), then the past ones, latest first.
"""

from __future__ import annotations

from dataclasses import dataclass

from diary.domain.model import Appointment, Customer
from diary.domain.promises import Promise
from diary.services.store import DiaryStore
from diary.storage.search_index import words_of

LIMIT = 20


@dataclass(frozen=True, slots=True)
class SearchResults:
    """What matched `query`, each kind in its own order (see the module docstring)."""

    query: str
    appointments: tuple[Appointment, ...] = ()
    customers: tuple[Customer, ...] = ()
    promises: tuple[Promise, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.appointments or self.customers or self.promises)


class Search:
    """Finds what matches typed words in one diary (constructor-injected store)."""

    def __init__(self, store: DiaryStore) -> None:
        self.store = store

    def find(self, query: str, limit: int = LIMIT) -> SearchResults:
        """Up to `limit` of each kind; nothing for a query without letters or digits."""
        words = words_of(query)
        if not words:
            return SearchResults(query)
        now = self.store.clock()
        with self.store.read() as uow:
            appointments = uow.appointments.by_ids(uow.search.appointment_ids(words, now, limit))
            customers = uow.customers.by_ids(uow.search.customer_ids(words, limit))
            promises = uow.promises.by_ids(uow.search.promise_ids(words, limit))
        return SearchResults(query, tuple(appointments), tuple(customers), tuple(promises))

"""The customer list and one customer's history, for the Customers panel and the command line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from diary.domain.days import day_bounds, epoch
from diary.domain.model import Customer
from diary.domain.promises import FreeTime
from diary.services.promises import PromiseView, judge
from diary.services.queries import Reader
from diary.services.reports import TimeSpent, chunks
from diary.services.results import Listed, NotFoundError
from diary.services.store import DiaryStore

HISTORY_CHUNK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class CustomerRow:
    """One line of the Customers panel."""

    customer: Customer
    next_appointment: datetime | None  # start of the next appointment from now, diary zone
    open_promises: int  # promises not yet done (open or checked)


@dataclass(frozen=True, slots=True)
class CustomerHistory:
    """Everything about one customer: appointments before and from now, promises, time."""

    customer: Customer
    past: tuple[Listed, ...]  # started before now, oldest first (all-day markers too)
    future: tuple[Listed, ...]  # starting now or later, soonest first
    promises: tuple[PromiseView, ...]  # by due, done ones included
    spent: TimeSpent  # meetings, travel and wrap-up of the past appointments
    planned: TimeSpent  # the same for the future ones


class CustomerViews:
    """Mixin over a DiaryStore: the customer list and history."""

    store: DiaryStore

    def __init__(self, store: DiaryStore) -> None:
        self.store = store

    def customer_rows(self) -> list[CustomerRow]:
        """Every customer with their next appointment and open promises: three queries."""
        now = self.store.clock()
        with self.store.read() as uow:
            customers = uow.customers.all()
            starts = uow.appointments.next_starts_by_customer(now)
            counts = uow.promises.pending_counts_by_customer()
            tz = uow.policy.zone
        return [
            CustomerRow(
                c,
                _in_zone(starts.get(c.id), tz),
                counts.get(c.id, 0),
            )
            for c in customers
        ]

    def customer_history(self, name: str) -> CustomerHistory:
        """Past and future appointments (with their bands), promises and time spent."""
        now = self.store.clock()
        with self.store.read() as uow:
            customer = uow.customers.by_name(name)
            if customer is None:
                raise NotFoundError("customer", f"no customer named {name!r}")
            spans = uow.appointments.spans_of_customer(customer.id)
            found = uow.promises.select(customer_id=customer.id)
            free = FreeTime(lambda lo, hi: self.store.snapshot(uow, lo, hi), uow.policy, now)
            views = tuple(judge(p, now, free) for p in found)
            zone = uow.policy.zone
        items = self._items_of(customer.id, spans, zone)
        past = tuple(i for i in items if epoch(i.appointment.start) < epoch(now))
        future = tuple(i for i in items if epoch(i.appointment.start) >= epoch(now))
        spent, planned = TimeSpent(), TimeSpent()
        for item in past:
            if item.appointment.timed:
                spent = spent.plus(item)
        for item in future:
            if item.appointment.timed:
                planned = planned.plus(item)
        return CustomerHistory(customer, past, future, views, spent, planned)

    def _items_of(
        self, customer_id: int, spans: list[tuple[datetime, datetime]], zone: str
    ) -> list[Listed]:
        """The customer's appointments judged in context: one agenda per week that has any."""
        reader = Reader(self.store)
        items: list[Listed] = []
        seen: set[str] = set()
        i = 0
        while i < len(spans):
            first = spans[i][0]
            lo = day_bounds(first.astimezone(ZoneInfo(zone)).date(), zone)[0]
            hi = lo + HISTORY_CHUNK
            for start, stop in chunks(lo, hi, HISTORY_CHUNK):
                for item in reader.agenda(start, stop).items:
                    a = item.appointment
                    if a.customer is None or a.customer.id != customer_id:
                        continue
                    if a.ref not in seen:
                        seen.add(a.ref)
                        items.append(item)
            while i < len(spans) and epoch(spans[i][0]) < epoch(hi):
                i += 1
        items.sort(key=lambda item: (epoch(item.appointment.start), item.appointment.ref))
        return items


def _in_zone(moment: datetime | None, zone: str) -> datetime | None:
    return None if moment is None else moment.astimezone(ZoneInfo(zone))

"""Time per customer over a period: meetings, travel and wrap-up, and who takes more than a share.

Counted from `Reader.agenda`, a week at a time, so travel and wrap-up are exactly the
bands the rules give each appointment (travel before it, wrap-up after it). An
appointment belongs to the period in which it starts and is counted whole.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from diary.domain.days import epoch
from diary.domain.model import Customer
from diary.services.queries import Reader
from diary.services.results import InputError, Listed
from diary.services.store import DiaryStore

REPORT_CHUNK = timedelta(days=7)
CSV_FIELDS = (
    "customer",
    "meetings",
    "meeting_minutes",
    "travel_minutes",
    "wrapup_minutes",
    "total_minutes",
    "share",
    "over_share",
)


@dataclass(frozen=True, slots=True)
class TimeSpent:
    meetings: int = 0
    meeting_minutes: int = 0
    travel_minutes: int = 0
    wrapup_minutes: int = 0

    @property
    def total_minutes(self) -> int:
        return self.meeting_minutes + self.travel_minutes + self.wrapup_minutes

    def plus(self, item: Listed) -> TimeSpent:
        a = item.appointment
        return TimeSpent(
            self.meetings + 1,
            self.meeting_minutes + int(a.duration.total_seconds() // 60),
            self.travel_minutes + item.bands.travel_minutes,
            self.wrapup_minutes + item.bands.wrapup_minutes,
        )


@dataclass(frozen=True, slots=True)
class ReportRow:
    customer: Customer
    meetings: int
    meeting_minutes: int
    travel_minutes: int
    wrapup_minutes: int
    total_minutes: int
    share: float  # of the report's total time, 0..1
    over_share: bool  # share > 1 / number of customers in the report


@dataclass(frozen=True, slots=True)
class Report:
    """Rows by total time (largest first); `fair_share` is 1 / number of rows.

    A customer "takes more than their share" when their share of the total time is
    greater than the fair share (an equal split between the customers in the report).
    """

    start: datetime
    end: datetime
    rows: tuple[ReportRow, ...]
    total_minutes: int

    @property
    def fair_share(self) -> float:
        return 1 / len(self.rows) if self.rows else 0.0


def chunks(
    lo: datetime, hi: datetime, size: timedelta = REPORT_CHUNK
) -> Iterator[tuple[datetime, datetime]]:
    start = lo
    while epoch(start) < epoch(hi):
        stop = min(start + size, hi, key=epoch)
        yield start, stop
        start = stop


def customer_items(reader: Reader, lo: datetime, hi: datetime) -> Iterator[Listed]:
    """Timed, not cancelled appointments with a customer starting in [lo, hi), with bands."""
    for start, stop in chunks(lo, hi):
        for item in reader.agenda(start, stop).items:
            a = item.appointment
            if a.customer is None or not a.timed:
                continue
            if epoch(start) <= epoch(a.start) < epoch(stop):
                yield item


def tally(items: Iterable[Listed]) -> dict[int, tuple[Customer, TimeSpent]]:
    found: dict[int, tuple[Customer, TimeSpent]] = {}
    for item in items:
        customer = item.appointment.customer
        assert customer is not None
        _, spent = found.get(customer.id, (customer, TimeSpent()))
        found[customer.id] = (customer, spent.plus(item))
    return found


def build_report(
    lo: datetime, hi: datetime, spent: dict[int, tuple[Customer, TimeSpent]]
) -> Report:
    total = sum(t.total_minutes for _, t in spent.values())
    fair = 1 / len(spent) if spent else 0.0
    rows = []
    for customer, t in spent.values():
        share = t.total_minutes / total if total else 0.0
        rows.append(
            ReportRow(
                customer,
                t.meetings,
                t.meeting_minutes,
                t.travel_minutes,
                t.wrapup_minutes,
                t.total_minutes,
                share,
                share > fair + 1e-12,
            )
        )
    rows.sort(key=lambda r: (-r.total_minutes, r.customer.name.casefold()))
    return Report(lo, hi, tuple(rows), total)


class ReportService:
    """Mixin over a DiaryStore: the time-per-customer report."""

    store: DiaryStore

    def __init__(self, store: DiaryStore) -> None:
        self.store = store

    def time_per_customer(self, lo: datetime, hi: datetime) -> Report:
        """Meetings, travel and wrap-up per customer for appointments starting in [lo, hi)."""
        for value, where in ((lo, "from"), (hi, "to")):
            if value.tzinfo is None or value.utcoffset() is None:
                raise InputError(where, "needs a time zone")
        if epoch(hi) <= epoch(lo):
            raise InputError("to", "must be after the start of the period")
        reader = Reader(self.store)
        return build_report(lo, hi, tally(customer_items(reader, lo, hi)))


def report_csv(report: Report) -> str:
    """The report as CSV: a header row, one row per customer; share as a fraction (0..1)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for row in report.rows:
        writer.writerow(
            (
                row.customer.name,
                row.meetings,
                row.meeting_minutes,
                row.travel_minutes,
                row.wrapup_minutes,
                row.total_minutes,
                f"{row.share:.4f}",
                "yes" if row.over_share else "no",
            )
        )
    return out.getvalue()

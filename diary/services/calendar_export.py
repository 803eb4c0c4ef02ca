"""iCalendar export: the diary as one phone-ready file, written atomically.

Decisions (see the issue "iCalendar in and out"):
- Export covers, by default, everything from EXPORT_LOOKBACK before now onwards, and
  includes cancelled appointments so phones learn of cancellations.
- A series goes out whole (its rule, every override, cancelled occurrences as EXDATEs)
  when it has an occurrence in range; flags of its plain occurrences go into the master's
  description (at most FLAG_NOTES lines), each flagged override carries its own.
- Each appointment carries its travel and wrap-up bands and its flags, judged by the rules
  window by window (EXPORT_WINDOW, one range query each).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from diary.domain.days import window_for
from diary.domain.model import Appointment, Kind, Violation
from diary.domain.rules import Schedule
from diary.domain.verdicts import Bands
from diary.interchange.ics_export import export_calendar
from diary.interchange.records import ExportItem, ExportPromise, SeriesInfo
from diary.interchange.recurrence import RuleError
from diary.services.occurrences import SeriesOccurrences, recurrence_of
from diary.services.output_files import check_output, write_private
from diary.services.results import Cancelled, InputError, NotFoundError, Progress
from diary.services.store import DiaryStore
from diary.storage.series_repo import StoredSeries
from diary.storage.unit_of_work import UnitOfWork
from diary.wording import describe_all

EXPORT_LOOKBACK = timedelta(days=30)
EXPORT_WINDOW = timedelta(days=56)
FLAG_NOTES = 20  # flagged occurrences named in a series' description, at most

# (from, to or None for no end, customer name or None) -> promises to export
PromiseProvider = Callable[[datetime, datetime | None, str | None], Sequence[ExportPromise]]


class ExportCancelled(Exception):
    """The user cancelled an export; no file was written."""


@dataclass(frozen=True, slots=True)
class ExportSummary:
    events: int
    buffers: int
    promises: int
    path: str



class CalendarExport:
    """Export of the diary as an iCalendar file."""

    def __init__(self, store: DiaryStore, promise_provider: PromiseProvider | None = None) -> None:
        self.store = store
        # Promises to export as VTODO and events (DiaryService.calendar passes its own).
        self.promise_provider = promise_provider

    def export_calendar(
        self,
        path: str | os.PathLike[str],
        lo: datetime | None = None,
        hi: datetime | None = None,
        *,
        customer: str | None = None,
        buffers: bool = True,
        promises: bool = True,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> ExportSummary:
        """Write the diary (default: from 30 days ago on) as one iCalendar file, atomically.

        `cancelled` is asked as the work goes on: once it says so, ExportCancelled is raised
        and no file is written (the one there, if any, stays as it was).
        """
        now = self.store.clock()
        lo = lo or now - EXPORT_LOOKBACK
        if hi is not None and hi.timestamp() <= lo.timestamp():
            raise InputError("to", "must be after the start of the range")
        target = Path(path)
        protected = self.store.database.files
        check_output(target, protected)  # before the work: a bad target is refused at once
        with self.store.read() as uow:
            if customer is not None and uow.customers.by_name(customer) is None:
                raise NotFoundError("customer", f"no customer named {customer!r}")

            def step(done: int, total: int) -> None:
                if cancelled is not None and cancelled():
                    raise ExportCancelled(f"export to {target} cancelled")
                if progress is not None:
                    progress(done, total)

            items, item_count = self._export_items(uow, lo, hi, customer, step)
        promise_list: Sequence[ExportPromise] = ()
        if promises and self.promise_provider is not None:
            promise_list = self.promise_provider(lo, hi, customer)
        data = export_calendar(
            items,
            calendar_name="diary" if self.store.diary == "default" else self.store.diary,
            now=now,
            buffers=buffers,
            promises=promise_list,
        )
        if cancelled is not None and cancelled():
            raise ExportCancelled(f"export to {target} cancelled")
        write_private(target, data, protected)
        buffer_count = sum(_buffers_of(item) for item in items) if buffers else 0
        if progress is not None:
            progress(item_count, item_count)
        return ExportSummary(item_count, buffer_count, len(promise_list), str(target))

    def _export_items(
        self,
        uow: UnitOfWork,
        lo: datetime,
        hi: datetime | None,
        customer: str | None,
        progress: Progress | None,
    ) -> tuple[list[ExportItem], int]:
        """ExportItems (singles, and series with overrides) with their flags and bands."""
        # A series goes out whole when it has an occurrence in range, stored rows or not
        # (what is stored of it is derived and may not reach that far).
        policy = uow.policy
        series = {s.uid: s for s in uow.series.for_export(lo, hi)}
        if hi is None:
            hi = _flag_range_end(uow, lo, series.values())
        base = (
            uow.places.by_id(policy.base_location_id)
            if policy.base_location_id is not None
            else None
        )
        travel = uow.places.travel_table()
        listed: dict[str, tuple[Appointment, tuple[Violation, ...], Bands]] = {}
        start = lo
        while start.timestamp() < hi.timestamp():
            stop = min(start + EXPORT_WINDOW, hi, key=lambda m: m.timestamp())
            wide_lo, wide_hi = window_for(start, stop, policy.zone)
            nearby = SeriesOccurrences(uow).overlapping(
                wide_lo, wide_hi, include_cancelled=True
            )
            schedule = Schedule.for_window(
                [a for a in nearby if not a.cancelled], policy, travel, base, wide_lo, wide_hi
            )
            evaluation = schedule.evaluate()
            for a in nearby:
                if a.ref in listed:
                    continue
                if a.start >= stop or a.end <= start:
                    continue
                if customer is not None and (a.customer is None or a.customer.name != customer):
                    continue
                if a.cancelled:
                    bands = (
                        schedule.bands_for(replace(a, cancelled=False))
                        if a.kind is not Kind.ALL_DAY
                        else Bands(0, None, 0)
                    )
                    listed[a.ref] = (a, (), bands)
                else:
                    bands = evaluation.bands.get(a.ref, Bands(0, None, 0))
                    listed[a.ref] = (a, evaluation.flags(a.ref), bands)
            start = stop
            if progress is not None:
                progress(len(listed), 0)
        # Every override of an exported series goes out, whatever its date: it is part of
        # the series, and a phone must not fall back to the rule for it.
        stored_overrides = uow.series.overrides_of(
            [s.id for s in series.values() if s.id is not None]
        )
        singles: list[ExportItem] = []
        listed_overrides: dict[str, ExportItem] = {}
        flag_notes: dict[str, list[str]] = {}
        series_bands: dict[str, Bands] = {}
        for a, flags, bands in listed.values():
            item = ExportItem(
                appointment=a,
                travel_minutes=bands.travel_minutes,
                travel_from=bands.travel_from,
                wrapup_minutes=bands.wrapup_minutes,
                flags=flag_names(flags),
                flag_reasons=tuple(describe_all(flags)),
            )
            uid = a.uid
            if a.series_uid is not None and uid in series and a.recurrence_id is not None:
                listed_overrides[a.ref] = item
                if not a.cancelled and flags:
                    # Flags of a plain occurrence go into the master's description: an
                    # override per flagged occurrence would multiply the series.
                    day = a.start.astimezone(ZoneInfo(a.zone)).date().isoformat()
                    flag_notes.setdefault(uid, []).extend(
                        f"{day}: {reason}" for reason in describe_all(flags)
                    )
                if not a.cancelled and uid not in series_bands:
                    series_bands[uid] = bands
                continue
            singles.append(item)
        items = singles
        for uid, stored in series.items():
            if customer is not None and (
                stored.template.customer is None or stored.template.customer.name != customer
            ):
                continue
            assert stored.id is not None
            wrapup = policy.wrapup_for(stored.template) if stored.template.timed else 0
            bands = series_bands.get(uid, Bands(0, None, wrapup))
            removed: list[datetime] = []
            overrides: list[ExportItem] = []
            for override in stored_overrides[stored.id]:
                a = override.appointment
                assert a.recurrence_id is not None
                if a.cancelled and not override.this_and_future:
                    # A cancelled occurrence of a live series is an EXDATE of the master.
                    if not stored.template.cancelled:
                        removed.append(a.recurrence_id)
                    continue
                shown = listed_overrides.get(a.ref)
                item = shown if shown is not None else ExportItem(appointment=a)
                overrides.append(replace(item, this_and_future=override.this_and_future))
            overrides.sort(key=lambda i: i.appointment.start.timestamp())
            items.append(
                ExportItem(
                    appointment=stored.template,
                    travel_minutes=bands.travel_minutes,
                    travel_from=bands.travel_from,
                    wrapup_minutes=bands.wrapup_minutes,
                    flag_reasons=_capped(flag_notes.get(uid, [])),
                    series=_series_info(stored, _merged(stored.exdates, removed), overrides),
                )
            )
        count = sum(1 + (len(i.series.overrides) if i.series else 0) for i in items)
        return items, count



def _flag_range_end(uow: UnitOfWork, lo: datetime, series: Iterable[StoredSeries]) -> datetime:
    """Where an open-ended export stops evaluating flags: after the last stored appointment
    and the last start of every bounded series; an unbounded one is looked at for one
    window from its first start in range (its rule carries the rest)."""
    ends = [lo + timedelta(days=1)]
    last = uow.rows.last_end()
    if last is not None:
        ends.append(last)
    for stored in series:
        if stored.last_start is not None:
            ends.append(stored.last_start + stored.spread)
        else:
            first = max(stored.template.start, lo, key=lambda m: m.timestamp())
            ends.append(first + EXPORT_WINDOW)
    return max(ends, key=lambda m: m.timestamp()) + timedelta(seconds=1)



def _series_info(
    stored: StoredSeries, exdates: tuple[datetime, ...], overrides: Sequence[ExportItem]
) -> SeriesInfo:
    """How a stored series is written: its rule in the form every client reads alike."""
    rules, rdates = stored.rrule.splitlines(), list(stored.rdates)
    try:
        portable, extra = replace(recurrence_of(stored), exdates=exdates).compile().portable_rules()
        rules, rdates = portable, [*rdates, *extra]
    except RuleError:
        pass  # written as stored: nothing better is known
    return SeriesInfo(
        "\n".join(rules),
        exdates,
        tuple(overrides),
        rdates=tuple(rdates),
        last_start=stored.last_start,
    )



def _capped(notes: Sequence[str]) -> tuple[str, ...]:
    """At most FLAG_NOTES flag lines, then how many more there are."""
    if len(notes) <= FLAG_NOTES:
        return tuple(notes)
    return (*notes[:FLAG_NOTES], f"... and {len(notes) - FLAG_NOTES} more flagged occurrences")


def _merged(exdates: Sequence[datetime], more: Sequence[datetime] | None) -> tuple[datetime, ...]:
    """The stored EXDATEs plus the cancelled occurrences, each instant once, in order."""
    if not more:
        return tuple(exdates)
    by_instant = {moment.timestamp(): moment for moment in (*exdates, *more)}
    return tuple(by_instant[key] for key in sorted(by_instant))


def _buffers_of(item: ExportItem) -> int:
    """How many travel and wrap-up events the export writes for one item."""
    parts = [item]
    if item.series is not None:
        parts.extend(item.series.overrides)
    count = 0
    for part in parts:
        if part.appointment.all_day:
            continue
        count += (part.travel_minutes > 0) + (part.wrapup_minutes > 0)
    return count



def flag_names(flags: Iterable[Violation]) -> tuple[str, ...]:
    names: list[str] = []
    for violation in flags:
        if str(violation.rule) not in names:
            names.append(str(violation.rule))
    return tuple(names)


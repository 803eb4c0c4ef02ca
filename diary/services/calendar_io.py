"""iCalendar import and export use cases: all-or-nothing import, phone-ready export.

Decisions (see the issue "iCalendar in and out"):
- Import checks the file's structure before opening the write transaction (a file that
  is not iCalendar, or whose BEGIN/END do not balance, changes nothing), then reads and
  writes it batch by batch in ONE transaction: a cancel, a failure or a --strict refusal
  leaves the database exactly as before. Inside a well-formed file, what peers repair is
  repaired and every repair is in the summary (diary.interchange.ics_events).
- Matching is by (UID, RECURRENCE-ID). A stored row with a higher SEQUENCE is never
  downgraded; an equal SEQUENCE with equal content is "unchanged"; a newer SEQUENCE or
  an equal one with different content is "updated".
- A timed event without length (no DTEND/DURATION, or DTEND = DTSTART) stays zero-length
  (RFC 5545 §3.6.1): it takes no time, so the rules do not flag it; an all-day one gets
  one day.
- LOCATION text is matched to a stored location by name, then by address (diary's own
  export writes the address); otherwise a location named by the text is created.
  Customers come from X-DIARY-CUSTOMER only (created by name when unknown).
- Counts in the summary are per calendar entry: a single event, or a whole series
  (with its overrides) counts once. `series` is how many series the file held.
- Series are stored as their rule (a SeriesRow) plus their overrides, whatever their
  dates; the occurrences stored for range queries are derived (diary.services.occurrences).
- Export covers, by default, everything from EXPORT_LOOKBACK before now onwards, and
  includes cancelled appointments so phones learn of cancellations.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from diary.domain.days import window_for
from diary.domain.model import Appointment, Customer, Kind, Location, Policy, Violation, later
from diary.domain.rules import Bands, Schedule
from diary.interchange.errors import ImportFailure
from diary.interchange.ics_export import export_calendar
from diary.interchange.ics_import import open_calendar_file
from diary.interchange.records import (
    ExportItem,
    ExportPromise,
    ImportedEvent,
    ImportedSeries,
    Repair,
    SeriesInfo,
)
from diary.interchange.recurrence import RuleError
from diary.services.occurrences import SeriesOccurrences, compiled, recurrence_of
from diary.services.output_files import check_output, write_private
from diary.services.results import InputError, NotFoundError
from diary.services.store import DiaryStore
from diary.storage import bulk, series_repo
from diary.storage import repository as repo
from diary.storage.schema import NAME_LENGTH, UID_LENGTH
from diary.storage.series_repo import StoredSeries
from diary.wording import describe_all

EXPORT_LOOKBACK = timedelta(days=30)
FLAG_WINDOW = timedelta(days=56)  # range evaluated at once when counting flags
EXPORT_WINDOW = timedelta(days=56)
PROGRESS_EVERY = 250
COLLECT_EVERY = 8  # batches of an import between two collections of reference cycles

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
# (from, to or None for no end, customer name or None) -> promises to export
PromiseProvider = Callable[[datetime, datetime | None, str | None], Sequence[ExportPromise]]


class ImportRefused(InputError):
    """A calendar file that cannot be imported; nothing was changed."""

    def __init__(self, failure: ImportFailure) -> None:
        where = failure.source if failure.line is None else f"{failure.source}:{failure.line}"
        text = str(failure)
        problem = text[len(where) + 2 :] if text.startswith(where + ": ") else failure.problem
        super().__init__(where, problem)
        self.failure = failure


class ImportCancelled(Exception):
    """The user cancelled an import; the transaction was rolled back."""


class ExportCancelled(Exception):
    """The user cancelled an export; no file was written."""


@dataclass(frozen=True, slots=True)
class ImportSummary:
    added: int
    updated: int
    unchanged: int
    skipped: dict[str, int]
    flagged: int
    series: int
    source: str
    repairs: tuple[Repair, ...] = ()  # what was repaired or skipped, event by event

    def as_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": dict(sorted(self.skipped.items())),
            "flagged": self.flagged,
            "series": self.series,
            "repairs": [
                {"file": self.source, **repair.as_json()} for repair in self.repairs
            ],
        }


@dataclass(frozen=True, slots=True)
class ExportSummary:
    events: int
    buffers: int
    promises: int
    path: str


TOUCHED_IN_MEMORY = 20_000  # appointments judged in memory at the end of an import


@dataclass(slots=True)
class _Tally:
    """Counts of an import, and what it touched (for "now carry flags")."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    # Every appointment the file holds (added, updated or unchanged), while few enough to
    # judge in memory; after that only their references and extent (memory stays flat).
    touched: list[Appointment] | None = field(default_factory=list)
    refs: set[str] = field(default_factory=set)
    lo: datetime | None = None
    hi: datetime | None = None

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + count

    def touch(self, appointments: Iterable[Appointment]) -> None:
        for a in appointments:
            if a.timed:
                self.refs.add(a.ref)
                if self.lo is None or a.start.timestamp() < self.lo.timestamp():
                    self.lo = a.start
                if self.hi is None or a.end.timestamp() > self.hi.timestamp():
                    self.hi = a.end
            if self.touched is not None:
                self.touched.append(a)
        if self.touched is not None and len(self.touched) > TOUCHED_IN_MEMORY:
            self.touched = None


class _Directory:
    """Customers and locations by the names a file uses, created on first sight."""

    def __init__(self, session: Session) -> None:
        self.session = session
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
            found = repo.location_by_name(self.session, name)
            self.locations[key] = found or repo.add_location(
                self.session,
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
        found = repo.location_by_name(self.session, name)
        if found is not None:
            return found
        if self._by_address is None:
            self._by_address = {}
            for place in repo.all_locations(self.session):
                if place.address:
                    self._by_address.setdefault(place.address, place)
        if label in self._by_address:
            return self._by_address[label]
        address = label if len(label) > NAME_LENGTH else ""
        return repo.add_location(self.session, name, address=address)

    def customer(self, name: str | None) -> Customer | None:
        cleaned = (name or "").strip()[:NAME_LENGTH]
        if not cleaned:
            return None
        if cleaned not in self.customers:
            found = repo.customer_by_name(self.session, cleaned)
            self.customers[cleaned] = found or repo.add_customer(self.session, cleaned)
        return self.customers[cleaned]


def _uid(uid: str) -> str:
    """A UID that fits the column; over-long ones keep a stable digest of the rest."""
    if len(uid) <= UID_LENGTH:
        return uid
    import hashlib

    return uid[: UID_LENGTH - 33] + "-" + hashlib.sha256(uid.encode()).hexdigest()[:32]


def _appointment(
    event: ImportedEvent, directory: _Directory, uid: str, series_uid: str | None = None
) -> Appointment:
    """An imported event as a domain appointment (see the module doc for zero lengths)."""
    start, end = event.start, event.end
    if event.all_day and end.timestamp() <= start.timestamp():
        end = later(start, timedelta(days=1))
    elif end.timestamp() < start.timestamp():
        end = start
    return Appointment(
        uid=uid,
        title=event.title,
        start=start,
        end=end,
        zone=event.zone,
        kind=Kind.ALL_DAY if event.all_day else event.kind,
        customer=directory.customer(event.customer),
        location=directory.place(event),
        wrapup_minutes=event.wrapup_minutes,
        override_reason=event.override_reason,
        notes=event.notes,
        cancelled=event.cancelled,
        sequence=event.sequence,
        created=event.created,
        updated=event.last_modified,
        recurrence_id=event.recurrence_id,
        series_uid=series_uid,
    )


def _flag_names(flags: Iterable[Violation]) -> tuple[str, ...]:
    names: list[str] = []
    for violation in flags:
        if str(violation.rule) not in names:
            names.append(str(violation.rule))
    return tuple(names)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the length of an import.

    Parsing builds hundreds of thousands of long-lived objects (the component tree, then
    the appointments) and creates next to no reference cycles, so every collection the
    allocations trigger re-scans a growing heap for nothing: about a tenth of the import
    time. Reference counting still frees everything; the collector is back on (if it was
    on) when the import ends, however it ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class CalendarIO:
    """Import and export of iCalendar files; a mixin of DiaryService like Scheduler."""

    store: DiaryStore

    def __init__(self, store: DiaryStore, promise_provider: PromiseProvider | None = None) -> None:
        self.store = store
        # Promises to export as VTODO and events (DiaryService.calendar passes its own).
        self.promise_provider = promise_provider

    # -- import ----------------------------------------------------------------------

    def import_calendar(
        self,
        path: str | os.PathLike[str],
        *,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
        strict: bool = False,
    ) -> ImportSummary:
        """Import a calendar file in one transaction, repairing what peers repair.

        ImportRefused (nothing changed) names file, line and problem when the file is not
        iCalendar or its structure is broken, or, with `strict`, when any event needed a
        repair or could not be read. Otherwise the summary lists every repair.
        """
        with _collector_paused():
            return self._import_calendar(path, progress, cancelled, strict)

    def _import_calendar(
        self,
        path: str | os.PathLike[str],
        progress: Progress | None,
        cancelled: Cancelled | None,
        strict: bool,
    ) -> ImportSummary:
        with self.store.read() as (_session, _diary_id, policy):
            zone = policy.zone
        try:
            stream = open_calendar_file(path, default_zone=zone)
        except ImportFailure as failure:
            raise ImportRefused(failure) from failure
        tally = _Tally()
        tally.skipped.update(stream.skipped)
        total = stream.total
        done = 0
        series = 0
        repairs: list[Repair] = []

        def step(count: int) -> None:
            nonlocal done
            done += count
            if cancelled is not None and cancelled():
                raise ImportCancelled(f"import of {stream.source} cancelled")
            if progress is not None:
                progress(done, total)

        if progress is not None:
            progress(0, total)
        with self.store.write() as (session, diary_id, policy):
            directory = _Directory(session)
            was_empty = bulk.count_rows(session, diary_id) == 0
            stamp = self.store.clock()
            for number, batch in enumerate(stream.batches(), start=1):
                if number % COLLECT_EVERY == 0:
                    # The collector is paused (see _collector_paused), but parsing leaves
                    # some cycles behind: freed here, memory stays flat on large files.
                    gc.collect()
                if strict and batch.repairs:
                    first = batch.repairs[0]
                    raise ImportRefused(
                        ImportFailure(
                            stream.source,
                            f"{first.what} (--strict: nothing imported)",
                            line=first.line,
                            uid=first.uid,
                        )
                    )
                repairs.extend(batch.repairs)
                for reason, count in batch.skipped.items():
                    tally.skip(reason, count)
                self._import_events(session, diary_id, batch.events, directory, tally, stamp)
                self._import_series(session, diary_id, batch.series, directory, tally, stamp)
                series += len(batch.series)
                step(batch.vevents)
            if cancelled is not None and cancelled():
                raise ImportCancelled(f"import of {stream.source} cancelled")
            if was_empty and tally.touched is not None:
                flagged = self._count_flagged_alone(session, policy, tally.touched)
            else:
                flagged = self._count_flagged(session, diary_id, policy, tally)
        if progress is not None:
            progress(total, total)
        return ImportSummary(
            added=tally.added,
            updated=tally.updated,
            unchanged=tally.unchanged,
            skipped=tally.skipped,
            flagged=flagged,
            series=series,
            source=stream.source,
            repairs=tuple(repairs),
        )

    def _import_events(
        self,
        session: Session,
        diary_id: int,
        events: Sequence[ImportedEvent],
        directory: _Directory,
        tally: _Tally,
        now: datetime,
    ) -> None:
        # The last of several events with the same key wins (a file may repeat an override).
        by_key: dict[tuple[str, str], ImportedEvent] = {}
        for event in events:
            by_key[(_uid(event.uid), bulk.recurrence_key(event.recurrence_id))] = event
        existing = bulk.existing_by_key(session, diary_id, (uid for uid, _key in by_key))
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for (uid, key), event in by_key.items():
            stored = existing.get((uid, key))
            if event.cancelled and stored is None:
                tally.skip("cancelled")
                continue
            appointment = _appointment(event, directory, uid)
            is_override = stored is not None and stored.series_id is not None and bool(key)
            values = bulk.row_values(
                diary_id, appointment, now=now, series_id=None, is_override=is_override
            )
            if stored is None:
                inserts.append(values)
                tally.added += 1
                tally.touch([appointment])
                continue
            same = event.sequence == stored.sequence and (
                bulk.fingerprint(values) == stored.fingerprint
                or (event.cancelled and stored.cancelled)
            )
            if event.sequence < stored.sequence or same:
                tally.unchanged += 1
                tally.touch([appointment])  # still in the file: its flags count
                continue
            values.pop("diary_id")
            values.pop("series_id")
            values["id"] = stored.id
            values["created"] = stored.created
            updates.append(values)
            tally.updated += 1
            tally.touch([appointment])
        bulk.insert_rows(session, diary_id, inserts)
        bulk.update_rows(session, diary_id, updates)

    def _import_series(
        self,
        session: Session,
        diary_id: int,
        series: Sequence[ImportedSeries],
        directory: _Directory,
        tally: _Tally,
        now: datetime,
    ) -> None:
        """Store each series as its rule and overrides; derive its stored occurrences."""
        uids = {_uid(s.uid) for s in series}
        stored_series = series_repo.series_by_uid(session, diary_id, uids)
        stored_overrides = series_repo.overrides_of(
            session, [s.id for s in stored_series.values() if s.id is not None]
        )
        pending: list[tuple[StoredSeries, list[tuple[Appointment, bool]]]] = []
        for entry in series:
            uid = _uid(entry.uid)
            template = _appointment(entry.template, directory, uid)
            template = replace(template, series_uid=uid, recurrence_id=None)
            before = stored_series.get(uid)
            if template.cancelled:
                if before is None:
                    tally.skip("cancelled")
                elif before.template.cancelled or template.sequence < before.template.sequence:
                    tally.unchanged += 1
                else:
                    assert before.id is not None
                    series_repo.cancel_series(
                        session, diary_id, before.id, template.sequence, now=now
                    )
                    tally.updated += 1
                continue
            removed = [*entry.exdates]
            removed += [
                o.recurrence_id
                for o in entry.overrides
                if o.cancelled and o.recurrence_id and not o.this_and_future
            ]
            value = StoredSeries(
                template=template,
                rrule=entry.rrule,
                exdates=tuple(sorted(set(removed), key=lambda m: m.timestamp())),
                rdates=tuple(entry.rdates),
            )
            overrides = [
                (_appointment(o, directory, uid, series_uid=uid), o.this_and_future)
                for o in entry.overrides
                if o.recurrence_id is not None and (o.this_and_future or not o.cancelled)
            ]
            known = stored_overrides.get(before.id, []) if before and before.id else []
            if before is not None and (
                template.sequence < before.template.sequence
                or self._same_series(before, value, overrides, known)
            ):
                tally.unchanged += 1
                tally.touch(o for o, _future in overrides)
                continue
            pending.append((value, overrides))
            tally.touch(o for o, _future in overrides)
            if before is None:
                tally.added += 1
            else:
                tally.updated += 1
        # Every changed series at once: one flush for the masters, one executemany for the
        # overrides, then the occurrences derived from each rule.
        ids = series_repo.save_many(session, diary_id, [value for value, _o in pending], now=now)
        bulk.delete_by_uid(session, diary_id, ids)
        rows = [
            bulk.row_values(
                diary_id,
                override,
                now=now,
                series_id=ids[value.uid],
                is_override=True,
                this_and_future=future,
            )
            for value, overrides in pending
            for override, future in overrides
        ]
        bulk.insert_rows(session, diary_id, rows)
        # The parse compiled every rule already, so this cannot refuse; every row of these
        # UIDs was deleted above, so there are no derived rows to drop.
        stored = SeriesOccurrences(session, diary_id).materialise_many(
            [replace(value, id=ids[value.uid]) for value, _overrides in pending], now, fresh=True
        )
        for _series, derived in stored:
            tally.touch(derived)

    @staticmethod
    def _same_series(
        before: StoredSeries,
        value: StoredSeries,
        overrides: Sequence[tuple[Appointment, bool]],
        stored: Sequence[series_repo.Override],
    ) -> bool:
        """Equal sequence, rule, template and overrides: nothing to store again."""
        if before.template.sequence != value.template.sequence:
            return False
        if before.fingerprint() != value.fingerprint() and not _same_rule(before, value):
            return False

        def keyed(items: Sequence[tuple[Appointment, bool]]) -> dict[str, str]:
            return {
                bulk.recurrence_key(a.recurrence_id): bulk.fingerprint(
                    bulk.row_values(0, a, now=a.start, is_override=True, this_and_future=f)
                )
                for a, f in items
            }

        return keyed(overrides) == keyed([(o.appointment, o.this_and_future) for o in stored])

    @staticmethod
    def _count_flagged_alone(
        session: Session, policy: Policy, touched: Sequence[Appointment]
    ) -> int:
        """Flags when the diary held nothing before: judged in memory, no reloading."""
        base = (
            repo.location_by_id(session, policy.base_location_id)
            if policy.base_location_id is not None
            else None
        )
        schedule = Schedule(touched, policy, repo.travel_table(session), base)
        return len(schedule.evaluate().violations)

    def _count_flagged(self, session: Session, diary_id: int, policy: Policy, tally: _Tally) -> int:
        """How many of the stored appointments now break a rule, judged by range windows."""
        if tally.lo is None or tally.hi is None:
            return 0
        refs = tally.refs
        lo, hi = tally.lo.astimezone(UTC), tally.hi.astimezone(UTC)
        flagged: set[str] = set()
        start = lo
        while start < hi:
            stop = min(start + FLAG_WINDOW, hi)
            wide_lo, wide_hi = window_for(start, stop, policy.zone)
            schedule = self.store.schedule(session, diary_id, policy, wide_lo, wide_hi)
            evaluation = schedule.evaluate()
            for ref in evaluation.violations:
                if ref in refs:
                    flagged.add(ref)
            start = stop
        return len(flagged)

    # -- export ----------------------------------------------------------------------

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
        with self.store.read() as (session, diary_id, policy):
            if customer is not None and repo.customer_by_name(session, customer) is None:
                raise NotFoundError("customer", f"no customer named {customer!r}")

            def step(done: int, total: int) -> None:
                if cancelled is not None and cancelled():
                    raise ExportCancelled(f"export to {target} cancelled")
                if progress is not None:
                    progress(done, total)

            items, item_count = self._export_items(
                session, diary_id, policy, lo, hi, customer, step
            )
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
        session: Session,
        diary_id: int,
        policy: Policy,
        lo: datetime,
        hi: datetime | None,
        customer: str | None,
        progress: Progress | None,
    ) -> tuple[list[ExportItem], int]:
        """ExportItems (singles, and series with overrides) with their flags and bands."""
        # A series goes out whole when it has an occurrence in range, stored rows or not
        # (what is stored of it is derived and may not reach that far).
        series = {s.uid: s for s in series_repo.series_for_export(session, diary_id, lo, hi)}
        if hi is None:
            hi = _flag_range_end(session, diary_id, lo, series.values())
        base = (
            repo.location_by_id(session, policy.base_location_id)
            if policy.base_location_id is not None
            else None
        )
        travel = repo.travel_table(session)
        listed: dict[str, tuple[Appointment, tuple[Violation, ...], Bands]] = {}
        start = lo
        while start.timestamp() < hi.timestamp():
            stop = min(start + EXPORT_WINDOW, hi, key=lambda m: m.timestamp())
            wide_lo, wide_hi = window_for(start, stop, policy.zone)
            nearby = SeriesOccurrences(session, diary_id).overlapping(
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
        stored_overrides = series_repo.overrides_of(
            session, [s.id for s in series.values() if s.id is not None]
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
                flags=_flag_names(flags),
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


def _flag_range_end(
    session: Session, diary_id: int, lo: datetime, series: Iterable[StoredSeries]
) -> datetime:
    """Where an open-ended export stops evaluating flags: after the last stored appointment
    and the last start of every bounded series; an unbounded one is looked at for one
    window from its first start in range (its rule carries the rest)."""
    ends = [lo + timedelta(days=1)]
    last = bulk.last_end(session, diary_id)
    if last is not None:
        ends.append(last)
    for stored in series:
        if stored.last_start is not None:
            ends.append(stored.last_start + stored.spread)
        else:
            first = max(stored.template.start, lo, key=lambda m: m.timestamp())
            ends.append(first + EXPORT_WINDOW)
    return max(ends, key=lambda m: m.timestamp()) + timedelta(seconds=1)


def _same_rule(before: StoredSeries, value: StoredSeries) -> bool:
    """Whether two series differ only in how their rule is written (diary's own export
    writes COUNT as UNTIL, DTSTART as an RDATE...): the same portable form."""
    if before.fingerprint(with_rule=False) != value.fingerprint(with_rule=False):
        return False
    try:
        forms = [compiled(series).portable_rules() for series in (before, value)]
    except RuleError:
        return False
    (rules_a, extra_a), (rules_b, extra_b) = forms

    def instants(series: StoredSeries, extra: list[datetime]) -> set[float]:
        return {moment.timestamp() for moment in (*series.rdates, *extra)}

    return rules_a == rules_b and instants(before, extra_a) == instants(value, extra_b)


def _series_info(
    stored: StoredSeries, exdates: tuple[datetime, ...], overrides: Sequence[ExportItem]
) -> SeriesInfo:
    """How a stored series is written: its rule in the form every client reads alike."""
    rules, rdates = stored.rrule.splitlines(), list(stored.rdates)
    try:
        portable, extra = replace(
            recurrence_of(stored), exdates=exdates
        ).compile().portable_rules()
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


FLAG_NOTES = 20  # flagged occurrences named in a series' description, at most


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

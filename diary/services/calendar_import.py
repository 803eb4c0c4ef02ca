"""iCalendar import: all-or-nothing, repairing what peers repair.

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
- Names of places and customers are resolved by `import_directory.Directory`.
- Counts in the summary are per calendar entry: a single event, or a whole series
  (with its overrides) counts once. `series` is how many series the file held.
- Series are stored as their rule (a SeriesRow) plus their overrides, whatever their
  dates; the occurrences stored for range queries are derived (diary.services.occurrences).
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from diary.domain.days import window_for
from diary.domain.model import Appointment, Kind, later
from diary.domain.rules import Schedule
from diary.interchange.errors import ImportFailure
from diary.interchange.ics_import import open_calendar_file
from diary.interchange.records import ImportedEvent, ImportedSeries, Repair
from diary.interchange.recurrence import RuleError
from diary.services.import_directory import Directory
from diary.services.import_results import ImportCancelled, ImportRefused, ImportSummary, Tally
from diary.services.occurrences import SeriesOccurrences, compiled
from diary.services.results import Cancelled, Progress
from diary.services.store import DiaryStore
from diary.storage import bulk, series_repo
from diary.storage.schema import UID_LENGTH
from diary.storage.series_repo import StoredSeries
from diary.storage.unit_of_work import UnitOfWork

FLAG_WINDOW = timedelta(days=56)  # range evaluated at once when counting flags
COLLECT_EVERY = 8  # batches of an import between two collections of reference cycles


def column_uid(uid: str) -> str:
    """A UID that fits the column; over-long ones keep a stable digest of the rest."""
    if len(uid) <= UID_LENGTH:
        return uid
    return uid[: UID_LENGTH - 33] + "-" + hashlib.sha256(uid.encode()).hexdigest()[:32]


def imported_appointment(
    event: ImportedEvent, directory: Directory, uid: str, series_uid: str | None = None
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



class CalendarImport:
    """Import of iCalendar files into one diary."""

    def __init__(self, store: DiaryStore) -> None:
        self.store = store

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
        with self.store.read() as uow:
            zone = uow.policy.zone
        try:
            stream = open_calendar_file(path, default_zone=zone)
        except ImportFailure as failure:
            raise ImportRefused(failure) from failure
        tally = Tally()
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
        with self.store.write() as uow:
            directory = Directory(uow)
            was_empty = uow.rows.count() == 0
            stamp = self.store.clock()
            for number, batch in enumerate(stream.batches(), start=1):
                if number % COLLECT_EVERY == 0:
                    # The collector is paused (see _collector_paused), but parsing leaves
                    # some cycles behind: freed here, memory stays flat on large files. The
                    # young generations only (what these batches made): a full collection
                    # walks the whole heap, in the window ~450 ms holding the interpreter,
                    # and the GUI thread with it (tests/ui/test_responsive_import.py).
                    gc.collect(1)
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
                self._import_events(uow, batch.events, directory, tally, stamp)
                self.import_series(uow, batch.series, directory, tally, stamp)
                series += len(batch.series)
                step(batch.vevents)
            if cancelled is not None and cancelled():
                raise ImportCancelled(f"import of {stream.source} cancelled")
            if was_empty and tally.touched is not None:
                flagged = self._count_flagged_alone(uow, tally.touched)
            else:
                flagged = self._count_flagged(uow, tally)
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
        uow: UnitOfWork,
        events: Sequence[ImportedEvent],
        directory: Directory,
        tally: Tally,
        now: datetime,
    ) -> None:
        # The last of several events with the same key wins (a file may repeat an override).
        by_key: dict[tuple[str, str], ImportedEvent] = {}
        for event in events:
            by_key[(column_uid(event.uid), bulk.recurrence_key(event.recurrence_id))] = event
        existing = uow.rows.existing_by_key(uid for uid, _key in by_key)
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for (uid, key), event in by_key.items():
            stored = existing.get((uid, key))
            if event.cancelled and stored is None:
                tally.skip("cancelled")
                continue
            appointment = imported_appointment(event, directory, uid)
            is_override = stored is not None and stored.series_id is not None and bool(key)
            values = bulk.row_values(
                uow.diary_id, appointment, now=now, series_id=None, is_override=is_override
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
        uow.rows.insert(inserts)
        uow.rows.update(updates)

    def import_series(
        self,
        uow: UnitOfWork,
        series: Sequence[ImportedSeries],
        directory: Directory,
        tally: Tally,
        now: datetime,
    ) -> None:
        """Store each series as its rule and overrides; derive its stored occurrences.

        Inside the caller's write transaction (an import's, a sync's); counts go to `tally`.
        """
        uids = {column_uid(s.uid) for s in series}
        stored_series = uow.series.by_uids(uids)
        stored_overrides = uow.series.overrides_of(
            [s.id for s in stored_series.values() if s.id is not None]
        )
        pending: list[tuple[StoredSeries, list[tuple[Appointment, bool]]]] = []
        for entry in series:
            uid = column_uid(entry.uid)
            template = imported_appointment(entry.template, directory, uid)
            template = replace(template, series_uid=uid, recurrence_id=None)
            before = stored_series.get(uid)
            if template.cancelled:
                if before is None:
                    tally.skip("cancelled")
                elif before.template.cancelled or template.sequence < before.template.sequence:
                    tally.unchanged += 1
                else:
                    assert before.id is not None
                    uow.series.cancel(before.id, template.sequence, now=now)
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
                (imported_appointment(o, directory, uid, series_uid=uid), o.this_and_future)
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
        ids = uow.series.save_many([value for value, _o in pending], now=now)
        uow.rows.delete_by_uid(ids)
        rows = [
            bulk.row_values(
                uow.diary_id,
                override,
                now=now,
                series_id=ids[value.uid],
                is_override=True,
                this_and_future=future,
            )
            for value, overrides in pending
            for override, future in overrides
        ]
        uow.rows.insert(rows)
        # The parse compiled every rule already, so this cannot refuse; every row of these
        # UIDs was deleted above, so there are no derived rows to drop.
        stored = SeriesOccurrences(uow).materialise_many(
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
    def _count_flagged_alone(uow: UnitOfWork, touched: Sequence[Appointment]) -> int:
        """Flags when the diary held nothing before: judged in memory, no reloading."""
        policy = uow.policy
        base = (
            uow.places.by_id(policy.base_location_id)
            if policy.base_location_id is not None
            else None
        )
        schedule = Schedule(touched, policy, uow.places.travel_table(), base)
        return len(schedule.evaluate().violations)

    def _count_flagged(self, uow: UnitOfWork, tally: Tally) -> int:
        """How many of the stored appointments now break a rule, judged by range windows."""
        if tally.lo is None or tally.hi is None:
            return 0
        refs = tally.refs
        lo, hi = tally.lo.astimezone(UTC), tally.hi.astimezone(UTC)
        flagged: set[str] = set()
        start = lo
        while start < hi:
            stop = min(start + FLAG_WINDOW, hi)
            wide_lo, wide_hi = window_for(start, stop, uow.policy.zone)
            schedule = self.store.snapshot(uow, wide_lo, wide_hi)
            evaluation = schedule.evaluate()
            for ref in evaluation.violations:
                if ref in refs:
                    flagged.add(ref)
            start = stop
        return len(flagged)

    # -- export ----------------------------------------------------------------------

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


"""What one occurrence of a series is, given its original start and the series' changes.

A series is its master (the template) plus overrides. An override for one occurrence
replaces it whole; an override with RANGE=THISANDFUTURE (RFC 5545 §3.2.13, §3.8.4.4)
governs its own occurrence and every later one: they take its values, its length, and
move by the wall-clock difference between its start and its RECURRENCE-ID, as
recurring-ical-events and Thunderbird do ("an hour later" stays an hour later in summer).

Lengths are exact (RFC 5545 §3.8.5.3: "the same exact duration will apply to all the
members of the generated recurrence set" when the master has DTEND): a 60-minute
appointment stays 60 minutes on the night the clocks change. All-day appointments last
whole days (a nominal duration).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from diary.domain.model import Appointment, later


def _wall(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.astimezone(tz).replace(tzinfo=None)


def _at_wall(local: datetime, tz: ZoneInfo) -> datetime:
    """Naive wall-clock time as an instant in `tz` (a time in a DST gap moves forward)."""
    return local.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


@dataclass(frozen=True, slots=True)
class FutureChange:
    """A RANGE=THISANDFUTURE override: `values` from `recurrence_id` on."""

    values: Appointment  # the override as stored: its own start, end, title, ...

    @property
    def recurrence_id(self) -> datetime:
        assert self.values.recurrence_id is not None
        return self.values.recurrence_id


class SeriesShape:
    """The occurrences of one series from its template and its future changes."""

    def __init__(self, template: Appointment, changes: Sequence[FutureChange] = ()) -> None:
        self.template = template
        self.tz = ZoneInfo(template.zone)
        self.changes = sorted(changes, key=lambda change: change.recurrence_id.timestamp())
        self._keys = [change.recurrence_id.timestamp() for change in self.changes]

    def governing(self, recurrence_id: datetime) -> FutureChange | None:
        """The latest THISANDFUTURE change at or before `recurrence_id`, if any."""
        index = bisect.bisect_right(self._keys, recurrence_id.timestamp())
        return self.changes[index - 1] if index else None

    def occurrence(self, recurrence_id: datetime) -> Appointment:
        """The occurrence whose original start is `recurrence_id` (aware)."""
        change = self.governing(recurrence_id)
        source = self.template if change is None else change.values
        start = recurrence_id.astimezone(self.tz)
        if change is not None:
            shift = _wall(change.values.start, self.tz) - _wall(change.recurrence_id, self.tz)
            if shift:
                start = _at_wall(_wall(start, self.tz) + shift, self.tz)
        if source.all_day:
            days = max(1, round(source.duration / timedelta(days=1)))
            end = _at_wall(_wall(start, self.tz) + timedelta(days=days), self.tz)
        else:
            end = later(start, source.duration)
        # Built field by field: dataclasses.replace costs several times more, and a window
        # of a long series builds thousands of these.
        return Appointment(
            uid=self.template.uid,
            title=source.title,
            start=start,
            end=end,
            zone=self.template.zone,
            kind=source.kind,
            customer=source.customer,
            location=source.location,
            wrapup_minutes=source.wrapup_minutes,
            override_reason=None,
            notes=source.notes,
            cancelled=source.cancelled and change is not None,
            sequence=max(self.template.sequence, source.sequence),
            created=source.created,
            updated=source.updated,
            series_uid=self.template.uid,
            recurrence_id=recurrence_id.astimezone(self.tz),
        )

    def reach(self) -> tuple[timedelta, timedelta]:
        """How far before and after its recurrence id an occurrence may lie (start, end)."""
        before = timedelta(0)
        after = self.template.duration
        for change in self.changes:
            shift = change.values.start.astimezone(UTC) - change.recurrence_id.astimezone(UTC)
            # A wall-clock shift differs from the exact one by at most a DST change.
            before = max(before, -shift + timedelta(hours=3))
            after = max(after, shift + change.values.duration + timedelta(hours=3))
        return before, after

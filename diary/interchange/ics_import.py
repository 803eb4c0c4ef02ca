"""Calendar files in: refuse what is not iCalendar, repair what peers repair, in batches.

A file that is not iCalendar, or whose BEGIN/END do not balance, is refused whole
(ImportFailure with file:line; the caller changes nothing). Inside a well-formed file each
event is read on its own: what the best clients repair is repaired and reported (see
ics_events), an event that cannot be read is skipped and reported, and the rest imports.
Duplicate UIDs (feeds repeating a stale copy) keep the newest copy and report the others
(ics_copies); floating times are placed in the calendar's zone (ics_floating).

The file is scanned once (ics_scan) and parsed in batches of whole UIDs, so memory follows
a batch, not the file: `CalendarStream.batches()` yields them one at a time.
"""

from __future__ import annotations

import os
import stat
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from icalendar import Calendar, Event, Timezone, vDDDTypes

from diary.interchange.errors import ImportFailure
from diary.interchange.ics_copies import Copy, newest_copy, recurrence_key
from diary.interchange.ics_events import EventReader, EventSkipped, event_uid, unreadable_line
from diary.interchange.ics_floating import standard_times
from diary.interchange.ics_scan import Block, CalendarLayout, Layout, property_line, scan
from diary.interchange.ics_series import series_of
from diary.interchange.ics_zones import ZoneResolver
from diary.interchange.records import ImportedEvent, ImportedSeries, ParsedCalendar, Repair
from diary.interchange.tz import iana_name_for_tzid, iana_zone

_get = dict.get
MAX_FILE_BYTES = 100 * 1024 * 1024
BATCH_EVENTS = 400  # VEVENTs parsed at once (whole UIDs): memory follows a batch
_FLOATING = "\x00floating"  # a note on a parsed event: its DTSTART had no zone
_NUL_REMOVED = "NUL bytes (0x00) in the text were removed"
_PARSE_ERRORS = (ValueError, KeyError, IndexError, TypeError, AttributeError, OverflowError)


@dataclass(slots=True)
class ParsedBatch:
    """What one batch of the file holds: events, series, repairs, skipped components."""

    events: list[ImportedEvent] = field(default_factory=list)
    series: list[ImportedSeries] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    vevents: int = 0  # VEVENT components the batch covered (for progress)

    @property
    def entries(self) -> int:
        return len(self.events) + len(self.series)


def read_file_bytes(path: str | os.PathLike[str], *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes; ImportFailure (with the numbers) for one over `max_bytes`."""
    source = str(path)
    try:
        found = os.stat(path)
        if not stat.S_ISREG(found.st_mode):
            # A device, FIFO or folder: /dev/zero would be read for ever, a FIFO wait.
            raise ImportFailure(source, "is not a regular file")
        size = found.st_size
        if size > max_bytes:
            raise ImportFailure(
                source,
                f"file is {size:,} bytes, more than the {max_bytes // (1024 * 1024)} MB "
                "diary imports at once; split it and import the parts",
            )
        return Path(path).read_bytes()
    except OSError as exc:
        raise ImportFailure(source, f"cannot read the file: {exc.strerror or exc}") from exc


class CalendarStream:
    """A calendar file checked for structure, read batch by batch."""

    def __init__(self, data: bytes, *, source: str, default_zone: str) -> None:
        if iana_zone(default_zone) is None:
            raise ValueError(f"default_zone {default_zone!r} is not an IANA time zone")
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        self.data = data
        self.source = source
        self.default_zone = default_zone
        self.layout: Layout = scan(data, source)
        self.calendar_name: str | None = None
        self.skipped: Counter[str] = Counter()
        for calendar in self.layout.calendars:
            self.skipped.update(calendar.skipped)
            # Now, not when its first batch is read: a calendar's properties that are not
            # UTF-8 refuse the file (file:line) before the caller has written anything.
            _decode(calendar.header, source, calendar.line + 1)

    @property
    def total(self) -> int:
        """How many VEVENTs the file holds."""
        return self.layout.events

    def batches(self, size: int = BATCH_EVENTS) -> Iterator[ParsedBatch]:
        """The file's events in batches of whole UIDs, each read and repaired."""
        for calendar in self.layout.calendars:
            yield from _CalendarReader(self, calendar).batches(size)

    def read_all(self) -> ParsedCalendar:
        """Every batch at once (small files and tests)."""
        result = ParsedCalendar(source=self.source)
        for batch in self.batches():
            result.events.extend(batch.events)
            result.series.extend(batch.series)
            result.repairs.extend(batch.repairs)
            result.skipped.update(batch.skipped)
        result.skipped.update(self.skipped)
        result.calendar_name = self.calendar_name
        return result


def open_calendar_file(path: str | os.PathLike[str], *, default_zone: str) -> CalendarStream:
    """Read and scan a calendar file; ImportFailure if it is not iCalendar or is broken."""
    return CalendarStream(read_file_bytes(path), source=str(path), default_zone=default_zone)


def read_calendar_file(
    path: str | os.PathLike[str], *, default_zone: str, max_bytes: int = MAX_FILE_BYTES
) -> ParsedCalendar:
    """Parse a whole calendar file, refusing files over `max_bytes` before reading them."""
    data = read_file_bytes(path, max_bytes=max_bytes)
    return parse_calendar(data, source=str(path), default_zone=default_zone)


def parse_calendar(data: bytes, *, source: str, default_zone: str) -> ParsedCalendar:
    """Every event and series in `data`, with the repairs made; ImportFailure if the file is
    not iCalendar or its structure is broken."""
    return CalendarStream(data, source=source, default_zone=default_zone).read_all()


def _without_nul(text: str, line: int) -> tuple[str, int | None]:
    """`text` without NUL characters, and the line of the first one (None if none).

    No text property may hold one (RFC 5545 §3.3.11 excludes CTLs from TEXT) and PostgreSQL
    cannot store one; a stray NUL is garbage from the writer, so it is removed and reported
    the same way whichever database the diary is on.
    """
    at = text.find("\x00")
    if at < 0:
        return text, None
    return text.replace("\x00", ""), line + text.count("\n", 0, at)


def _decode(data: bytes, source: str, line: int) -> str:
    """UTF-8 text ending in a line break (a file's last line may lack one)."""
    if data and not data.endswith(b"\n"):
        data += b"\r\n"
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = line + data.count(b"\n", 0, exc.start)
        raise ImportFailure(
            source, f"not UTF-8 text: byte 0x{data[exc.start]:02x}", line=bad
        ) from exc


class _CalendarReader:
    """One VCALENDAR of the file, read in batches."""

    def __init__(self, stream: CalendarStream, layout: CalendarLayout) -> None:
        self.stream = stream
        self.layout = layout
        self.source = stream.source
        self.repairs: list[Repair] = []
        self.header, nul_line = _without_nul(
            _decode(layout.header, self.source, layout.line + 1), layout.line + 1
        )
        if nul_line is not None:
            self.repairs.append(Repair(nul_line, None, _NUL_REMOVED))
        self.header_calendar = self._parse_header()
        self.zone = self._floating_zone()
        name = self.header_calendar.get("X-WR-CALNAME")
        if name is not None and stream.calendar_name is None:
            stream.calendar_name = str(name)
        self.reader = EventReader(ZoneResolver(self._timezones(), self.zone), self.zone)
        self.floating: set[int] = set()  # events whose DTSTART had no zone in the file

    def _parse_header(self) -> Calendar:
        text = f"BEGIN:VCALENDAR\r\n{self.header}END:VCALENDAR\r\n"
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return Calendar.from_ical(text)
        except _PARSE_ERRORS:
            return Calendar()

    def _floating_zone(self) -> str:
        """The zone of floating times: the calendar's X-WR-TIMEZONE, else the default."""
        declared = self.header_calendar.get("X-WR-TIMEZONE")
        if declared is None:
            return self.stream.default_zone
        zone = iana_name_for_tzid(str(declared))
        if zone is None:
            self.repairs.append(
                Repair(
                    self.layout.line,
                    None,
                    f"unknown X-WR-TIMEZONE {str(declared)!r}: floating times read in "
                    f"{self.stream.default_zone}",
                )
            )
            return self.stream.default_zone
        return zone

    def _timezones(self) -> list[Timezone]:
        found = []
        for block in self.layout.timezones:
            tzid = "?"
            try:
                text = _decode(block.text(self.stream.data), self.source, block.line)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    timezone = Timezone.from_ical(text)
                assert isinstance(timezone, Timezone)
                tzid = str(timezone.get("TZID", "?"))
                problems = [problem for c in timezone.walk() for _prop, problem in c.errors]
                if problems:
                    raise ValueError(problems[0])
            except (*_PARSE_ERRORS, ImportFailure) as error:
                self.repairs.append(
                    Repair(block.line, None, f"time zone {tzid} cannot be read: {error}")
                )
                continue
            found.append(timezone)
        return found

    def batches(self, size: int) -> Iterator[ParsedBatch]:
        groups: dict[str, list[Block]] = {}
        for index, block in enumerate(self.layout.events):
            groups.setdefault(block.uid or f"\x00{index}", []).append(block)
        pending: list[list[Block]] = []
        count = 0
        first = True
        for group in groups.values():
            pending.append(group)
            count += len(group)
            if count >= size:
                yield self._batch(pending, first)
                pending, count, first = [], 0, False
        if pending or first:
            yield self._batch(pending, first)

    # -- one batch -------------------------------------------------------------------

    def _batch(self, groups: list[list[Block]], first: bool) -> ParsedBatch:
        batch = ParsedBatch(vevents=sum(len(group) for group in groups))
        if first:
            batch.repairs.extend(self.repairs)
        parsed = self._parse(groups, batch)
        for group in groups:
            self._read_group(
                [(block, parsed[id(block)]) for block in group if id(block) in parsed], batch
            )
        return batch

    def _parse(self, groups: list[list[Block]], batch: ParsedBatch) -> dict[int, Event]:
        """Parse the batch's events in one go (one at a time if that fails)."""
        blocks = [block for group in groups for block in group]
        texts: list[tuple[Block, str]] = []
        for block in blocks:
            try:
                text = _decode(block.text(self.stream.data), self.source, block.line)
            except ImportFailure as failure:
                self._skip(batch, block, None, failure.problem, line=failure.line)
                continue
            text, nul_line = _without_nul(text, block.line)
            if nul_line is not None:
                uid = block.uid.replace("\x00", "") if block.uid else None
                batch.repairs.append(Repair(nul_line, uid, _NUL_REMOVED))
            texts.append((block, text))
        events = self._parse_texts([text for _block, text in texts])
        found: dict[int, Event] = {}
        if events is None or len(events) != len(texts):
            events = []
            for block, text in texts:
                one = self._parse_texts([text])
                if one is None or len(one) != 1:
                    self._skip(batch, block, None, "the event cannot be read as iCalendar")
                else:
                    events.append(one[0])
                    found[id(block)] = one[0][0]
            texts = [(block, text) for block, text in texts if id(block) in found]
        for (block, _text), (event, notes) in zip(texts, events, strict=True):
            found[id(block)] = event
            report = self._reporter(batch, block, event)
            for prop, what in notes:
                if prop == _FLOATING:
                    self.floating.add(id(event))
                else:
                    report(prop, what)
        return found

    def _parse_texts(
        self, texts: list[str]
    ) -> list[tuple[Event, list[tuple[str | None, str]]]] | None:
        """The events of some VEVENT texts, zones resolved, with what that had to say."""
        body = "".join(texts)
        text = f"BEGIN:VCALENDAR\r\n{self.header}{body}END:VCALENDAR\r\n"
        notes: list[list[tuple[str | None, str]]] = []
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                calendar = Calendar.from_ical(text)
            for component in calendar.subcomponents:
                if isinstance(component, Event):
                    prop = _get(component, "DTSTART")
                    start = prop.dt if isinstance(prop, vDDDTypes) else None
                    floating = isinstance(start, datetime) and start.tzinfo is None
                    said: list[tuple[str | None, str]] = []
                    if floating:
                        said.append((_FLOATING, ""))
                    self.reader.retime(component, _collector(said))
                    notes.append(said)
            calendar = standard_times(calendar, self.zone)
        except _PARSE_ERRORS:
            return None
        events = [c for c in calendar.subcomponents if isinstance(c, Event)]
        if len(events) != len(notes):
            return None
        return list(zip(events, notes, strict=True))

    def _read_group(self, members: list[tuple[Block, Event]], batch: ParsedBatch) -> None:
        """One UID's events: repaired, deduplicated, then a series or single events."""
        kept: list[tuple[Block, Event]] = []
        for block, event in members:
            if _get(event, "X-DIARY-BUFFER") is not None:
                batch.skipped["diary buffer event"] += 1
                continue
            if _get(event, "X-DIARY-PROMISE") is not None:
                batch.skipped["diary promise event"] += 1
                continue
            try:
                self.reader.repair(event, self._reporter(batch, block, event))
            except EventSkipped as skipped:
                self._skip(batch, block, event, skipped.what, prop=skipped.prop)
                continue
            kept.append((block, event))
        masters = [(b, e) for b, e in kept if _get(e, "RECURRENCE-ID") is None]
        master = self._newest(masters, batch, override=False)
        by_recurrence: dict[str, list[Copy]] = {}
        for block, event in kept:
            if _get(event, "RECURRENCE-ID") is not None:
                key = recurrence_key(event)
                by_recurrence.setdefault(key, []).append((block, event))
        overrides = [
            self._newest(group, batch, override=bool(key)) for key, group in by_recurrence.items()
        ]
        others = [o for o in overrides if o is not None]
        if master is not None and (
            _get(master[1], "RRULE") is not None or _get(master[1], "RDATE") is not None
        ):
            self._add_series(master, others, batch)
            return
        for block, event in ([master] if master is not None else []) + others:
            batch.events.append(self.reader.read(event, self._reporter(batch, block, event)))

    def _add_series(
        self,
        master: tuple[Block, Event],
        overrides: list[tuple[Block, Event]],
        batch: ParsedBatch,
    ) -> None:
        block, event = master
        template = self.reader.read(event, self._reporter(batch, block, event))
        changed = [self.reader.read(e, self._reporter(batch, b, e)) for b, e in overrides]
        try:
            floating = id(event) in self.floating
            batch.series.append(series_of(event, template, changed, floating=floating))
        except EventSkipped as skipped:
            self._skip(batch, block, event, skipped.what, prop=skipped.prop)
            for other_block, other in overrides:
                self._skip(batch, other_block, other, "its series cannot be expanded")

    @staticmethod
    def _newest(copies: list[Copy], batch: ParsedBatch, *, override: bool) -> Copy | None:
        """The copy to keep of several with one UID (and RECURRENCE-ID); the rest reported."""
        kept, dropped = newest_copy(copies, override=override)
        batch.repairs.extend(dropped)
        return kept

    # -- reporting -------------------------------------------------------------------

    def _reporter(self, batch: ParsedBatch, block: Block, event: Event) -> Any:
        uid = event_uid(event)
        data = self.stream.data

        def report(prop: str | None, what: str) -> None:
            if prop is None and "cannot be read" in what:
                text = block.text(data).decode("utf-8", "replace")
                line = block.line + unreadable_line(text)
            else:
                line = property_line(data, block, prop)
            batch.repairs.append(Repair(line, uid, what))

        return report

    def _skip(
        self,
        batch: ParsedBatch,
        block: Block,
        event: Event | None,
        what: str,
        *,
        prop: str | None = None,
        line: int | None = None,
    ) -> None:
        uid = event_uid(event) if event is not None else block.uid
        where = line if line is not None else property_line(self.stream.data, block, prop)
        if prop is None and line is None and event is None:
            text = block.text(self.stream.data).decode("utf-8", "replace")
            where = block.line + unreadable_line(text)
        batch.repairs.append(Repair(where, uid, f"skipped: {what}", skipped=True))
        batch.skipped["unreadable event"] += 1


def _collector(into: list[tuple[str | None, str]]) -> Any:
    """A repair report that keeps what it is told, to be said once the event's line is known."""

    def report(prop: str | None, what: str) -> None:
        into.append((prop, what))

    return report

"""The shape of a calendar file, read from its raw bytes without parsing it.

One pass over BEGIN/END lines (a regular expression, so it runs at C speed) finds every
component, checks that they nest (a file whose BEGIN/END do not balance is refused, with
the line), and notes where each event sits and which UID it carries. The import then
parses the events in small groups of whole UIDs, so memory follows one group, not the
file (issue: a 50 MB import peaks under 500 MB).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from diary.interchange.errors import ImportFailure

# After a newline (a literal the regex engine can skip to): ten times faster than ^ with
# MULTILINE on a 50 MB file. The first line is matched on its own.
_BOUNDARY = re.compile(rb"\n((?i:begin|end))[ \t]*:([^\r\n]*)")
_FIRST = re.compile(rb"((?i:begin|end))[ \t]*:([^\r\n]*)")
_UID = re.compile(rb"\n(?i:uid)[ \t]*[;:]")
_TOP_LEVEL = {"VCALENDAR", "VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VTIMEZONE", "VALARM"}
_NAME = re.compile(r"^[A-Za-z0-9-]+$")


@dataclass(slots=True)
class Block:
    """One component in the raw bytes: name, byte span [start, end), first line."""

    name: str
    start: int
    end: int
    line: int
    uid: str | None = None
    children: list[tuple[int, int]] = field(default_factory=list)  # nested spans

    def text(self, data: bytes) -> bytes:
        return data[self.start : self.end]


@dataclass(slots=True)
class CalendarLayout:
    """One VCALENDAR (or the bare components of a file without one)."""

    line: int
    header: bytes = b""  # its own property lines (X-WR-TIMEZONE, METHOD, ...)
    timezones: list[Block] = field(default_factory=list)
    events: list[Block] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # other components by name


@dataclass(slots=True)
class Layout:
    calendars: list[CalendarLayout]
    lines: int

    @property
    def events(self) -> int:
        return sum(len(calendar.events) for calendar in self.calendars)


def _line_end(data: bytes, position: int) -> int:
    """The offset just after the line that contains `position` (its newline included)."""
    newline = data.find(b"\n", position)
    return len(data) if newline < 0 else newline + 1


def scan(data: bytes, source: str) -> Layout:
    """The components of a calendar file; ImportFailure (with the line) if they do not nest
    or the file is not iCalendar at all."""
    stack: list[tuple[str, int, int, str]] = []  # name, start offset, line, name as written
    nested: dict[int, list[tuple[int, int]]] = {}  # event start -> spans of its alarms...
    calendars: list[CalendarLayout] = []
    loose: CalendarLayout | None = None
    current: CalendarLayout | None = None
    header_from = 0
    line = 1
    counted_to = 0
    first = _FIRST.match(data)
    for match in itertools.chain([first] if first else [], _BOUNDARY.finditer(data)):
        line_start = match.start(1)
        line += data.count(b"\n", counted_to, line_start)
        counted_to = line_start
        raw_name = match.group(2).decode("utf-8", "replace").strip()
        name = raw_name.strip().upper()
        if match.group(1).upper() == b"BEGIN":
            if not _NAME.match(name):
                raise ImportFailure(
                    source, f"BEGIN:{raw_name!r} is not a component name", line=line
                )
            if not stack:
                if name not in _TOP_LEVEL:
                    raise ImportFailure(
                        source,
                        f"not an iCalendar file: BEGIN:{raw_name} where BEGIN:VCALENDAR belongs",
                        line=line,
                    )
                if name == "VCALENDAR":
                    current = CalendarLayout(line=line)
                    calendars.append(current)
                    header_from = _line_end(data, match.end())
                else:
                    if loose is None:
                        loose = CalendarLayout(line=line)
                        calendars.append(loose)
                    current = loose
            elif len(stack) == 1 and stack[0][0] == "VCALENDAR" and current is not None:
                current.header += data[header_from:line_start]
            stack.append((name, line_start, line, raw_name))
            continue
        if not stack:
            raise ImportFailure(source, f"END:{raw_name} without a BEGIN:{raw_name}", line=line)
        opened, start, opened_line, opened_raw = stack.pop()
        if name != opened and not (not stack and name.startswith(opened) and _last(data, match)):
            # (A typo in the file's very last END, "END:VCALENDARD", is read as meant.)
            raise ImportFailure(
                source, f"END:{raw_name} closes BEGIN:{opened_raw} of line {opened_line}", line=line
            )
        end = _line_end(data, match.end())
        block = Block(opened, start, end, opened_line)
        if stack and stack[-1][0] == "VEVENT":
            nested.setdefault(stack[-1][1], []).append((start, end))
        elif current is not None and (not stack or stack == [("VCALENDAR", *stack[0][1:])]):
            _file(block, current, nested, data)
        if len(stack) == 1 and stack[0][0] == "VCALENDAR":
            header_from = end
    if stack:
        _name, _start, opened_line, raw = stack[-1]
        raise ImportFailure(source, f"BEGIN:{raw} is never closed by END:{raw}", line=opened_line)
    if not calendars:
        raise ImportFailure(source, "not an iCalendar file: no BEGIN:VCALENDAR", line=1)
    return Layout(calendars, line + data.count(b"\n", counted_to))


def _last(data: bytes, match: re.Match[bytes]) -> bool:
    """Whether nothing but blank lines follows a boundary line."""
    return not data[match.end() :].strip()


def _file(
    block: Block, calendar: CalendarLayout, nested: dict[int, list[tuple[int, int]]], data: bytes
) -> None:
    """File a finished top-level block (in a VCALENDAR, or loose) under its calendar."""
    if block.name == "VCALENDAR":
        return
    if block.name == "VEVENT":
        block.children = nested.pop(block.start, [])
        block.uid = event_uid(data, block)
        calendar.events.append(block)
    elif block.name == "VTIMEZONE":
        calendar.timezones.append(block)
    else:
        calendar.skipped[block.name] += 1


def event_uid(data: bytes, block: Block) -> str | None:
    """The UID written directly in an event (not in its alarms), unfolded; None if none."""
    position = block.start
    for child_start, child_end in [*block.children, (block.end, block.end)]:
        match = _UID.search(data, position, child_start)
        if match is not None:
            end = _line_end(data, match.start() + 1)
            while end < block.end and data[end : end + 1] in (b" ", b"\t"):
                end = _line_end(data, end)
            raw = data[match.start() + 1 : end].replace(b"\r\n ", b"").replace(b"\r\n\t", b"")
            raw = raw.replace(b"\n ", b"").replace(b"\n\t", b"")
            value = raw.split(b":", 1)[1] if b":" in raw else b""
            text = value.decode("utf-8", "replace").strip()
            return text or None
        position = child_end
    return None


def property_line(data: bytes, block: Block, prop: str | None) -> int:
    """The line of the first `prop` line written directly in a block, else its BEGIN line."""
    if not prop:
        return block.line
    wanted = re.compile(rb"\n(?i:" + re.escape(prop.encode()) + rb")[ \t]*[;:]")
    position = block.start
    for child_start, child_end in [*block.children, (block.end, block.end)]:
        match = wanted.search(data, position, child_start)
        if match is not None:
            return block.line + data.count(b"\n", block.start, match.start() + 1)
        position = child_end
    return block.line

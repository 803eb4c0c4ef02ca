"""What an iCalendar import gives back: its summary, its refusal, and the tally it keeps
while it runs (shared with the CalDAV sync, which stores series the same way)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from diary.domain.model import Appointment
from diary.interchange.errors import ImportFailure
from diary.interchange.records import Repair
from diary.services.results import InputError

TOUCHED_IN_MEMORY = 20_000  # appointments judged in memory at the end of an import


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
            "repairs": [{"file": self.source, **repair.as_json()} for repair in self.repairs],
        }



@dataclass(slots=True)
class Tally:
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

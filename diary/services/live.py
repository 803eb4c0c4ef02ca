"""Every window always current: what other writers changed, as the days a window shows.

Another window, the command line, a colleague on the shared PostgreSQL database or a
sync in the background commits; the watcher (`diary.storage.watch`) notices the commit,
the journal (`diary.storage.changes`) says which appointments' times it touched, and
this turns them into the local days the views refresh. Writes this process's window
already knows of (announced by their own results) are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from diary.domain.rules import local_days
from diary.services.clock import today
from diary.services.store import DiaryStore
from diary.storage.watch import CommitWatcher, watcher_for

EVERYTHING_REACH = timedelta(days=400)  # "anything changed": the days this far around today


@dataclass(frozen=True, slots=True)
class ExternalChange:
    """Days whose appointments another writer changed; `everything`: anything may have
    changed (customers, places, policy, a series rule), so all shown data is stale."""

    days: frozenset[date]
    everything: bool = False


class LiveChanges:
    """Waits for other writers' commits and says what they changed (one thread at a time)."""

    def __init__(self, store: DiaryStore, watcher: CommitWatcher | None = None) -> None:
        self.store = store
        self.watcher = watcher or watcher_for(store.database.url, store.diary_id)
        self.seen = self._revision()

    def _revision(self) -> int:
        with self.store.read() as uow:
            revision = uow.journal.revision()
            return revision if revision is not None else 0

    def next(self, timeout: float) -> ExternalChange | None:
        """Block up to `timeout` seconds for a commit; what it changed, if anything shown."""
        if not self.watcher.wait(timeout):
            return None
        return self.poll()

    def poll(self) -> ExternalChange | None:
        """What changed since the last look (None: nothing, or only this window's own)."""
        with self.store.read() as uow:
            found = uow.journal.revision()
            revision = found if found is not None else self.seen
            if revision <= self.seen:
                return None
            journal = uow.journal.since(self.seen, revision)
            zone = uow.policy.zone
        self.seen = revision
        days: set[date] = set()
        everything = False
        for number, ranges in journal.items():
            if number in self.store.announced:
                continue
            if ranges is None:
                everything = True
                continue
            for lo, hi in ranges:
                days.update(local_days(lo, hi, zone))
        if everything:
            middle = today(self.store.clock, zone)
            reach = EVERYTHING_REACH.days
            days.update(middle + timedelta(days=n) for n in range(-reach, reach + 1))
        if not days:
            return None
        return ExternalChange(frozenset(days), everything)

    def close(self) -> None:
        self.watcher.close()

"""Backups the owner can restore: one after the first change of each day, on demand, and
before every restore; each a portable SQLite snapshot (see `diary.storage.snapshot`).

Each day the diary changes has one automatic backup that holds the diary as that day left
it: taken right after the day's first change, and brought up to date just before the first
write of a later day (so "last Monday's backup" is Monday's last state, not its first
change). That refresh is skipped once a restore or a manual backup came after it: a backup
is never rewritten with a state from after a restore.

Where: `<data folder>/backups/<database>-<hash>/` (platformdirs' user data folder, e.g.
~/.local/share/diary/backups/diary.sqlite3-1a2b3c4d/), one folder per database, 0700;
every file 0600 from its first byte, written beside its name and renamed into place
(`diary.services.output_files`). Names say when and why:
`diary-20261124T101500Z-automatic.sqlite3` (`manual`, `before-restore`).

Kept: automatic backups by `diary.domain.retention` (7 daily, 4 weekly); manual and
before-restore backups until the owner deletes them.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from diary.about import data_folder
from diary.domain.retention import kept
from diary.services.clock import Clock, system_zone, today
from diary.services.results import InputError
from diary.storage.errors import StorageError

if TYPE_CHECKING:
    from diary.storage.engine import Database

# Every command opens a Backups; what only taking, listing or restoring one needs (the
# snapshot code, temporary files) is imported there, so `diary list` does not pay for it.

log = logging.getLogger(__name__)

AUTOMATIC, MANUAL, BEFORE_RESTORE = "automatic", "manual", "before-restore"
KINDS = (AUTOMATIC, MANUAL, BEFORE_RESTORE)
_STAMP = "%Y%m%dT%H%M%SZ"
LEFTOVER_SECONDS = 24 * 3600  # a temporary file or folder this old was left by a killed run
_NAME = re.compile(r"^diary-(?P<stamp>\d{8}T\d{6}Z)-(?P<kind>[a-z-]+?)(?:-\d+)?\.sqlite3$")


class BackupRefused(InputError):
    """A file that cannot be restored (or a backup that cannot be written); nothing changed."""


@dataclass(frozen=True, slots=True)
class Backup:
    """One backup file: where, when it was taken (UTC), why (`KINDS`), its size in bytes."""

    path: Path
    taken: datetime
    kind: str
    size: int


@dataclass(frozen=True, slots=True)
class Restored:
    """What a restore did: the file it read, the backup of the state it replaced, and how
    many appointments, customers, promises and diaries the restored database holds."""

    source: Path
    kept_as: Backup
    counts: dict[str, int]


def backup_folder(database: Database) -> Path:
    """The folder of `database`'s backups: named for its file (or database name) and a hash
    of where it is, so two diaries never share one."""
    where = database.kept_at()  # the file, or the URL without its password
    label = Path(where.split("?", 1)[0].rstrip("/")).name or "diary"
    label = re.sub(r"[^A-Za-z0-9._-]", "_", label)[:40]
    import hashlib

    digest = hashlib.sha256(where.encode("utf-8")).hexdigest()[:8]
    return data_folder() / "backups" / f"{label}-{digest}"


class Backups:
    """Takes, lists and restores the backups of one database.

    `clock` names the backups and decides what "today" is (in `zone`, default the
    machine's); `folder` defaults to `backup_folder(database)`. Thread-safe: the window
    writes from two worker threads.
    """

    def __init__(
        self,
        database: Database,
        clock: Clock,
        *,
        folder: Path | None = None,
        zone: str | None = None,
    ) -> None:
        self.database = database
        self.clock = clock
        self._folder = folder
        self.zone = ZoneInfo(zone or system_zone())
        self._lock = threading.Lock()
        self._automatic_day: date | None = None  # the day an automatic backup was found/taken
        self._settled_day: date | None = None  # the day the last backup was brought up to date

    @property
    def folder(self) -> Path:
        if self._folder is None:
            self._folder = backup_folder(self.database)
        return self._folder

    @property
    def possible(self) -> bool:
        """False for an in-memory database: nothing outlives the process to back up."""
        return not (self.database.dialect_name == "sqlite" and self.database.sqlite_file is None)

    # -- taking ------------------------------------------------------------------------

    def take(self, to: str | os.PathLike[str] | None = None, *, kind: str = MANUAL) -> Backup:
        """Write a backup into the folder (or to `to`); returns it.

        Raises BackupRefused when `to` may not be written (a link, a folder, the database
        itself...) or for an in-memory database, StorageError when the copy fails.
        """
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        if not self.possible:
            raise BackupRefused("backup", "an in-memory database has nothing to back up")
        from diary.services.output_files import private_output
        from diary.storage.snapshot import write_snapshot

        taken = self.clock().astimezone(UTC)
        target = Path(to) if to is not None else self._new_name(taken, kind)
        with private_output(target, protected=self.database.files) as temporary:
            write_snapshot(self.database, temporary)
        size = target.stat().st_size
        log.info("backed up %s to %s", self.database.kept_at(), target)
        return Backup(target.absolute(), taken, kind if to is None else MANUAL, size)

    def _new_name(self, taken: datetime, kind: str) -> Path:
        from diary.services.output_files import private_folder

        folder = private_folder(self.folder)
        stem = f"diary-{taken.strftime(_STAMP)}-{kind}"
        candidate, counter = folder / f"{stem}.sqlite3", 1
        while candidate.exists():
            counter += 1
            candidate = folder / f"{stem}-{counter}.sqlite3"
        return candidate

    # -- listing -----------------------------------------------------------------------

    def backups(self) -> list[Backup]:
        """The backups in the folder, newest first (files of other names are left alone)."""
        found = []
        try:
            entries = list(os.scandir(self.folder))
        except FileNotFoundError:
            return []
        for entry in entries:
            match = _NAME.match(entry.name)
            if match is None or match["kind"] not in KINDS:
                continue
            if not entry.is_file(follow_symlinks=False):
                continue
            taken = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
            found.append(Backup(Path(entry.path), taken, match["kind"], entry.stat().st_size))
        return sorted(found, key=lambda b: (b.taken, b.path.name), reverse=True)

    # -- automatic ---------------------------------------------------------------------

    def before_write(self) -> Backup | None:
        """Called before each write: the first of a day brings the newest automatic backup,
        if from an earlier day, up to the current state (the state that day left). Returns
        it when it was rewritten. Never raises (see `after_change`).
        """
        if not self.possible:
            return None
        day = today(self.clock, self.zone)
        with self._lock:
            if self._settled_day == day:
                return None
            try:
                refreshed = self._bring_up_to_date(day)
            except (OSError, StorageError, InputError) as error:
                log.error(
                    "the backup of %s was not brought up to date: %s",
                    self.database.kept_at(),
                    error,
                )
                return None
            self._settled_day = day
            return refreshed

    def _bring_up_to_date(self, day: date) -> Backup | None:
        from diary.services.output_files import private_output
        from diary.storage.snapshot import snapshot_revisions, write_snapshot

        backups = self.backups()
        if not backups or backups[0].kind != AUTOMATIC:
            return None  # none yet, or a manual backup or a restore came after it
        newest = backups[0]
        if newest.taken.astimezone(self.zone).date() >= day:
            return None
        if snapshot_revisions(newest.path) == self.database.revisions():
            return None  # nothing changed since it was taken
        with private_output(newest.path, protected=self.database.files) as temporary:
            write_snapshot(self.database, temporary)
        log.info("brought %s up to date", newest.path)
        return Backup(newest.path, newest.taken, AUTOMATIC, newest.path.stat().st_size)

    def after_change(self) -> Backup | None:
        """Called after each committed change: the first change of a day takes that day's
        automatic backup (of the state with the change) and prunes the old ones.

        Never raises: the change is committed already, a failed backup is logged and tried
        again after the next change.
        """
        if not self.possible:
            return None
        day = today(self.clock, self.zone)
        with self._lock:
            if self._automatic_day == day:
                return None
            try:
                if any(
                    b.kind == AUTOMATIC and b.taken.astimezone(self.zone).date() == day
                    for b in self.backups()
                ):
                    self._automatic_day = day
                    return None
                backup = self.take(kind=AUTOMATIC)
                self._automatic_day = day
                self.prune()
            except (OSError, StorageError, InputError) as error:
                log.error("the daily backup of %s failed: %s", self.database.kept_at(), error)
                return None
            return backup

    def prune(self) -> list[Path]:
        """Delete the automatic backups the retention rule does not keep, and what a backup
        or restore killed half-way left behind (a day old: nobody is still writing it);
        returns what was deleted."""
        automatic = [b for b in self.backups() if b.kind == AUTOMATIC]
        keep = kept(b.taken.astimezone(self.zone) for b in automatic)
        removed = []
        for backup in automatic:
            if backup.taken.astimezone(self.zone) not in keep:
                backup.path.unlink(missing_ok=True)
                removed.append(backup.path)
        return removed + self._remove_leftovers()

    def _remove_leftovers(self) -> list[Path]:
        import shutil

        removed = []
        stale = self.clock().timestamp() - LEFTOVER_SECONDS
        for entry in os.scandir(self.folder):
            if not entry.name.startswith((".diary-", ".restore-")):
                continue
            if entry.stat(follow_symlinks=False).st_mtime > stale:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                Path(entry.path).unlink(missing_ok=True)
            removed.append(Path(entry.path))
        return removed

    # -- restoring ---------------------------------------------------------------------

    def find(self, file: str | os.PathLike[str]) -> Path:
        """`file` as given, else a backup of that name in the folder; BackupRefused if neither."""
        given = Path(file)
        try:
            if given.exists():
                return given
            in_folder = self.folder / given.name
            if given.name == str(file) and in_folder.exists():
                return in_folder
        except OSError as error:  # a name too long, a folder that may not be looked into
            raise BackupRefused(str(file), f"cannot look at it: {error.strerror}") from None
        raise BackupRefused(str(file), "no such file")

    def restore(self, file: str | os.PathLike[str]) -> Restored:
        """Replace the whole database by the backup `file` (a path, or a name from the list).

        First the file is copied aside, checked (a SQLite file, intact, a schema this diary
        knows; an older schema is migrated on the copy) and only then is the current state
        kept as a `before-restore` backup and replaced, in one transaction. Raises
        BackupRefused with the reason when the file is refused: nothing has changed then.
        """
        import shutil
        import tempfile

        from diary.services.output_files import private_folder
        from diary.storage.engine import open_database
        from diary.storage.snapshot import SnapshotRefused, inspect_snapshot, replace_with_snapshot

        source = self.find(file)
        if not source.is_file():
            raise BackupRefused(str(file), "not a file")
        with tempfile.TemporaryDirectory(
            prefix=".restore-", dir=private_folder(self.folder)
        ) as work:
            copy = Path(work) / "restoring.sqlite3"
            try:
                shutil.copyfile(source, copy)
                info = inspect_snapshot(copy)
            except OSError as error:
                raise BackupRefused(str(file), f"cannot read it: {error.strerror}") from None
            except SnapshotRefused as refused:
                raise BackupRefused(str(file), str(refused)) from None
            snapshot = open_database(f"sqlite:///{copy}", self.clock)  # migrates an older one
            try:
                kept_as = self.take(kind=BEFORE_RESTORE)
                replace_with_snapshot(self.database, snapshot)
            except SnapshotRefused as refused:
                raise BackupRefused(str(file), str(refused)) from None
            finally:
                snapshot.close()
        log.info(
            "restored %s from %s (kept the state before in %s)",
            self.database.kept_at(),
            source,
            kept_as.path,
        )
        return Restored(source.absolute(), kept_as, info.counts)

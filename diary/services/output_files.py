"""Writing a file the user names (an export, a report, a printed sheet) without harm.

The rules, for every file diary writes at a path it was given (issues 10 and 16):
- Only a regular file is ever written or replaced. A target that exists as a symbolic
  link, a folder, a device, a FIFO or a socket is refused before anything is opened, so
  `/dev/full` stays a device and a link never redirects the write elsewhere.
- Never one of the `protected` files: the open database and its journal files. Compared
  by device and inode, so another name (a hard link, `..` in the path) is caught too.
- A missing folder is refused with a message saying so; it is not created.
- The content goes to a new temporary file in the target's folder, created 0600 (owner
  only, it holds customers' details) with O_EXCL from its first byte, flushed to disk,
  then renamed over the target: a crash leaves the old file or the new one, never half of
  one, and an existing file's looser mode does not carry over.

Refusals raise `OutputRefused`, an `InputError` whose `where` is the path.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from diary.services.results import InputError

PRIVATE_MODE = 0o600


class OutputRefused(InputError):
    """The named output file may not be written; nothing was changed."""


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def check_output(path: str | os.PathLike[str], protected: Iterable[Path] = ()) -> Path:
    """The absolute target, or OutputRefused saying why it may not be written.

    `protected`: files that must never be replaced (the open database and its journals).
    """
    target = Path(os.path.abspath(path))
    where = str(path)
    if not target.name or str(path).endswith(os.sep):
        raise OutputRefused(where, "names a folder, not a file")
    folder = target.parent
    try:
        folder_mode = folder.stat().st_mode
    except FileNotFoundError:
        raise OutputRefused(where, f"the folder {folder} does not exist") from None
    except OSError as error:
        raise OutputRefused(where, f"cannot reach the folder {folder}: {error.strerror}") from None
    if not stat.S_ISDIR(folder_mode):
        raise OutputRefused(where, f"{folder} is not a folder")
    try:
        found = os.lstat(target)
    except FileNotFoundError:
        return target
    except OSError as error:
        raise OutputRefused(where, f"cannot look at it: {error.strerror}") from None
    if not stat.S_ISREG(found.st_mode):
        raise OutputRefused(where, f"is {_kind(found.st_mode)}; only a regular file is written")
    for kept in protected:
        try:
            other = os.stat(kept)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (found.st_dev, found.st_ino):
            raise OutputRefused(where, "is the open diary's database file; choose another name")
    return target


@contextmanager
def private_output(
    path: str | os.PathLike[str], protected: Iterable[Path] = ()
) -> Iterator[Path]:
    """A fresh 0600 temporary file beside `path` to write into; replaces `path` on success.

    Yields the temporary file's path (same folder, same suffix, so a writer that picks
    its format by suffix still does). When the block ends normally the file is flushed
    to disk and renamed over `path`; when it raises, the file is removed and `path` is
    as it was. Raises OutputRefused (before yielding) under the rules of this module.
    """
    kept = tuple(protected)
    target = check_output(path, kept)
    try:
        descriptor, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=f".tmp{target.suffix}", dir=target.parent
        )
    except OSError as error:
        raise OutputRefused(str(path), f"cannot write there: {error.strerror}") from None
    temporary = Path(name)
    try:
        os.fchmod(descriptor, PRIVATE_MODE)  # mkstemp's mode already; said, not assumed
        os.close(descriptor)
        yield temporary
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        check_output(path, kept)  # again: the target may have changed while writing
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_private(
    path: str | os.PathLike[str], data: bytes, protected: Iterable[Path] = ()
) -> Path:
    """Write `data` to `path` under the rules of this module; returns the absolute path."""
    with private_output(path, protected) as temporary:
        temporary.write_bytes(data)
    return Path(os.path.abspath(path))


# -- diary's own files (issue 16): folders and files a library writes in place --------------

PRIVATE_FOLDER_MODE = 0o700


def private_folder(path: str | os.PathLike[str]) -> Path:
    """The folder `path`, created 0700 (with its parents) if missing; an existing one of
    ours that others may read is tightened to 0700. Returns it."""
    folder = Path(path)
    missing = [folder, *(p for p in folder.parents if not p.exists())]
    for each in reversed(missing):  # each folder diary makes is 0700, not just the last
        each.mkdir(mode=PRIVATE_FOLDER_MODE, exist_ok=True)
    _tighten(folder, PRIVATE_FOLDER_MODE)
    return folder


def keep_private(path: str | os.PathLike[str]) -> Path:
    """Make sure the file `path` exists, is a regular file and is 0600, before a library
    that writes it in place (Qt's settings, whose temporary file takes the existing file's
    mode) writes to it. Creates it empty, and its folder 0700, if missing; never follows a
    symbolic link to create it. Returns the path."""
    target = Path(path)
    private_folder(target.parent)
    try:
        descriptor = os.open(
            target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, PRIVATE_MODE
        )
    except FileExistsError:
        _tighten(target, PRIVATE_MODE)
    else:
        os.close(descriptor)
    return target


def _tighten(path: Path, mode: int) -> None:
    """chmod `path` to `mode` if it is ours and grants others more (never through a link)."""
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(found.st_mode) or found.st_uid != os.getuid():
        return
    if stat.S_IMODE(found.st_mode) & ~mode:
        os.chmod(path, mode)

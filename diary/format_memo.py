"""What babel said while the window last started, so that the next start paints first.

Importing babel and loading its locale data is ~25 ms of a cold start, for the few strings
the first paint shows: the name of the locale, its first day of the week, the week's day
headers and dates, the hour labels. Those strings are kept from the last start, stamped
with the babel data they came from, and babel loads after the first paint, when something
else is formatted. A string that is not kept is asked of babel as before: a missing or
stale memo costs time, never a wrong word.

The window keeps the memo with its settings (below the UI there is no Qt): it hands the
last one to `recall` before it builds anything and stores `keep()` after its first paint,
with what the next start may show besides (the next week).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

VERSION = "1"
_ENTRY, _FIELD = "\n", "\x1f"

_known: dict[str, str] = {}
_used: dict[str, str] = {}
_recording = True
_missed = False


def remembered(key: str, compute: Callable[[], str]) -> str:
    """The string the last start kept under `key`, else `compute()` (noted for the next)."""
    global _missed
    value = _known.get(key)
    if value is None:
        value = compute()
        _missed = True
    if _recording:
        _used[key] = value
    return value


def missed() -> bool:
    """Whether babel had to be asked for something the last start did not keep."""
    return _missed


def recall(text: object) -> None:
    """Take what `keep` returned at the last start; ignored unless babel's data is the same."""
    _known.clear()
    if not isinstance(text, str):
        return
    stamp, _, entries = text.partition(_ENTRY)
    if stamp != _stamp():
        return
    for entry in entries.split(_ENTRY):
        key, separator, value = entry.partition(_FIELD)
        if separator:
            _known[key] = value


def keep(also: Callable[[], object] = lambda: None) -> str | None:
    """What this start formatted, and what `also` formats now, for `recall` at the next
    start (None after the first call: a process starts once). Recording stops here."""
    global _recording
    if not _recording:
        return None
    also()
    _recording = False
    entries = [
        f"{key}{_FIELD}{value}"
        for key, value in _used.items()
        if _ENTRY not in key + value and _FIELD not in key + value
    ]
    _used.clear()
    return _ENTRY.join([_stamp(), *entries])


def _stamp() -> str:
    """The memo's format and the babel data it holds strings of (a reinstalled or upgraded
    babel rewrites its data files), found without importing babel."""
    spec = importlib.util.find_spec("babel")
    if spec is None or spec.origin is None:
        return ""
    try:
        data = (Path(spec.origin).parent / "global.dat").stat()
    except OSError:
        return ""
    return f"diary format memo {VERSION}|{spec.origin}|{data.st_size}|{data.st_mtime_ns}"

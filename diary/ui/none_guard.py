"""A guard against a reference-count bug of PySide6 6.12 on Python 3.11.

Every call of a Qt method that returns nothing drops one reference to `None` that it never
took (measured: 1,000 `QPainter.drawEllipse` calls lower `sys.getrefcount(None)` by 1,000).
Python 3.12 made `None` immortal, so the bug is invisible there; on 3.11 a long paint
session eventually "deallocates None" and aborts. Until PySide6 is fixed we give `None` a
reference count no session can use up, which is what 3.12 does by design.

The window sets the guard once its first paint is on screen (`ctypes` is not worth a cold
start's 4 ms before that: `None` starts with thousands of references and a start drops a
few hundred); whatever else drives widgets for long (printing, a test session) sets it
first.
"""

from __future__ import annotations

import sys

HEADROOM = 1 << 50


def keep_none_alive() -> None:
    """Make `None` effectively immortal on Python < 3.12 (idempotent)."""
    if sys.version_info >= (3, 12):
        return
    import ctypes

    # ob_refcnt is the first field of every PyObject in a release build.
    refcount = ctypes.c_ssize_t.from_address(id(None))
    if refcount.value < HEADROOM:
        refcount.value += HEADROOM

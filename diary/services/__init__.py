"""Use cases: the only API the UI and the command line call.

The names below load on first use (PEP 562): importing a light submodule such as
`diary.services.clock` must not pull in the database layer, so the window can paint first.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from diary.services.results import (
        Draft,
        InputError,
        Listed,
        NotFoundError,
        Outcome,
        Repeat,
    )
    from diary.services.service import DiaryService
    from diary.storage.errors import StorageError

_WHERE = {
    "DiaryService": "diary.services.service",
    "Draft": "diary.services.results",
    "InputError": "diary.services.results",
    "Listed": "diary.services.results",
    "NotFoundError": "diary.services.results",
    "Outcome": "diary.services.results",
    "Repeat": "diary.services.results",
    "StorageError": "diary.storage.errors",
}

__all__ = [
    "DiaryService",
    "Draft",
    "InputError",
    "Listed",
    "NotFoundError",
    "Outcome",
    "Repeat",
    "StorageError",
]


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(where), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

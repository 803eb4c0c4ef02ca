"""packaging/make_dist.py, imported for the tests that build the wheel and the bundle."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def make_dist() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "diary_make_dist", ROOT / "packaging" / "make_dist.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Run inside the installed wheel's (or the bundle's) Python: a German draft for a late
# promise, from the catalogue the package carries. A fixed clock, dates far from now.
GERMAN_DRAFT = """
import sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import diary
from diary.services import DiaryService

tz = ZoneInfo("Europe/Berlin")
made = datetime(2031, 5, 6, 9, 0, tzinfo=UTC)
late = datetime(2031, 5, 7, 9, 0, tzinfo=UTC)
service = DiaryService.open(sys.argv[1], zone="Europe/Berlin", clock=lambda: made)
service.add_customer("Zoë Müller-Łukasik", email="zoe@example.com", prefers="email")
promise = service.add_promise("Zoë Müller-Łukasik", "Angebot", datetime(2031, 5, 6, 12, tzinfo=tz))
service.store.clock = lambda: late  # a day later: the promise is late
draft = service.tell_customer(promise.id, locale="de_DE")
service.close()
print(diary.__file__)
print(draft.subject)
print(draft.body)
"""

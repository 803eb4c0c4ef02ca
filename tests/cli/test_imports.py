"""What the command line loads: each of its modules alone, and nothing heavy for `list`.

Fresh interpreters (subprocesses), so what an earlier test imported does not count.
The appointment is in November 2026; `list` reads the date range it is given, not "now".
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import diary.cli
from diary.cli.table import COMMANDS

CLI_MODULES = sorted(
    {f"diary.cli.{p.stem}" for p in Path(diary.cli.__file__).parent.glob("*.py")}
    | {c.module for c in COMMANDS}
)
# Stacks that only some commands need: `list` must start without any of them.
HEAVY = (
    "icalendar",
    "recurring_ical_events",
    "x_wr_timezone",
    "alembic",
    "PySide6",
    "babel",
    "sqlalchemy.dialects.postgresql",
    "diary.app",
    "diary.ui",
    "diary.services.calendar_io",
)


def _python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("module", CLI_MODULES)
def test_each_command_line_module_imports_alone(module: str) -> None:
    _python(f"import {module}")


def test_the_command_line_never_imports_the_ui() -> None:
    loaded = _python(
        "import sys, diary.cli, importlib\n"
        "from diary.cli.table import COMMANDS\n"
        "for c in COMMANDS: importlib.import_module(c.module)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('diary.ui', 'PySide6'))))"
    )
    assert loaded.strip() == "[]"


def test_list_loads_no_heavy_stack(tmp_path: Path) -> None:
    """A diary that needs no migration is listed without Alembic or the iCalendar stack."""
    args = ["--db", str(tmp_path / "diary.sqlite3"), "--tz", "Europe/London"]
    book = [*args, "add", "--title", "A", "--start", "2026-11-24T09:00", "--duration", "30"]
    _python(f"from diary.cli import main; main({book!r})")  # creates (and migrates) it
    listing = [*args, "list", "--from", "2026-11-24", "--to", "2026-11-24"]
    out = _python(
        f"import sys\nfrom diary.cli import main\nmain({listing!r})\n"
        f"print('LOADED', [m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    assert "  A  " in out and "LOADED []" in out, out

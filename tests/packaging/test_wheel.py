"""The wheel carries everything: built, installed into a fresh virtual environment outside
the repository, it prints its version, drafts in German and renders a week."""

from __future__ import annotations

import os
import subprocess
import zipfile
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from diary.about import VERSION

from tests.conftest import TRAVEL_ENV
from tests.packaging.build_tools import GERMAN_DRAFT, ROOT, make_dist

# Slow; and it builds and runs other processes, which a moved clock does not reach: it
# runs in the plain pass of make test only.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bool(os.environ.get(TRAVEL_ENV)), reason="runs without a moved clock"),
]


def _run(command: list[str | Path], cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_installed_wheel_runs_translated_and_renders_a_week(tmp_path: Path) -> None:
    tools = make_dist()
    wheel = tools.build_wheel(tmp_path / "dist")
    names = zipfile.ZipFile(wheel).namelist()
    assert "diary/resources/translations/de/LC_MESSAGES/diary.mo" in names
    assert "diary/resources/icons/hicolor/48x48/apps/org.diaryapp.Diary.png" in names
    assert "diary/storage/migrations/versions/0001_initial.py" in names
    assert not [name for name in names if name.endswith((".po", ".pot"))]

    # A fresh environment, away from the checkout; versions as tested (pip's cache).
    python = tools.make_venv(
        tmp_path / "venv", [str(wheel)], tools.constraints(tmp_path / "constraints.txt")
    )
    scripts = python.parent
    home = tmp_path / "home"
    home.mkdir()
    assert _run([scripts / "diary", "--version"], home) == f"diary {VERSION}\n"
    assert _run([scripts / "diary-gui", "--version"], home) == f"diary-gui {VERSION}\n"

    out = _run([python, "-c", GERMAN_DRAFT, f"sqlite:///{home / 'de.sqlite3'}"], home)
    location, subject, *body = out.splitlines()
    assert Path(location).is_relative_to(tmp_path / "venv")  # not the checkout's diary
    assert not Path(location).is_relative_to(ROOT)
    assert subject == "„Angebot“: ein neuer Termin"
    assert "ist noch nicht fertig" in "\n".join(body)

    db = home / "week.sqlite3"
    diary = [scripts / "diary", "--db", db, "--tz", "Europe/Berlin"]
    _run([*diary, "add", "--title", "Kitchen survey", "--start", "2031-03-03T09:00",
          "--duration", "60"], home)  # fmt: skip
    _run([*diary, "print", "--view", "week", "--date", "2031-03-03", "--out", "week.png"], home)
    week = QImage(str(home / "week.png"))
    assert week.width() >= 800 and week.height() >= 600

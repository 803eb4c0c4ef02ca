"""The one-folder bundle (PyInstaller) that `make package` builds: started from its folder,
it prints its version and renders a week offscreen, with no Python of ours beside it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from diary.about import APP_ID, VERSION

from tests.conftest import TRAVEL_ENV
from tests.packaging.build_tools import ROOT, make_dist

# Slow; and it builds and runs other processes, which a moved clock does not reach: it
# runs in the plain pass of make test only.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bool(os.environ.get(TRAVEL_ENV)), reason="runs without a moved clock"),
]


def _run(command: list[str | Path], cwd: Path) -> str:
    # Nothing of the checkout or its virtual environment is reachable from the bundle.
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
    }
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PATH"] = "/usr/bin:/bin"
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


def test_the_bundle_starts_and_renders_a_week(tmp_path: Path) -> None:
    tools = make_dist()
    dist = tmp_path / "dist"
    wheel = tools.build_wheel(dist)
    # The build environment is kept in build/ (ignored by git) and reused between runs.
    bundle = tools.build_bundle(wheel, dist, ROOT / "build" / "test-bundle")
    assert (bundle / "share" / "applications" / f"{APP_ID}.desktop").is_file()
    assert (bundle / "share" / "icons" / "hicolor" / "256x256" / "apps" / f"{APP_ID}.png").is_file()

    home = tmp_path / "home"
    home.mkdir()
    assert _run([bundle / "diary", "--version"], home) == f"diary {VERSION}\n"
    assert _run([bundle / "diary-gui", "--version"], home) == f"diary-gui {VERSION}\n"
    diary = [bundle / "diary", "--db", home / "week.sqlite3", "--tz", "Europe/Berlin"]
    _run([*diary, "policy", "set", "locale", "de_DE"], home)
    _run([*diary, "add", "--title", "Küche aufmessen", "--start", "2031-03-03T09:00",
          "--duration", "60"], home)  # fmt: skip
    _run([*diary, "print", "--view", "week", "--date", "2031-03-03", "--out", "week.png"], home)
    week = QImage(str(home / "week.png"))
    assert week.width() >= 800 and week.height() >= 600
    # The booked hour is painted: the column of Monday 3 March differs from an empty day's.
    assert len({week.pixel(x, y) for x in range(0, week.width(), 7) for y in range(200, 300)}) > 8

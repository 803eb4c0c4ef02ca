"""Start to a painted week: the bundle, the installed wheel, a bare PySide6 window. A table.

    make package && .venv/bin/python bench/bundle_bench.py [--bundle dist/diary] [--starts 7]

Each diary start runs `diary-gui` on a diary holding a demo week, offscreen, with private
settings and log folders, and reads from diary's log when the window first painted and when
the diary was open (its log lines carry the time); the process is then stopped. The bare
window is PySide6 alone: a QMainWindow of the same size, timed at its first paint. The
installed wheel is the one `make package` put in build/package-venv. Starts take turns, so
a slow spell of the machine falls on all alike; medians.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STARTS = 7
TIMEOUT = 60.0

BARE = """
import os, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
def done():
    print(time.time(), flush=True)
    os._exit(0)
class Seen(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, done)
            window.removeEventFilter(self)
        return False
seen = Seen()
window = QMainWindow()
window.resize(1280, 860)
window.installEventFilter(seen)
window.show()
app.exec()
"""


def _log_time(line: str) -> float:
    """The epoch seconds of a diary log line ("2026-11-30 17:02:03,123 INFO ...")."""
    stamp, millis = line[:23].split(",")
    return time.mktime(time.strptime(stamp, "%Y-%m-%d %H:%M:%S")) + int(millis) / 1000


def diary_start(program: Path, db: Path, home: Path) -> tuple[float, float]:
    """Seconds from launch to the first paint and to the open diary, read from the log."""
    shutil.rmtree(home, ignore_errors=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for kind in ("CONFIG", "STATE", "DATA", "CACHE"):
        env[f"XDG_{kind}_HOME"] = str(home / kind.lower())
    log = home / "state" / "diary" / "log" / "diary.log"
    began = time.time()
    process = subprocess.Popen(
        [str(program), "--db", str(db), "--tz", "Europe/Berlin"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        painted = opened = None
        while time.time() - began < TIMEOUT and (painted is None or opened is None):
            time.sleep(0.02)
            if not log.exists():
                continue
            for line in log.read_text(encoding="utf-8").splitlines():
                if line.endswith("window painted"):
                    painted = _log_time(line)
                elif line.endswith("diary open"):
                    opened = _log_time(line)
        if painted is None or opened is None:
            raise SystemExit(f"bundle_bench: {program} did not paint within {TIMEOUT} s")
        return painted - began, opened - began
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def bare_start(python: str) -> float:
    began = time.time()
    out = subprocess.run(
        [python, "-c", BARE],
        capture_output=True,
        text=True,
        check=True,
        timeout=TIMEOUT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    ).stdout
    return float(out.strip().splitlines()[-1]) - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", default=str(ROOT / "dist" / "diary"))
    parser.add_argument("--wheel-venv", default=str(ROOT / "build" / "package-venv"))
    parser.add_argument("--starts", type=int, default=STARTS)
    args = parser.parse_args()
    bundle, venv = Path(args.bundle), Path(args.wheel_venv)
    if not (bundle / "diary-gui").exists():
        print(f"bundle_bench: no bundle at {bundle}: run `make package` first", file=sys.stderr)
        return 2
    programs = {"bundle (dist/diary)": bundle / "diary-gui"}
    if (venv / "bin" / "diary-gui").exists():
        programs["installed wheel"] = venv / "bin" / "diary-gui"
    with tempfile.TemporaryDirectory(prefix="diary-bundle-bench-") as folder:
        db = Path(folder) / "demo.sqlite3"
        subprocess.run(
            [str(bundle / "diary"), "--db", str(db), "--tz", "Europe/Berlin", "demo"],
            check=True,
            capture_output=True,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        bare: list[float] = []
        painted: dict[str, list[float]] = {name: [] for name in programs}
        opened: dict[str, list[float]] = {name: [] for name in programs}
        for _ in range(args.starts):
            bare.append(bare_start(sys.executable))
            for name, program in programs.items():
                paint, open_ = diary_start(program, db, Path(folder) / "home")
                painted[name].append(paint)
                opened[name].append(open_)
    base = statistics.median(bare)
    size = sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file() and not f.is_symlink())
    print(f"bundle: {bundle} ({size / 1e6:.0f} MB); {args.starts} starts each, medians")
    print(f"{'start':<44} {'seconds':>8} {'x bare':>7}")
    print(f"{'bare PySide6 window, first paint':<44} {base:>8.3f} {1.0:>7.2f}")
    for name in programs:
        for what, values in (("first paint (empty week)", painted), ("diary open", opened)):
            value = statistics.median(values[name])
            print(f"{name + ', ' + what:<44} {value:>8.3f} {value / base:>7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

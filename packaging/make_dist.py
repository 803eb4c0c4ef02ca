"""`make package`: the wheel, then a one-folder bundle built from it, both into dist/.

    python packaging/make_dist.py [--dist DIR] [--wheel-only]

The wheel is built from a copy of the files it is made of (no stale build/ folder can leak
into it). The bundle is made by PyInstaller in a virtual environment of its own
(build/package-venv) where the wheel is installed as a user would install it, with the
versions the development environment was tested with (a constraints file from its `pip
freeze`). dist/diary/ then holds `diary`, `diary-gui`, Python, Qt and diary's files, plus
share/ with the desktop entry, the icons and the AppStream metainfo.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_ID = "org.diaryapp.Diary"
# What the wheel is built from (pyproject.toml maps resources/ and packaging/icons/ in).
WHEEL_SOURCES = ("pyproject.toml", "setup.py", "README.md", "diary", "resources", "packaging/icons")
PYINSTALLER = "pyinstaller>=6.10"
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.po", "*.pot", "screenshots")


def stage_sources(target: Path) -> Path:
    """Copy what the wheel is built from into `target` (a fresh folder)."""
    for name in WHEEL_SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=IGNORED)
        else:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def build_wheel(dist: Path, python: str = sys.executable) -> Path:
    """Build diary's wheel into `dist`; returns its path."""
    dist.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="diary-wheel-") as folder:
        source = stage_sources(Path(folder) / "src")
        built = Path(folder) / "out"
        _run([python, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(built), str(source)])
        (wheel,) = built.glob("diary-*.whl")
        target = dist / wheel.name
        shutil.copy2(wheel, target)
    return target


def constraints(target: Path, python: str = sys.executable) -> Path:
    """The versions to install, as a constraints file at `target`: the project's pins
    (constraints.txt, what `make venv` installs and the tests ran with), else what is
    installed beside `python`. A fresh environment then comes mostly from pip's cache."""
    pinned = ROOT / "constraints.txt"
    if pinned.exists():
        shutil.copy2(pinned, target)
        return target
    frozen = _run([python, "-m", "pip", "freeze", "--exclude-editable"], capture=True)
    lines = [line for line in frozen.splitlines() if line and not line.startswith("diary")]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def make_venv(folder: Path, requirements: list[str], constraints_file: Path) -> Path:
    """A virtual environment at `folder` with `requirements` installed; returns its python."""
    base = getattr(sys, "_base_executable", sys.executable)
    _run([base, "-m", "venv", "--clear", str(folder)])
    python = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    pip = [str(python), "-m", "pip", "--disable-pip-version-check", "install", "--quiet"]
    _run([*pip, "-c", str(constraints_file), *requirements])
    return python


def build_bundle(wheel: Path, dist: Path, work: Path) -> Path:
    """PyInstaller's one-folder bundle of `wheel` at dist/diary; returns that folder.

    The build environment (work/package-venv) is kept and reused while the constraints and
    PyInstaller's requirement are the same; the wheel is reinstalled every time.
    """
    work.mkdir(parents=True, exist_ok=True)
    pins = constraints(work / "constraints.txt")
    key = hashlib.sha256((pins.read_text() + PYINSTALLER).encode()).hexdigest()
    venv = work / "package-venv"
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    stamp = venv / "diary-build.stamp"
    if not stamp.exists() or stamp.read_text() != key:
        make_venv(venv, [PYINSTALLER, str(wheel)], pins)
        stamp.write_text(key)
    pip = [str(python), "-m", "pip", "--disable-pip-version-check", "install", "--quiet"]
    _run([*pip, "--force-reinstall", "--no-deps", str(wheel)])
    spec = ROOT / "packaging" / "pyinstaller" / "diary.spec"
    _run(
        [
            str(python),
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level=WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work / "pyinstaller"),
            str(spec),
        ],
        # Run from outside the checkout: the bundle takes diary from the installed wheel.
        cwd=work,
    )
    bundle = dist / "diary"
    _add_desktop_files(bundle / "share")
    return bundle


def _add_desktop_files(share: Path) -> None:
    """share/applications, share/icons/hicolor and share/metainfo, as a desktop wants them
    (an AppImage or a distribution package copies them from here)."""
    linux = ROOT / "packaging" / "linux"
    (share / "applications").mkdir(parents=True, exist_ok=True)
    shutil.copy2(linux / f"{APP_ID}.desktop", share / "applications")
    (share / "metainfo").mkdir(parents=True, exist_ok=True)
    shutil.copy2(linux / f"{APP_ID}.metainfo.xml", share / "metainfo")
    shutil.copytree(
        ROOT / "packaging" / "icons" / "hicolor", share / "icons" / "hicolor", dirs_exist_ok=True
    )


def folder_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def _run(command: list[str], *, capture: bool = False, cwd: Path | None = None) -> str:
    done = subprocess.run(command, check=False, capture_output=capture, text=True, cwd=cwd)
    if done.returncode != 0:
        detail = (done.stderr or "") if capture else ""
        raise SystemExit(
            f"make_dist: {' '.join(command[:4])} ... failed ({done.returncode})\n{detail}"
        )
    return done.stdout or ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", default=str(ROOT / "dist"))
    parser.add_argument("--work", default=str(ROOT / "build"))
    parser.add_argument("--wheel-only", action="store_true")
    args = parser.parse_args()
    dist = Path(args.dist)
    wheel = build_wheel(dist)
    print(f"wheel:  {wheel} ({wheel.stat().st_size / 1e6:.1f} MB)")
    if args.wheel_only:
        return 0
    bundle = build_bundle(wheel, dist, Path(args.work))
    print(f"bundle: {bundle}/ ({folder_size(bundle) / 1e6:.0f} MB; run {bundle / 'diary'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

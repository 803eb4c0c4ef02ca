"""Does this Linux have the system libraries Qt needs to open a window? If not, say the one
`apt-get install` line that brings them (and, run as root, offer to run it).

    python packaging/linux/qt_system_libs.py [--install]

PySide6's wheels carry Qt itself but not the X11/xcb, OpenGL/EGL, font and D-Bus libraries
a desktop normally has; a minimal Debian or Ubuntu (a container, a fresh server install
with a desktop added later) lacks some of them and Qt then aborts with "could not load the
Qt platform plugin xcb". The libraries needed are read from the installed PySide6 itself
(`ldd` of Qt's libraries and its xcb platform plugin), so the list follows the PySide6
version in use; each missing one is named by its Debian package.

Exit status: 0 all there (or not Linux), 1 some missing (the line is printed), 2 no PySide6.
`make run` and `make demo` run this first.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

# What Qt loads to open a window on X11 (XWayland too): its core libraries, the xcb
# platform plugin, and the PySide6 modules diary imports.
NEEDED = (
    "Qt/lib/libQt6Core.so.6",
    "Qt/lib/libQt6Gui.so.6",
    "Qt/lib/libQt6Widgets.so.6",
    "Qt/lib/libQt6DBus.so.6",
    "Qt/lib/libQt6XcbQpa.so.6",
    "Qt/plugins/platforms/libqxcb.so",
    "QtCore.abi3.so",
    "QtGui.abi3.so",
    "QtWidgets.abi3.so",
)

# The Debian (and Ubuntu) package of each library; where Debian renamed a package for the
# 64-bit time transition (trixie, Ubuntu 24.04), the new name comes first.
PACKAGES: dict[str, tuple[str, ...]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0",),
    "libxcb-icccm.so.4": ("libxcb-icccm4",),
    "libxcb-image.so.0": ("libxcb-image0",),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1",),
    "libxcb-randr.so.0": ("libxcb-randr0",),
    "libxcb-render-util.so.0": ("libxcb-render-util0",),
    "libxcb-render.so.0": ("libxcb-render0",),
    "libxcb-shape.so.0": ("libxcb-shape0",),
    "libxcb-shm.so.0": ("libxcb-shm0",),
    "libxcb-sync.so.1": ("libxcb-sync1",),
    "libxcb-util.so.1": ("libxcb-util1",),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0",),
    "libxcb-xinput.so.0": ("libxcb-xinput0",),
    "libxcb-xkb.so.1": ("libxcb-xkb1",),
    "libxcb.so.1": ("libxcb1",),
    "libX11-xcb.so.1": ("libx11-xcb1",),
    "libX11.so.6": ("libx11-6",),
    "libXau.so.6": ("libxau6",),
    "libXdmcp.so.6": ("libxdmcp6",),
    "libxkbcommon.so.0": ("libxkbcommon0",),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0",),
    "libGL.so.1": ("libgl1",),
    "libGLX.so.0": ("libglx0",),
    "libOpenGL.so.0": ("libopengl0",),
    "libEGL.so.1": ("libegl1",),
    "libGLdispatch.so.0": ("libglvnd0",),
    "libfontconfig.so.1": ("libfontconfig1",),
    "libfreetype.so.6": ("libfreetype6",),
    "libpng16.so.16": ("libpng16-16t64", "libpng16-16"),
    "libglib-2.0.so.0": ("libglib2.0-0t64", "libglib2.0-0"),
    "libgthread-2.0.so.0": ("libglib2.0-0t64", "libglib2.0-0"),
    "libdbus-1.so.3": ("libdbus-1-3",),
    "libz.so.1": ("zlib1g",),
    "libzstd.so.1": ("libzstd1",),
    "libexpat.so.1": ("libexpat1",),
    "libbrotlidec.so.1": ("libbrotli1",),
    "libbrotlicommon.so.1": ("libbrotli1",),
}

Ldd = Callable[[Path], str]


def pyside_folder() -> Path | None:
    """The installed PySide6 package's folder (found, not imported)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def run_ldd(library: Path) -> str:
    done = subprocess.run(["ldd", str(library)], capture_output=True, text=True, check=False)
    return done.stdout


def missing_libraries(folder: Path, ldd: Ldd = run_ldd) -> list[str]:
    """The sonames the needed Qt files link to that the system does not have, sorted."""
    missing: set[str] = set()
    for name in NEEDED:
        library = folder / name
        if not library.exists():
            continue  # an older or newer PySide6 without this file
        for line in ldd(library).splitlines():
            if "=> not found" in line:
                missing.add(line.split("=>", 1)[0].strip())
    return sorted(missing)


def known_to_apt(package: str) -> bool:
    if shutil.which("apt-cache") is None:
        return False
    done = subprocess.run(
        ["apt-cache", "show", "--no-all-versions", package],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode == 0 and bool(done.stdout.strip())


def packages_for(
    sonames: Iterable[str], known: Callable[[str], bool] = known_to_apt
) -> tuple[list[str], list[str]]:
    """(the Debian packages that bring `sonames`, the sonames no package is known for)."""
    packages: list[str] = []
    unknown: list[str] = []
    for soname in sonames:
        candidates = PACKAGES.get(soname)
        if candidates is None:
            unknown.append(soname)
            continue
        chosen = next((name for name in candidates if known(name)), candidates[-1])
        if chosen not in packages:
            packages.append(chosen)
    return sorted(packages), unknown


def install_line(packages: list[str]) -> str:
    return "apt-get install -y " + " ".join(packages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--install",
        action="store_true",
        help="when run as root on a terminal, ask, then install what is missing",
    )
    args = parser.parse_args(argv)
    if not sys.platform.startswith("linux"):
        return 0
    folder = pyside_folder()
    if folder is None:
        print("qt_system_libs: PySide6 is not installed in this Python", file=sys.stderr)
        return 2
    sonames = missing_libraries(folder)
    if not sonames:
        return 0
    packages, unknown = packages_for(sonames)
    print("diary: Qt cannot open a window here: these system libraries are missing:")
    print("  " + " ".join(sonames))
    if packages:
        command = install_line(packages)
        print("They come with:")
        print(f"  sudo {command}" if os.geteuid() != 0 else f"  {command}")
    if unknown:
        print("No package is known here for: " + " ".join(unknown))
    if args.install and packages and os.geteuid() == 0 and sys.stdin.isatty():
        answer = input("Install them now? [y/N] ").strip().lower()
        if answer in ("y", "yes"):
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            subprocess.run(["apt-get", "update"], check=False, env=env)
            done = subprocess.run(["apt-get", "install", "-y", *packages], check=False, env=env)
            if done.returncode == 0 and not missing_libraries(folder):
                return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())

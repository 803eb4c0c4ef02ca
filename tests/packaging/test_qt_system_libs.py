"""`make run` on a Linux without the libraries Qt needs: the one apt-get line that brings
them, read from the installed PySide6 (packaging/linux/qt_system_libs.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.packaging.build_tools import ROOT


def _tool() -> ModuleType:
    path = ROOT / "packaging" / "linux" / "qt_system_libs.py"
    spec = importlib.util.spec_from_file_location("qt_system_libs", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MINIMAL_DEBIAN_LDD = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f)
\tlibxkbcommon-x11.so.0 => not found
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibEGL.so.1 => not found
\tlibglib-2.0.so.0 => not found
\tlibmystery.so.3 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)
"""


def test_the_missing_libraries_are_named_by_their_debian_packages(tmp_path: Path) -> None:
    tool = _tool()
    plugin = tmp_path / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    plugin.parent.mkdir(parents=True)
    plugin.write_bytes(b"")
    asked: list[Path] = []

    def ldd(library: Path) -> str:
        asked.append(library)
        return MINIMAL_DEBIAN_LDD

    missing = tool.missing_libraries(tmp_path, ldd)
    assert asked == [plugin]  # only the files this PySide6 has
    assert missing == [
        "libEGL.so.1",
        "libglib-2.0.so.0",
        "libmystery.so.3",
        "libxcb-cursor.so.0",
        "libxcb-icccm.so.4",
        "libxkbcommon-x11.so.0",
    ]
    bookworm = {"libglib2.0-0", "libegl1", "libxcb-cursor0", "libxcb-icccm4", "libxkbcommon-x11-0"}
    packages, unknown = tool.packages_for(missing, known=bookworm.__contains__)
    assert tool.install_line(packages) == (
        "apt-get install -y libegl1 libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxkbcommon-x11-0"
    )
    assert unknown == ["libmystery.so.3"]
    # Debian trixie renamed glib's package (64-bit time): the name apt knows is taken.
    packages, _ = tool.packages_for(["libglib-2.0.so.0"], known={"libglib2.0-0t64"}.__contains__)
    assert packages == ["libglib2.0-0t64"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")
def test_every_library_the_installed_qt_lacks_has_a_package() -> None:
    """On this machine, whatever is missing (often nothing) is named by a package."""
    tool = _tool()
    folder = tool.pyside_folder()
    assert folder is not None
    _packages, unknown = tool.packages_for(tool.missing_libraries(folder), known=lambda _: True)
    assert unknown == []

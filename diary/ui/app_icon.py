"""The application icon (packaging/icons, carried in the package as diary.resources.icons)."""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from diary.about import APP_ID

# The sizes packaging/render_icons.py renders; Qt picks (and loads) the one it needs.
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def icon_files() -> dict[int, Path]:
    """The PNG of each size, by size in pixels."""
    from importlib.resources import files

    root = Path(str(files("diary.resources.icons"))) / "hicolor"
    return {size: root / f"{size}x{size}" / "apps" / f"{APP_ID}.png" for size in SIZES}


@functools.cache
def app_icon() -> QIcon:
    """diary's icon for the window, the tray and dialogs (files are read when drawn)."""
    icon = QIcon()
    for size, path in icon_files().items():
        icon.addFile(str(path), QSize(size, size))
    return icon

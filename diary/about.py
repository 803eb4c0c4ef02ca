"""What diary says about itself: name, version, licence, application ID and its folders.

Beside the layers (like `i18n`): the command line, the window, the crash handler and the
storage's default file all read it.
"""

from __future__ import annotations

from pathlib import Path

from diary import __version__

APP_NAME = "diary"
# The reverse-DNS ID naming the .desktop entry, the AppStream component and the icon
# (packaging/linux/, packaging/icons/); Wayland matches the window to its entry by it.
APP_ID = "org.diaryapp.Diary"
LICENCE = "GPL-3.0-or-later"
LICENCE_NAME = "GNU General Public License, version 3 or later"
VERSION = __version__


def data_folder() -> Path:
    """Where the diary keeps its own files (the default SQLite file), per platformdirs:
    ~/.local/share/diary on Linux, %LOCALAPPDATA%\\diary on Windows."""
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def log_folder() -> Path:
    """Where the log and the crash reports go (~/.local/state/diary/log on Linux)."""
    import platformdirs

    return platformdirs.user_log_path(APP_NAME, appauthor=False)

"""The composition root of the window: QApplication, the crash handler, the main window."""

from __future__ import annotations

import logging
import sys
import traceback
from datetime import date
from pathlib import Path
from types import TracebackType

from platformdirs import user_log_path

log = logging.getLogger("diary")


def _log_file() -> str:
    folder = user_log_path("diary")
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / "diary.log")


def install_excepthook() -> None:
    """Log every uncaught exception to the user's log folder and say so in a dialog."""
    handler = logging.FileHandler(_log_file(), encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, error, tb))
        log.error("uncaught exception\n%s", text)
        from PySide6.QtWidgets import QApplication, QMessageBox

        if QApplication.instance() is not None:
            box = QMessageBox(
                QMessageBox.Icon.Critical,
                "diary",
                f"Something went wrong: {error}\n\nThe details are in {_log_file()}.",
            )
            box.setDetailedText(text)
            box.exec()

    sys.excepthook = hook


def run_gui(db_url: str | None = None, tz: str | None = None) -> int:
    """Open the window on the diary at `db_url` (default: the user's) and run until closed."""
    from PySide6.QtWidgets import QApplication

    from diary.ui import create_main_window

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("diary")
    app.setOrganizationName("diary")
    install_excepthook()
    window = create_main_window(db_url or "", tz)
    del window  # the application keeps it alive until it is closed
    return app.exec()


def print_view(db_url: str | None, view: str, day: date, out: Path, tz: str) -> None:
    """Render the `view` ("day", "week" or "agenda") of `day` to `out` (`diary print`)."""
    from diary.ui.printing import render_view

    render_view(db_url or "", view, day, out, tz)

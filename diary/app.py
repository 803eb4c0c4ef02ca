"""The composition root of the window: QApplication, the crash handler, the main window."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from diary.crash import CrashHandler
from diary.services.clock import Clock


def install_excepthook() -> CrashHandler:
    """Log to the user's log folder (rotating), send hard crashes there (faulthandler), and
    show every uncaught exception in a translated dialog that says where the log is."""
    from diary.about import log_folder
    from diary.ui.crash_dialog import show_crash_report

    handler = CrashHandler(log_folder(), show_crash_report)
    handler.install()
    return handler


def gui_main(argv: Sequence[str]) -> int:
    """`diary-gui [--db URL] [--tz ZONE] [FILE.ics ...]`: the window; files named (a
    calendar file opened from the file manager) are offered for import once it is open."""
    import argparse

    from diary.about import VERSION
    from diary.services.clock import system_zone, valid_zone

    parser = argparse.ArgumentParser(
        prog="diary-gui", description="Open diary's window (the command line is `diary`)."
    )
    parser.add_argument("--db", help="SQLAlchemy URL or SQLite file (as for `diary`)")
    parser.add_argument("--tz", help="time zone to show (default: the system's)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {VERSION}")
    parser.add_argument(
        "files", nargs="*", metavar="FILE.ics", help="calendar files to offer for import"
    )
    args = parser.parse_args(argv)
    zone = args.tz or system_zone()
    if not valid_zone(zone):
        parser.error(f"--tz: {zone!r} is not a known time zone")
    return run_gui(args.db, zone, import_files=args.files)


def run_gui(
    db_url: str | None = None,
    tz: str | None = None,
    *,
    import_files: Sequence[str] = (),
    clock: Clock | None = None,
) -> int:
    """Open the window on the diary at `db_url` (default: the user's) and run until closed;
    offer each of `import_files` for import when the diary is open. `clock`: the program's
    one clock (default: the wall clock)."""
    from PySide6.QtWidgets import QApplication

    from diary.about import APP_ID, APP_NAME
    from diary.ui import create_main_window

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    # Wayland and the desktop's task switcher match the window to its .desktop entry by this.
    QApplication.setDesktopFileName(APP_ID)  # (the window sets the icon after its first paint)
    install_excepthook()
    window = create_main_window(db_url or "", tz, clock=clock)
    if import_files:
        from diary.ui.open_files import offer_imports

        offer_imports(window, [str(Path(name).absolute()) for name in import_files])
    del window  # the application keeps it alive until it is closed
    return app.exec()


def print_view(
    db_url: str | None, view: str, day: date, out: Path, tz: str, clock: Clock | None = None
) -> None:
    """Render the `view` ("day", "week" or "agenda") of `day` to `out` (`diary print`): the
    day as a day sheet document, the others as pictures of their views."""
    from diary.ui.printing import render_view

    render_view(db_url or "", view, day, out, tz, clock)

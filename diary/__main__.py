"""Entry points: `diary` (command line, or the window with no command) and `diary-gui`.

The composition root of the command line: it makes the program's one clock and hands the
command line the window and the printer, which are the UI's (the CLI never imports it).
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

from diary.cli import main as cli_main
from diary.services.clock import SystemClock

# Everything diary writes holds customers' details: whatever a writer forgets (a library's
# lock or temporary file), the process creates files 0600 and folders 0700. The writers set
# these modes themselves too (diary.services.output_files); this is the floor.
PRIVATE_UMASK = 0o077

# diary.app (Qt, the crash handler and its logging) loads only for the window and
# `diary print`: every other command starts without it.


def run(argv: list[str]) -> int:
    """Run `diary ARGV...` with the program's one clock, the window and the printer."""
    os.umask(PRIVATE_UMASK)
    clock = SystemClock()

    def window(db_url: str | None, zone: str) -> int:
        from diary import app

        return app.run_gui(db_url, zone, clock=clock)

    def printer(db_url: str | None, view: str, day: date, out: Path, zone: str) -> None:
        from diary import app

        app.print_view(db_url, view, day, out, zone, clock)

    return cli_main(argv, clock=clock, window=window, printer=printer)


def main() -> None:
    sys.exit(run(sys.argv[1:]))


def gui_main() -> None:
    """`diary-gui`: the window (with calendar files to offer for import, as a file manager
    passes them when one is opened with diary)."""
    os.umask(PRIVATE_UMASK)
    from diary import app

    sys.exit(app.gui_main(sys.argv[1:]))


if __name__ == "__main__":
    main()

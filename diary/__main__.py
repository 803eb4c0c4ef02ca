"""Entry points: `diary` (command line, or the window with no command) and `diary-gui`.

The composition root of the command line: it makes the program's one clock and hands the
command line the window and the printer, which are the UI's (the CLI never imports it).
"""

from __future__ import annotations

import sys

from diary import app
from diary.cli import main as cli_main
from diary.services.clock import SystemClock


def run(argv: list[str]) -> int:
    """Run `diary ARGV...` with the wall clock, the window and the printer."""
    return cli_main(argv, clock=SystemClock(), window=app.run_gui, printer=app.print_view)


def main() -> None:
    sys.exit(run(sys.argv[1:]))


def gui_main() -> None:
    """`diary-gui`: the window (with calendar files to offer for import, as a file manager
    passes them when one is opened with diary)."""
    sys.exit(app.gui_main(sys.argv[1:]))


if __name__ == "__main__":
    main()

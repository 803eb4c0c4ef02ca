"""Entry points: `diary` (command line, or the window with no command) and `diary-gui`."""

from __future__ import annotations

import sys


def main() -> None:
    from diary.cli import main as cli_main

    sys.exit(cli_main())


def gui_main() -> None:
    """`diary-gui`: the window (with calendar files to offer for import, as a file manager
    passes them when one is opened with diary)."""
    from diary.app import gui_main as run_window

    sys.exit(run_window(sys.argv[1:]))


if __name__ == "__main__":
    main()

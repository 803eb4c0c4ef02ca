"""Entry points: `diary` (command line, or the window with no command) and `diary-gui`."""

from __future__ import annotations

import sys


def main() -> None:
    from diary.cli import main as cli_main

    sys.exit(cli_main())


def gui_main() -> None:
    from diary.cli import main as cli_main

    sys.exit(cli_main(sys.argv[1:]))


if __name__ == "__main__":
    main()

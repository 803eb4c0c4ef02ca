"""The headless command line: `diary [--db URL] [--tz ZONE] COMMAND ...`.

Exit codes: 0 ok, 1 `check` found problems, 2 bad input (the message names the
argument), 3 refused by the rules. The words, JSON fields and exit codes are a contract
(README, "Command line"; tests/cli).

Layout (the CLI imports `diary.services` and `diary.domain` only, never `diary.ui`):
- `entry`     `main(argv, clock=, window=, printer=)`: parsing, dispatch, exit codes.
- `table`     the explicit table of commands: word, help line, the module that runs it.
- `context`   `Context` (the open service, zone, clock, date parsing), `BadInput`, codes.
- `arguments` argparse types and option sets several commands share.
- `output`    appointment lines and `list --json` objects, refusals and warnings.
- one module per command group: `appointments` (add, move, cancel, list, check,
  suggest), `customers`, `places` (location, travel), `policy`, `demo`, `printing`,
  `calendar` (export, import), `series` (add-series), `promises`, `reports`.

To add a command group (e.g. `account`):
1. Write `diary/cli/account.py` with the handlers, `def cmd_x(args, ctx) -> int`, and
   `def define(word: str, parser: argparse.ArgumentParser) -> None`, which adds the
   word's arguments and sets `parser.set_defaults(handler=cmd_x)`; for ACTIONs use
   `arguments.actions(parser, word)` and set a handler on each action's parser.
2. Add `Command("account", "one line of help", "diary.cli.account")` to
   `table.COMMANDS` where `diary --help` should list it.
3. Import heavy libraries at the top of that module only: it is imported only when its
   word is run (or its --help asked for), so other commands never pay for them.
4. Raise `BadInput("--arg: what is wrong")` (or let a service's `InputError` through) for
   bad input: exit 2 with the message. Tests go in tests/cli/.
"""

from diary.cli.entry import main

__all__ = ["main"]

"""The table of commands: each top-level word, its one-line help, and the module that runs it.

A command module is imported only when its command runs (or its `--help` is asked for),
so `diary list` never loads the iCalendar stack and `diary` without a command (the
window) loads none of them. Each module named here provides

    define(word: str, parser: argparse.ArgumentParser) -> None

which adds the word's arguments (and ACTIONs) to `parser` and sets `handler`, a
`diary.cli.context.Handler`, with `parser.set_defaults(handler=...)`.
The order here is the order `diary --help` lists them in.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Command:
    word: str  # what the user types after the global options
    help: str  # one line for `diary --help` (also the word's own description)
    module: str  # dotted name of the module whose `define` builds the word's parser


COMMANDS: tuple[Command, ...] = (
    Command("add", "book an appointment; prints its UID", "diary.cli.appointments"),
    Command("move", "move an appointment to a new start", "diary.cli.appointments"),
    Command("cancel", "cancel an appointment", "diary.cli.appointments"),
    Command("list", "list appointments with their flags", "diary.cli.appointments"),
    Command(
        "check",
        "list flagged appointments; exit 1 if any breaks a rule",
        "diary.cli.appointments",
    ),
    Command("suggest", "print the earliest start that breaks no rule", "diary.cli.appointments"),
    Command("customer", "customers", "diary.cli.customers"),
    Command("location", "locations", "diary.cli.places"),
    Command("travel", "travel times", "diary.cli.places"),
    Command("policy", "working hours and rules", "diary.cli.policy"),
    Command("demo", "fill the diary with a sample week of customer meetings", "diary.cli.demo"),
    Command("print", "render a view for printing", "diary.cli.printing"),
    Command("export", "write appointments to an iCalendar (.ics) file", "diary.cli.calendar"),
    Command(
        "import",
        "add or update appointments from an iCalendar (.ics) file",
        "diary.cli.calendar",
    ),
    Command(
        "add-series",
        "book a repeating appointment; prints the series UID",
        "diary.cli.series",
    ),
    Command("promise", "promises to customers", "diary.cli.promises"),
    Command("report", "reports", "diary.cli.reports"),
    Command("account", "CalDAV accounts to sync with", "diary.cli.sync"),
    Command("sync", "one two-way sync with the calendar server", "diary.cli.sync"),
    Command("conflicts", "changes made on both sides, kept for you", "diary.cli.sync"),
    Command("backup", "back the diary up, or list its backups", "diary.cli.backups"),
    Command(
        "restore",
        "replace the diary by a backup (keeping the current state)",
        "diary.cli.backups",
    ),
)

BY_WORD = {command.word: command for command in COMMANDS}

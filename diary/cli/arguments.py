"""Argument types and option sets shared by several commands (argparse `type=` callables)."""

from __future__ import annotations

import argparse

from diary.cli.context import BadInput, Context, excerpt
from diary.domain.limits import MAX_MINUTES


def minutes(text: str) -> int:
    """A whole, non-negative number of minutes."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{excerpt(text)} is not a whole number of minutes"
        ) from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} must not be negative")
    if value > MAX_MINUTES:
        raise argparse.ArgumentTypeError(
            f"{excerpt(text)} is too many minutes (at most {MAX_MINUTES}, the years diary keeps)"
        )
    return value


def positive_minutes(text: str) -> int:
    value = minutes(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be more than 0 minutes")
    return value


def override_options(parser: argparse.ArgumentParser) -> None:
    """--force and --reason: book although a rule is broken, saying why."""
    parser.add_argument("--force", action="store_true", help="book even if a rule is broken")
    parser.add_argument("--reason", help="why the rule is overridden (needed with --force)")


def global_options(parser: argparse.ArgumentParser) -> None:
    """--db and --tz, given before the command."""
    parser.add_argument(
        "--db",
        help="SQLAlchemy URL or SQLite file (default: $DIARY_DB, "
        "else diary.sqlite3 in the user's data folder)",
    )
    parser.add_argument("--tz", help="time zone for input and output (default: the system's)")


Actions = argparse._SubParsersAction  # the ACTIONs of a command group, as argparse returns them


def actions(
    parser: argparse.ArgumentParser, word: str, metavar: str = "ACTION"
) -> Actions[argparse.ArgumentParser]:
    """The ACTIONs of a command group (`diary customer add|list|show`).

    The group's word alone (no ACTION) is bad input that points at its `--help`.
    """
    parser.set_defaults(handler=needs_action)
    return parser.add_subparsers(dest=f"{word}_command", metavar=metavar)


def needs_action(args: argparse.Namespace, ctx: Context) -> int:
    """The handler of a command group given without its ACTION."""
    raise BadInput(f"{args.command}: an action is needed (see diary {args.command} --help)")

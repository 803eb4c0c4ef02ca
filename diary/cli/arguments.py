"""Argument types and option sets shared by several commands (argparse `type=` callables)."""

from __future__ import annotations

import argparse
import os

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


# What every file system diary runs on holds (ext4, btrfs, XFS, APFS, NTFS: 255 bytes or
# UTF-16 units per name; Linux's PATH_MAX is 4096 with the final NUL). A longer name makes
# every file call fail with ENAMETOOLONG, so it is refused here, by name, before any.
NAME_MAX = 255
PATH_MAX = 4095


def file_name(text: str) -> str:
    """A file name argument (import, export, print --out, backup --to, restore, --csv):
    one the file system can take. ArgumentTypeError, quoting an excerpt, otherwise."""
    if not text:
        raise argparse.ArgumentTypeError("a file name is needed")
    encoded = os.fsencode(text)
    if len(encoded) > PATH_MAX:
        raise argparse.ArgumentTypeError(
            f"{excerpt(text)} is too long for a file name "
            f"({len(encoded)} bytes; at most {PATH_MAX})"
        )
    longest = max(encoded.split(b"/"), key=len)
    if len(longest) > NAME_MAX:
        raise argparse.ArgumentTypeError(
            f"{excerpt(os.fsdecode(longest))} is too long for a file or folder name "
            f"({len(longest)} bytes; at most {NAME_MAX})"
        )
    return text


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

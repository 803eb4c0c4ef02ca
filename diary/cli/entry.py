"""`diary [--db URL] [--tz ZONE] COMMAND ...`: parse, run one command, map errors to exit codes.

Only the module of the command given is imported (see `diary.cli.table`), so each command
loads what it uses and nothing more.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Sequence
from typing import NoReturn

from diary.about import VERSION
from diary.cli.arguments import global_options
from diary.cli.context import EXIT_BAD_INPUT, BadInput, Context, Handler, Printer, Window
from diary.cli.table import BY_WORD, COMMANDS
from diary.services.clock import Clock, SystemClock, system_zone, valid_zone
from diary.services.results import InputError


class Parser(argparse.ArgumentParser):
    """argparse, with its error messages cut short (they quote the bad argument whole)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {shorten(message)}\n")


# A quoted value opens and closes away from letters: the apostrophe of "calendar's" is
# not a quote, and a list of choices holding one stays whole.
_LONG_QUOTE = re.compile(r"(?<!\w)(['\"])([^'\"]{60,})\1(?!\w)")


def shorten(message: str, limit: int = 400) -> str:
    """`message` with every long quoted value cut to an excerpt, and at most about `limit`
    characters (cut in the middle: the start names the argument, the end often lists
    the choices)."""
    message = _LONG_QUOTE.sub(
        lambda m: f"{m[1]}{m[2][:40]}{m[1]}... ({len(m[2])} characters)", message
    )
    if len(message) <= limit:
        return message
    return (
        f"{message[: limit - 100]} [... {len(message) - limit + 20} characters ...] "
        + (message[-80:])
    )


def build_parser(word: str | None = None) -> argparse.ArgumentParser:
    """The parser of every word, with the arguments of `word` (None: of every word)."""
    parser = Parser(
        prog="diary",
        description="An appointment book that counts travel and wrap-up time. "
        "Without a command it opens the window.",
    )
    global_options(parser)
    parser.add_argument("--version", action="version", version=f"%(prog)s {VERSION}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        sub = commands.add_parser(command.word, help=command.help, description=command.help)
        if word is None or command.word == word:
            importlib.import_module(command.module).define(command.word, sub)
    return parser


def _fail(message: str, code: int) -> NoReturn:
    print(f"diary: error: {shorten(message)}", file=sys.stderr)
    raise SystemExit(code)


def _not_utf8(argv: Sequence[str]) -> str | None:
    """What is wrong with the first argument that is not UTF-8 text, naming it; else None.

    Python hands such bytes over as lone surrogates (PEP 383); they could be neither
    printed nor stored.
    """
    for index, item in enumerate(argv):
        try:
            item.encode("utf-8")
        except UnicodeEncodeError as error:
            bad = ord(item[error.start])
            byte = f"byte 0x{bad - 0xDC00:02x}" if 0xDC80 <= bad <= 0xDCFF else "a lone surrogate"
            if item.startswith("-"):
                name = item.split("=", 1)[0]
            elif index > 0 and argv[index - 1].startswith("-"):
                name = argv[index - 1].split("=", 1)[0]
            else:
                name = f"argument {index + 1}"
            return f"{shorten(name, 60)}: is not valid UTF-8 text ({byte} at {error.start})"
    return None


def _command_word(argv: Sequence[str]) -> tuple[argparse.Namespace, str | None] | None:
    """The global options and the command word; None when they do not parse."""
    bare = Parser(prog="diary", add_help=False)
    global_options(bare)
    try:
        options, rest = bare.parse_known_args(argv)
    except SystemExit:
        return None  # let the full parser say what is wrong
    if not rest:
        return options, None
    word = next((item for item in rest if not item.startswith("-")), "")
    return options, word


def _zone(given: str | None) -> str:
    zone = given or system_zone()
    if not valid_zone(zone):
        _fail(f"--tz: {zone!r} is not a known time zone", EXIT_BAD_INPUT)
    return zone


def main(
    argv: Sequence[str] | None = None,
    *,
    clock: Clock | None = None,
    window: Window | None = None,
    printer: Printer | None = None,
) -> int:
    """Run one command; returns its exit code (argparse exits 2 itself on bad syntax).

    `clock` is the program's one clock (default: the wall clock); `window` opens the
    window when no command is given and `printer` renders `diary print` (both come from
    the composition root, `diary.__main__`; without them those two are bad input).
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    clock = SystemClock() if clock is None else clock
    problem = _not_utf8(arguments)
    if problem is not None:
        _fail(problem, EXIT_BAD_INPUT)
    found = _command_word(arguments)
    if found is not None and found[1] is None:  # the window: no command, no --help
        return _open_window(found[0], window)
    word = found[1] if found is not None else None
    parser = build_parser(word if word in BY_WORD else "")
    args = parser.parse_args(arguments)
    zone = _zone(args.tz)
    if args.command is None:
        return _open_window(args, window)
    ctx = Context(args.db, zone, clock, printer)
    try:
        handler: Handler = args.handler
        return handler(args, ctx)
    except (BadInput, InputError) as error:
        _fail(str(error), EXIT_BAD_INPUT)
    except Exception as error:
        # Loaded already when the diary was opened; importing it at the top would load
        # SQLAlchemy for the window and --help.
        from diary.storage.errors import StorageError

        if isinstance(error, StorageError):
            _fail(str(error), EXIT_BAD_INPUT)
        raise
    finally:
        ctx.close()


def _open_window(options: argparse.Namespace, window: Window | None) -> int:
    zone = _zone(options.tz)
    if window is None:
        _fail("no command given (see diary --help)", EXIT_BAD_INPUT)
    return window(options.db, zone)

"""`print --view day|week|agenda --date DATE --out FILE.pdf|FILE.png`: a sheet to take along.

The rendering is the window's (its views drawn offscreen); the composition root hands it
in as `Context.printer`, so this module never imports the UI. The printer writes into a
private temporary file that replaces FILE only when it is complete (services.output_files).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from diary.cli.arguments import file_name
from diary.cli.context import EXIT_OK, BadInput, Context
from diary.services.output_files import OutputRefused, private_output


def cmd_print(args: argparse.Namespace, ctx: Context) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in (".pdf", ".png"):
        raise BadInput(f"--out: {args.out!r} must end in .pdf or .png")
    day = ctx.day(args.date, "--date") if args.date else ctx.today()
    if ctx.printer is None:
        raise BadInput("print: this program was started without the window's printer")
    protected = ctx.service.database.files
    ctx.close()  # the printer opens the diary itself
    try:
        with private_output(out, protected) as temporary:
            ctx.printer(ctx.db, args.view, day, temporary, ctx.zone)
    except OutputRefused as refused:
        raise BadInput(f"--out: {refused}") from None
    except OSError as error:
        raise BadInput(f"--out: cannot write {args.out!r}: {error.strerror or error}") from None
    print(out)
    return EXIT_OK


def define(word: str, parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(handler=cmd_print)
    parser.add_argument("--view", choices=["day", "week", "agenda"], default="day")
    parser.add_argument("--date", help="ISO date (default today)")
    parser.add_argument("--out", required=True, type=file_name, help="FILE.pdf or FILE.png")

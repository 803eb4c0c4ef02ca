"""`print --view day|week|agenda --date DATE --out FILE.pdf|FILE.png`: a sheet to take along.

The rendering is the window's (its views drawn offscreen); the composition root hands it
in as `Context.printer`, so this module never imports the UI.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from diary.cli.context import EXIT_OK, BadInput, Context


def cmd_print(args: argparse.Namespace, ctx: Context) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in (".pdf", ".png"):
        raise BadInput(f"--out: {args.out!r} must end in .pdf or .png")
    if ctx.printer is None:
        raise BadInput("print: this program was started without the window's printer")
    day = ctx.day(args.date, "--date") if args.date else ctx.today()
    ctx.close()  # the printer opens the diary itself
    ctx.printer(ctx.db, args.view, day, out, ctx.zone)
    print(out)
    return EXIT_OK


def define(word: str, parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(handler=cmd_print)
    parser.add_argument("--view", choices=["day", "week", "agenda"], default="day")
    parser.add_argument("--date", help="ISO date (default today)")
    parser.add_argument("--out", required=True, help="FILE.pdf or FILE.png")

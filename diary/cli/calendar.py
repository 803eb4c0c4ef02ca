"""`export FILE.ics` and `import FILE.ics`: iCalendar out to phones and in from other clients.

A file that cannot be imported exits 2 and changes nothing.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime, timedelta

from diary.cli.arguments import file_name
from diary.cli.context import EXIT_OK, BadInput, Context
from diary.services.calendar_io import ImportSummary


def _edge(ctx: Context, text: str | None, argument: str, *, end: bool) -> datetime | None:
    """--from DATE is that day's start; --to DATE is included (the next day's start)."""
    if not text:
        return None
    try:
        day = datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        return ctx.moment(text, argument)
    ctx.check_year(day, text, argument)
    return ctx.day_start(day + timedelta(days=1) if end else day)


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    lo = _edge(ctx, args.date_from, "--from", end=False)
    hi = _edge(ctx, args.date_to, "--to", end=True)
    if lo is not None and hi is not None and hi <= lo:
        raise BadInput("--to: must be after --from")
    summary = ctx.service.calendar().export_calendar(
        args.file,
        lo,
        hi,
        customer=args.customer,
        buffers=not args.no_buffers,
        promises=not args.no_promises,
    )
    print(
        f"exported {summary.events} events, {summary.buffers} travel/wrap-up events and "
        f"{summary.promises} promises to {summary.path}"
    )
    return EXIT_OK


def summary_line(summary: ImportSummary) -> str:
    """The import summary in one line of words."""
    skipped = sum(summary.skipped.values())
    reasons = ", ".join(f"{reason} {count}" for reason, count in sorted(summary.skipped.items()))
    return (
        f"imported {summary.source}: {summary.added} added, {summary.updated} updated, "
        f"{summary.unchanged} unchanged, {skipped} skipped"
        + (f" ({reasons})" if reasons else "")
        + f", {summary.flagged} flagged, {summary.series} series"
    )


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    summary = ctx.service.calendar().import_calendar(args.file, strict=args.strict)
    if args.json:
        print(json.dumps(summary.as_json(), ensure_ascii=False))
    else:
        print(summary_line(summary))
        # What was repaired or left out, event by event: "file:line: event UID: what".
        for repair in summary.repairs:
            print(f"  {repair.describe(summary.source)}")
    return EXIT_OK


def define(word: str, parser: argparse.ArgumentParser) -> None:
    """`export FILE.ics [--from --to --customer --no-buffers --no-promises]`, `import FILE.ics`."""
    if word == "export":
        parser.set_defaults(handler=cmd_export)
        parser.add_argument("file", metavar="FILE.ics", type=file_name)
        parser.add_argument(
            "--from", dest="date_from", help="first day (ISO date; default: 30 days ago)"
        )
        parser.add_argument("--to", dest="date_to", help="last day, included (default: no end)")
        parser.add_argument("--customer", help="only this customer's appointments")
        parser.add_argument("--no-buffers", action="store_true", help="no travel/wrap-up events")
        parser.add_argument("--no-promises", action="store_true", help="no promises (VTODO)")
        return
    parser.set_defaults(handler=cmd_import)
    parser.add_argument("file", metavar="FILE.ics", type=file_name)
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="import nothing if any event needs a repair or cannot be read",
    )

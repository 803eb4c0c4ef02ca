"""`diary export FILE.ics` and `diary import FILE.ics`: iCalendar on the command line.

Importing this module registers both commands in `diary.cli._EXTENSIONS` (once).
Exit codes as in diary.cli: a file that cannot be imported exits 2 and changes nothing.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from diary import cli
from diary.services.calendar_io import CalendarIO, ImportSummary

Command = Callable[[str, cli.Handler, str], argparse.ArgumentParser]


def _calendar(ctx: cli.Context) -> CalendarIO:
    """The service's calendar use cases (a plain CalendarIO until DiaryService mixes it in)."""
    service: Any = ctx.service
    if isinstance(service, CalendarIO):
        return service
    return CalendarIO(service.store)


def _edge(ctx: cli.Context, text: str | None, argument: str, *, end: bool) -> datetime | None:
    """--from DATE is that day's start; --to DATE is included (the next day's start)."""
    if not text:
        return None
    try:
        day = datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        return ctx.moment(text, argument)
    return ctx.day_start(day + timedelta(days=1) if end else day)


def cmd_export(args: argparse.Namespace, ctx: cli.Context) -> int:
    lo = _edge(ctx, args.date_from, "--from", end=False)
    hi = _edge(ctx, args.date_to, "--to", end=True)
    if lo is not None and hi is not None and hi <= lo:
        raise cli.BadInput("--to: must be after --from")
    summary = _calendar(ctx).export_calendar(
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
    return cli.EXIT_OK


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


def cmd_import(args: argparse.Namespace, ctx: cli.Context) -> int:
    summary = _calendar(ctx).import_calendar(args.file)
    if args.json:
        print(json.dumps(summary.as_json(), ensure_ascii=False))
    else:
        print(summary_line(summary))
    return cli.EXIT_OK


def add_commands(_commands: Any, command: Command) -> None:
    """Add `export` and `import` to the command line (an entry of diary.cli._EXTENSIONS)."""
    export = command("export", cmd_export, "write appointments to an iCalendar (.ics) file")
    export.add_argument("file", metavar="FILE.ics")
    export.add_argument(
        "--from", dest="date_from", help="first day (ISO date; default: 30 days ago)"
    )
    export.add_argument("--to", dest="date_to", help="last day, included (default: no end)")
    export.add_argument("--customer", help="only this customer's appointments")
    export.add_argument("--no-buffers", action="store_true", help="no travel/wrap-up events")
    export.add_argument("--no-promises", action="store_true", help="no promises (VTODO)")

    importing = command(
        "import", cmd_import, "add or update appointments from an iCalendar (.ics) file"
    )
    importing.add_argument("file", metavar="FILE.ics")
    importing.add_argument("--json", action="store_true", help="print the summary as JSON")


def register() -> None:
    """Put `add_commands` into diary.cli's extension hooks, once."""
    if add_commands not in cli._EXTENSIONS:
        cli._EXTENSIONS.append(add_commands)


register()

"""`diary export FILE.ics`, `diary import FILE.ics` and `diary add-series`.

Importing this module registers the commands in `diary.cli._EXTENSIONS` (once).
Exit codes as in diary.cli: a file that cannot be imported exits 2 and changes nothing.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from diary import cli
from diary.domain.model import Kind, later
from diary.services.calendar_io import CalendarIO, ImportSummary
from diary.services.results import Draft, Repeat
from diary.services.series import SeriesService

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


def _series(ctx: cli.Context) -> SeriesService:
    """The service's series use cases (a plain SeriesService until DiaryService mixes it in)."""
    service: Any = ctx.service
    if isinstance(service, SeriesService):
        return service
    return SeriesService(service.store)


def cmd_add_series(args: argparse.Namespace, ctx: cli.Context) -> int:
    start = ctx.moment(args.start, "--start")
    if args.end:
        end = ctx.moment(args.end, "--end")
    else:
        end = later(start, timedelta(minutes=args.duration))
    if end <= start:
        raise cli.BadInput("--end: must be after --start")
    until: date | None = None
    if args.until:
        until = ctx.day(args.until, "--until")
        if until < start.astimezone(ctx.tz).date():
            raise cli.BadInput("--until: must not be before --start")
    if args.every < 1:
        raise cli.BadInput("--every: must be at least 1")
    if args.count is not None and args.count < 1:
        raise cli.BadInput("--count: must be at least 1")
    draft = Draft(
        title=args.title,
        start=start,
        end=end,
        kind=Kind(args.kind),
        customer=args.customer,
        location=args.location,
        wrapup_minutes=args.wrapup,
        notes=args.notes or "",
        zone=ctx.zone,
    )
    repeat = Repeat(args.repeat, interval=args.every, count=args.count, until=until)
    outcome = _series(ctx).book_series(draft, repeat, force=args.force, reason=args.reason)
    if outcome.ok and outcome.appointment is not None:
        print(outcome.appointment.uid)
    return cli._report_outcome(outcome, ctx, print_uid=False)


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

    series = command(
        "add-series", cmd_add_series, "book a repeating appointment; prints the series UID"
    )
    series.add_argument("--title", required=True)
    series.add_argument("--start", required=True, help="ISO 8601 start of the first occurrence")
    length = series.add_mutually_exclusive_group(required=True)
    length.add_argument("--end", help="ISO 8601 end of the first occurrence")
    length.add_argument("--duration", type=cli._positive_minutes, help="length in minutes")
    series.add_argument("--repeat", required=True, choices=["daily", "weekly", "monthly"])
    series.add_argument("--every", type=int, default=1, metavar="N", help="every N days/weeks/...")
    stop = series.add_mutually_exclusive_group()
    stop.add_argument("--count", type=int, metavar="N", help="stop after N occurrences")
    stop.add_argument("--until", metavar="DATE", help="last day (ISO date, included)")
    series.add_argument("--customer")
    series.add_argument("--location")
    series.add_argument("--kind", choices=["meeting", "block"], default="meeting")
    series.add_argument("--wrapup", type=cli._minutes, help="wrap-up minutes after each")
    series.add_argument("--notes")
    cli._override_args(series)


def register() -> None:
    """Put `add_commands` into diary.cli's extension hooks, once."""
    if add_commands not in cli._EXTENSIONS:
        cli._EXTENSIONS.append(add_commands)


register()

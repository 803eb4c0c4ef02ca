"""`add-series`: book a repeating appointment (daily, weekly or monthly)."""

from __future__ import annotations

import argparse
from datetime import date, timedelta

from diary.cli.arguments import minutes, override_options, positive_minutes
from diary.cli.context import BadInput, Context
from diary.cli.output import report_outcome
from diary.domain.limits import LAST_YEAR, supported
from diary.domain.model import Kind, later
from diary.services.results import Draft, Repeat

# Beyond these a rule only reaches past the years diary keeps (1000 months is 83 years).
MAX_INTERVAL = 1000
MAX_COUNT = 1_000_000


def cmd_add_series(args: argparse.Namespace, ctx: Context) -> int:
    start = ctx.moment(args.start, "--start")
    if args.end:
        end = ctx.moment(args.end, "--end")
    else:
        end = later(start, timedelta(minutes=args.duration))
        if not supported(end):
            raise BadInput(f"--duration: {args.duration} minutes end after the year {LAST_YEAR}")
    if end <= start:
        raise BadInput("--end: must be after --start")
    until: date | None = None
    if args.until:
        until = ctx.day(args.until, "--until")
        if until < start.astimezone(ctx.tz).date():
            raise BadInput("--until: must not be before --start")
    if args.every < 1:
        raise BadInput("--every: must be at least 1")
    if args.every > MAX_INTERVAL:
        raise BadInput(f"--every: must be at most {MAX_INTERVAL}")
    if args.count is not None and args.count < 1:
        raise BadInput("--count: must be at least 1")
    if args.count is not None and args.count > MAX_COUNT:
        raise BadInput(f"--count: must be at most {MAX_COUNT}")
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
    outcome = ctx.service.book_series(draft, repeat, force=args.force, reason=args.reason)
    if outcome.ok and outcome.appointment is not None:
        print(outcome.appointment.uid)
    return report_outcome(outcome, ctx, print_uid=False)


def define(word: str, parser: argparse.ArgumentParser) -> None:
    """`add-series --title T --start ISO (--end|--duration) --repeat daily|weekly|monthly`."""
    parser.set_defaults(handler=cmd_add_series)
    parser.add_argument("--title", required=True)
    parser.add_argument("--start", required=True, help="ISO 8601 start of the first occurrence")
    length = parser.add_mutually_exclusive_group(required=True)
    length.add_argument("--end", help="ISO 8601 end of the first occurrence")
    length.add_argument("--duration", type=positive_minutes, help="length in minutes")
    parser.add_argument("--repeat", required=True, choices=["daily", "weekly", "monthly"])
    parser.add_argument("--every", type=int, default=1, metavar="N", help="every N days/weeks/...")
    stop = parser.add_mutually_exclusive_group()
    stop.add_argument("--count", type=int, metavar="N", help="stop after N occurrences")
    stop.add_argument("--until", metavar="DATE", help="last day (ISO date, included)")
    parser.add_argument("--customer")
    parser.add_argument("--location")
    parser.add_argument("--kind", choices=["meeting", "block"], default="meeting")
    parser.add_argument("--wrapup", type=minutes, help="wrap-up minutes after each")
    parser.add_argument("--notes")
    override_options(parser)

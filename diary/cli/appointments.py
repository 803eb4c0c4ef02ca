"""`add`, `move`, `cancel`, `list`, `check`, `suggest`: booking and reading the diary."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import timedelta

from diary.cli.arguments import minutes as minutes_type
from diary.cli.arguments import override_options, positive_minutes
from diary.cli.context import EXIT_OK, EXIT_PROBLEMS, EXIT_REFUSED, BadInput, Context
from diary.cli.output import listed_json, listed_line, report_outcome
from diary.domain.limits import LAST_YEAR, supported
from diary.domain.model import Kind, Rule, later
from diary.services.results import Draft
from diary.wording import describe_all

PROBLEM_RULES = {Rule.DOUBLE_BOOKING, Rule.BUFFER, Rule.RESERVE}


def cmd_add(args: argparse.Namespace, ctx: Context) -> int:
    start = ctx.moment(args.start, "--start")
    if args.end:
        end = ctx.moment(args.end, "--end")
    else:
        end = later(start, timedelta(minutes=args.duration))
        if not supported(end):
            raise BadInput(f"--duration: {args.duration} minutes end after the year {LAST_YEAR}")
    if end <= start:
        raise BadInput("--end: must be after --start")
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
    outcome = ctx.service.book(draft, force=args.force, reason=args.reason)
    return report_outcome(outcome, ctx, print_uid=True)


def cmd_move(args: argparse.Namespace, ctx: Context) -> int:
    start = ctx.moment(args.start, "--start")
    outcome = ctx.service.move(args.uid, start, force=args.force, reason=args.reason)
    return report_outcome(outcome, ctx, print_uid=False)


def cmd_cancel(args: argparse.Namespace, ctx: Context) -> int:
    ctx.service.cancel(args.uid)
    return EXIT_OK


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    lo, hi = ctx.range(args.date_from, args.date_to)
    items = ctx.service.listing(lo, hi)
    if args.json:
        print(json.dumps([listed_json(i, ctx) for i in items], ensure_ascii=False, indent=2))
    else:
        for item in items:
            print(listed_line(item, ctx))
    return EXIT_OK


def cmd_check(args: argparse.Namespace, ctx: Context) -> int:
    if args.date_from or args.date_to:
        lo, hi = ctx.range(args.date_from, args.date_to)
        flagged = ctx.service.check(lo, hi)
    else:
        flagged = ctx.service.check()
    if args.json:
        print(json.dumps([listed_json(i, ctx) for i in flagged], ensure_ascii=False, indent=2))
    else:
        for item in flagged:
            print(listed_line(item, ctx))
            for text in describe_all(item.flags):
                print(f"    {text}")
        if not flagged:
            print("no conflicts")
    problems = any(v.rule in PROBLEM_RULES for item in flagged for v in item.flags)
    return EXIT_PROBLEMS if problems else EXIT_OK


def cmd_suggest(args: argparse.Namespace, ctx: Context) -> int:
    after = ctx.moment(args.after, "--after") if args.after else None
    start = ctx.service.suggest(timedelta(minutes=args.duration), args.location, after)
    if start is None:
        print("no free slot within a year", file=sys.stderr)
        return EXIT_REFUSED
    print(ctx.show(start))
    return EXIT_OK


# -- arguments ---------------------------------------------------------------------------


def _add(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(handler=cmd_add)
    parser.add_argument("--title", required=True)
    parser.add_argument("--start", required=True, help="ISO 8601 start")
    length = parser.add_mutually_exclusive_group(required=True)
    length.add_argument("--end", help="ISO 8601 end")
    length.add_argument("--duration", type=positive_minutes, help="length in minutes")
    parser.add_argument("--customer")
    parser.add_argument("--location")
    parser.add_argument("--kind", choices=["meeting", "block"], default="meeting")
    parser.add_argument("--wrapup", type=minutes_type, help="wrap-up minutes after it")
    parser.add_argument("--notes")
    override_options(parser)


def _move(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(handler=cmd_move)
    parser.add_argument("uid")
    parser.add_argument("--start", required=True)
    override_options(parser)


def _cancel(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(handler=cmd_cancel)
    parser.add_argument("uid")


def _range_and_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", help="first day (ISO date)")
    parser.add_argument("--to", dest="date_to", help="last day, included (ISO date)")
    parser.add_argument("--json", action="store_true")


def _list(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(handler=cmd_list)
    _range_and_json(parser)


def _check(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(handler=cmd_check)
    _range_and_json(parser)


def _suggest(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(handler=cmd_suggest)
    parser.add_argument("--duration", type=positive_minutes, required=True)
    parser.add_argument("--location")
    parser.add_argument("--after", help="ISO 8601; default now")


_DEFINE: dict[str, Callable[[argparse.ArgumentParser], None]] = {
    "add": _add,
    "move": _move,
    "cancel": _cancel,
    "list": _list,
    "check": _check,
    "suggest": _suggest,
}


def define(word: str, parser: argparse.ArgumentParser) -> None:
    """The arguments of `word` (one of add, move, cancel, list, check, suggest)."""
    _DEFINE[word](parser)

"""`promise add|list|check|done|suggest-due|tell`: what is owed to customers, and by when."""

from __future__ import annotations

import argparse
from typing import Any

from diary.cli.arguments import actions, minutes
from diary.cli.context import EXIT_OK, Context, excerpt
from diary.cli.output import dump
from diary.domain.limits import MAX_ID
from diary.domain.promises import PromiseStatus
from diary.services.drafts import describe_reasons
from diary.services.promises import PromiseView


def promise_json(view: PromiseView, ctx: Context) -> dict[str, Any]:
    """A promise as `promise list --json` and `customer show --json` print it."""
    p = view.promise
    return {
        "id": p.id,
        "customer": p.customer.name,
        "what": p.what,
        "due": ctx.show(p.due),
        "check_at": ctx.show(view.check_at),
        "status": str(view.status),
        "at_risk": view.at_risk,
        "reasons": describe_reasons(view.assessment.reasons),
        "effort_minutes": p.effort_minutes,
        "depends_on": p.depends_on,
    }


def promise_line(view: PromiseView, ctx: Context) -> str:
    p = view.promise
    line = f"#{p.id}  due {ctx.show(p.due)}  {p.customer.name}: {p.what}  [{view.status}]"
    if view.at_risk and view.status is not PromiseStatus.LATE:
        line += "  AT RISK"
    reasons = describe_reasons(view.assessment.reasons)
    if reasons:
        line += f"  ({'; '.join(reasons)})"
    return line


def cmd_promise_add(args: argparse.Namespace, ctx: Context) -> int:
    due = ctx.moment(args.due, "--due")
    promise = ctx.service.add_promise(
        args.customer,
        args.what,
        due,
        effort=args.effort,
        depends_on=args.depends_on,
        appointment_uid=args.appointment,
        notes=args.notes or "",
    )
    print(promise.id)
    return EXIT_OK


def cmd_promise_list(args: argparse.Namespace, ctx: Context) -> int:
    views = ctx.service.promises(at_risk_only=args.at_risk)
    if args.json:
        dump([promise_json(v, ctx) for v in views])
    else:
        for view in views:
            print(promise_line(view, ctx))
    return EXIT_OK


def cmd_promise_check(args: argparse.Namespace, ctx: Context) -> int:
    ctx.service.confirm(args.id)
    return EXIT_OK


def cmd_promise_done(args: argparse.Namespace, ctx: Context) -> int:
    ctx.service.done(args.id)
    return EXIT_OK


def cmd_promise_suggest_due(args: argparse.Namespace, ctx: Context) -> int:
    due = ctx.service.suggest_due(args.effort, args.margin)
    print(ctx.show(due))
    return EXIT_OK


def cmd_promise_tell(args: argparse.Namespace, ctx: Context) -> int:
    draft = ctx.service.tell_customer(args.id, args.locale)
    if args.json:
        dump(
            {
                "channel": str(draft.channel),
                "recipient": draft.recipient,
                "subject": draft.subject,
                "body": draft.body,
                "mailto": draft.mailto_url,
                "call_script": draft.call_script,
            }
        )
    elif draft.mailto_url:
        print(draft.mailto_url)
    else:
        print(draft.body)
    return EXIT_OK


# -- arguments ---------------------------------------------------------------------------


def _promise_id(text: str) -> int:
    try:
        value = int(text.lstrip("#"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{excerpt(text)} is not a promise id") from None
    if not 0 < value <= MAX_ID:
        raise argparse.ArgumentTypeError(f"{excerpt(text)} is not a promise id")
    return value


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{excerpt(text)} is not a whole number of days") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} must not be negative")
    return value


def define(word: str, parser: argparse.ArgumentParser) -> None:
    """`promise add|list|check|done|suggest-due|tell` (README, "Command line")."""
    promises = actions(parser, word)
    p_add = promises.add_parser("add", help="record a promise; prints its ID")
    p_add.set_defaults(handler=cmd_promise_add)
    p_add.add_argument("--customer", required=True, help="customer name")
    p_add.add_argument("--what", required=True, help="what is owed")
    p_add.add_argument("--due", required=True, help="ISO 8601 due date and time")
    p_add.add_argument("--effort", type=minutes, help="work still needed, in minutes")
    p_add.add_argument("--depends-on", dest="depends_on", metavar="NAME", help="colleague")
    p_add.add_argument("--appointment", metavar="UID", help="appointment it came from")
    p_add.add_argument("--notes")

    p_list = promises.add_parser("list", help="promises not yet done, with their risk")
    p_list.set_defaults(handler=cmd_promise_list)
    p_list.add_argument("--json", action="store_true")
    p_list.add_argument("--at-risk", dest="at_risk", action="store_true", help="only at risk")

    for name, handler, text in (
        ("check", cmd_promise_check, "confirm the 24-hour check: everything is in hand"),
        ("done", cmd_promise_done, "mark a promise as kept"),
    ):
        sub = promises.add_parser(name, help=text)
        sub.set_defaults(handler=handler)
        sub.add_argument("id", metavar="ID", type=_promise_id)

    p_suggest = promises.add_parser(
        "suggest-due", help="the earliest due date this effort can be promised for"
    )
    p_suggest.set_defaults(handler=cmd_promise_suggest_due)
    p_suggest.add_argument("--effort", required=True, type=minutes, help="minutes")
    p_suggest.add_argument(
        "--margin", type=_days, help="working days of safety (default: the policy's margin)"
    )

    p_tell = promises.add_parser("tell", help="draft the message telling the customer first")
    p_tell.set_defaults(handler=cmd_promise_tell)
    p_tell.add_argument("id", metavar="ID", type=_promise_id)
    p_tell.add_argument("--locale", help="e.g. de_DE (default: the policy's, else the system's)")
    p_tell.add_argument("--json", action="store_true")

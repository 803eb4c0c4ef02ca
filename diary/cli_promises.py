"""Command-line words for customers, promises and the time report.

`customer list|show`, `promise add|list|check|done|suggest-due|tell`,
`report customers --from DATE --to DATE [--csv FILE]`. Importing this module appends
`register` to `diary.cli._EXTENSIONS`. Exit codes as in diary.cli: 0 ok, 2 bad input.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from diary import cli
from diary.cli import EXIT_OK, BadInput, Context, Handler
from diary.domain.promises import PromiseStatus
from diary.services.customer_views import CustomerViews
from diary.services.drafts import describe_reasons
from diary.services.promises import PromiseService, PromiseView
from diary.services.reports import Report, ReportService, TimeSpent, report_csv
from diary.services.results import Listed


class _Service(PromiseService, ReportService, CustomerViews):
    """The promise, report and customer mixins over the command's store.

    They need nothing of DiaryService but its store, so this works whether or not
    DiaryService has taken them among its bases yet.
    """


def _service(ctx: Context) -> _Service:
    return _Service(ctx.service.store)


# -- JSON and lines ----------------------------------------------------------------------


def _promise_json(view: PromiseView, ctx: Context) -> dict[str, Any]:
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


def _promise_line(view: PromiseView, ctx: Context) -> str:
    p = view.promise
    line = f"#{p.id}  due {ctx.show(p.due)}  {p.customer.name}: {p.what}  [{view.status}]"
    if view.at_risk and view.status is not PromiseStatus.LATE:
        line += "  AT RISK"
    reasons = describe_reasons(view.assessment.reasons)
    if reasons:
        line += f"  ({'; '.join(reasons)})"
    return line


def _spent_json(spent: TimeSpent) -> dict[str, int]:
    return {
        "meetings": spent.meetings,
        "meeting_minutes": spent.meeting_minutes,
        "travel_minutes": spent.travel_minutes,
        "wrapup_minutes": spent.wrapup_minutes,
        "total_minutes": spent.total_minutes,
    }


def _appointment_json(item: Listed, ctx: Context) -> dict[str, Any]:
    a = item.appointment
    return {
        "uid": a.ref,
        "title": a.title,
        "start": ctx.show(a.start),
        "end": ctx.show(a.end),
        "kind": str(a.kind),
        "location": a.location.name if a.location else None,
        "travel_minutes": item.bands.travel_minutes,
        "wrapup_minutes": item.bands.wrapup_minutes,
        "flags": item.flag_names,
    }


def _dump(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


# -- commands ----------------------------------------------------------------------------


def cmd_customer_list(args: argparse.Namespace, ctx: Context) -> int:
    rows = _service(ctx).customer_rows()
    if args.json:
        _dump(
            [
                {
                    "id": r.customer.id,
                    "name": r.customer.name,
                    "email": r.customer.email,
                    "phone": r.customer.phone,
                    "prefers": str(r.customer.prefers),
                    "notes": r.customer.notes,
                    "next_appointment": ctx.show(r.next_appointment)
                    if r.next_appointment
                    else None,
                    "open_promises": r.open_promises,
                }
                for r in rows
            ]
        )
        return EXIT_OK
    for r in rows:
        nxt = ctx.show(r.next_appointment) if r.next_appointment else "-"
        contact = ", ".join(x for x in (r.customer.email, r.customer.phone) if x)
        print(
            f"{r.customer.name}  ({contact or 'no contact'}; prefers {r.customer.prefers})"
            f"  next: {nxt}  open promises: {r.open_promises}"
        )
    return EXIT_OK


def cmd_customer_show(args: argparse.Namespace, ctx: Context) -> int:
    history = _service(ctx).customer_history(args.name)
    c = history.customer
    if args.json:
        _dump(
            {
                "id": c.id,
                "name": c.name,
                "email": c.email,
                "phone": c.phone,
                "prefers": str(c.prefers),
                "notes": c.notes,
                "past": [_appointment_json(i, ctx) for i in history.past],
                "future": [_appointment_json(i, ctx) for i in history.future],
                "promises": [_promise_json(v, ctx) for v in history.promises],
                "spent": _spent_json(history.spent),
                "planned": _spent_json(history.planned),
            }
        )
        return EXIT_OK
    print(c.name)
    for label, value in (("email", c.email), ("phone", c.phone), ("notes", c.notes)):
        if value:
            print(f"  {label}: {value}")
    print(f"  prefers: {c.prefers}")
    for title, items in (("past", history.past), ("future", history.future)):
        print(f"{title}:")
        for item in items:
            print(f"  {cli._listed_line(item, ctx)}")
    print("promises:")
    for view in history.promises:
        print(f"  {_promise_line(view, ctx)}")
    s = history.spent
    print(
        f"time spent: {s.meetings} appointments, {s.meeting_minutes} min meetings, "
        f"{s.travel_minutes} min travel, {s.wrapup_minutes} min wrap-up, "
        f"{s.total_minutes} min in all"
    )
    return EXIT_OK


def cmd_promise_add(args: argparse.Namespace, ctx: Context) -> int:
    due = ctx.moment(args.due, "--due")
    promise = _service(ctx).add_promise(
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
    views = _service(ctx).promises(at_risk_only=args.at_risk)
    if args.json:
        _dump([_promise_json(v, ctx) for v in views])
    else:
        for view in views:
            print(_promise_line(view, ctx))
    return EXIT_OK


def cmd_promise_check(args: argparse.Namespace, ctx: Context) -> int:
    _service(ctx).confirm(args.id)
    return EXIT_OK


def cmd_promise_done(args: argparse.Namespace, ctx: Context) -> int:
    _service(ctx).done(args.id)
    return EXIT_OK


def cmd_promise_suggest_due(args: argparse.Namespace, ctx: Context) -> int:
    due = _service(ctx).suggest_due(args.effort, args.margin)
    print(ctx.show(due))
    return EXIT_OK


def cmd_promise_tell(args: argparse.Namespace, ctx: Context) -> int:
    draft = _service(ctx).tell_customer(args.id, args.locale)
    if args.json:
        _dump(
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


def _report_lines(report: Report) -> list[str]:
    lines = []
    for row in report.rows:
        mark = "  *more than their share" if row.over_share else ""
        lines.append(
            f"{row.customer.name}  {row.meetings} meetings  {row.meeting_minutes} min meetings  "
            f"{row.travel_minutes} min travel  {row.wrapup_minutes} min wrap-up  "
            f"{row.total_minutes} min  {row.share:.0%}{mark}"
        )
    lines.append(f"total {report.total_minutes} min")
    return lines


def cmd_report_customers(args: argparse.Namespace, ctx: Context) -> int:
    lo, hi = ctx.range(args.date_from, args.date_to)
    report = _service(ctx).time_per_customer(lo, hi)
    if args.csv:
        try:
            Path(args.csv).write_text(report_csv(report), encoding="utf-8")
        except OSError as error:
            raise BadInput(f"--csv: cannot write {args.csv!r}: {error.strerror}") from None
    for line in _report_lines(report):
        print(line)
    return EXIT_OK


# -- parser ------------------------------------------------------------------------------


def _promise_id(text: str) -> int:
    try:
        value = int(text.lstrip("#"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a promise id") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{value} is not a promise id")
    return value


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} must not be negative")
    return value


def _subcommands(parser: argparse.ArgumentParser) -> Any:
    """The sub-command action of `parser` (e.g. the ACTIONs of `diary customer`)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise LookupError(f"{parser.prog} has no sub-commands")


def register(
    commands: Any, command: Callable[[str, Handler, str], argparse.ArgumentParser]
) -> None:
    """Add the customer, promise and report words to the parser (a diary.cli extension)."""
    customer_parser = commands.choices.get("customer")
    if customer_parser is None:
        customers = command("customer", cli._needs_subcommand, "customers").add_subparsers(
            dest="customer_command", metavar="ACTION"
        )
    else:
        customers = _subcommands(customer_parser)
    c_list = customers.add_parser("list", help="list customers, next appointment, open promises")
    c_list.set_defaults(handler=cmd_customer_list)
    c_list.add_argument("--json", action="store_true")
    c_show = customers.add_parser("show", help="a customer's appointments, promises and time")
    c_show.set_defaults(handler=cmd_customer_show)
    c_show.add_argument("name", metavar="NAME")
    c_show.add_argument("--json", action="store_true")

    promises = command("promise", cli._needs_subcommand, "promises to customers").add_subparsers(
        dest="promise_command", metavar="ACTION"
    )
    p_add = promises.add_parser("add", help="record a promise; prints its ID")
    p_add.set_defaults(handler=cmd_promise_add)
    p_add.add_argument("--customer", required=True, help="customer name")
    p_add.add_argument("--what", required=True, help="what is owed")
    p_add.add_argument("--due", required=True, help="ISO 8601 due date and time")
    p_add.add_argument("--effort", type=cli._minutes, help="work still needed, in minutes")
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
    p_suggest.add_argument("--effort", required=True, type=cli._minutes, help="minutes")
    p_suggest.add_argument(
        "--margin", type=_days, help="working days of safety (default: the policy's margin)"
    )

    p_tell = promises.add_parser("tell", help="draft the message telling the customer first")
    p_tell.set_defaults(handler=cmd_promise_tell)
    p_tell.add_argument("id", metavar="ID", type=_promise_id)
    p_tell.add_argument("--locale", help="e.g. de_DE (default: the policy's, else the system's)")
    p_tell.add_argument("--json", action="store_true")

    reports = command("report", cli._needs_subcommand, "reports").add_subparsers(
        dest="report_command", metavar="REPORT"
    )
    r_customers = reports.add_parser(
        "customers", help="time per customer: meetings, travel and wrap-up"
    )
    r_customers.set_defaults(handler=cmd_report_customers)
    r_customers.add_argument("--from", dest="date_from", required=True, help="first day")
    r_customers.add_argument("--to", dest="date_to", required=True, help="last day, included")
    r_customers.add_argument("--csv", metavar="FILE", help="also write the report as CSV")


if register not in cli._EXTENSIONS:
    cli._EXTENSIONS.append(register)

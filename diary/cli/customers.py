"""`customer add|list|show`: the people the owner works for."""

from __future__ import annotations

import argparse
from typing import Any

from diary.cli.arguments import actions
from diary.cli.context import EXIT_OK, Context
from diary.cli.output import dump, listed_line
from diary.cli.promises import promise_json, promise_line
from diary.services.reports import TimeSpent
from diary.services.results import Listed


def cmd_customer_add(args: argparse.Namespace, ctx: Context) -> int:
    customer = ctx.service.add_customer(
        args.name,
        email=args.email or "",
        phone=args.phone or "",
        prefers=args.prefers,
        notes=args.notes or "",
    )
    print(customer.id)
    return EXIT_OK


def cmd_customer_list(args: argparse.Namespace, ctx: Context) -> int:
    rows = ctx.service.customer_rows()
    if args.json:
        dump(
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


def cmd_customer_show(args: argparse.Namespace, ctx: Context) -> int:
    history = ctx.service.customer_history(args.name)
    c = history.customer
    if args.json:
        dump(
            {
                "id": c.id,
                "name": c.name,
                "email": c.email,
                "phone": c.phone,
                "prefers": str(c.prefers),
                "notes": c.notes,
                "past": [_appointment_json(i, ctx) for i in history.past],
                "future": [_appointment_json(i, ctx) for i in history.future],
                "promises": [promise_json(v, ctx) for v in history.promises],
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
            print(f"  {listed_line(item, ctx)}")
    print("promises:")
    for view in history.promises:
        print(f"  {promise_line(view, ctx)}")
    s = history.spent
    print(
        f"time spent: {s.meetings} appointments, {s.meeting_minutes} min meetings, "
        f"{s.travel_minutes} min travel, {s.wrapup_minutes} min wrap-up, "
        f"{s.total_minutes} min in all"
    )
    return EXIT_OK


def define(word: str, parser: argparse.ArgumentParser) -> None:
    """`customer add NAME [...]`, `customer list [--json]`, `customer show NAME [--json]`."""
    customers = actions(parser, word)
    c_add = customers.add_parser("add", help="add a customer; prints its id")
    c_add.set_defaults(handler=cmd_customer_add)
    c_add.add_argument("name")
    c_add.add_argument("--email")
    c_add.add_argument("--phone")
    c_add.add_argument("--prefers", choices=["email", "phone", "text"], default="email")
    c_add.add_argument("--notes")
    c_list = customers.add_parser("list", help="list customers, next appointment, open promises")
    c_list.set_defaults(handler=cmd_customer_list)
    c_list.add_argument("--json", action="store_true")
    c_show = customers.add_parser("show", help="a customer's appointments, promises and time")
    c_show.set_defaults(handler=cmd_customer_show)
    c_show.add_argument("name", metavar="NAME")
    c_show.add_argument("--json", action="store_true")

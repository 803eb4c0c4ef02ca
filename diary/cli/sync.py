"""Command-line words for CalDAV sync: accounts, `sync`, and the conflicts it leaves.

`diary account add NAME --url URL --username USER [--calendar CAL] [--busy CAL]...
[--password-stdin]`, `diary account list [--json]`, `diary account remove NAME`,
`diary sync [NAME] [--json]`, `diary conflicts [--json]`,
`diary conflicts resolve ID --keep desktop|server|both`.

Exit codes: 0 done, 2 bad configuration (the reason in words), 4 the server could not be
reached or the sync stopped part-way (nothing is lost; the next sync resumes).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from diary.cli.arguments import actions
from diary.cli.context import EXIT_BAD_INPUT, EXIT_OK, BadInput, Context

if TYPE_CHECKING:
    from diary.services.sync.accounts import AccountView
    from diary.services.sync.conflicts import ConflictView
    from diary.services.sync.service import SyncReport

EXIT_STOPPED = 4
SUMMARY_FIELDS = ("pushed", "pulled", "deleted", "conflicts", "flagged")


def _error(message: str) -> None:
    print(f"diary: error: {message}", file=sys.stderr)


def _when(ctx: Context, moment: Any) -> str | None:
    return ctx.show(moment) if moment is not None else None


# -- accounts ----------------------------------------------------------------------------


def _account_json(view: AccountView, ctx: Context) -> dict[str, Any]:
    return {
        "name": view.name,
        "url": view.url,
        "username": view.username,
        "calendar": view.calendar,
        "calendar_url": view.calendar_url,
        "busy": list(view.busy),
        "travel_and_wrapup": view.push_bands,
        "password": view.password,
        "last_sync": _when(ctx, view.last_sync),
        "last_result": view.last_result,
    }


def _read_password() -> str:
    try:
        line = sys.stdin.readline()
    except (OSError, ValueError, UnicodeDecodeError):
        raise BadInput("--password-stdin: standard input cannot be read") from None
    password = line.rstrip("\r\n")
    if not password:
        raise BadInput("--password-stdin: no password on standard input")
    return password


def cmd_account_add(args: argparse.Namespace, ctx: Context) -> int:
    from diary.services.sync.accounts import ServerUnavailable

    password = _read_password() if args.password_stdin else None
    try:
        added = ctx.service.accounts.add(
            args.name,
            url=args.url,
            username=args.username,
            calendar=args.calendar,
            busy=args.busy or (),
            password=password,
            push_bands=not args.no_bands,
        )
    except ServerUnavailable as error:
        _error(str(error))
        return EXIT_STOPPED
    view = added.account
    where = f"calendar {view.calendar!r}" if view.calendar_url else "calendar to be found"
    print(f"added {view.name}: {view.username} at {view.url}, {where}")
    for note in added.notes:
        print(f"note: {note}", file=sys.stderr)
    return EXIT_OK


def cmd_account_list(args: argparse.Namespace, ctx: Context) -> int:
    views = ctx.service.accounts.accounts()
    if args.json:
        print(json.dumps([_account_json(v, ctx) for v in views], indent=2, ensure_ascii=False))
        return EXIT_OK
    for view in views:
        busy = f"  busy: {', '.join(view.busy)}" if view.busy else ""
        last = _when(ctx, view.last_sync) or "never"
        result = f" ({view.last_result})" if view.last_result else ""
        print(
            f"{view.name}  {view.username} at {view.url}  calendar: {view.calendar or '?'}"
            f"{busy}  password: {view.password}  last sync: {last}{result}"
        )
    return EXIT_OK


def cmd_account_remove(args: argparse.Namespace, ctx: Context) -> int:
    ctx.service.accounts.remove(args.name)
    print(f"removed {args.name} (the server keeps its calendars)")
    return EXIT_OK


# -- sync --------------------------------------------------------------------------------


def _totals(reports: list[SyncReport]) -> dict[str, Any]:
    summary: dict[str, Any] = {name: 0 for name in SUMMARY_FIELDS}
    for report in reports:
        for name in SUMMARY_FIELDS:
            summary[name] += getattr(report, name)
    summary["notices"] = [n for r in reports for n in r.notices]
    summary["problems"] = [p for r in reports for p in r.problems]
    summary["errors"] = [f"{r.account}: {r.error}" for r in reports if r.error]
    summary["accounts"] = [r.as_json() for r in reports]
    return summary


def cmd_sync(args: argparse.Namespace, ctx: Context) -> int:
    reports = ctx.service.syncing.sync(args.name, accept_empty=args.accept_empty)
    if args.json:
        print(json.dumps(_totals(reports), indent=2, ensure_ascii=False))
    else:
        for report in reports:
            if report.error is None:
                counts = ", ".join(f"{name} {getattr(report, name)}" for name in SUMMARY_FIELDS)
                print(f"{report.account}: {counts}")
            for notice in report.notices:
                print(f"  {notice}")
            for problem in report.problems:
                print(f"  left for the next sync: {problem}")
    for report in reports:
        if report.error is not None:
            _error(f"sync of {report.account}: {report.error}")
    if any(r.failure == "configuration" for r in reports):
        return EXIT_BAD_INPUT
    if any(r.failure == "stopped" for r in reports):
        return EXIT_STOPPED
    return EXIT_OK


# -- conflicts ---------------------------------------------------------------------------


def _conflict_json(view: ConflictView, ctx: Context) -> dict[str, Any]:
    return {
        "id": view.id,
        "account": view.account,
        "uid": view.uid,
        "title": view.title,
        "fields": view.fields,
        "created": ctx.show(view.created),
    }


def cmd_conflicts(args: argparse.Namespace, ctx: Context) -> int:
    views = ctx.service.sync_conflicts.conflicts()
    if args.json:
        print(json.dumps([_conflict_json(v, ctx) for v in views], indent=2, ensure_ascii=False))
        return EXIT_OK
    for view in views:
        print(f"#{view.id}  {view.title}  ({view.account}, {view.uid})")
        for name, pair in view.fields.items():
            print(f"    {name}: desktop {pair.get('desktop')!r}, server {pair.get('server')!r}")
    return EXIT_OK


def cmd_conflicts_resolve(args: argparse.Namespace, ctx: Context) -> int:
    try:
        conflict_id = int(args.id)
    except ValueError:
        raise BadInput(f"ID: {args.id!r} is not a conflict number") from None
    ctx.service.sync_conflicts.resolve(conflict_id, args.keep)
    print(f"conflict #{conflict_id} resolved: kept {args.keep}")
    return EXIT_OK


def _define_account(parser: argparse.ArgumentParser) -> None:
    accounts = actions(parser, "account")
    add = accounts.add_parser("add", help="add an account (finds or makes its calendars)")
    add.set_defaults(handler=cmd_account_add)
    add.add_argument("name", metavar="NAME")
    add.add_argument("--url", required=True, help="the server, a principal or a calendar")
    add.add_argument("--username", required=True)
    add.add_argument("--calendar", help="display name or URL of the diary's calendar")
    add.add_argument(
        "--busy",
        action="append",
        metavar="CAL",
        help="another calendar whose events count as busy time (repeatable)",
    )
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password (one line) from stdin"
    )
    add.add_argument(
        "--no-bands",
        action="store_true",
        help="do not send travel and wrap-up to the server as busy events",
    )
    listing = accounts.add_parser("list", help="the accounts")
    listing.set_defaults(handler=cmd_account_list)
    listing.add_argument("--json", action="store_true")
    remove = accounts.add_parser("remove", help="forget an account (the server keeps its data)")
    remove.set_defaults(handler=cmd_account_remove)
    remove.add_argument("name", metavar="NAME")


def _define_sync(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(handler=cmd_sync)
    parser.add_argument("name", metavar="NAME", nargs="?", help="the account (default: all)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--accept-empty",
        action="store_true",
        help="the server's calendar was emptied on purpose: delete here what is gone there",
    )


def _define_conflicts(parser: argparse.ArgumentParser) -> None:
    # Without an ACTION it lists them, so this group has no needs-an-action handler.
    parser.set_defaults(handler=cmd_conflicts)
    parser.add_argument("--json", action="store_true")
    resolve = parser.add_subparsers(dest="conflicts_command", metavar="ACTION").add_parser(
        "resolve", help="keep the desktop's, the server's or both versions"
    )
    resolve.set_defaults(handler=cmd_conflicts_resolve)
    resolve.add_argument("id", metavar="ID")
    resolve.add_argument("--keep", required=True, choices=("desktop", "server", "both"))


_DEFINE = {"account": _define_account, "sync": _define_sync, "conflicts": _define_conflicts}


def define(word: str, parser: argparse.ArgumentParser) -> None:
    """The arguments of `word`: account, sync or conflicts."""
    _DEFINE[word](parser)

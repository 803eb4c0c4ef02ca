"""The headless command line: `diary [--db URL] [--tz ZONE] COMMAND ...`.

Exit codes: 0 ok, 1 `check` found problems, 2 bad input, 3 refused.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, NoReturn
from zoneinfo import ZoneInfo

from diary.domain.model import Kind, Rule, later

# Light names only: the database layer loads when a command first needs the diary, so the
# window (`diary` without a command) paints before SQLAlchemy is imported.
from diary.services import Draft, InputError, Listed, Outcome
from diary.services.clock import system_zone, valid_zone
from diary.wording import describe, describe_all

if TYPE_CHECKING:
    from diary.services import DiaryService

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT, EXIT_REFUSED = 0, 1, 2, 3
PROBLEM_RULES = {Rule.DOUBLE_BOOKING, Rule.BUFFER, Rule.RESERVE}

Handler = Callable[[argparse.Namespace, "Context"], int]


class BadInput(Exception):
    """Bad input found by the command line itself (names the argument)."""


class Context:
    """What every command needs: the service (opened on first use) and the display zone."""

    def __init__(self, db: str | None, zone: str) -> None:
        self.db = db
        self.zone = zone
        self.tz = ZoneInfo(zone)
        self._service: DiaryService | None = None

    @property
    def service(self) -> DiaryService:
        if self._service is None:
            from diary.services import DiaryService

            self._service = DiaryService.open(self.db, zone=self.zone)
            # The rolling horizon: series always have two years of occurrences ahead.
            self._service.extend_series_horizon()
        return self._service

    def close(self) -> None:
        if self._service is not None:
            self._service.close()

    def show(self, moment: datetime) -> str:
        return moment.astimezone(self.tz).isoformat()

    def moment(self, text: str, argument: str) -> datetime:
        """ISO 8601 input; without an offset it is wall-clock time in the display zone."""
        try:
            value = datetime.fromisoformat(text.strip())
        except ValueError:
            raise BadInput(f"{argument}: {text!r} is not an ISO 8601 date and time") from None
        if value.tzinfo is not None:
            return value
        local = value.replace(tzinfo=self.tz)
        round_trip = local.astimezone(ZoneInfo("UTC")).astimezone(self.tz)
        if round_trip.replace(tzinfo=None) != value:
            raise BadInput(
                f"{argument}: {text} does not exist in {self.zone} (the clocks change then)"
            )
        return local

    def day(self, text: str, argument: str) -> date:
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            pass
        return self.moment(text, argument).astimezone(self.tz).date()

    def day_start(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self.tz)

    def range(self, start: str | None, stop: str | None) -> tuple[datetime, datetime]:
        """--from DATE --to DATE, both days included (a time of day is taken as given)."""
        lo = self._edge(start, "--from", end=False) if start else None
        hi = self._edge(stop, "--to", end=True) if stop else None
        if lo is None:
            lo = self.day_start(datetime.now(self.tz).date())
        if hi is None:
            hi = lo + timedelta(days=7)
        if hi <= lo:
            raise BadInput("--to: must be after --from")
        return lo, hi

    def _edge(self, text: str, argument: str, *, end: bool) -> datetime:
        try:
            day = date.fromisoformat(text.strip())
        except ValueError:
            return self.moment(text, argument)
        return self.day_start(day + timedelta(days=1) if end else day)


# -- output ------------------------------------------------------------------------------


def _listed_json(item: Listed, ctx: Context) -> dict[str, Any]:
    a = item.appointment
    if a.all_day:
        tz = ZoneInfo(a.zone)
        start: str = a.start.astimezone(tz).date().isoformat()
        end: str = a.end.astimezone(tz).date().isoformat()
    else:
        start, end = ctx.show(a.start), ctx.show(a.end)
    return {
        "uid": a.ref,
        "title": a.title,
        "start": start,
        "end": end,
        "all_day": a.all_day,
        "kind": str(a.kind),
        "customer": a.customer.name if a.customer else None,
        "location": a.location.name if a.location else None,
        "flags": item.flag_names,
        "override_reason": a.override_reason,
        "reasons": describe_all(item.flags),
    }


def _listed_line(item: Listed, ctx: Context) -> str:
    a = item.appointment
    when = (
        f"{a.start.astimezone(ZoneInfo(a.zone)).date().isoformat()} (all day)"
        if a.all_day
        else f"{ctx.show(a.start)} - {ctx.show(a.end)}"
    )
    extras = [
        x
        for x in (a.customer.name if a.customer else "", a.location.name if a.location else "")
        if x
    ]
    line = f"{when}  {a.title}"
    if extras:
        line += f"  ({', '.join(extras)})"
    if item.flags:
        line += f"  [{', '.join(item.flag_names)}]"
    if a.override_reason and item.flags:
        line += f"  override: {a.override_reason}"
    line += f"  {a.ref}"
    return line


def _report_outcome(outcome: Outcome, ctx: Context, print_uid: bool) -> int:
    if outcome.refused:
        for text in describe_all(outcome.violations):
            print(text)
        nearest = ctx.show(outcome.nearest) if outcome.nearest else "none within a year"
        print(f"nearest feasible slot: {nearest}")
        return EXIT_REFUSED
    assert outcome.appointment is not None
    if print_uid:
        print(outcome.appointment.ref)
    for violation in outcome.violations:
        print(f"warning: {violation.rule}: {describe(violation)}", file=sys.stderr)
    return EXIT_OK


# -- commands ----------------------------------------------------------------------------


def cmd_add(args: argparse.Namespace, ctx: Context) -> int:
    start = ctx.moment(args.start, "--start")
    if args.end:
        end = ctx.moment(args.end, "--end")
    else:
        end = later(start, timedelta(minutes=args.duration))
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
    return _report_outcome(outcome, ctx, print_uid=True)


def cmd_move(args: argparse.Namespace, ctx: Context) -> int:
    start = ctx.moment(args.start, "--start")
    outcome = ctx.service.move(args.uid, start, force=args.force, reason=args.reason)
    return _report_outcome(outcome, ctx, print_uid=False)


def cmd_cancel(args: argparse.Namespace, ctx: Context) -> int:
    ctx.service.cancel(args.uid)
    return EXIT_OK


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    lo, hi = ctx.range(args.date_from, args.date_to)
    items = ctx.service.listing(lo, hi)
    if args.json:
        print(json.dumps([_listed_json(i, ctx) for i in items], ensure_ascii=False, indent=2))
    else:
        for item in items:
            print(_listed_line(item, ctx))
    return EXIT_OK


def cmd_check(args: argparse.Namespace, ctx: Context) -> int:
    if args.date_from or args.date_to:
        lo, hi = ctx.range(args.date_from, args.date_to)
        flagged = ctx.service.check(lo, hi)
    else:
        flagged = ctx.service.check()
    if args.json:
        print(json.dumps([_listed_json(i, ctx) for i in flagged], ensure_ascii=False, indent=2))
    else:
        for item in flagged:
            print(_listed_line(item, ctx))
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


def cmd_location_add(args: argparse.Namespace, ctx: Context) -> int:
    if (args.lat is None) != (args.lon is None):
        raise BadInput("--lat/--lon: give both or neither")
    location = ctx.service.add_location(
        args.name, address=args.address or "", lat=args.lat, lon=args.lon, remote=args.remote
    )
    print(location.id)
    return EXIT_OK


def cmd_travel_set(args: argparse.Namespace, ctx: Context) -> int:
    ctx.service.set_travel(args.origin, args.destination, args.minutes)
    return EXIT_OK


def cmd_policy_show(args: argparse.Namespace, ctx: Context) -> int:
    rows = ctx.service.policy_rows()
    if args.json:
        print(json.dumps(dict(rows), indent=2))
    else:
        width = max(len(k) for k, _ in rows)
        for key, value in rows:
            print(f"{key:<{width}}  {value}")
    return EXIT_OK


def cmd_policy_set(args: argparse.Namespace, ctx: Context) -> int:
    ctx.service.set_policy(args.key, args.value)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, ctx: Context) -> int:
    from diary.services.demo import fill_demo

    summary = fill_demo(ctx.service, reset=args.reset)
    print(summary)
    return EXIT_OK


def cmd_print(args: argparse.Namespace, ctx: Context) -> int:
    from pathlib import Path

    from diary.ui.printing import render_view

    out = Path(args.out)
    if out.suffix.lower() not in (".pdf", ".png"):
        raise BadInput(f"--out: {args.out!r} must end in .pdf or .png")
    day = ctx.day(args.date, "--date") if args.date else datetime.now(ctx.tz).date()
    ctx.close()
    render_view(ctx.db or "", args.view, day, out, ctx.zone)
    print(out)
    return EXIT_OK


# -- parser ------------------------------------------------------------------------------


def _minutes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of minutes") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} must not be negative")
    return value


def _positive_minutes(text: str) -> int:
    value = _minutes(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be more than 0 minutes")
    return value


def _override_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="book even if a rule is broken")
    parser.add_argument("--reason", help="why the rule is overridden (needed with --force)")


def _global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        help="SQLAlchemy URL or SQLite file (default: $DIARY_DB, "
        "else diary.sqlite3 in the user's data folder)",
    )
    parser.add_argument("--tz", help="time zone for input and output (default: the system's)")


def _load_extensions() -> None:
    """The later capabilities' commands register themselves in _EXTENSIONS when imported.

    Imported here, not at the top: they pull in the database and calendar layers, which the
    window (`diary` with no command) must not wait for before its first paint.
    """
    import diary.cli_calendar  # noqa: F401
    import diary.cli_promises  # noqa: F401
    import diary.cli_sync  # noqa: F401


def build_parser() -> argparse.ArgumentParser:
    _load_extensions()
    parser = argparse.ArgumentParser(
        prog="diary",
        description="An appointment book that counts travel and wrap-up time. "
        "Without a command it opens the window.",
    )
    _global_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    add = command("add", cmd_add, "book an appointment; prints its UID")
    add.add_argument("--title", required=True)
    add.add_argument("--start", required=True, help="ISO 8601 start")
    length = add.add_mutually_exclusive_group(required=True)
    length.add_argument("--end", help="ISO 8601 end")
    length.add_argument("--duration", type=_positive_minutes, help="length in minutes")
    add.add_argument("--customer")
    add.add_argument("--location")
    add.add_argument("--kind", choices=["meeting", "block"], default="meeting")
    add.add_argument("--wrapup", type=_minutes, help="wrap-up minutes after it")
    add.add_argument("--notes")
    _override_args(add)

    move = command("move", cmd_move, "move an appointment to a new start")
    move.add_argument("uid")
    move.add_argument("--start", required=True)
    _override_args(move)

    cancel = command("cancel", cmd_cancel, "cancel an appointment")
    cancel.add_argument("uid")

    for name, handler, text in (
        ("list", cmd_list, "list appointments with their flags"),
        ("check", cmd_check, "list flagged appointments; exit 1 if any breaks a rule"),
    ):
        sub = command(name, handler, text)
        sub.add_argument("--from", dest="date_from", help="first day (ISO date)")
        sub.add_argument("--to", dest="date_to", help="last day, included (ISO date)")
        sub.add_argument("--json", action="store_true")

    suggest = command("suggest", cmd_suggest, "print the earliest start that breaks no rule")
    suggest.add_argument("--duration", type=_positive_minutes, required=True)
    suggest.add_argument("--location")
    suggest.add_argument("--after", help="ISO 8601; default now")

    customer = command("customer", _needs_subcommand, "customers").add_subparsers(
        dest="customer_command", metavar="ACTION"
    )
    c_add = customer.add_parser("add", help="add a customer; prints its id")
    c_add.set_defaults(handler=cmd_customer_add)
    c_add.add_argument("name")
    c_add.add_argument("--email")
    c_add.add_argument("--phone")
    c_add.add_argument("--prefers", choices=["email", "phone", "text"], default="email")
    c_add.add_argument("--notes")

    location = command("location", _needs_subcommand, "locations").add_subparsers(
        dest="location_command", metavar="ACTION"
    )
    l_add = location.add_parser("add", help="add a location; prints its id")
    l_add.set_defaults(handler=cmd_location_add)
    l_add.add_argument("name")
    l_add.add_argument("--address")
    l_add.add_argument("--lat", type=float)
    l_add.add_argument("--lon", type=float)
    l_add.add_argument("--remote", action="store_true", help="phone or video: no travel")

    travel = command("travel", _needs_subcommand, "travel times").add_subparsers(
        dest="travel_command", metavar="ACTION"
    )
    t_set = travel.add_parser("set", help="set the travel time between two locations")
    t_set.set_defaults(handler=cmd_travel_set)
    t_set.add_argument("origin", metavar="FROM")
    t_set.add_argument("destination", metavar="TO")
    t_set.add_argument("minutes", metavar="MINUTES", type=_minutes)

    policy = command("policy", _needs_subcommand, "working hours and rules").add_subparsers(
        dest="policy_command", metavar="ACTION"
    )
    p_show = policy.add_parser("show", help="print the policy")
    p_show.set_defaults(handler=cmd_policy_show)
    p_show.add_argument("--json", action="store_true")
    p_set = policy.add_parser("set", help="change one setting (KEY as `policy show` prints)")
    p_set.set_defaults(handler=cmd_policy_set)
    p_set.add_argument("key", metavar="KEY")
    p_set.add_argument("value", metavar="VALUE")

    demo = command("demo", cmd_demo, "fill the diary with a sample week of customer meetings")
    demo.add_argument("--reset", action="store_true", help="remove earlier demo data first")

    printing = command("print", cmd_print, "render a view for printing")
    printing.add_argument("--view", choices=["day", "week", "agenda"], default="day")
    printing.add_argument("--date", help="ISO date (default today)")
    printing.add_argument("--out", required=True, help="FILE.pdf or FILE.png")

    for extend in _EXTENSIONS:
        extend(commands, command)
    return parser


# Later capabilities (import/export, promises, reports) add their commands here.
_EXTENSIONS: list[
    Callable[[Any, Callable[[str, Handler, str], argparse.ArgumentParser]], None]
] = []


def _needs_subcommand(args: argparse.Namespace, ctx: Context) -> int:
    raise BadInput(f"{args.command}: an action is needed (see diary {args.command} --help)")


def _fail(message: str, code: int) -> NoReturn:
    print(f"diary: error: {message}", file=sys.stderr)
    raise SystemExit(code)


def _window_wanted(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """The global options when the arguments ask for the window (no command, no --help)."""
    bare = argparse.ArgumentParser(prog="diary", add_help=False)
    _global_options(bare)
    try:
        options, rest = bare.parse_known_args(argv)
    except SystemExit:
        return None  # let the full parser say what is wrong
    return None if rest else options


def main(argv: Sequence[str] | None = None) -> int:
    window = _window_wanted(argv)
    if window is not None:  # the window: no need to build (and import) every command
        zone = window.tz or system_zone()
        if not valid_zone(zone):
            _fail(f"--tz: {zone!r} is not a known time zone", EXIT_BAD_INPUT)
        from diary.app import run_gui

        return run_gui(window.db, zone)
    parser = build_parser()
    args = parser.parse_args(argv)
    zone = args.tz or system_zone()
    if not valid_zone(zone):
        _fail(f"--tz: {zone!r} is not a known time zone", EXIT_BAD_INPUT)
    if args.command is None:
        from diary.app import run_gui

        return run_gui(args.db, zone)
    ctx = Context(args.db, zone)
    try:
        handler: Handler = args.handler
        return handler(args, ctx)
    except (BadInput, InputError) as error:
        _fail(str(error), EXIT_BAD_INPUT)
    except Exception as error:
        from diary.services import StorageError  # loaded already when the diary was opened

        if isinstance(error, StorageError):
            _fail(str(error), EXIT_BAD_INPUT)
        raise
    finally:
        ctx.close()

"""How appointments and outcomes are printed: one line each, or the JSON of the contract.

`list --json` objects carry `uid`, `title`, `start`, `end`, `all_day`, `kind`, `customer`,
`location`, `flags`, `override_reason` and `reasons` (README, "Command line").
"""

from __future__ import annotations

import json
import sys
from typing import Any
from zoneinfo import ZoneInfo

from diary.cli.context import EXIT_OK, EXIT_REFUSED, Context
from diary.services.results import Listed, Outcome
from diary.wording import describe_all


def dump(value: object) -> None:
    """Print `value` as indented JSON, non-ASCII kept as is."""
    print(json.dumps(value, ensure_ascii=False, indent=2))


def listed_json(item: Listed, ctx: Context) -> dict[str, Any]:
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


def listed_line(item: Listed, ctx: Context) -> str:
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


def report_outcome(outcome: Outcome, ctx: Context, *, print_uid: bool) -> int:
    """Refused: each reason on a line, then the nearest slot, exit 3. Else warnings, exit 0."""
    if outcome.refused:
        for text in describe_all(outcome.violations):
            print(text)
        nearest = ctx.show(outcome.nearest) if outcome.nearest else "none within a year"
        print(f"nearest feasible slot: {nearest}")
        return EXIT_REFUSED
    assert outcome.appointment is not None
    if print_uid:
        print(outcome.appointment.ref)
    for text in describe_all(outcome.violations):
        print(f"warning: {text}", file=sys.stderr)
    return EXIT_OK

"""`policy show|set`: working hours, reserve, wrap-up, travel and the other rules' settings."""

from __future__ import annotations

import argparse
import json

from diary.cli.arguments import actions
from diary.cli.context import EXIT_OK, Context


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


def define(word: str, parser: argparse.ArgumentParser) -> None:
    """`policy show [--json]`, `policy set KEY VALUE`."""
    policy = actions(parser, word)
    p_show = policy.add_parser("show", help="print the policy")
    p_show.set_defaults(handler=cmd_policy_show)
    p_show.add_argument("--json", action="store_true")
    p_set = policy.add_parser("set", help="change one setting (KEY as `policy show` prints)")
    p_set.set_defaults(handler=cmd_policy_set)
    p_set.add_argument("key", metavar="KEY")
    p_set.add_argument("value", metavar="VALUE")

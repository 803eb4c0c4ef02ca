"""`demo [--reset]`: a sample week of customer meetings around today."""

from __future__ import annotations

import argparse

from diary.cli.context import EXIT_OK, Context
from diary.services.demo import fill_demo


def cmd_demo(args: argparse.Namespace, ctx: Context) -> int:
    summary = fill_demo(ctx.service, reset=args.reset)
    print(summary)
    return EXIT_OK


def define(word: str, parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(handler=cmd_demo)
    parser.add_argument("--reset", action="store_true", help="remove earlier demo data first")

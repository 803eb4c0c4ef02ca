"""`report customers`: time per customer (meetings, travel, wrap-up) and each one's share."""

from __future__ import annotations

import argparse

from diary.cli.arguments import actions, file_name
from diary.cli.context import EXIT_OK, BadInput, Context
from diary.services.output_files import OutputRefused, write_private
from diary.services.reports import Report, report_csv


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
    report = ctx.service.time_per_customer(lo, hi)
    if args.csv:
        data = report_csv(report).encode("utf-8")
        try:
            write_private(args.csv, data, ctx.service.database.files)
        except OutputRefused as refused:
            raise BadInput(f"--csv: {refused}") from None
        except OSError as error:
            raise BadInput(f"--csv: cannot write {args.csv!r}: {error.strerror}") from None
    for line in _report_lines(report):
        print(line)
    return EXIT_OK


def define(word: str, parser: argparse.ArgumentParser) -> None:
    """`report customers --from DATE --to DATE [--csv FILE]`."""
    reports = actions(parser, word, metavar="REPORT")
    r_customers = reports.add_parser(
        "customers", help="time per customer: meetings, travel and wrap-up"
    )
    r_customers.set_defaults(handler=cmd_report_customers)
    r_customers.add_argument("--from", dest="date_from", required=True, help="first day")
    r_customers.add_argument("--to", dest="date_to", required=True, help="last day, included")
    r_customers.add_argument(
        "--csv", metavar="FILE", type=file_name, help="also write the report as CSV"
    )

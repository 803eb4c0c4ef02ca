"""`backup [--to FILE]`, `backup list [--json]`, `restore FILE`: backups the owner can restore.

`backup list --json` objects: `file` (absolute path), `taken` (ISO 8601 in the display
zone), `kind` (`automatic`, `manual` or `before-restore`), `bytes`. A file that cannot be
restored is bad input (exit 2, the reason named) and changes nothing.
"""

from __future__ import annotations

import argparse

from diary.cli.arguments import file_name
from diary.cli.context import EXIT_OK, Context
from diary.cli.output import dump
from diary.services.backups import Backup


def _json(backup: Backup, ctx: Context) -> dict[str, object]:
    return {
        "file": str(backup.path),
        "taken": ctx.show(backup.taken),
        "kind": backup.kind,
        "bytes": backup.size,
    }


def cmd_backup(args: argparse.Namespace, ctx: Context) -> int:
    backup = ctx.service.backups.take(args.to)
    print(backup.path)
    return EXIT_OK


def cmd_backup_list(args: argparse.Namespace, ctx: Context) -> int:
    backups = ctx.service.backups.backups()
    if args.json:
        dump([_json(b, ctx) for b in backups])
        return EXIT_OK
    for b in backups:
        print(f"{ctx.show(b.taken)}  {b.kind:<14}  {b.size:>10} bytes  {b.path}")
    if not backups:
        print(f"no backups yet in {ctx.service.backups.folder}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, ctx: Context) -> int:
    restored = ctx.service.restore_backup(args.file)
    counts = restored.counts
    print(
        f"restored {restored.source}: {counts.get('appointments', 0)} appointments, "
        f"{counts.get('customers', 0)} customers, {counts.get('promises', 0)} promises"
    )
    print(f"the diary as it was is kept in {restored.kept_as.path}")
    return EXIT_OK


def define(word: str, parser: argparse.ArgumentParser) -> None:
    if word == "restore":
        parser.add_argument(
            "file",
            metavar="FILE",
            type=file_name,
            help="a backup file, or the name of one from `diary backup list`",
        )
        parser.set_defaults(handler=cmd_restore)
        return
    parser.add_argument(
        "--to",
        metavar="FILE",
        type=file_name,
        help="write the backup there instead of the backup folder",
    )
    parser.set_defaults(handler=cmd_backup)
    actions = parser.add_subparsers(dest="backup_command", metavar="[list]")
    listing = actions.add_parser("list", help="the backups in the backup folder, newest first")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=cmd_backup_list)

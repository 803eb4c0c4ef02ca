"""`location add` and `travel set`: where the owner works and how long the drives take."""

from __future__ import annotations

import argparse

from diary.cli.arguments import actions, minutes
from diary.cli.context import EXIT_OK, BadInput, Context


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


def define(word: str, parser: argparse.ArgumentParser) -> None:
    """`location add NAME [--address A] [--lat X --lon Y] [--remote]`, `travel set FROM TO MIN`."""
    if word == "location":
        locations = actions(parser, word)
        l_add = locations.add_parser("add", help="add a location; prints its id")
        l_add.set_defaults(handler=cmd_location_add)
        l_add.add_argument("name")
        l_add.add_argument("--address")
        l_add.add_argument("--lat", type=float)
        l_add.add_argument("--lon", type=float)
        l_add.add_argument("--remote", action="store_true", help="phone or video: no travel")
        return
    travel = actions(parser, word)
    t_set = travel.add_parser("set", help="set the travel time between two locations")
    t_set.set_defaults(handler=cmd_travel_set)
    t_set.add_argument("origin", metavar="FROM")
    t_set.add_argument("destination", metavar="TO")
    t_set.add_argument("minutes", metavar="MINUTES", type=minutes)

"""Travel time between two places: the owner's table, then coordinates, then the default."""

from __future__ import annotations

import math
from collections.abc import Mapping

from diary.domain.model import Location, Policy

EARTH_RADIUS_KM = 6371.0088
ROUND_TO_MINUTES = 5

TravelTable = Mapping[tuple[int, int], int]


def great_circle_km(a: Location, b: Location) -> float:
    """Haversine distance between two located places."""
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def round_up(minutes: float, step: int = ROUND_TO_MINUTES) -> int:
    return int(math.ceil(minutes / step - 1e-9)) * step


def travel_minutes(
    origin: Location | None, destination: Location | None, table: TravelTable, policy: Policy
) -> int:
    """Minutes to get from origin to destination, by the order of DESIGN.md."""
    if origin is None or destination is None:
        return 0
    if origin.id == destination.id or origin.remote or destination.remote:
        return 0
    own = table.get((origin.id, destination.id))
    if own is None:
        own = table.get((destination.id, origin.id))
    if own is not None:
        return own
    if None not in (origin.lat, origin.lon, destination.lat, destination.lon):
        road_km = great_circle_km(origin, destination) * policy.road_factor
        return round_up(road_km / policy.average_speed_kmh * 60)
    return policy.default_travel_minutes

from diary.domain.model import Location, Policy
from diary.domain.travel import travel_minutes

from tests.domain.factories import BATH, HOME, KITCHEN, PHONE, POLICY, TRAVEL


def test_own_table_entry_wins_in_either_direction() -> None:
    assert travel_minutes(KITCHEN, BATH, TRAVEL, POLICY) == 25
    assert travel_minutes(BATH, KITCHEN, TRAVEL, POLICY) == 25


def test_same_place_and_remote_need_no_travel() -> None:
    assert travel_minutes(KITCHEN, KITCHEN, TRAVEL, POLICY) == 0
    assert travel_minutes(KITCHEN, PHONE, TRAVEL, POLICY) == 0
    assert travel_minutes(PHONE, BATH, TRAVEL, POLICY) == 0
    assert travel_minutes(None, BATH, TRAVEL, POLICY) == 0


def test_coordinates_give_road_distance_over_speed_rounded_up_to_five_minutes() -> None:
    # About 11.1 km apart (0.1 degree of latitude); x1.3 road factor at 40 km/h = 21.7 min.
    a = Location(10, "A", lat=51.0, lon=0.0)
    b = Location(11, "B", lat=51.1, lon=0.0)
    assert travel_minutes(a, b, {}, Policy()) == 25
    faster = Policy(average_speed_kmh=80.0)
    assert travel_minutes(a, b, {}, faster) == 15


def test_default_when_nothing_is_known() -> None:
    other = Location(12, "Unknown place")
    assert travel_minutes(HOME, other, TRAVEL, POLICY) == POLICY.default_travel_minutes

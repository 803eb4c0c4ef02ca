"""Rule checks on a 100,000-appointment diary: indexed neighbours against a naive scan.

Prints a table: median time of the full rule check for one new booking, of
next_feasible_slot for a busy week, and of the same check done by a naive scan over
every row (the baseline), plus the time it took to build the database.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.build_db import ZONE, build
from diary.domain.days import window_for
from diary.domain.model import Appointment
from diary.domain.rules import Schedule
from diary.services import DiaryService

TZ = ZoneInfo(ZONE)


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(action, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        samples.append(time.perf_counter() - began)
    return samples


def candidates(service: DiaryService, count: int, seed: int = 1) -> list[Appointment]:
    rng = random.Random(seed)
    site = service.locations()[3]
    found = []
    for _ in range(count):
        day = date(2024, 1, 1) + timedelta(days=rng.randrange(5 * 365 - 7))
        start = datetime.combine(day, datetime.min.time()).replace(tzinfo=TZ) + timedelta(
            minutes=rng.randrange(8 * 60, 17 * 60, 15)
        )
        found.append(
            Appointment(
                "bench-new", "New visit", start, start + timedelta(minutes=45), ZONE, location=site
            )
        )
    return found


def naive_check(service: DiaryService, candidate: Appointment) -> None:
    """The same verdict from every row of the diary, as a scan would reach it."""
    with service.store.read() as uow:
        policy = uow.policy
        everything = uow.appointments.overlapping(
            datetime(1970, 1, 2, tzinfo=TZ), datetime(2100, 1, 1, tzinfo=TZ)
        )
        base = uow.places.by_id(policy.base_location_id) if policy.base_location_id else None
        Schedule(everything, policy, uow.places.travel_table(), base).violations_for(candidate)


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/out/bench100k.sqlite3")
    path.parent.mkdir(parents=True, exist_ok=True)
    build_seconds = build(path)
    service = DiaryService.open(str(path), zone=ZONE)
    probes = candidates(service, 300)
    # First look at a day: the range query for its neighbours, then every rule. This is
    # what a booking pays inside its write transaction when the day was not read before.
    with service.store.read() as uow:
        uow.forget_revision()  # no cache: measure the query
        cold_probes = iter(probes)

        def first_look() -> None:
            probe = next(cold_probes)
            lo, hi = window_for(probe.start, probe.end, uow.policy.zone)
            service.store.snapshot(uow, lo, hi).violations_for(probe)

        cold = median_ms(timed(first_look, 250))
    # The same check on a day already read at this revision: the live verdict in the
    # dialog and while dragging, and a booking on the week on screen.
    for probe in probes:
        service.preview(probe)
    warm_probes = iter(probes)
    check = median_ms(timed(lambda: service.preview(next(warm_probes)), 250))
    rng = random.Random(5)
    site = service.locations()[5].name

    def week_starts(count: int) -> list[datetime]:
        weeks = [date(2024, 1, 1) + timedelta(weeks=rng.randrange(250)) for _ in range(count)]
        return [datetime.combine(w, datetime.min.time()).replace(tzinfo=TZ) for w in weeks]

    def searcher(starts: list[datetime]):  # type: ignore[no-untyped-def]
        it = iter(starts)
        return lambda: service.suggest(timedelta(minutes=60), site, next(it))

    cold_weeks = week_starts(40)
    slot_cold = median_ms(timed(searcher(cold_weeks), 40))
    warm_weeks = week_starts(40)
    for start in warm_weeks:
        service.suggest(timedelta(minutes=60), site, start)
    slot = median_ms(timed(searcher(warm_weeks), 40))
    naive_probes = iter(probes)
    naive = median_ms(timed(lambda: naive_check(service, next(naive_probes)), 5))
    rows = [
        ("build 100k-appointment database", build_seconds * 1000, 15000.0, "s"),
        ("rule check, one new booking", check, 1.0, "ms"),
        ("  same, first look at the day", cold, None, "ms"),
        ("next_feasible_slot, busy week", slot, 5.0, "ms"),
        ("  same, first look at the week", slot_cold, None, "ms"),
        ("naive scan check (baseline)", naive, None, "ms"),
    ]
    print(f"{'measure':<36} {'median':>12} {'target':>10} {'ok':>4}")
    for name, value, target, unit in rows:
        shown = f"{value / 1000:.2f} s" if unit == "s" else f"{value:.3f} ms"
        goal = (
            "-"
            if target is None
            else (f"{target / 1000:.0f} s" if unit == "s" else f"{target:g} ms")
        )
        ok = "-" if target is None else ("yes" if value <= target else "NO")
        print(f"{name:<36} {shown:>12} {goal:>10} {ok:>4}")
    print(f"{'naive scan / indexed check':<36} {naive / check:>11.0f}x")
    print(f"{'naive scan / first-look check':<36} {naive / cold:>11.0f}x")
    service.close()


if __name__ == "__main__":
    main()

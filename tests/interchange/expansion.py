"""Test helper: the occurrences of a parsed series in a window, by diary's one engine."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from diary.domain.model import later
from diary.interchange.records import ImportedEvent, ImportedSeries
from diary.interchange.recurrence import Recurrence

SPRING = datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 6, 1, tzinfo=UTC)
AUTUMN = datetime(2025, 10, 1, tzinfo=UTC), datetime(2025, 12, 1, tzinfo=UTC)


def expand(series: ImportedSeries, lo: datetime, hi: datetime) -> list[ImportedEvent]:
    """Starts from the rule, each replaced by its override (cancelled ones dropped)."""
    template = series.template
    rule = Recurrence(
        start=template.start,
        zone=template.zone,
        rules=tuple(series.rrule.splitlines()),
        rdates=tuple(series.rdates),
        exdates=tuple(series.exdates),
        all_day=template.all_day,
    ).compile()
    overrides = {
        o.recurrence_id.timestamp(): o for o in series.overrides if o.recurrence_id is not None
    }
    length = template.end.astimezone(UTC) - template.start.astimezone(UTC)
    found = []
    for start in rule.between(lo, hi):
        override = overrides.get(start.timestamp())
        if override is not None:
            if not override.cancelled:
                found.append(override)
            continue
        found.append(replace(template, start=start, end=later(start, length), recurrence_id=start))
    return found

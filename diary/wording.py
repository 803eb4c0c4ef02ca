"""Violations said in words, for the command line, tooltips, dialogs and exports."""

from __future__ import annotations

from diary.domain.model import Rule, Violation
from diary.i18n import gettext as _


def describe(violation: Violation) -> str:
    """One sentence that says which rule is broken and by how much."""
    if violation.rule is Rule.DOUBLE_BOOKING:
        return _("double-booked with {other}").format(other=violation.other_title or "?")
    if violation.rule is Rule.BUFFER and violation.shortfall is not None:
        short = violation.shortfall
        parts = []
        if short.wrapup_minutes:
            parts.append(
                _("{minutes} min wrap-up after {title}").format(
                    minutes=short.wrapup_minutes, title=short.previous_title
                )
            )
        if short.travel_minutes:
            origin = short.travel_from or "?"
            parts.append(
                _("{minutes} min travel from {place}").format(
                    minutes=short.travel_minutes, place=origin
                )
            )
        if short.previous_title is None:
            return _("{missing} min short: {parts} before the working day starts").format(
                missing=short.missing_minutes, parts=", ".join(parts)
            )
        return _("{missing} min short: {parts}").format(
            missing=short.missing_minutes, parts=", ".join(parts)
        )
    if violation.rule is Rule.RESERVE:
        return _("only {free} min free on {day}, {reserve} min are kept for urgent calls").format(
            free=max(0, violation.free_minutes or 0),
            day=violation.day,
            reserve=violation.reserve_minutes,
        )
    if violation.rule is Rule.AFTER_HOURS:
        return _("outside working hours")
    return str(violation.rule)


def describe_all(violations: list[Violation] | tuple[Violation, ...]) -> list[str]:
    """Each distinct violation once, errors first."""
    seen: dict[str, None] = {}
    for v in sorted(violations, key=lambda v: (not v.refusable, list(Rule).index(v.rule))):
        seen.setdefault(f"{v.rule}: {describe(v)}")
    return list(seen)

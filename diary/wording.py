"""Violations said in words, for the command line, tooltips, dialogs and exports."""

from __future__ import annotations

from diary.domain.model import Rule, Violation
from diary.i18n import gettext as _
from diary.i18n import ngettext

# Beyond this many reasons the rest are counted, not listed: a booking from 2027 to 2199
# breaks the urgent-call reserve on some 45,000 working days, one reason each.
MOST_SAID = 12


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


def describe_for(violation: Violation, own_ref: str) -> str | None:
    """`violation` said from the side of the appointment `own_ref` being booked or changed:
    a neighbour it squeezes is named with the direction ("15 min short before Boiler
    service: 15 min wrap-up after this job and 20 min travel from Bahnhofstr. 9"), and the
    mirror of its own double-booking (the same clash seen from the other side) is None.

    A flag on a neighbour that does not concern `own_ref` is None too (its own business).
    """
    own = violation.ref == own_ref
    if violation.rule is Rule.DOUBLE_BOOKING:
        if own:
            return _("double-booked with {other}").format(other=violation.other_title or "?")
        return None
    if violation.rule is Rule.BUFFER and violation.shortfall is not None:
        short = violation.shortfall
        if short.previous_title is None:
            return describe(violation) if own else None
        place = short.travel_from or "?"
        if own:
            parts = []
            if short.wrapup_minutes:
                parts.append(
                    _("{minutes} min wrap-up after {title}").format(
                        minutes=short.wrapup_minutes, title=short.previous_title
                    )
                )
            if short.travel_minutes:
                parts.append(
                    _("{minutes} min travel from {place}").format(
                        minutes=short.travel_minutes, place=place
                    )
                )
            return _("{missing} min short after {title}: {parts}").format(
                missing=short.missing_minutes,
                title=short.previous_title,
                parts=_(" and ").join(parts),
            )
        if violation.other_ref != own_ref:
            return None
        parts = []
        if short.wrapup_minutes:
            parts.append(
                _("{minutes} min wrap-up after this job").format(minutes=short.wrapup_minutes)
            )
        if short.travel_minutes:
            parts.append(
                _("{minutes} min travel from {place}").format(
                    minutes=short.travel_minutes, place=place
                )
            )
        return _("{missing} min short before {title}: {parts}").format(
            missing=short.missing_minutes,
            title=violation.title or "?",
            parts=_(" and ").join(parts),
        )
    if violation.rule is Rule.AFTER_HOURS and not own:
        return None
    return describe(violation)


def describe_all(violations: list[Violation] | tuple[Violation, ...]) -> list[str]:
    """Each distinct violation once, errors first; at most MOST_SAID, then how many more."""
    seen: dict[str, None] = {}
    for v in sorted(violations, key=lambda v: (not v.refusable, list(Rule).index(v.rule))):
        seen.setdefault(f"{v.rule}: {describe(v)}")
    return at_most(list(seen))


def at_most(texts: list[str], most: int = MOST_SAID) -> list[str]:
    """`texts`, or its first `most` and a last line counting the rest ("…and 3 more")."""
    if len(texts) <= most:
        return texts
    rest = len(texts) - most
    more = ngettext("…and {count} more", "…and {count} more", rest).format(count=f"{rest:,}")
    return [*texts[:most], more]

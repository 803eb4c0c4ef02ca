"""Violations in words for tooltips, ghosts and dialogs: the one switch over to diary.wording."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from diary.domain.model import Rule, Violation
from diary.wording import describe


def reasons(
    flags: Iterable[Violation],
    own_ref: str | None = None,
    titles: Mapping[str, str] | None = None,
) -> list[str]:
    """Each distinct reason once, refusals first.

    With `own_ref` (the appointment being changed) a double-booking is said once, from its
    side, and a flag it causes on a neighbour names that neighbour.
    """
    ordered = sorted(flags, key=lambda v: not v.refusable)
    seen: dict[str, None] = {}
    for violation in ordered:
        if own_ref is not None and violation.ref != own_ref:
            if violation.rule is Rule.DOUBLE_BOOKING:
                continue  # the mirror of the candidate's own double-booking
            name = (titles or {}).get(violation.ref)
            if name:
                seen.setdefault(f"{name}: {describe(violation)}")
                continue
        seen.setdefault(describe(violation))
    return list(seen)


def own_ref_of(flags: Iterable[Violation], title: str | None = None) -> str | None:
    """The appointment all these flags concern: the one every flag names (as ref or other).

    A lone double-booking names two; then the one titled `title` is the one being changed.
    """
    flags = list(flags)
    common: set[str] | None = None
    for violation in flags:
        refs = {violation.ref} | ({violation.other_ref} if violation.other_ref else set())
        common = refs if common is None else common & refs
    if not common:
        return None
    if len(common) == 1:
        return next(iter(common))
    for violation in flags:
        if violation.ref in common and violation.other_title != title:
            return violation.ref
    return None


def reason_text(flags: Iterable[Violation]) -> str:
    return "\n".join(reasons(flags))

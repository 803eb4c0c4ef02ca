"""Violations in words for tooltips, ghosts and dialogs: the one switch over to diary.wording."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from diary.domain.model import Violation
from diary.wording import at_most, describe, describe_for


def reasons(
    flags: Iterable[Violation],
    own_ref: str | None = None,
    titles: Mapping[str, str] | None = None,
) -> list[str]:
    """Each distinct reason once, refusals first.

    With `own_ref` (the appointment being changed) each flag is said from its side
    (`diary.wording.describe_for`): the mirror of its own double-booking is left out, and a
    neighbour it squeezes is named with the direction. `titles` names neighbours whose
    flags do not carry their title.
    """
    ordered = sorted(flags, key=lambda v: not v.refusable)
    seen: dict[str, None] = {}
    for violation in ordered:
        if own_ref is None:
            seen.setdefault(describe(violation))
            continue
        if violation.title is None and violation.ref != own_ref and titles:
            violation = replace(violation, title=titles.get(violation.ref))
        text = describe_for(violation, own_ref)
        if text is not None:
            seen.setdefault(text)
    return at_most(list(seen))


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

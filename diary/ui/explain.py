"""Violations in words for tooltips, ghosts and dialogs: the one switch over to diary.wording."""

from __future__ import annotations

from collections.abc import Iterable

from diary.domain.model import Violation
from diary.wording import describe


def reasons(flags: Iterable[Violation]) -> list[str]:
    """Each distinct reason once, refusals first."""
    ordered = sorted(flags, key=lambda v: not v.refusable)
    seen: dict[str, None] = {}
    for violation in ordered:
        seen.setdefault(describe(violation))
    return list(seen)


def reason_text(flags: Iterable[Violation]) -> str:
    return "\n".join(reasons(flags))

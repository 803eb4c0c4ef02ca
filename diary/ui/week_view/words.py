"""What the grid says about an appointment in words: its tooltip, and its name and
description for a screen reader (the same facts, so hovering and listening agree)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from diary.i18n import Formatter, _
from diary.ui.explain import reasons
from diary.ui.week_view.text import clock_range

if TYPE_CHECKING:
    from diary.services import Listed


def details(listed: Listed) -> list[str]:
    """Customer, place, travel and wrap-up, each on a line of its own."""
    a = listed.appointment
    lines = []
    if a.customer is not None:
        lines.append(a.customer.name)
    if a.location is not None:
        lines.append(a.location.label)
    if listed.bands.travel_minutes:
        lines.append(
            _("{minutes} min travel from {place}").format(
                minutes=listed.bands.travel_minutes, place=listed.bands.travel_from or "?"
            )
        )
    if listed.bands.wrapup_minutes:
        lines.append(_("{minutes} min wrap-up").format(minutes=listed.bands.wrapup_minutes))
    return lines


def flags(listed: Listed) -> list[str]:
    """Why it is flagged, and the reason it was kept anyway."""
    lines = list(reasons(listed.flags))
    if listed.appointment.override_reason:
        lines.append(_("Kept anyway: {reason}").format(reason=listed.appointment.override_reason))
    return lines


def tooltip(listed: Listed, formatter: Formatter) -> str:
    """Title, time, details, then the flags marked with ⚠."""
    a = listed.appointment
    lines = [a.title, clock_range(formatter, a.start, a.end), *details(listed)]
    why = reasons(listed.flags)
    if why:
        lines.append("")
        lines.extend(f"⚠ {line}" for line in why)
    if a.override_reason:
        lines.append(_("Kept anyway: {reason}").format(reason=a.override_reason))
    return "\n".join(lines)


def accessible_name(listed: Listed, formatter: Formatter) -> str:
    """ "9:00 AM – 10:00 AM, Kitchen survey", and "conflict" when it is flagged."""
    a = listed.appointment
    words = [clock_range(formatter, a.start, a.end), a.title]
    if listed.flags:
        words.append(_("conflict"))
    return ", ".join(words)


def accessible_description(listed: Listed) -> str:
    """The details and the flags, as sentences."""
    return ". ".join(details(listed) + flags(listed))

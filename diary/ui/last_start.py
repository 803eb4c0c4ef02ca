"""What the window keeps in the user's settings from one start for the next.

The window paints before its diary is open. Painted on neutral defaults, a diary with its
own working hours, locale or zone would jump once it opened (the days shift when the week
starts on another day, the language changes, the shading moves). So the window keeps the
policy it showed for each diary; the next start paints with it. What the diary says when it
opens still wins.
"""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QSettings

from diary.domain.model import Policy, WorkingHours
from diary.services.clock import valid_zone

POLICY_KEY = "start/policy"
DAYS = 7


def settings() -> QSettings:
    return QSettings("diary", "diary")


def policy_for(diary: str) -> Policy | None:
    """The zone, locale and working hours the window last showed for `diary` (its URL as
    given), as a policy; None when there is none, it was another diary's, or it is unreadable."""
    text = settings().value(POLICY_KEY)
    if not isinstance(text, str):
        return None
    lines = text.split("\n")
    if len(lines) != 3 + DAYS or lines[0] != diary or not valid_zone(lines[1]):
        return None
    try:
        week = tuple(_hours(line) for line in lines[3:])
    except ValueError:
        return None
    return Policy(zone=lines[1], locale=lines[2], week=week)


def keep_policy(diary: str, policy: Policy) -> None:
    week = [_text(hours) for hours in policy.week]
    if any("\n" in part for part in (diary, policy.zone, policy.locale)):
        return
    settings().setValue(POLICY_KEY, "\n".join([diary, policy.zone, policy.locale, *week]))


def _text(hours: WorkingHours | None) -> str:
    return "off" if hours is None else f"{hours.start:%H:%M}-{hours.end:%H:%M}"


def _hours(text: str) -> WorkingHours | None:
    if text == "off":
        return None
    start, _, end = text.partition("-")
    return WorkingHours(time.fromisoformat(start), time.fromisoformat(end))

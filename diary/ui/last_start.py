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

from diary.db_url import without_password
from diary.domain.model import Policy, WorkingHours
from diary.services.clock import valid_zone

POLICY_KEY = "start/policy"
DAYS = 7


def settings() -> QSettings:
    return QSettings("diary", "diary")


def _writable() -> QSettings:
    """The settings, their file made 0600 before Qt writes it (Qt's atomic save keeps the
    existing file's mode; a new file would get the umask's)."""
    from diary.services.output_files import keep_private

    store = settings()
    keep_private(store.fileName())
    return store


def policy_for(diary: str) -> Policy | None:
    """The zone, locale and working hours the window last showed for `diary` (its URL as
    given, kept without its password), as a policy; None when there is none, it was another
    diary's, or it is unreadable."""
    store = settings()
    text = store.value(POLICY_KEY)
    if not isinstance(text, str):
        return None
    lines = text.split("\n")
    if without_password(lines[0]) != lines[0]:
        # Kept by an older diary with the whole URL: the password leaves the file now.
        lines[0] = without_password(lines[0])
        _writable().setValue(POLICY_KEY, "\n".join(lines))
    if len(lines) != 3 + DAYS or lines[0] != without_password(diary) or not valid_zone(lines[1]):
        return None
    try:
        week = tuple(_hours(line) for line in lines[3:])
    except ValueError:
        return None
    return Policy(zone=lines[1], locale=lines[2], week=week)


def keep_policy(diary: str, policy: Policy) -> None:
    """Remember `policy` for the next start of `diary` (its URL, kept without a password)."""
    diary = without_password(diary)
    week = [_text(hours) for hours in policy.week]
    if any("\n" in part for part in (diary, policy.zone, policy.locale)):
        return
    _writable().setValue(POLICY_KEY, "\n".join([diary, policy.zone, policy.locale, *week]))


def _text(hours: WorkingHours | None) -> str:
    return "off" if hours is None else f"{hours.start:%H:%M}-{hours.end:%H:%M}"


def _hours(text: str) -> WorkingHours | None:
    if text == "off":
        return None
    start, _, end = text.partition("-")
    return WorkingHours(time.fromisoformat(start), time.fromisoformat(end))

"""The program's clock (see `diary.domain.clock`) as the services hand it out, and zones.

The window and the command line take `SystemClock`, `FixedClock` and `today` from here.
"""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from diary.domain.clock import Clock, FixedClock, SystemClock, today

__all__ = [
    "Clock",
    "FixedClock",
    "SystemClock",
    "known_zones",
    "system_zone",
    "today",
    "valid_zone",
]


def valid_zone(name: str) -> bool:
    """Whether `name` is an IANA zone this machine knows (any text is safe to ask about)."""
    if not name or len(name) > 64:  # the longest IANA name has 32 characters
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def system_zone() -> str:
    """The IANA name of the machine's zone: TZ, then /etc/localtime, then /etc/timezone."""
    candidates: list[str] = []
    env = os.environ.get("TZ", "").lstrip(":")
    if env:
        candidates.append(env)
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    timezone_file = Path("/etc/timezone")
    if timezone_file.is_file():
        candidates.append(timezone_file.read_text(encoding="utf-8").strip())
    for name in candidates:
        if ("/" in name or name in ("UTC", "GMT")) and valid_zone(name):
            return name
    return "UTC"


def known_zones() -> set[str]:
    return available_timezones()

"""The PySide6 window over the services; `create_main_window` is the entry tests and the app use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from diary.ui.none_guard import keep_none_alive

keep_none_alive()

if TYPE_CHECKING:
    from datetime import date

    from diary.ui.main_window import MainWindow


def create_main_window(
    db_url: str, tz: str | None = None, *, today: date | None = None
) -> MainWindow:
    """Open the diary at `db_url`, build the window on the current week, show it, return it."""
    from diary.services import DiaryService
    from diary.services.clock import system_zone
    from diary.ui.bridge import Bridge
    from diary.ui.main_window import MainWindow

    service = DiaryService.open(db_url or None, zone=tz)
    # Read once at start-up, before the worker runs: the window needs the zone and locale
    # to lay out its first paint.
    policy = service.policy()
    zone = tz or policy.zone or system_zone()
    bridge = Bridge(service)
    window = MainWindow(service, bridge, policy, zone, today=today)
    window.show()
    return window


__all__ = ["create_main_window"]

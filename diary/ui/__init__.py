"""The PySide6 window over the services; `create_main_window` is the entry tests and the app use."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from diary.services import DiaryService
    from diary.services.clock import Clock
    from diary.ui.main_window import MainWindow


def create_main_window(
    db_url: str, tz: str | None = None, *, clock: Clock | None = None
) -> MainWindow:
    """Build the window on the current week, show it, open the diary at `db_url`, return it.

    The window paints first, with the policy it last showed for this diary (else on neutral
    defaults); the database layer is imported and the diary opened off the GUI thread.
    `window.bridge.ready` / `window.ready` say when it is open (the window then takes the
    stored policy, zone and locale and loads the shown days by itself);
    `window.bridge.open_failed` when it cannot be (the window says so in a dialog).
    `clock` is the one clock of the program (default: the wall clock); the service, the
    views and the reminders all read it.
    """
    from diary.domain.model import Policy
    from diary.services.clock import SystemClock, system_zone
    from diary.ui import last_start
    from diary.ui.bridge import Bridge
    from diary.ui.main_window import MainWindow

    the_clock = clock or SystemClock()

    def open_diary() -> DiaryService:
        from diary.services import DiaryService

        return DiaryService.open(db_url or None, zone=tz, clock=the_clock)

    def settle(service: DiaryService) -> tuple[Policy, str]:
        # On the opening thread: the window needs the zone and locale to lay out.
        policy = service.policy()
        return policy, tz or policy.zone or system_zone()

    # The first paint shows the policy this diary had when the window last showed it (its
    # zone, locale and hours), else neutral defaults; the diary's own follows when it opens.
    shown = last_start.policy_for(db_url)
    zone = tz or (shown.zone if shown else "") or system_zone()
    bridge = Bridge.opening(open_diary, settle)
    window = MainWindow(
        None, bridge, shown or Policy(zone=zone), zone, clock=the_clock, remember_as=db_url
    )
    window.show()
    return window


__all__ = ["create_main_window"]

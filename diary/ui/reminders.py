"""Tray reminders: "leave now" before today's meetings (start less travel), the 24-hour
promise checks, and promises that became at risk. Each is said once.

`tick()` asks the services (through the bridge, off the GUI thread) and calls `notify(title,
text)` on the GUI thread. The app drives it with a QTimer; tests call it with a fake clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, QTimer, Signal

from diary.domain.departure import time_to_leave
from diary.i18n import Formatter, _
from diary.ui.bridge import BACKGROUND, Bridge

if TYPE_CHECKING:
    from diary.services.promises import PromiseView
    from diary.services.queries import Agenda

TICK_MS = 30_000
# On the first tick, checks that came while the app was closed are still asked.
CATCH_UP = timedelta(hours=12)

Clock = Callable[[], datetime]
Notify = Callable[[str, str], None]


@dataclass(frozen=True, slots=True)
class _Findings:
    """What one tick found, handed from the worker to the GUI thread."""

    now: datetime
    agenda: Agenda
    checks: list[PromiseView]
    at_risk: list[PromiseView]


class Reminders(QObject):
    """Says each reminder once; `ticked` is emitted after a tick's reminders went out."""

    ticked = Signal()

    def __init__(
        self,
        bridge: Bridge,
        clock: Clock,
        notify: Notify,
        formatter: Formatter,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self.formatter = formatter
        self._tz = ZoneInfo(formatter.zone)
        self._clock = clock
        self._notify = notify
        self._last: datetime | None = None
        self._said: set[tuple[str, str]] = set()
        self._at_risk: set[int] = set()
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def tick(self) -> None:
        """Look at what is due between the last tick and now; remind of each new thing once."""
        now = self._clock()
        since = self._last if self._last is not None else now - CATCH_UP
        self._last = now
        day = now.astimezone(self._tz).date()
        lo = datetime(day.year, day.month, day.day, tzinfo=self._tz)
        hi = lo + timedelta(days=1)

        def look(service: Any) -> _Findings:
            return _Findings(
                now,
                service.agenda(lo, hi),
                service.checks_due(since, now) if since < now else [],
                service.promises(at_risk_only=True),
            )

        self._bridge.call(look, self._found, self._failed, lane=BACKGROUND, owner=self)

    def _say(self, key: tuple[str, str], title: str, text: str) -> None:
        if key in self._said:
            return
        self._said.add(key)
        self._notify(title, text)

    def _found(self, found: _Findings) -> None:
        now = found.now
        for item in found.agenda.items:
            a = item.appointment
            if not time_to_leave(a, item.bands, now):
                continue
            self._say(
                ("leave", a.ref),
                _("Leave now for {title}").format(title=a.title),
                _("{minutes} min travel; it starts at {time}.").format(
                    minutes=item.bands.travel_minutes, time=self.formatter.time(a.start)
                ),
            )
        # The wording module is read when there is something to say, not at start-up.
        from diary.services.drafts import check_questions, describe_reasons

        for view in found.checks:
            self._say(
                ("check", str(view.promise.id)),
                _("24-hour check: {what}").format(what=view.promise.what),
                "\n".join(check_questions(view.promise)),
            )
        risky = {view.promise.id for view in found.at_risk}
        for view in found.at_risk:
            p = view.promise
            kind = "late" if view.assessment.late else "risk"
            if p.id in self._at_risk and (kind, str(p.id)) in self._said:
                continue
            title = (
                _("Promise late: {what}") if view.assessment.late else _("Promise at risk: {what}")
            )
            self._say(
                (kind, str(p.id)),
                title.format(what=p.what),
                _("{customer}: {reasons}").format(
                    customer=p.customer.name,
                    reasons="; ".join(describe_reasons(view.assessment.reasons)),
                ),
            )
        # A promise that recovers and falls back later is said again.
        for gone in self._at_risk - risky:
            self._said.discard(("risk", str(gone)))
        self._at_risk = risky
        self.ticked.emit()

    def _failed(self, error: BaseException) -> None:
        self.ticked.emit()
        raise error

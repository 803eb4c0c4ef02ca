"""Promise badges for day headers and month cells: how many promises are due that day, red when
one of them is at risk or late. Counted from `promises_due` results; painting only."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter

from diary.ui.bridge import BACKGROUND, Bridge

if TYPE_CHECKING:
    from diary.services.promises import PromiseView

BADGE_BLUE = QColor("#3d6fb6")
BADGE_RED = QColor("#c62828")
BADGE_DONE = QColor("#9aa3b2")


@dataclass(frozen=True, slots=True)
class DayBadge:
    """What a day's promise badge shows."""

    count: int  # promises due that day (done ones too)
    alarm: bool  # one of them is at risk or late
    pending: int = 0  # not yet done


def badges_by_day(views: Iterable[PromiseView], zone: str) -> dict[date, DayBadge]:
    """One badge per local day on which promises are due."""
    from diary.domain.promises import PromiseStatus  # read with the first badges, not at start

    tz = ZoneInfo(zone)
    found: dict[date, DayBadge] = {}
    for view in views:
        day = view.promise.due.astimezone(tz).date()
        old = found.get(day, DayBadge(0, False))
        pending = view.status is not PromiseStatus.DONE
        found[day] = DayBadge(
            old.count + 1, old.alarm or view.at_risk, old.pending + (1 if pending else 0)
        )
    return found


def badge_colour(badge: DayBadge) -> QColor:
    if badge.alarm:
        return BADGE_RED
    return BADGE_BLUE if badge.pending else BADGE_DONE


def paint_badge(
    painter: QPainter, right: float, top: float, badge: DayBadge, font: QFont
) -> QRectF:
    """A pill with the count whose right edge is at `right`; returns where it was painted."""
    metrics = QFontMetrics(font)
    text = f"◆ {badge.count}"
    height = metrics.height() + 2
    width = metrics.horizontalAdvance(text) + 10
    rect = QRectF(right - width, top, width, height)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(badge_colour(badge))
    painter.drawRoundedRect(rect, height / 2, height / 2)
    painter.setPen(QColor("white"))
    painter.setFont(font)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()
    return rect


class BadgeRequests:
    """Asks for the promise badges of a run of days; only the newest answer is kept."""

    def __init__(self, bridge: Bridge, owner: QObject, repaint: Callable[[], None]) -> None:
        self._bridge = bridge
        self._owner = owner
        self._repaint = repaint
        self._generation = 0
        self.badges: dict[date, DayBadge] = {}

    def reload(self, first: date, last: date, zone: str) -> None:
        tz = ZoneInfo(zone)
        lo = datetime.combine(first, time(0), tz)
        hi = datetime.combine(last + timedelta(days=1), time(0), tz)
        self._generation += 1
        generation = self._generation
        self._bridge.call(
            lambda service: badges_by_day(service.promises_due(lo, hi), zone),
            lambda badges: self._arrived(generation, badges),
            lane=BACKGROUND,
            key=f"badges-{id(self._owner)}",
            owner=self._owner,
        )

    def _arrived(self, generation: int, badges: dict[date, DayBadge]) -> None:
        if generation == self._generation:
            self.badges = badges
            self._repaint()

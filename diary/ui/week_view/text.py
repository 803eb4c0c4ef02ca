"""The fonts of the grid, its header and gutter, and text shortened to fit (cached)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics

from diary.domain.local_time import is_ambiguous
from diary.i18n import Formatter

ELIDE_CACHE_LIMIT = 20_000


class GridFonts:
    """The widget's font, a bold one for titles and a smaller one for details."""

    def __init__(self, base: QFont) -> None:
        self.normal = QFont(base)
        self.bold = QFont(base)
        self.bold.setBold(True)
        self.small = QFont(base)
        self.small.setPointSizeF(max(6.5, base.pointSizeF() - 1.5))
        self._elide_cache: dict[tuple[str, int, bool], str] = {}
        self.forget()

    def forget(self) -> None:
        """Fonts or the formatter changed: measured and shortened text no longer holds."""
        self._elide_cache.clear()
        self.metrics = QFontMetrics(self.normal)
        self.bold_metrics = QFontMetrics(self.bold)
        self.small_metrics = QFontMetrics(self.small)

    def elided(self, text: str, width: int, bold: bool) -> str:
        """`text` cut with "…" to fit `width` pixels in the bold or the small font."""
        key = (text, width, bold)
        found = self._elide_cache.get(key)
        if found is None:
            if len(self._elide_cache) >= ELIDE_CACHE_LIMIT:
                self._elide_cache.clear()
            metrics = self.bold_metrics if bold else self.small_metrics
            found = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
            self._elide_cache[key] = found
        return found


def clock(formatter: Formatter, moment: datetime) -> str:
    """The time of day of `moment`, with the zone's abbreviation where that time happens
    twice that day ("1:30 AM BST", "1:30 AM GMT"), so the two are told apart."""
    text = formatter.time(moment)
    zone = ZoneInfo(formatter.zone)
    if is_ambiguous(moment, zone):
        return f"{text} {moment.astimezone(zone).tzname()}"
    return text


def clock_range(formatter: Formatter, start: datetime, end: datetime) -> str:
    """ "9:00 AM – 10:00 AM", as `clock` says each end."""
    return f"{clock(formatter, start)} – {clock(formatter, end)}"

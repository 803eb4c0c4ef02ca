"""Where the grid is looking: its hour height and scroll position, fitted to the working day
until the owner scrolls or zooms; from then on, kept (also when the diary's own working hours
arrive after the window has painted)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QScrollBar

from diary.domain.model import Policy
from diary.ui.week_view.geometry import MAX_HOUR_PX, MIN_HOUR_PX, GridGeometry

FALLBACK_DAY = (8 * 60.0, 18 * 60.0)  # the working day shown when no shown day has hours
BEFORE_WORK_MINUTES = 30  # shown above the start of the working day


class GridPlace:
    """The hour height and scroll of `grid`, scrolled by `bar`, `height` pixels tall."""

    def __init__(
        self,
        grid: GridGeometry,
        bar: QScrollBar,
        height: Callable[[], int],
        policy: Policy,
    ) -> None:
        self.grid = grid
        self.bar = bar
        self._height = height
        self.policy = policy
        self.zoomed = False  # the owner chose the hour height
        self.placed = False  # the owner scrolled or zoomed since these days were shown
        self.pending = True  # scroll to the working day when there is a height
        self._moving = False  # the bar is moved here, not by the owner

    def new_days(self) -> None:
        """Other days are shown: look at their working day."""
        self.pending, self.placed = True, False

    def new_policy(self, policy: Policy) -> None:
        """New working hours: look at the new working day, unless the owner has scrolled or
        zoomed meanwhile (say, while the diary was opening): their place is kept."""
        self.policy = policy
        self.pending = not self.placed

    def scrolled(self) -> None:
        """The bar moved (by the owner unless moved here)."""
        if not self._moving:
            self.placed = True

    def zoom(self, factor: float) -> None:
        """Zoom by `factor` about the middle of the viewport (the owner's choice)."""
        grid, height = self.grid, self._height()
        centre = grid.y_to_minutes(self.bar.value() + height / 2)
        grid.set_hour_px(min(MAX_HOUR_PX, max(MIN_HOUR_PX, grid.hour_px * factor)))
        self.zoomed = self.placed = True
        self.update_range()
        self.scroll_to(int(grid.minutes_to_y(centre) - height / 2))

    def resized(self) -> None:
        """A new height fits the working day anew (until the owner zooms): the time at the
        top of the grid stays where it was (a dock opening below must not scroll it)."""
        grid = self.grid
        shown = grid.y_to_minutes(self.bar.value())
        hour_px, pending = grid.hour_px, self.pending
        self.fit()
        self.update_range()
        if grid.hour_px != hour_px and not pending:
            self.scroll_to(round(grid.minutes_to_y(shown)))

    def working_span(self) -> tuple[float, float]:
        """The earliest start and latest end of working hours on the shown days (axis minutes)."""
        axis = self.grid.axis
        spans = [
            (axis.clock_position(d, h.start), axis.clock_position(d, h.end))
            for d in axis.days
            if (h := self.policy.hours_on(d.weekday())) is not None
        ] or [FALLBACK_DAY]
        return min(s for s, _e in spans), max(e for _s, e in spans)

    def fit(self) -> None:
        """Until the owner zooms, fit the working day (and a little around it) to the height."""
        if self.zoomed:
            return
        start, end = self.working_span()
        hours = (end - start) / 60 + 1.0
        fitted = max(1, self._height()) / hours
        self.grid.set_hour_px(min(MAX_HOUR_PX, max(MIN_HOUR_PX + 12, fitted)))

    def update_range(self) -> None:
        grid, bar, height = self.grid, self.bar, self._height()
        self._moving = True  # a new range may move the bar: not the owner's doing
        try:
            bar.setRange(0, max(0, grid.content_height() - height))
        finally:
            self._moving = False
        bar.setPageStep(height)
        bar.setSingleStep(int(grid.hour_px / 2))
        if self.pending and height > 10:
            start, _end = self.working_span()
            self.scroll_to(int(grid.minutes_to_y(max(0, start - BEFORE_WORK_MINUTES))))
            self.pending = False

    def scroll_to(self, value: int) -> None:
        """Scroll to `value` (pixels) for the view's own reasons (not the owner's)."""
        self._moving = True
        try:
            self.bar.setValue(value)
        finally:
            self._moving = False

"""Views that read their data only while they are shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QShowEvent

    _Base = QWidget
else:
    _Base = object


class LoadsWhenShown(_Base):
    """Mixed into a view (before its Qt class) whose `reload` starts with
    `if self.owe_load(): return`: while another view is showing, a reload is only noted,
    and the view catches up when it is shown (after the caller's own show_date, if any:
    that load makes this one moot)."""

    _stale = False

    def reload(self) -> None:
        raise NotImplementedError

    def owe_load(self) -> bool:
        """True (and the load owed) when the view is hidden: skip loading then."""
        self._stale = not self.isVisible()
        return self._stale

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            QTimer.singleShot(0, self._reload_if_stale)

    def _reload_if_stale(self) -> None:
        if self._stale and self.isVisible():
            self.reload()

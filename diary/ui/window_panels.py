"""The window's docks and the panels in them: Customers and Promises."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QWidget

from diary.i18n import _
from diary.ui.accessible import Say

if TYPE_CHECKING:
    from diary.ui.customers import CustomersPanel
    from diary.ui.main_window import MainWindow
    from diary.ui.promises_panel import PromisesPanel


class WindowPanels:
    """The "customersDock" and "promisesDock" of `window`, tabbed together at the bottom and
    hidden at first; each panel is built when its dock is first shown (or first read), so
    the first paint needs neither. A panel is enabled once the diary is open."""

    def __init__(self, window: MainWindow, say: Say) -> None:
        self._window = window
        self._say = say
        self._customers_panel: CustomersPanel | None = None
        self._promises_panel: PromisesPanel | None = None
        self.customers_dock = self.dock(lambda: _("Customers"), "customersDock", self.customers)
        self.promises_dock = self.dock(lambda: _("Promises"), "promisesDock", self.promises)
        window.tabifyDockWidget(self.customers_dock, self.promises_dock)

    def dock(
        self, title: Callable[[], str], name: str, build: Callable[[], QWidget]
    ) -> QDockWidget:
        """A hidden dock at the bottom of the window, called `name`; `build` makes its
        panel when it is first shown."""
        window = self._window
        dock = QDockWidget(window)
        self._say(dock.setWindowTitle, title)
        dock.setObjectName(name)
        dock.visibilityChanged.connect(lambda visible: build() if visible else None)
        dock.setAllowedAreas(
            Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea
        )
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        dock.hide()  # View > Customers / Promises shows them
        return dock

    def customers(self) -> CustomersPanel:
        if self._customers_panel is None:
            from diary.ui.customers import CustomersPanel

            window = self._window
            panel = CustomersPanel(window.bridge, window.formatter, window)
            self._customers_panel = panel
            self._place(self.customers_dock, panel)
        return self._customers_panel

    def promises(self) -> PromisesPanel:
        if self._promises_panel is None:
            from diary.ui.promises_panel import PromisesPanel

            window = self._window
            panel = PromisesPanel(window.bridge, window.formatter, window.clock, window)
            self._promises_panel = panel
            self._place(self.promises_dock, panel)
        return self._promises_panel

    def _place(self, dock: QDockWidget, panel: QWidget) -> None:
        panel.setEnabled(self._window.bridge.is_ready)  # enabled when the diary opens
        dock.setWidget(panel)

    def built(self) -> list[CustomersPanel | PromisesPanel]:
        """The panels built so far."""
        return [p for p in (self._customers_panel, self._promises_panel) if p is not None]

    def show(self, dock: QDockWidget) -> None:
        dock.show()
        dock.raise_()

    def open_customer(self, name: str) -> None:
        """The Customers panel, with the history of the customer called `name`."""
        self.show(self.customers_dock)
        self.customers().open_history(name)

    def open_promise(self, promise_id: int) -> None:
        self.show(self.promises_dock)
        self.promises().show_promise(promise_id)

    def rebuild(self) -> None:
        """The panels built so far are built with their words: built again (in the language
        installed now), each in its dock in place of the old one."""
        old_customers, self._customers_panel = self._customers_panel, None
        if old_customers is not None:
            self.customers()
            old_customers.deleteLater()
        old_promises, self._promises_panel = self._promises_panel, None
        if old_promises is not None:
            self.promises()
            old_promises.deleteLater()

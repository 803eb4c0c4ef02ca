"""The flagged appointments under the mini month, and the count of open conflicts in the
status bar: both from the services' check, loaded off the GUI thread."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout

from diary.i18n import Formatter, _, ngettext
from diary.ui.accessible import Say, name_widget
from diary.ui.bridge import BACKGROUND

if TYPE_CHECKING:
    from PySide6.QtWidgets import QListView

    from diary.services import Listed
    from diary.ui.main_window import MainWindow
    from diary.ui.models import FlaggedModel


class FlaggedSide(QObject):
    """The title "Flagged (n)" and the list "flaggedList" at the end of `side` (the window's side
    column), and "conflictsLabel" ("n open conflicts"), which the window puts in its status
    bar. A click on a flagged appointment shows its day with it selected.

    `loaded` is emitted when the list shows the latest check.
    """

    loaded = Signal()

    def __init__(self, window: MainWindow, side: QVBoxLayout, say: Say) -> None:
        super().__init__(window)
        self._window = window
        self._side = side
        self._say = say
        self.title = QLabel(side.parentWidget())
        side.addWidget(self.title)
        side.addStretch(1)
        self._list: QListView | None = None
        self._model: FlaggedModel | None = None
        self.conflicts_label = QLabel(window)
        self.conflicts_label.setObjectName("conflictsLabel")

    @property
    def list_view(self) -> QListView:
        """The flagged appointments (click to jump), built when first asked for."""
        if self._list is None:
            from PySide6.QtWidgets import QListView

            from diary.ui.models import FlaggedModel

            window = self._window
            self._model = FlaggedModel(window.formatter, window)
            view = QListView(window)
            view.setObjectName("flaggedList")
            name_widget(view, lambda: _("Flagged appointments"), None, self._say)
            view.setModel(self._model)
            view.clicked.connect(self._clicked)
            view.activated.connect(self._clicked)
            self._side.takeAt(self._side.count() - 1)  # the stretch held its place
            self._side.addWidget(view, 1)
            self._list = view
        return self._list

    @property
    def model(self) -> FlaggedModel:
        self.list_view  # noqa: B018 - builds the model with its view
        assert self._model is not None
        return self._model

    def set_formatter(self, formatter: Formatter) -> None:
        if self._model is not None:
            self._model.formatter = formatter

    def refresh(self) -> None:
        """Ask for the check again (the latest ask wins); `loaded` when it is shown."""
        self._window.bridge.call(
            lambda service: service.check(), self._loaded, lane=BACKGROUND, key="check"
        )

    def _loaded(self, items: list[Listed]) -> None:
        self.model.set_items(items)
        errors = self.model.error_count()
        self.title.setText(_("Flagged ({count})").format(count=len(items)))
        self.conflicts_label.setText(
            ngettext("{count} open conflict", "{count} open conflicts", errors).format(
                count=errors
            )
        )
        self.loaded.emit()

    def _clicked(self, index: QModelIndex | QPersistentModelIndex) -> None:
        from diary.ui.models import DATE_ROLE, REF_ROLE

        day = index.data(DATE_ROLE)
        if isinstance(day, date):
            self._window.navigation.show_on_day(day, index.data(REF_ROLE))

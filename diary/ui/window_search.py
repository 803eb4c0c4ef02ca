"""The window's search field (Ctrl+F) and the results under it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLineEdit

from diary.i18n import Formatter, _
from diary.ui.accessible import Say, name_widget
from diary.ui.window_actions import text_action

if TYPE_CHECKING:
    from diary.ui.main_window import MainWindow
    from diary.ui.search_popup import SearchPopup


class WindowSearch:
    """The field "searchEdit" (the window's toolbar places it), Edit > Find… ("searchAction",
    Ctrl+F) and the popup of results ("searchPopup"), built on the first key typed.

    A chosen appointment is shown in the window's day or week view; a chosen customer
    opens their history, a chosen promise the Promises panel.
    """

    def __init__(self, window: MainWindow, say: Say) -> None:
        self._window = window
        self.edit = QLineEdit(window)
        self.edit.setObjectName("searchEdit")
        self.edit.setClearButtonEnabled(True)
        self.edit.setMaximumWidth(280)
        say(self.edit.setPlaceholderText, lambda: _("Search (Ctrl+F)"))
        words = lambda: _("Search appointments, customers and promises")  # noqa: E731
        name_widget(self.edit, words, None, say)
        self.edit.textEdited.connect(self._typed)
        self.action = text_action("", window)
        say(self.action.setText, lambda: _("Find…"))
        self.action.setObjectName("searchAction")
        self.action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.action.triggered.connect(self.focus)
        self._popup: SearchPopup | None = None

    @property
    def popup(self) -> SearchPopup:
        """The results under the search field, built when first needed."""
        if self._popup is None:
            from diary.ui.search_popup import SearchPopup

            window = self._window
            popup = SearchPopup(window, self.edit, window.bridge, window.formatter)
            popup.appointment_chosen.connect(window.show_appointment)
            popup.customer_chosen.connect(
                lambda customer: window.panels.open_customer(customer.name)
            )
            popup.promise_chosen.connect(lambda promise: window.panels.open_promise(promise.id))
            self._popup = popup
        return self._popup

    def focus(self) -> None:
        self.popup  # noqa: B018 - built now: typing starts at once
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def set_formatter(self, formatter: Formatter) -> None:
        if self._popup is not None:
            self._popup.formatter = formatter

    def _typed(self, text: str) -> None:
        if self._popup is None:
            self.popup.search_now()  # its own connection takes the next keys

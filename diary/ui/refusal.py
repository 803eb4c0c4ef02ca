"""The question a refused change asks: nearest free slot, keep it anyway (with a reason), cancel."""

from __future__ import annotations

import enum
import html
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from diary.domain.model import Violation
from diary.i18n import Formatter, _
from diary.ui.explain import own_ref_of, reasons


class Answer(enum.Enum):
    NEAREST = "nearest"
    OVERRIDE = "override"
    CANCEL = "cancel"


class OverrideReasonDialog(QDialog):
    """Asks why the owner keeps a change that breaks a rule; OK only with a reason."""

    reason_given = Signal(str)

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("overrideReasonDialog")
        self.setWindowTitle(_("Keep it anyway"))
        self.edit = QLineEdit(self)
        self.edit.setObjectName("reasonEdit")
        self.edit.setPlaceholderText(_("e.g. customer asked for this time"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("okButton")
        self.ok_button.setEnabled(False)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName("cancelButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.edit.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text.strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                _(
                    "Why keep it although it breaks a rule? The reason is stored "
                    "with the appointment and it stays flagged."
                ),
                self,
            )
        )
        layout.addWidget(self.edit)
        layout.addWidget(buttons)

    def accept(self) -> None:
        reason = self.edit.text().strip()
        if not reason:
            return
        super().accept()
        self.reason_given.emit(reason)


class RefusalDialog(QDialog):
    """Shown when a drop, a key move or a dialog would break a rule. Nothing is written yet."""

    answered = Signal(object, object)  # Answer, reason (str | None)

    def __init__(
        self,
        parent: QWidget | None,
        formatter: Formatter,
        title: str,
        violations: tuple[Violation, ...] | list[Violation],
        nearest: datetime | None,
        own_ref: str | None = None,
        titles: dict[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("refusalDialog")
        self.setWindowTitle(_("This breaks a rule"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self._answered = False
        self.reason_dialog: OverrideReasonDialog | None = None
        heading = _("“{title}” cannot go there:").format(title=html.escape(title))
        head = QLabel(f"<b>{heading}</b>", self)
        own = own_ref or own_ref_of(violations, title)
        lines = reasons(violations, own, titles)
        why = QLabel("\n".join(f"• {line}" for line in lines), self)
        why.setObjectName("reasonsLabel")
        why.setWordWrap(True)
        if nearest is not None:
            text = _("Move to nearest free slot ({slot})").format(slot=formatter.slot(nearest))
        else:
            text = _("No free slot nearby")
        self.nearest_button = QPushButton(text, self)
        self.nearest_button.setObjectName("nearestButton")
        self.nearest_button.setEnabled(nearest is not None)
        self.override_button = QPushButton(_("Keep it anyway…"), self)
        self.override_button.setObjectName("overrideButton")
        self.cancel_button = QPushButton(_("Cancel"), self)
        self.cancel_button.setObjectName("cancelButton")
        self.nearest_button.setDefault(nearest is not None)
        self.nearest_button.clicked.connect(lambda: self._answer(Answer.NEAREST, None))
        self.override_button.clicked.connect(self._ask_reason)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.nearest_button)
        buttons.addWidget(self.override_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(why)
        layout.addSpacing(8)
        layout.addLayout(buttons)

    def _answer(self, answer: Answer, reason: str | None) -> None:
        if self._answered:
            return
        self._answered = True
        self.answered.emit(answer, reason)
        self.done(QDialog.DialogCode.Rejected.value if answer is Answer.CANCEL else 1)

    def _ask_reason(self) -> None:
        dialog = OverrideReasonDialog(self)
        self.reason_dialog = dialog
        dialog.reason_given.connect(lambda reason: self._answer(Answer.OVERRIDE, reason))
        dialog.open()

    def reject(self) -> None:
        if not self._answered:
            self._answered = True
            self.answered.emit(Answer.CANCEL, None)
        super().reject()

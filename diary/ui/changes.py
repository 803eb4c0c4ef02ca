"""Every change as one undoable command over the services, and the refusal question on the way.

A change is first asked of the service. If it is refused nothing was written; the refusal
dialog offers the nearest slot, an override with a reason, or cancel, and only the chosen
result is stored and pushed onto the undo stack. Undo and redo put back the value objects the
service returned (`restore` never refuses).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from diary.domain.model import Appointment, duration_between, later
from diary.i18n import Formatter, _
from diary.ui.bridge import Bridge

if TYPE_CHECKING:
    from diary.services import DiaryService, Draft, Outcome, Repeat

    # Built when a change is refused: the first paint does not wait for the dialog's module.
    from diary.ui.refusal import Answer, RefusalDialog

log = logging.getLogger(__name__)

# Asks the service for a change; `force`/`reason` for an override, `start` to move elsewhere.
Attempt = Callable[["DiaryService", bool, str | None, datetime | None], "Outcome"]


# Told when an undo (False) or redo (True) step could not be stored: the command, the error.
StepFailed = Callable[["ChangeCommand", bool, BaseException], None]


class ChangeCommand(QUndoCommand):
    """One stored change: undo puts `before` back (or cancels a new one), redo puts `after`.

    The stack moves at once; the service call runs on the bridge. If that call fails,
    `step_failed` puts the stack back where the diary really is (see `Changes`).
    """

    def __init__(
        self,
        bridge: Bridge,
        text: str,
        before: Appointment | None,
        after: Appointment,
        step_failed: StepFailed,
    ) -> None:
        super().__init__(text)
        self._bridge = bridge
        self.before = before
        self.after = after
        self._step_failed = step_failed
        # The next undo or redo only moves the stack: the diary is already in that state
        # (the change that made the command has run, or a failed step is being put back).
        self.skip_next = True

    def redo(self) -> None:
        if self.skip_next:
            self.skip_next = False
            return
        after = self.after
        self._bridge.change(
            lambda service: service.restore(after),
            failed=lambda error: self._step_failed(self, True, error),
        )

    def undo(self) -> None:
        if self.skip_next:
            self.skip_next = False
            return
        before, ref = self.before, self.after.ref
        failed: Callable[[BaseException], None] = lambda error: self._step_failed(  # noqa: E731
            self, False, error
        )
        if before is None:
            self._bridge.change(lambda service: service.cancel(ref), failed=failed)
        else:
            self._bridge.change(lambda service: service.restore(before), failed=failed)


class Changes(QObject):
    """Runs the user's changes through the bridge, asks when refused, records undo commands."""

    settled = Signal(object)  # the Outcome stored, or None when nothing was
    refused = Signal(object)  # the RefusalDialog being shown
    failed = Signal(str)  # a change, undo or redo that could not be stored: what to tell

    def __init__(
        self, bridge: Bridge, stack: QUndoStack, formatter: Formatter, window: QWidget
    ) -> None:
        super().__init__(window)
        self._bridge = bridge
        self.stack = stack
        self.formatter = formatter
        self._window = window
        self.dialog: RefusalDialog | None = None
        # Titles of the appointments on screen, to name a neighbour a change would squeeze.
        self.titles: Callable[[], dict[str, str]] = dict

    # -- the changes -----------------------------------------------------------------

    def move(self, appointment: Appointment, start: datetime) -> None:
        self._reschedule(_("move {title}"), appointment, start, later(start, appointment.duration))

    def resize(self, appointment: Appointment, end: datetime) -> None:
        self._reschedule(_("resize {title}"), appointment, appointment.start, end)

    def _reschedule(
        self, text: str, appointment: Appointment, start: datetime, end: datetime
    ) -> None:
        """A new start and end, judged by the service; the nearest slot keeps the real length."""
        ref, length = appointment.ref, duration_between(start, end)

        def attempt(
            service: DiaryService, force: bool, reason: str | None, elsewhere: datetime | None
        ) -> Outcome:
            if elsewhere is not None:
                return service.reschedule(
                    ref, elsewhere, later(elsewhere, length), force=force, reason=reason
                )
            return service.reschedule(ref, start, end, force=force, reason=reason)

        self._run(text, appointment.title, attempt, ref=ref)

    def book(self, draft: Draft) -> None:
        def attempt(
            service: DiaryService, force: bool, reason: str | None, elsewhere: datetime | None
        ) -> Outcome:
            return service.book(_at(draft, elsewhere), force=force, reason=reason)

        self._run(_("create {title}"), draft.title, attempt)

    def book_series(self, draft: Draft, repeat: Repeat) -> None:
        """Book a repeating appointment (not on the undo stack: undo takes one appointment)."""

        def attempt(
            service: DiaryService, force: bool, reason: str | None, elsewhere: datetime | None
        ) -> Outcome:
            return service.book_series(_at(draft, elsewhere), repeat, force=force, reason=reason)

        self._run(_("create {title}"), draft.title, attempt, undoable=False)

    def edit(self, ref: str, draft: Draft) -> None:
        def attempt(
            service: DiaryService, force: bool, reason: str | None, elsewhere: datetime | None
        ) -> Outcome:
            return service.edit(ref, _at(draft, elsewhere), force=force, reason=reason)

        self._run(_("edit {title}"), draft.title, attempt, ref=ref)

    def cancel(self, appointment: Appointment) -> None:
        ref = appointment.ref

        def attempt(
            service: DiaryService, force: bool, reason: str | None, elsewhere: datetime | None
        ) -> Outcome:
            return service.cancel(ref)

        self._run(_("cancel {title}"), appointment.title, attempt, ref=ref)

    # -- the flow --------------------------------------------------------------------

    def _run(
        self,
        text: str,
        title: str,
        attempt: Attempt,
        *,
        ref: str | None = None,
        force: bool = False,
        reason: str | None = None,
        elsewhere: datetime | None = None,
        undoable: bool = True,
    ) -> None:
        self._bridge.change(
            lambda service: attempt(service, force, reason, elsewhere),
            lambda outcome: self._on_outcome(text, title, attempt, ref, outcome, undoable),
            self._on_error,
        )

    def _on_outcome(
        self,
        text: str,
        title: str,
        attempt: Attempt,
        ref: str | None,
        outcome: Outcome,
        undoable: bool = True,
    ) -> None:
        if outcome.ok and not undoable:
            self._bridge.touch("all")
            self.settled.emit(outcome)
            return
        if outcome.ok and outcome.appointment is not None:
            forced = outcome.appointment.override_reason is not None and any(
                v.refusable for v in outcome.violations
            )
            name = text.format(title=title)
            if forced:
                name = _("override: {change}").format(change=name)
            self.stack.push(
                ChangeCommand(
                    self._bridge, name, outcome.before, outcome.appointment, self._step_failed
                )
            )
            self.settled.emit(outcome)
            return
        from diary.ui.refusal import Answer, RefusalDialog

        dialog = RefusalDialog(
            self._window,
            self.formatter,
            title,
            outcome.violations,
            outcome.nearest,
            ref,
            self.titles(),
        )
        self.dialog = dialog
        nearest = outcome.nearest

        def answered(answer: Answer, reason: str | None) -> None:
            self.dialog = None
            if answer is Answer.NEAREST and nearest is not None:
                self._run(text, title, attempt, ref=ref, elsewhere=nearest, undoable=undoable)
            elif answer is Answer.OVERRIDE and reason:
                self._run(
                    text, title, attempt, ref=ref, force=True, reason=reason, undoable=undoable
                )
            else:
                self.settled.emit(None)

        dialog.answered.connect(answered)
        dialog.open()
        self.refused.emit(dialog)

    def _on_error(self, error: BaseException) -> None:
        from diary.services import InputError

        if isinstance(error, InputError):
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self._window, _("Not changed"), str(error))
            self.settled.emit(None)
            return
        log.error("a change could not be stored", exc_info=error)
        self.failed.emit(_("Not changed: {error}").format(error=error))
        self.settled.emit(None)

    def _step_failed(self, command: ChangeCommand, was_redo: bool, error: BaseException) -> None:
        """An undo or redo did not reach the diary: the stack goes back to what it holds.

        The command stays on the stack at the state the diary really has (done after a
        failed undo, undone after a failed redo), so a later undo or redo tries again.
        """
        log.error("an undo step could not be stored", exc_info=error)
        position = next(
            (i for i in range(self.stack.count()) if self.stack.command(i) is command), None
        )
        if position is not None:
            command.skip_next = True
            self.stack.setIndex(position if was_redo else position + 1)
            command.skip_next = False  # setIndex stepped over it (or needed no step)
        step = _("Redo") if was_redo else _("Undo")
        self.failed.emit(
            _("{step} failed: {change} ({error})").format(
                step=step, change=command.text(), error=error
            )
        )


def _at(draft: Draft, start: datetime | None) -> Draft:
    """The draft moved to `start` (the nearest slot), keeping its real length across DST."""
    if start is None:
        return draft
    return replace(draft, start=start, end=later(start, duration_between(draft.start, draft.end)))

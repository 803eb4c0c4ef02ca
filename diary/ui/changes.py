"""Every change as one undoable command over the services, and the refusal question on the way.

A change is first asked of the service. If it is refused nothing was written; the refusal
dialog offers the nearest slot, an override with a reason, or cancel, and only the chosen
result is stored and pushed onto the undo stack. Undo and redo put back the value objects the
service returned (`restore` never refuses).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from diary.domain.model import Appointment
from diary.i18n import Formatter, _
from diary.ui.bridge import Bridge

if TYPE_CHECKING:
    from diary.services import DiaryService, Draft, Outcome, Repeat

    # Built when a change is refused: the first paint does not wait for the dialog's module.
    from diary.ui.refusal import Answer, RefusalDialog

# Asks the service for a change; `force`/`reason` for an override, `start` to move elsewhere.
Attempt = Callable[["DiaryService", bool, str | None, datetime | None], "Outcome"]


class ChangeCommand(QUndoCommand):
    """One stored change: undo puts `before` back (or cancels a new one), redo puts `after`."""

    def __init__(
        self, bridge: Bridge, text: str, before: Appointment | None, after: Appointment
    ) -> None:
        super().__init__(text)
        self._bridge = bridge
        self.before = before
        self.after = after
        self._done_already = True  # the service call that made it has run

    def redo(self) -> None:
        if self._done_already:
            self._done_already = False
            return
        after = self.after
        self._bridge.change(lambda service: service.restore(after))

    def undo(self) -> None:
        before, ref = self.before, self.after.ref
        if before is None:
            self._bridge.change(lambda service: service.cancel(ref))
        else:
            self._bridge.change(lambda service: service.restore(before))


class Changes(QObject):
    """Runs the user's changes through the bridge, asks when refused, records undo commands."""

    settled = Signal(object)  # the Outcome stored, or None when nothing was
    refused = Signal(object)  # the RefusalDialog being shown

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
        ref = appointment.ref

        def attempt(
            service: DiaryService, force: bool, reason: str | None, elsewhere: datetime | None
        ) -> Outcome:
            return service.move(ref, elsewhere or start, force=force, reason=reason)

        self._run(_("move {title}"), appointment.title, attempt, ref=ref)

    def resize(self, appointment: Appointment, end: datetime) -> None:
        ref, length = appointment.ref, end - appointment.start

        def attempt(
            service: DiaryService, force: bool, reason: str | None, elsewhere: datetime | None
        ) -> Outcome:
            if elsewhere is not None:
                # The nearest slot for the new length. The service has no "reschedule
                # start and end" use case yet: judge with preview, then store with restore.
                current = service.get(ref)
                candidate = replace(current, start=elsewhere, end=elsewhere + length)
                found = service.preview(candidate)
                if any(v.refusable for v in found):
                    from diary.services import Outcome

                    return Outcome(current, found, refused=True, nearest=None, before=current)
                return service.restore(candidate)
            return service.resize(ref, end, force=force, reason=reason)

        self._run(_("resize {title}"), appointment.title, attempt, ref=ref)

    def book(self, draft: Draft) -> None:
        def attempt(
            service: DiaryService, force: bool, reason: str | None, elsewhere: datetime | None
        ) -> Outcome:
            chosen = draft
            if elsewhere is not None:
                chosen = replace(draft, start=elsewhere, end=elsewhere + (draft.end - draft.start))
            return service.book(chosen, force=force, reason=reason)

        self._run(_("create {title}"), draft.title, attempt)

    def book_series(self, draft: Draft, repeat: Repeat) -> None:
        """Book a repeating appointment (not on the undo stack: undo takes one appointment)."""
        if self._bridge.is_ready and not hasattr(self._bridge.service, "book_series"):
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(
                self._window,
                _("Not booked"),
                _("This version of diary cannot book repeating appointments yet."),
            )
            self.settled.emit(None)
            return

        def attempt(
            service: DiaryService, force: bool, reason: str | None, elsewhere: datetime | None
        ) -> Outcome:
            chosen = draft
            if elsewhere is not None:
                chosen = replace(draft, start=elsewhere, end=elsewhere + (draft.end - draft.start))
            result: Outcome = getattr(service, "book_series")(  # noqa: B009 - added lately
                chosen, repeat, force=force, reason=reason
            )
            return result

        self._run(_("create {title}"), draft.title, attempt, undoable=False)

    def edit(self, ref: str, draft: Draft) -> None:
        def attempt(
            service: DiaryService, force: bool, reason: str | None, elsewhere: datetime | None
        ) -> Outcome:
            chosen = draft
            if elsewhere is not None:
                chosen = replace(draft, start=elsewhere, end=elsewhere + (draft.end - draft.start))
            return service.edit(ref, chosen, force=force, reason=reason)

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
            self.stack.push(ChangeCommand(self._bridge, name, outcome.before, outcome.appointment))
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
        self.settled.emit(None)
        raise error

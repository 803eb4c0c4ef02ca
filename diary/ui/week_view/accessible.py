"""The grid as a screen reader walks it: the view, then each shown day (a list), then each
appointment of that day in time order (a list item named by its time and title, described by
its customer, place, bands and flags).

The grid is painted, so Qt finds no widgets in it: an interface factory (`install`) gives the
week and day views an accessible interface of their own with these children. The children
are made when a screen reader (or a test) asks, and made again when the layout changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

from PySide6.QtCore import QObject, QRect
from PySide6.QtGui import QAccessible, QAccessibleEvent, QAccessibleInterface, QWindow
from PySide6.QtWidgets import QAccessibleWidget

from diary.i18n import _, ngettext
from diary.ui.week_view import words

if TYPE_CHECKING:
    from datetime import date

    from diary.services import Listed
    from diary.ui.week_view.view import TimeGridView

Role = QAccessible.Role
Text = QAccessible.Text

_installed = False
_kept: list[object] = []
# Qt's null interface and object: a child that is not there, a node that is no QObject (the
# type stubs do not say these may be missing; Qt's API does).
NO_CHILD = cast(QAccessibleInterface, None)
NO_OBJECT = cast(QObject, None)
_N = TypeVar("_N", bound=QAccessibleInterface)


def install(view_type: type[TimeGridView]) -> None:
    """Give every week and day view (`view_type`) its accessible interface (once per
    process). The view hands its class in, so this module need not import the view."""
    global _installed
    if not _installed:

        def factory(key: str, obj: QObject) -> QAccessibleInterface | None:
            # The grid's interface for a week or day view; None: Qt's own for the rest.
            if isinstance(obj, view_type):
                return obj.accessible_grid()
            return None

        QAccessible.installFactory(factory)
        _kept.append(factory)  # Qt keeps a bare pointer: the function must outlive it
        _installed = True


class GridAccessible(QAccessibleWidget):
    """The view: its widgets (viewport, header, gutter, scroll bar), then a list per day."""

    def __init__(self, view: TimeGridView) -> None:
        super().__init__(view, Role.Table)
        self.view = view
        self._days: list[DayAccessible] = []
        self._ids: list[int] = []  # registered with Qt: deleted through it, never by Python
        self._made_for: tuple[object, ...] = ()
        # A view deleted takes its days and appointments with it (they are Qt's to delete).
        ids = self._ids
        view.destroyed.connect(lambda *_args: _forget(ids))

    def text(self, t: Text) -> str:
        if t == Text.Name:
            return self.view.accessibleName()
        if t == Text.Description:
            return self.view.accessibleDescription()
        return str(super().text(t))

    def days(self) -> list[DayAccessible]:
        """The days' lists, made again when the layout changed."""
        view = self.view
        view.grid.ensure()
        key = (view.grid.generation, tuple(view.days))
        if key != self._made_for:
            _forget(self._ids)
            self._days = []
            for index, day in enumerate(view.days):
                self._days.append(self._register(DayAccessible(self, index, day)))
            self._made_for = key
        return self._days

    def _register(self, node: _N) -> _N:
        self._ids.append(QAccessible.registerAccessibleInterface(node))
        return node

    def childCount(self) -> int:  # noqa: N802 - Qt override
        return int(super().childCount()) + len(self.days())

    def child(self, index: int) -> QAccessibleInterface:
        widgets = int(super().childCount())
        if index < widgets:
            return super().child(index)
        days = self.days()
        return days[index - widgets] if index - widgets < len(days) else NO_CHILD

    def indexOfChild(self, child: QAccessibleInterface) -> int:  # noqa: N802 - Qt override
        for i, day in enumerate(self._days):
            if day is child:
                return int(super().childCount()) + i
        return int(super().indexOfChild(child))

    def focusChild(self) -> QAccessibleInterface:  # noqa: N802 - Qt override
        """The selected appointment (the one the keyboard acts on)."""
        if self.view.selected is not None:
            item = self.appointment(self.view.selected)
            if item is not None:
                return item
        return NO_CHILD

    def appointment(self, ref: str) -> AppointmentAccessible | None:
        for day in self.days():
            for item in day.items():
                if item.listed.appointment.ref == ref:
                    return item
        return None


def _forget(ids: list[int]) -> None:
    for uid in ids:
        QAccessible.deleteAccessibleInterface(uid)
    ids.clear()


class _Node(QAccessibleInterface):
    """What the day and appointment nodes share: no QObject, a parent, a window."""

    def __init__(self, parent: QAccessibleInterface) -> None:
        super().__init__()
        self._parent = parent

    def isValid(self) -> bool:  # noqa: N802 - Qt override
        return True

    def object(self) -> QObject:
        return NO_OBJECT

    def window(self) -> QWindow:
        return self._parent.window()

    def parent(self) -> QAccessibleInterface:
        return self._parent

    def setText(self, t: Text, text: str) -> None:  # noqa: N802 - Qt override
        pass

    def relations(self, match: Any = None) -> list[Any]:
        return []

    def focusChild(self) -> QAccessibleInterface:  # noqa: N802 - Qt override
        return NO_CHILD

    def childAt(self, x: int, y: int) -> QAccessibleInterface:  # noqa: N802
        for i in range(self.childCount()):
            child = self.child(i)
            if child is not None and child.rect().contains(x, y):
                return child
        return NO_CHILD


class DayAccessible(_Node):
    """One shown day: a list of its appointments, named by the day and how many."""

    def __init__(self, grid: GridAccessible, index: int, day: date) -> None:
        super().__init__(grid)
        self.grid = grid
        self.index = index
        self.day = day
        self._items: list[AppointmentAccessible] | None = None

    def items(self) -> list[AppointmentAccessible]:
        if self._items is None:
            view = self.grid.view
            layout = view.grid.layouts[self.index] if self.index < len(view.grid.layouts) else None
            seen: dict[str, Listed] = {}
            for segment in sorted(layout.segments if layout else [], key=lambda s: s.top):
                seen.setdefault(segment.ref, segment.listed)
            self._items = [
                self.grid._register(AppointmentAccessible(self, listed)) for listed in seen.values()
            ]
        return self._items

    def role(self) -> Role:
        return Role.List

    def state(self) -> QAccessible.State:
        return QAccessible.State()

    def text(self, t: Text) -> str:
        if t != Text.Name:
            return ""
        count = len(self.items())
        day = self.grid.view.formatter.date_long(self.day)
        if count == 0:
            return _("{day}: no appointments").format(day=day)
        # In the plural form the language wants for the count.
        words = ngettext("{day}: {count} appointment", "{day}: {count} appointments", count)
        return words.format(day=day, count=count)

    def rect(self) -> QRect:
        view = self.grid.view
        grid = view.grid
        left = int(grid.day_left(self.index))
        viewport = view.viewport()
        local = QRect(left, 0, int(grid.column_width()), viewport.height())
        return QRect(viewport.mapToGlobal(local.topLeft()), local.size())

    def childCount(self) -> int:  # noqa: N802 - Qt override
        return len(self.items())

    def child(self, index: int) -> QAccessibleInterface:
        items = self.items()
        return items[index] if 0 <= index < len(items) else NO_CHILD

    def indexOfChild(self, child: QAccessibleInterface) -> int:  # noqa: N802 - Qt override
        for i, item in enumerate(self.items()):
            if item is child:
                return i
        return -1


class AppointmentAccessible(_Node):
    """One appointment on one day: its time and title; customer, place, bands and flags."""

    def __init__(self, day: DayAccessible, listed: Listed) -> None:
        super().__init__(day)
        self.day = day
        self.listed = listed

    def role(self) -> Role:
        return Role.ListItem

    def state(self) -> QAccessible.State:
        view = self.day.grid.view
        state = QAccessible.State()
        state.selectable = True
        state.focusable = True
        ref = self.listed.appointment.ref
        state.selected = view.selected == ref
        state.focused = state.selected and view.hasFocus()
        state.invisible = not view.rect_for(ref).intersects(view.viewport().rect())
        return state

    def text(self, t: Text) -> str:
        if t == Text.Name:
            return words.accessible_name(self.listed, self.day.grid.view.formatter)
        if t == Text.Description:
            return words.accessible_description(self.listed)
        return ""

    def rect(self) -> QRect:
        view = self.day.grid.view
        boxes = view.grid.by_ref.get(self.listed.appointment.ref, [])
        mine = [box for box in boxes if box.segment.day_index == self.day.index]
        if not mine:
            return QRect()
        local = view.grid.to_viewport(mine[0].rect).toRect()
        return QRect(view.viewport().mapToGlobal(local.topLeft()), local.size())

    def childCount(self) -> int:  # noqa: N802 - Qt override
        return 0

    def child(self, index: int) -> QAccessibleInterface:
        return NO_CHILD

    def indexOfChild(self, child: QAccessibleInterface) -> int:  # noqa: N802 - Qt override
        return -1


def notify_selected(view: TimeGridView) -> None:
    """Tell a screen reader which appointment is selected (it has the focus)."""
    if view.selected is None or not QAccessible.isActive():
        return
    item = view.accessible_grid().appointment(view.selected)
    if item is not None:
        QAccessible.updateAccessibility(QAccessibleEvent(item, QAccessible.Event.Focus))

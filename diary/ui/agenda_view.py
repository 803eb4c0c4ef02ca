"""The agenda view: the coming weeks as a list by day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from diary.i18n import Formatter
from diary.services.clock import Clock, today
from diary.ui.agenda_load import AgendaLoad
from diary.ui.bridge import Bridge
from diary.ui.models import REF_ROLE, AgendaModel
from diary.ui.when_shown import LoadsWhenShown

if TYPE_CHECKING:
    from diary.services.queries import Agenda

AGENDA_DAYS = 28


class AgendaView(LoadsWhenShown, QTreeView):
    loaded = Signal()
    edit_requested = Signal(str)
    date_changed = Signal(object)

    def __init__(
        self,
        bridge: Bridge,
        formatter: Formatter,
        parent: QWidget | None = None,
        *,
        clock: Clock,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("agendaView")
        self.formatter = formatter
        self._tz = ZoneInfo(formatter.zone)
        self.first_day = today(clock, self._tz)
        self.agenda_model = AgendaModel(formatter, self)
        self.setModel(self.agenda_model)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self._load = AgendaLoad(bridge, f"agenda-{id(self)}", self._on_agenda)
        self.doubleClicked.connect(self._activated)
        bridge.changed.connect(self._days_changed)

    def set_formatter(self, formatter: Formatter) -> None:
        self.formatter = formatter
        self.agenda_model.formatter = formatter
        self._tz = ZoneInfo(formatter.zone)
        self.reload()

    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=i) for i in range(AGENDA_DAYS)]

    def show_date(self, day: date) -> None:
        self.first_day = day
        self.reload()
        self.date_changed.emit(day)

    def reload(self) -> None:
        if self.owe_load():  # another view is showing: load when this one is shown
            return
        lo = datetime.combine(self.first_day, time(0), tzinfo=self._tz)
        hi = datetime.combine(
            self.first_day + timedelta(days=AGENDA_DAYS), time(0), tzinfo=self._tz
        )
        self._load.request(lo, hi)

    @property
    def loading(self) -> bool:
        """An agenda was asked for and has not arrived."""
        return self._load.loading

    def _on_agenda(self, agenda: Agenda) -> None:
        self.agenda_model.set_items(list(agenda.items))
        self.expandAll()
        self.loaded.emit()

    def _days_changed(self, days: frozenset[date]) -> None:
        if days & set(self.days()):
            self.reload()

    def _activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        ref = index.data(REF_ROLE)
        if ref:
            self.edit_requested.emit(ref)

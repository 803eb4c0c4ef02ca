"""The agenda of the days a view shows, asked for through the bridge, newest answer only.

The owner may leave a week (or month) before its answer comes, and that answer must not
replace the one asked for since. `titles` reads the loaded appointments' titles once per
answer, as a drag asks for them on every mouse move. The week, month and agenda views each
hold one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from diary.ui.bridge import Bridge

if TYPE_CHECKING:
    from diary.services.queries import Agenda


class AgendaLoad:
    """The agenda of one view's shown days, asked for through `bridge` under `key` (a newer
    call with the key supersedes an older one still waiting).

    `arrived(agenda)` is called on the GUI thread with each newest answer, after `agenda`
    is set and `loading` is cleared. A failed load is the bridge's to report; `loading`
    then stays set.
    """

    def __init__(self, bridge: Bridge, key: str, arrived: Callable[[Agenda], None]) -> None:
        self._bridge = bridge
        self._key = key
        self._arrived = arrived
        self._generation = 0
        self.agenda: Agenda | None = None  # None until the first answer for the shown days
        self.loading = False
        self._titles: dict[str, str] = {}
        self._titles_of: Agenda | None = None  # the agenda `_titles` were read from

    def request(self, lo: datetime, hi: datetime) -> None:
        """Ask for the agenda of [lo, hi) (aware); the answer arrives later, on this thread."""
        self._generation += 1
        generation = self._generation
        self.loading = True
        self._bridge.call(
            lambda service: service.agenda(lo, hi),
            lambda agenda: self._answered(generation, agenda),
            key=self._key,
        )

    def forget(self) -> None:
        """Other days are shown: the agenda held is not theirs (an answer still comes)."""
        self.agenda = None

    def titles(self) -> dict[str, str]:
        """Titles of the loaded appointments (and their neighbours), by ref; empty before
        the first answer."""
        agenda = self.agenda
        if agenda is None:
            return {}
        if self._titles_of is not agenda:
            titles = {a.ref: a.title for a in agenda.schedule.appointments}
            titles.update({i.appointment.ref: i.appointment.title for i in agenda.items})
            self._titles, self._titles_of = titles, agenda
        return self._titles

    def _answered(self, generation: int, agenda: Agenda) -> None:
        if generation != self._generation:
            return
        self.agenda = agenda
        self.loading = False
        self._arrived(agenda)

"""Conflicts of a sync, listed and resolved by the owner.

A conflict is an appointment whose same fields changed on the desktop and on the server
since the last sync: the server's values are live, the desktop's are kept here.
`keep=server` drops the desktop's values; `keep=desktop` puts them back (the next sync
sends them); `keep=both` keeps the server's version and adds the desktop's as a copy.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from diary.domain.model import Appointment, Kind
from diary.domain.rules import local_days
from diary.interchange.sync_ics import parse_when
from diary.interchange.sync_series import read_series, series_summary
from diary.services.results import InputError, NotFoundError, Outcome
from diary.services.store import DiaryStore
from diary.services.sync.series import store_series
from diary.storage.conflict_repo import Conflict
from diary.storage.unit_of_work import UnitOfWork

KEEP = ("desktop", "server", "both")


@dataclass(frozen=True, slots=True)
class ConflictView:
    """One conflict: field -> {"desktop": value, "server": value} in the sync's terms."""

    id: int
    account: str
    uid: str
    title: str
    fields: dict[str, dict[str, Any]]
    created: datetime


def _with_values(uow: UnitOfWork, appointment: Appointment, values: dict[str, Any]) -> Appointment:
    """`appointment` with the desktop's kept values put back."""
    changes: dict[str, Any] = {}
    for name, value in values.items():
        if name == "title":
            changes["title"] = value or appointment.title
        elif name == "when" and isinstance(value, str):
            start, end, zone, all_day = parse_when(value, appointment.zone)
            changes.update(start=start, end=end, zone=zone)
            if all_day:
                changes["kind"] = Kind.ALL_DAY
            elif appointment.kind is Kind.ALL_DAY:
                changes["kind"] = Kind.MEETING
        elif name == "location":
            changes["location"] = uow.places.by_name(value) if value else None
        elif name == "customer":
            changes["customer"] = uow.customers.by_name(value) if value else None
        elif name == "notes":
            changes["notes"] = value or ""
        elif name == "kind" and value in {k.value for k in Kind}:
            if (value == Kind.ALL_DAY.value) == appointment.all_day:
                changes["kind"] = Kind(value)
        elif name == "wrapup":
            changes["wrapup_minutes"] = value
        elif name == "cancelled":
            changes["cancelled"] = bool(value)
        elif name == "override_reason":
            changes["override_reason"] = value
    return replace(appointment, **changes)


SERIES = "series"  # the field of a repeating appointment's conflict: both whole texts


class ConflictService:
    """The owner's view of sync conflicts, and their resolution."""

    def __init__(self, store: DiaryStore) -> None:
        self.store = store

    def conflicts(self) -> list[ConflictView]:
        with self.store.read() as uow:
            names = {a.id: a.name for a in uow.sync.accounts()}
            return [self._view(c, names, uow.policy.zone) for c in uow.sync.conflicts()]

    @staticmethod
    def _view(conflict: Conflict, names: dict[int, str], zone: str) -> ConflictView:
        fields = conflict.fields
        if SERIES in fields:  # whole texts are kept; the owner reads them in a line
            fields = {
                SERIES: {
                    side: series_summary(str(text), default_zone=zone)
                    for side, text in fields[SERIES].items()
                }
            }
        return ConflictView(
            id=conflict.id,
            account=names.get(conflict.account_id, "?"),
            uid=conflict.uid,
            title=conflict.title,
            fields=fields,
            created=conflict.created,
        )

    def resolve(self, conflict_id: int, keep: str) -> Outcome:
        """Resolve conflict `conflict_id` keeping the desktop's, the server's or both versions.

        Raises NotFoundError for an unknown id, InputError for an unknown `keep`.
        """
        if keep not in KEEP:
            raise InputError("--keep", f"{keep!r} is not one of desktop, server, both")
        with self.store.write() as uow:
            zone = uow.policy.zone
            conflict = uow.sync.conflict_by_id(conflict_id)
            if conflict is None:
                raise NotFoundError("ID", f"no conflict #{conflict_id}")
            if SERIES in conflict.fields:
                return self._resolve_series(uow, zone, conflict, keep)
            current = uow.appointments.by_uid(conflict.uid)
            uow.sync.drop_conflict(conflict.id)
            if keep == "server" or current is None:
                return Outcome(current)
            desktop = {name: pair.get("desktop") for name, pair in conflict.fields.items()}
            wanted = _with_values(uow, current, desktop)
            if keep == "desktop":
                stored = uow.appointments.save(replace(wanted, sequence=current.sequence + 1))
            else:
                copy = replace(
                    wanted,
                    uid=f"{uuid.uuid4()}@diary",
                    sequence=0,
                    created=None,
                    updated=None,
                )
                stored = uow.appointments.save(copy)
            days = {day for a in (current, stored) for day in local_days(a.start, a.end, zone)}
            return Outcome(stored, changed_days=frozenset(days), before=current)

    def _resolve_series(self, uow: UnitOfWork, zone: str, conflict: Conflict, keep: str) -> Outcome:
        """A repeating appointment changed on both sides: the server's version is live;
        `desktop` stores the desktop's version again (the next sync sends it), `both` adds
        it as a series of its own."""
        uow.sync.drop_conflict(conflict.id)
        desktop = conflict.fields[SERIES].get("desktop")
        if keep == "server" or not isinstance(desktop, str):
            return Outcome(None)
        series = read_series(desktop, default_zone=zone, source=f"conflict #{conflict.id}")
        if series is None:
            return Outcome(None)
        uid = conflict.uid if keep == "desktop" else f"{uuid.uuid4()}@diary"
        touched = store_series(self.store, uow, series, now=self.store.clock(), uid=uid)
        days = {day for a in touched for day in local_days(a.start, a.end, zone)}
        live = [a for a in touched if not a.cancelled]
        return Outcome(live[0] if live else None, changed_days=frozenset(days))

"""Travel and wrap-up on the phone: the bands the rules give each upcoming appointment go
to the server as busy events of their own, linked to it (RELATED-TO), so the phone and any
booking page that reads the calendar see the time as taken.

diary owns them: a phone's edit to one is replaced at the next sync, moving the meeting
moves them, and a band no longer needed (cancelled meeting, no travel) is deleted. Past
appointments keep the bands they had; only [yesterday, +BAND_DAYS) is kept current.

A series' bands repeat with it (`interchange.sync_bands`): one recurring busy event per
band, its occurrences moved, renamed or given another travel time as overrides.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from diary.domain.model import Appointment
from diary.interchange.dav import CalDAVClient, ItemRefused, PreconditionFailed
from diary.interchange.dav import canonical_href as href_path
from diary.interchange.sync_bands import PARTS, BandOccurrence, band_uid, render_series_bands
from diary.interchange.sync_ics import normalised_hash, render_bands
from diary.services.queries import Reader
from diary.services.store import DiaryStore
from diary.services.sync.engine import resource_name
from diary.services.sync.series import series_item
from diary.storage.sync_access import recording
from diary.storage.sync_repo import Collection, Item

log = logging.getLogger(__name__)

BAND_DAYS = 60  # bands are kept current this far ahead
ALL_DAYS_AGAIN = timedelta(days=1)  # the window moves on once a day


@dataclass(frozen=True, slots=True)
class Band:
    uid: str
    meeting: str  # the appointment's UID
    text: str
    mark: str  # normalised hash of the text: what diary last sent


class BandSync:
    """Keeps one calendar's travel and wrap-up events as the rules have them now."""

    def __init__(
        self,
        store: DiaryStore,
        client: CalDAVClient,
        collection: Collection,
        *,
        touched_there: dict[str, str | None],
        unchanged_here: bool,
    ) -> None:
        self.store = store
        self.client = client
        self.collection = collection
        self.touched_there = touched_there  # band href -> new ETag (None: deleted there)
        self.unchanged_here = unchanged_here
        self.path = href_path(collection.url)
        self.pushed = 0
        self.problems: list[str] = []
        self._series_in_window: set[str] = set()  # series with live occurrences in it

    def _due(self, now: datetime) -> bool:
        """Anything to do: a change here, a band touched on the phone, or a new day."""
        moved_on = self.collection.expanded_until is None or (
            now - self.collection.expanded_until >= ALL_DAYS_AGAIN
        )
        return not self.unchanged_here or bool(self.touched_there) or moved_on

    def run(self) -> int:
        now = self.store.clock()
        if not self._due(now):
            return 0
        with self.store.read() as uow:
            known = {
                item.uid: item for item in uow.sync.items(self.collection.id) if item.kind == "band"
            }
        wanted = self._wanted(now, known)
        lo, hi = self._window(now)
        changes: list[tuple[str, Band | None, Item | None, str | None]] = []
        for uid, band in wanted.items():
            item = known.get(uid)
            etag = item.etag if item is not None else None
            if item is not None and item.href in self.touched_there:
                etag = self.touched_there[item.href]
                if etag is None:
                    item = None  # deleted on the phone: made again
            elif item is not None and item.local_stamp == band.mark:
                continue
            changes.append(self._put(uid, band, item, etag))
        for uid, item in known.items():
            if uid not in wanted and self._unneeded(uid, lo, hi):
                changes.append(self._delete(item))
        with recording(self.store.database, self.store.diary_id) as records:
            for uid, sent, item, etag in changes:
                if sent is None:
                    if item is not None:
                        records.forget_item(self.collection.id, item.href)
                    continue
                href = item.href if item is not None else self.path + resource_name(uid)
                records.save_item(
                    self.collection.id,
                    href=href,
                    uid=uid,
                    kind="band",
                    etag=etag,
                    base_ics=sent.text,
                    base_hash=sent.mark,
                    local_stamp=sent.mark,
                )
            records.set_bands_current(self.collection.id, now)
        return self.pushed

    @staticmethod
    def _window(now: datetime) -> tuple[datetime, datetime]:
        return now - timedelta(days=1), now + timedelta(days=BAND_DAYS)

    def _wanted(self, now: datetime, known: dict[str, Item]) -> dict[str, Band]:
        """Every band the rules give the upcoming appointments, by its UID."""
        lo, hi = self._window(now)
        agenda = Reader(self.store).agenda(lo, hi)
        wanted: dict[str, Band] = {}
        occurrences: dict[str, list[BandOccurrence]] = {}
        for item in agenda.items:
            appointment = item.appointment
            bands = item.bands
            if appointment.series_uid is not None or appointment.recurrence_id is not None:
                if appointment.timed:
                    occurrences.setdefault(appointment.uid, []).append(
                        BandOccurrence(
                            appointment,
                            bands.travel_minutes,
                            bands.travel_from,
                            bands.wrapup_minutes,
                        )
                    )
                continue
            if not _synced_single(appointment):
                continue
            if bands.travel_minutes <= 0 and bands.wrapup_minutes <= 0:
                continue
            texts = render_bands(
                appointment,
                travel_minutes=bands.travel_minutes,
                travel_from=bands.travel_from,
                wrapup_minutes=bands.wrapup_minutes,
                now=now,
            )
            for uid, text in texts.items():
                wanted[uid] = Band(uid, appointment.uid, text, normalised_hash(text))
        self._series_in_window = set(occurrences)
        wanted.update(self._series_bands(occurrences, known, lo, now))
        return wanted

    def _series_bands(
        self,
        occurrences: dict[str, list[BandOccurrence]],
        known: dict[str, Item],
        lo: datetime,
        now: datetime,
    ) -> dict[str, Band]:
        """The recurring travel and wrap-up events of every series with occurrences in the
        window, built on what was last sent (its overrides before the window stay)."""
        if not occurrences:
            return {}
        with self.store.read() as uow:
            stored = uow.series.by_uids(list(occurrences))
            overrides = uow.series.overrides_of([s.id for s in stored.values() if s.id is not None])
        wanted: dict[str, Band] = {}
        for uid, series in stored.items():
            if series.template.cancelled or series.id is None:
                continue
            sent = {b: known[b].base_ics for b in (band_uid(uid, p) for p in PARTS) if b in known}
            texts = render_series_bands(
                series_item(series, overrides[series.id]),
                occurrences[uid],
                lo=lo,
                previous={u: t for u, t in sent.items() if t},
                now=now,
            )
            for band, text in texts.items():
                wanted[band] = Band(band, uid, text, normalised_hash(text))
        return wanted

    def _unneeded(self, band_uid: str, lo: datetime, hi: datetime) -> bool:
        """A band nobody wants: its meeting is gone or cancelled, or is in the window and
        needs no such band now. Past meetings keep theirs."""
        meeting_uid = band_uid.rsplit("-", 1)[0]
        if meeting_uid in self._series_in_window:
            return True  # its occurrences here need no such band now
        with self.store.read() as uow:
            series = uow.series.by_uid(meeting_uid)
            meeting = uow.appointments.by_uid(meeting_uid) if series is None else None
        if series is not None:
            return series.template.cancelled  # a series all past or ahead keeps its bands
        if meeting is None or meeting.cancelled:
            return True
        return meeting.start.timestamp() < hi.timestamp() and meeting.end.timestamp() > (
            lo.timestamp()
        )

    def _put(
        self, uid: str, band: Band, item: Item | None, etag: str | None
    ) -> tuple[str, Band | None, Item | None, str | None]:
        href = item.href if item is not None else self.path + resource_name(uid)
        for _attempt in range(2):
            try:
                new_etag = self.client.put(href, band.text, etag=etag if item else None)
                self.pushed += 1
                return uid, band, item, new_etag
            except PreconditionFailed:
                fresh = self.client.get(href)  # the phone touched it: ours replaces it
                etag = fresh.etag if fresh is not None else None
                item = item if fresh is not None else None
            except ItemRefused as refused:
                self.problems.append(str(refused))
                break
        return uid, None, None, None

    def _delete(self, item: Item) -> tuple[str, Band | None, Item | None, str | None]:
        try:
            self.client.delete(item.href, etag=self.touched_there.get(item.href, item.etag))
            self.pushed += 1
        except PreconditionFailed:
            self.client.delete(item.href, etag=None)  # a band is diary's: gone means gone
        except ItemRefused as refused:
            self.problems.append(str(refused))
        return item.uid, None, item, None


def _synced_single(appointment: Appointment) -> bool:
    """An appointment the event sync sends (a single one, timed, not cancelled)."""
    return (
        appointment.series_uid is None
        and appointment.recurrence_id is None
        and appointment.timed
        and not appointment.cancelled
    )

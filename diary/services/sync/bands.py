"""Travel and wrap-up on the phone: the bands the rules give each upcoming appointment go
to the server as busy events of their own, linked to it (RELATED-TO), so the phone and any
booking page that reads the calendar see the time as taken.

diary owns them: a phone's edit to one is replaced at the next sync, moving the meeting
moves them, and a band no longer needed (cancelled meeting, no travel) is deleted. Past
appointments keep the bands they had; only [yesterday, +BAND_DAYS) is kept current.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from diary.domain.model import Appointment
from diary.interchange.dav import CalDAVClient, ItemRefused, PreconditionFailed
from diary.interchange.dav import canonical_href as href_path
from diary.interchange.sync_ics import normalised_hash, render_bands
from diary.services.queries import Reader
from diary.services.store import DiaryStore
from diary.services.sync.engine import resource_name
from diary.storage import repository as repo
from diary.storage import sync_repo
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
        wanted = self._wanted(now)
        with self.store.read() as (session, _diary_id, _policy):
            known = {
                item.uid: item
                for item in sync_repo.items(session, self.collection.id)
                if item.kind == "band"
            }
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
        with self.store.database.session() as session, session.begin():
            for uid, sent, item, etag in changes:
                if sent is None:
                    if item is not None:
                        sync_repo.forget_item(session, self.collection.id, item.href)
                    continue
                href = item.href if item is not None else self.path + resource_name(uid)
                sync_repo.save_item(
                    session,
                    self.collection.id,
                    href=href,
                    uid=uid,
                    kind="band",
                    etag=etag,
                    base_ics=sent.text,
                    base_hash=sent.mark,
                    local_stamp=sent.mark,
                )
            sync_repo.set_bands_current(session, self.collection.id, now)
        return self.pushed

    @staticmethod
    def _window(now: datetime) -> tuple[datetime, datetime]:
        return now - timedelta(days=1), now + timedelta(days=BAND_DAYS)

    def _wanted(self, now: datetime) -> dict[str, Band]:
        """Every band the rules give the upcoming appointments, by its UID."""
        lo, hi = self._window(now)
        agenda = Reader(self.store).agenda(lo, hi)
        wanted: dict[str, Band] = {}
        for item in agenda.items:
            appointment = item.appointment
            if not _synced_single(appointment):
                continue
            bands = item.bands
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
        return wanted

    def _unneeded(self, band_uid: str, lo: datetime, hi: datetime) -> bool:
        """A band nobody wants: its meeting is gone or cancelled, or is in the window and
        needs no such band now. Past meetings keep theirs."""
        meeting_uid = band_uid.rsplit("-", 1)[0]
        with self.store.read() as (session, diary_id, _policy):
            meeting = repo.appointment_by_uid(session, diary_id, meeting_uid)
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

"""`diary sync [NAME]`: one two-way sync per account, and what it found in words.

Bookings that arrive by sync are never refused or moved; the ones that break a rule are
counted (`flagged`) and said as notices ("Booked on your phone: Burst pipe 10:30 overlaps
Boiler check") for the window's tray.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from diary.domain.model import Rule, Violation
from diary.i18n import gettext as _
from diary.interchange.dav import (
    AuthenticationFailed,
    CalDAVClient,
    CalendarNotFound,
    DavError,
    ServerUnreachable,
)
from diary.services.queries import Reader
from diary.services.results import Listed
from diary.services.store import DiaryStore
from diary.services.sync.accounts import (
    Connect,
    ServerUnavailable,
    SyncConfigError,
    resolve_calendars,
)
from diary.services.sync.bands import BandSync
from diary.services.sync.busy import BusySync
from diary.services.sync.engine import CalendarSync, EmptyServerCalendar
from diary.services.sync.passwords import PASSWORD_ENV, Passwords, account_key
from diary.services.sync.singles import Tally
from diary.storage.sync_access import recording
from diary.storage.sync_repo import Account
from diary.wording import describe

log = logging.getLogger(__name__)


class SyncStopped(Exception):
    """The sync could not finish (server gone, calendar suddenly empty); nothing was lost and
    the next sync resumes."""


class NoPassword(SyncConfigError):
    """No password for the account: none in the keyring, the environment or this session."""


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What one account's sync did. `error` says in words why it stopped, if it did;
    `failure` is then 'configuration' or 'stopped'."""

    account: str
    pushed: int = 0
    pulled: int = 0
    deleted: int = 0
    conflicts: int = 0
    flagged: int = 0
    notices: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    error: str | None = None
    failure: str | None = None
    finished: datetime | None = None
    needs_password: bool = False  # no keyring entry, no DIARY_CALDAV_PASSWORD: ask the owner
    password_key: str | None = None  # whose password (user at server), never the password

    def as_json(self) -> dict[str, Any]:
        return {
            "account": self.account,
            "pushed": self.pushed,
            "pulled": self.pulled,
            "deleted": self.deleted,
            "conflicts": self.conflicts,
            "flagged": self.flagged,
            "notices": list(self.notices),
            "problems": list(self.problems),
            "error": self.error,
        }


def _notice(item: Listed, zone: str) -> str:
    appointment = item.appointment
    violation: Violation = next(v for v in item.flags if v.refusable)
    if violation.rule is Rule.DOUBLE_BOOKING:
        reason = _("overlaps {other}").format(other=violation.other_title or "?")
    else:
        reason = describe(violation)
    when = appointment.start.astimezone(ZoneInfo(zone))
    return _("Booked on your phone: {title} {time} {reason}").format(
        title=appointment.title, time=f"{when:%H:%M}", reason=reason
    )


class SyncService:
    """Two-way sync of the diary with the calendars of its accounts."""

    def __init__(
        self, store: DiaryStore, passwords: Passwords, connect: Connect = CalDAVClient
    ) -> None:
        self.store = store
        self.passwords = passwords
        self.connect = connect

    def sync(self, name: str | None = None, *, accept_empty: bool = False) -> list[SyncReport]:
        """Sync the account `name` (default: every account), one after the other.

        Raises SyncConfigError when there is no such account (or none at all); every
        other failure is in the account's report.
        """
        with self.store.read() as uow:
            accounts = uow.sync.accounts()
        if name is not None:
            accounts = [a for a in accounts if a.name == name]
            if not accounts:
                raise SyncConfigError("NAME", f"no account called {name!r}")
        if not accounts:
            raise SyncConfigError(
                "sync", "no account to sync with (add one with `diary account add`)"
            )
        return [self.sync_account(account, accept_empty=accept_empty) for account in accounts]

    def sync_account(self, account: Account, *, accept_empty: bool = False) -> SyncReport:
        try:
            report = self._sync(account, accept_empty)
        except NoPassword as error:
            report = SyncReport(
                account.name,
                error=str(error),
                failure="configuration",
                needs_password=True,
                password_key=account_key(account.username, account.url),
            )
        except SyncConfigError as error:
            report = SyncReport(account.name, error=str(error), failure="configuration")
        except (ServerUnavailable, SyncStopped, EmptyServerCalendar) as error:
            text = str(error)
            if isinstance(error, ServerUnavailable) and "nothing was lost" not in text:
                text += "; nothing was lost, the next sync resumes"
            report = SyncReport(account.name, error=text, failure="stopped")
        if report.error is not None:
            log.info("sync of %s stopped: %s", account.name, report.error)
            if report.failure == "stopped":  # bad configuration changes nothing (exit 2)
                self._record_failure(account, report.error)
        return report

    def _password(self, account: Account) -> str:
        password, _source = self.passwords.lookup(account_key(account.username, account.url))
        if password is None:
            raise NoPassword(
                "password",
                f"no password for {account.username} at {account.url}: none in the system "
                f"keyring and {PASSWORD_ENV} is not set",
            )
        return password

    def _sync(self, account: Account, accept_empty: bool) -> SyncReport:
        password = self._password(account)
        try:
            with self.connect(account.url, account.username, password) as client:
                account = self._resolved(client, account)
                own = account.diary_collection
                assert own is not None
                events = CalendarSync(self.store, client, account, own, accept_empty=accept_empty)
                tally = events.run()
                if account.push_bands:
                    bands = BandSync(
                        self.store,
                        client,
                        events.collection,
                        touched_there=events.bands_touched,
                        unchanged_here=events.unchanged_here,
                    )
                    bands.run()
                    tally.problems.extend(bands.problems)
                for busy in account.busy_collections:
                    BusySync(self.store, client, busy).run()
        except AuthenticationFailed as error:
            raise SyncConfigError("password", str(error)) from None
        except CalendarNotFound as error:
            raise SyncConfigError("--calendar", str(error)) from None
        except ServerUnreachable as error:
            raise ServerUnavailable(f"{error}; nothing was lost, the next sync resumes") from None
        except DavError as error:
            raise SyncStopped(f"{error}; nothing was lost, the next sync resumes") from None
        notices = self._flagged(tally)
        return SyncReport(
            account.name,
            pushed=tally.pushed,
            pulled=tally.pulled,
            deleted=tally.deleted,
            conflicts=tally.conflicts,
            flagged=len(notices),
            notices=tuple(notices),
            problems=tuple(tally.problems),
            finished=self.store.clock(),
        )

    def _resolved(self, client: CalDAVClient, account: Account) -> Account:
        """The account with every calendar found on the server (made, if it must be)."""
        if all(c.url for c in account.collections):
            return account
        own = account.diary_collection
        assert own is not None
        busy = account.busy_collections
        found, found_busy = resolve_calendars(client, own.wanted, [b.wanted for b in busy])
        with recording(self.store.database, self.store.diary_id) as records:
            records.resolve_collection(own.id, url=found.url, display_name=found.name)
            for row, calendar in zip(busy, found_busy, strict=True):
                records.resolve_collection(row.id, url=calendar.url, display_name=calendar.name)
        with self.store.read() as uow:
            fresh = uow.sync.account_by_name(account.name)
        assert fresh is not None
        return fresh

    def _flagged(self, tally: Tally) -> list[str]:
        """Notices for the appointments this sync brought in that break a rule."""
        if not tally.pulled_refs:
            return []
        reader = Reader(self.store)
        wanted = set(tally.pulled_refs)
        items = [reader.get(ref) for ref in wanted]
        lo = min(a.start for a in items) - timedelta(days=1)
        hi = max(a.end for a in items) + timedelta(days=1)
        with self.store.read() as uow:
            zone = uow.policy.zone
        found = [
            item
            for item in reader.check(lo, hi)
            if item.appointment.ref in wanted and item.has_error
        ]
        return [_notice(item, zone) for item in sorted(found, key=lambda i: i.appointment.start)]

    def _record_failure(self, account: Account, reason: str) -> None:
        with recording(self.store.database, self.store.diary_id) as records:
            records.set_result(account.id, result=reason)

    def last_results(self) -> dict[str, tuple[datetime | None, str]]:
        """account name -> (when it last synced, how the last attempt went in words)."""
        with self.store.read() as uow:
            return {a.name: (a.last_sync, a.last_result) for a in uow.sync.accounts()}

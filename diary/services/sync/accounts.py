"""CalDAV accounts: add (finding or making the calendars), list, remove, test a connection.

The password goes to the system keyring only; without one it is read from
DIARY_CALDAV_PASSWORD at each sync (the window asks once per session).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from diary.interchange.dav import (
    AuthenticationFailed,
    CalDAVClient,
    CalendarNotFound,
    DavError,
    Discovery,
    NotACalendarServer,
    RemoteCalendar,
    ServerUnreachable,
    calendar_properties,
    discover,
    make_calendar,
)
from diary.services.results import InputError, NotFoundError
from diary.services.store import DiaryStore
from diary.services.sync.passwords import PASSWORD_ENV, Passwords, account_key
from diary.storage.errors import NotFound, StorageError
from diary.storage.schema import NAME_LENGTH
from diary.storage.sync_repo import Account

DEFAULT_CALENDAR = "Diary"  # made when the account has no calendar at all

Connect = Callable[[str, str, str | None], CalDAVClient]


class SyncConfigError(InputError):
    """The account cannot work as configured (URL, password, calendar): says why in words."""


class ServerUnavailable(Exception):
    """The server could not be reached, or stopped answering; nothing was lost."""


@dataclass(frozen=True, slots=True)
class AccountView:
    """An account as the owner sees it; `password` says where its password comes from
    ('keyring', 'environment', 'session' or 'none'), never the password."""

    name: str
    url: str
    username: str
    calendar: str  # the diary's calendar: its display name once found, else as asked
    calendar_url: str  # '' until found
    busy: tuple[str, ...]
    push_bands: bool
    password: str
    last_sync: datetime | None
    last_result: str


@dataclass(frozen=True, slots=True)
class Added:
    account: AccountView
    notes: tuple[str, ...]  # what the owner should know (no keyring, server not reached)


def clean_url(url: str) -> str:
    """An http(s) URL to a server; SyncConfigError says what is wrong with it."""
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        usable = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        usable = False
    if not usable or any(ch.isspace() for ch in text):
        raise SyncConfigError("--url", f"{url[:200]!r} is not an http:// or https:// address")
    if parts.username or parts.password:
        raise SyncConfigError(
            "--url", "must not hold a user name or password (use --username and --password-stdin)"
        )
    return text if parts.path else text + "/"


def _check_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned:
        raise SyncConfigError("NAME", "an account needs a name")
    if len(cleaned) > NAME_LENGTH or any(ord(ch) < 32 for ch in cleaned):
        raise SyncConfigError("NAME", f"{name!r} is not a usable account name")
    return cleaned


def describe_dav_error(error: DavError) -> str:
    return str(error)


def connect_error(error: DavError, field: str = "--url") -> Exception:
    """A wire error as the service reports it: unreachable (try later) or a bad set-up."""
    if isinstance(error, ServerUnreachable):
        return ServerUnavailable(str(error))
    if isinstance(error, AuthenticationFailed):
        return SyncConfigError("--password", str(error))
    return SyncConfigError(field, str(error))


def _names(calendars: Sequence[RemoteCalendar]) -> str:
    return ", ".join(sorted(c.name for c in calendars)) or "none"


def resolve_calendars(
    client: CalDAVClient, calendar: str, busy: Sequence[str]
) -> tuple[RemoteCalendar, list[RemoteCalendar]]:
    """The diary's calendar (made with MKCALENDAR when missing) and the busy calendars.

    `calendar` is a display name, a URL or '' (the calendar the URL names, the account's
    only one, or a new "Diary" when it has none). Raises SyncConfigError, ServerUnavailable.
    """
    try:
        found = discover(client)
        own = _own_calendar(client, found, calendar)
    except DavError as error:
        raise connect_error(error) from None
    if not own.writable:
        raise SyncConfigError(
            "--calendar", f"the calendar {own.name!r} is read-only for this account"
        )
    if not own.holds_events:
        raise SyncConfigError("--calendar", f"the calendar {own.name!r} cannot hold events")
    busy_calendars = []
    for wanted in busy:
        match = found.find(wanted)
        if match is None:
            raise SyncConfigError(
                "--busy",
                f"no calendar {wanted!r} on the account (it has: {_names(found.calendars)})",
            )
        if match.url == own.url:
            raise SyncConfigError("--busy", f"{wanted!r} is the diary's own calendar")
        busy_calendars.append(match)
    return own, busy_calendars


def _own_calendar(client: CalDAVClient, found: Discovery, wanted: str) -> RemoteCalendar:
    if not wanted:
        if found.given is not None:
            return found.given
        events = [c for c in found.calendars if c.holds_events and c.writable]
        if len(events) == 1:
            return events[0]
        if not events:
            return make_calendar(client, found, DEFAULT_CALENDAR)
        raise SyncConfigError(
            "--calendar",
            f"the account has several calendars ({_names(events)}): say which one is the diary's",
        )
    match = found.find(wanted)
    if match is not None:
        return match
    try:
        if "/" in wanted:
            url = client.absolute(wanted if wanted.endswith("/") else wanted + "/")
            try:
                return calendar_properties(client, url)
            except CalendarNotFound:
                client.mkcalendar(url, url.rstrip("/").rpartition("/")[2])
                return calendar_properties(client, url)
        return make_calendar(client, found, wanted)
    except (CalendarNotFound, NotACalendarServer) as error:
        raise SyncConfigError("--calendar", str(error)) from None
    except DavError as error:
        if isinstance(error, ServerUnreachable | AuthenticationFailed):
            raise
        raise SyncConfigError(
            "--calendar",
            f"no calendar {wanted!r} on the account, and the server would not create it ({error})",
        ) from None


class AccountService:
    """The diary's CalDAV accounts."""

    def __init__(
        self, store: DiaryStore, passwords: Passwords, connect: Connect = CalDAVClient
    ) -> None:
        self.store = store
        self.passwords = passwords
        self.connect = connect

    def _view(self, account: Account) -> AccountView:
        own = account.diary_collection
        _password, source = self.passwords.lookup(account_key(account.username, account.url))
        return AccountView(
            name=account.name,
            url=account.url,
            username=account.username,
            calendar=(own.display_name or own.wanted or "") if own else "",
            calendar_url=own.url if own else "",
            busy=tuple(c.display_name or c.wanted for c in account.busy_collections),
            push_bands=account.push_bands,
            password=source,
            last_sync=account.last_sync,
            last_result=account.last_result,
        )

    def accounts(self) -> list[AccountView]:
        with self.store.read() as uow:
            return [self._view(a) for a in uow.sync.accounts()]

    def account(self, name: str) -> Account:
        with self.store.read() as uow:
            found = uow.sync.account_by_name(name)
        if found is None:
            raise NotFoundError("NAME", f"no account called {name!r}")
        return found

    def add(
        self,
        name: str,
        *,
        url: str,
        username: str,
        calendar: str | None = None,
        busy: Sequence[str] = (),
        password: str | None = None,
        push_bands: bool = True,
    ) -> Added:
        """Add an account; with a password at hand, find (or make) its calendars first.

        Raises SyncConfigError (bad URL, password refused, no such calendar; nothing is
        stored) and ServerUnavailable only when a password was given and the server could
        not be reached; without a password the calendars are found at the first sync.
        """
        name = _check_name(name)
        url = clean_url(url)
        if not username.strip():
            raise SyncConfigError("--username", "an account needs a user name")
        username = username.strip()
        wanted = (calendar or "").strip()
        busy = [b.strip() for b in busy if b.strip()]
        with self.store.read() as uow:
            if uow.sync.account_by_name(name) is not None:
                raise SyncConfigError("NAME", f"an account called {name!r} already exists")
        notes: list[str] = []
        key = account_key(username, url)
        usable = password or self.passwords.lookup(key)[0]
        resolved: tuple[RemoteCalendar, list[RemoteCalendar]] | None = None
        if usable is not None:
            try:
                with self.connect(url, username, usable) as client:
                    resolved = resolve_calendars(client, wanted, busy)
            except ServerUnavailable as error:
                notes.append(f"{error}; the first sync will find the calendars")
        else:
            notes.append(
                "the calendars are looked up at the first sync (no password to ask with yet)"
            )
        with self.store.write() as uow:
            try:
                stored = uow.sync.add_account(
                    name=name,
                    url=url,
                    username=username,
                    calendar=wanted,
                    busy=busy,
                    created=self.store.clock(),
                    push_bands=push_bands,
                )
            except StorageError as error:
                raise SyncConfigError("NAME", str(error)) from None
            if resolved is not None:
                own, busy_calendars = resolved
                collections = stored.collections
                own_row = next(c for c in collections if c.role == "diary")
                uow.sync.resolve_collection(own_row.id, url=own.url, display_name=own.name)
                busy_rows = [c for c in collections if c.role == "busy"]
                for row, found in zip(busy_rows, busy_calendars, strict=True):
                    uow.sync.resolve_collection(row.id, url=found.url, display_name=found.name)
            stored = uow.sync.account_by_name(name) or stored
        if password is not None and not self.passwords.store(key, password):
            notes.append(
                "no system keyring here: the password was not stored; "
                f"set {PASSWORD_ENV} when you sync"
            )
        return Added(self._view(stored), tuple(notes))

    def remove(self, name: str) -> None:
        """Forget the account, its sync state and its keyring entry (the server keeps all)."""
        with self.store.write() as uow:
            found = uow.sync.account_by_name(name)
            if found is None:
                raise NotFoundError("NAME", f"no account called {name!r}")
            try:
                uow.sync.remove_account(name)
            except NotFound as error:
                raise NotFoundError("NAME", str(error)) from None
        others = [a for a in self.accounts() if (a.username, a.url) == (found.username, found.url)]
        if not others:
            self.passwords.forget(account_key(found.username, found.url))

    def calendars(self, url: str, username: str, password: str | None) -> list[RemoteCalendar]:
        """The calendars an account offers (the window's "Test connection")."""
        url = clean_url(url)
        try:
            with self.connect(url, username.strip(), password) as client:
                return list(discover(client).calendars)
        except DavError as error:
            raise connect_error(error) from None

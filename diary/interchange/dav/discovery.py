"""From a URL the owner typed to the calendars of the account (RFC 6764, 5397, 4791 §6.2).

The URL may be the server's root, a well-known entry point, a principal, a calendar home
or a calendar itself. We ask it for the current user's principal (RFC 5397); when it
does not answer as a CalDAV resource we try `/.well-known/caldav` on the same host
(RFC 6764 §5); the principal names the calendar home set (RFC 4791 §6.2.1), whose
members are the calendars.
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from diary.interchange.dav import xml
from diary.interchange.dav.client import CalDAVClient
from diary.interchange.dav.errors import (
    AuthenticationFailed,
    CalendarNotFound,
    DavError,
    Forbidden,
    NotACalendarServer,
    ServerUnreachable,
)

WELL_KNOWN = "/.well-known/caldav"
_CALENDAR_PROPS = [
    (xml.DAV, "resourcetype"),
    (xml.DAV, "displayname"),
    (xml.CALDAV, "supported-calendar-component-set"),
    (xml.DAV, "sync-token"),
    (xml.DAV, "current-user-privilege-set"),
    (xml.APPLE, "calendar-color"),
]
_START_PROPS = [
    (xml.DAV, "current-user-principal"),
    (xml.CALDAV, "calendar-home-set"),
    *_CALENDAR_PROPS,
]


@dataclass(frozen=True, slots=True)
class RemoteCalendar:
    """A calendar collection of the account.

    `url` is absolute; `name` its display name (else the last path segment);
    `components` what it holds (() when the server does not say); `writable` False when
    the server says this user may not write it; `syncable` True when it offers a
    sync-token (RFC 6578 §4).
    """

    url: str
    name: str
    components: tuple[str, ...] = ()
    writable: bool = True
    syncable: bool = False
    color: str | None = None

    @property
    def holds_events(self) -> bool:
        return not self.components or "VEVENT" in self.components


@dataclass(frozen=True, slots=True)
class Discovery:
    """What the URL led to: the principal, the calendar homes and every calendar in them.

    `given` is the calendar the URL itself pointed at, if it did.
    """

    principal: str | None
    homes: tuple[str, ...]
    calendars: tuple[RemoteCalendar, ...]
    given: RemoteCalendar | None = None

    def find(self, wanted: str) -> RemoteCalendar | None:
        """The calendar named `wanted` (display name, case-insensitive) or with that URL/path."""
        target = wanted.strip()
        if "/" in target:
            path = xml.canonical_href(target).rstrip("/")
            for calendar in self.calendars:
                if xml.canonical_href(calendar.url).rstrip("/") == path:
                    return calendar
            return None
        exact = [c for c in self.calendars if c.name == target]
        if exact:
            return exact[0]
        folded = [c for c in self.calendars if c.name.casefold() == target.casefold()]
        return folded[0] if folded else None


def _calendar(client: CalDAVClient, response: xml.Response) -> RemoteCalendar:
    url = client.absolute(response.href)
    segment = unquote(urlsplit(url).path.rstrip("/").rpartition("/")[2])
    privileges = response.privileges()
    writable = privileges is None or bool(privileges & {"write", "write-content", "all"})
    return RemoteCalendar(
        url=url if url.endswith("/") else url + "/",
        name=response.text(xml.DAV, "displayname") or segment,
        components=response.components(),
        writable=writable,
        syncable=response.has(xml.DAV, "sync-token"),
        color=response.text(xml.APPLE, "calendar-color"),
    )


def _is_calendar(response: xml.Response) -> bool:
    return xml.tag(xml.CALDAV, "calendar") in response.resource_types()


def well_known_target(url: str, timeout: float = 15.0) -> str | None:
    """Where `/.well-known/caldav` on `url`'s host redirects to (RFC 6764 §5), if anywhere.

    Asked without credentials, without following the redirect: only its Location is read.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(host, parts.port, timeout=timeout)
    else:
        connection = http.client.HTTPConnection(host, parts.port, timeout=timeout)
    try:
        connection.request("GET", WELL_KNOWN, headers={"User-Agent": "diary (CalDAV sync)"})
        response = connection.getresponse()
        response.read()
        location = response.getheader("Location")
    except OSError as error:
        raise ServerUnreachable(f"cannot reach {parts.scheme}://{parts.netloc}: {error}") from None
    finally:
        connection.close()
    if response.status in (301, 302, 303, 307, 308) and location:
        return urljoin(f"{parts.scheme}://{parts.netloc}{WELL_KNOWN}", location)
    return None


def _start(client: CalDAVClient, url: str) -> xml.Response | None:
    """The depth-0 properties of `url`, or None when it does not answer as DAV."""
    try:
        status = client.propfind(url, _START_PROPS, depth=0)
    except Forbidden:
        return None  # e.g. Radicale's answer for a path outside the user's own
    except (AuthenticationFailed, ServerUnreachable):
        raise
    except DavError:
        return None
    return status.responses[0] if status.responses else None


def discover(client: CalDAVClient) -> Discovery:
    """The account's principal, calendar homes and calendars, starting from `client.url`.

    Raises NotACalendarServer when neither the URL nor its well-known entry point leads
    to a calendar home.
    """
    start = _start(client, client.url)
    given = _calendar(client, start) if start is not None and _is_calendar(start) else None
    principal = start.hrefs(xml.DAV, "current-user-principal") if start is not None else []
    homes = start.hrefs(xml.CALDAV, "calendar-home-set") if start is not None else []
    if not principal and not homes and given is None:
        target = well_known_target(client.url)
        if target is not None:
            start = _start(client, target)
            if start is not None:
                principal = start.hrefs(xml.DAV, "current-user-principal")
                homes = start.hrefs(xml.CALDAV, "calendar-home-set")
    principal_href = principal[0] if principal else None
    if principal_href is not None and not homes:
        status = client.propfind(principal_href, [(xml.CALDAV, "calendar-home-set")], depth=0)
        for response in status.responses:
            homes.extend(response.hrefs(xml.CALDAV, "calendar-home-set"))
    if not homes and given is None:
        raise NotACalendarServer(
            f"{client.shown} does not look like a CalDAV server: it names no calendar home "
            "for this account (check the URL)"
        )
    calendars: dict[str, RemoteCalendar] = {}
    for home in homes:
        status = client.propfind(home, _CALENDAR_PROPS, depth=1)
        for response in xml.members(status, urlsplit(client.absolute(home)).path):
            if _is_calendar(response):
                found = _calendar(client, response)
                calendars.setdefault(found.url, found)
    if given is not None:
        calendars.setdefault(given.url, given)
    ordered = tuple(sorted(calendars.values(), key=lambda c: (c.name.casefold(), c.url)))
    return Discovery(
        principal=client.absolute(principal_href) if principal_href else None,
        homes=tuple(client.absolute(h) for h in homes),
        calendars=ordered,
        given=given,
    )


def calendar_properties(client: CalDAVClient, url: str) -> RemoteCalendar:
    """The calendar at `url` as it is now; CalendarNotFound when it is not a calendar."""
    try:
        status = client.propfind(url, _CALENDAR_PROPS, depth=0)
    except DavError as error:
        if isinstance(error, AuthenticationFailed | ServerUnreachable):
            raise
        raise CalendarNotFound(
            f"{xml.canonical_href(url)} is not a calendar on the server"
        ) from None
    if not status.responses or not _is_calendar(status.responses[0]):
        raise CalendarNotFound(f"{xml.canonical_href(url)} is not a calendar on the server")
    return _calendar(client, status.responses[0])


def make_calendar(client: CalDAVClient, found: Discovery, name: str) -> RemoteCalendar:
    """Create an event calendar called `name` in the first calendar home (MKCALENDAR)."""
    if not found.homes:
        raise CalendarNotFound(f"no calendar home on {client.shown} to create {name!r} in")
    slug = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name.casefold()).strip("-")
    home = found.homes[0] if found.homes[0].endswith("/") else found.homes[0] + "/"
    taken = {xml.canonical_href(c.url).rstrip("/") for c in found.calendars}
    candidate = slug or "diary"
    counter = 1
    while xml.canonical_href(urljoin(home, candidate)).rstrip("/") in taken:
        counter += 1
        candidate = f"{slug or 'diary'}-{counter}"
    url = urljoin(home, candidate + "/")
    client.mkcalendar(url, name)
    return calendar_properties(client, url)

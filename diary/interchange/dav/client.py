"""The CalDAV wire: the few requests a two-way sync needs, each conditional where it writes.

Transport is the `caldav` library's DAVClient: it negotiates Basic/Digest/Bearer from the
server's 401 (never sending a password to a server that did not ask), reuses connections
and reports 429/503 with their Retry-After. The requests themselves are built here,
because a sync must control them exactly: the library's `save()` searches by UID before
a PUT and drops If-Match on servers it believes broken, and its sync fallback downloads
every object with one GET each, while we need If-None-Match/If-Match on every write, a
412 reported as such, a rejected sync-token told apart from a refused login, and
multiget downloads.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from diary.interchange.dav import xml
from diary.interchange.dav.errors import (
    AuthenticationFailed,
    DavError,
    Forbidden,
    ItemRefused,
    PreconditionFailed,
    ServerBusy,
    ServerUnreachable,
    SyncTokenRejected,
    SyncUnsupported,
)

log = logging.getLogger(__name__)

MULTIGET_BATCH = 200  # hrefs per calendar-multiget REPORT
MAX_SYNC_PAGES = 1000  # truncated sync reports followed (RFC 6578 §3.6)
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_WAIT = 120.0  # seconds of Retry-After we accept per request before giving up
_CALENDAR_TYPE = "text/calendar; charset=utf-8"
_XML_TYPE = "application/xml; charset=utf-8"

Sleep = Callable[[float], None]


@dataclass(frozen=True, slots=True)
class Resource:
    """One calendar object resource: where it is, its ETag (None if unknown) and its text."""

    href: str
    etag: str | None
    data: str


@dataclass(frozen=True, slots=True)
class Changes:
    """What changed in a collection: href -> ETag of changed or new members, removed hrefs.

    `token` is the sync-token to ask with next time (None when the server has none);
    `complete` says the listing holds every member (a full listing or an initial sync),
    so a member missing from it is gone.
    """

    changed: dict[str, str | None]
    removed: frozenset[str]
    token: str | None
    complete: bool


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    reason: str
    headers: Mapping[str, str]
    tree: Any  # the parsed XML body (an lxml element) or None
    raw: bytes


def _strip(url: str) -> str:
    """`url` without user information, safe to show."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return f"{parts.scheme}://{host}{parts.path}"


def quoted_etag(etag: str) -> str:
    """An ETag as If-Match wants it: a quoted entity-tag (some servers list it unquoted)."""
    etag = etag.strip()
    if etag.startswith('"') or etag.startswith("W/"):
        return etag
    return f'"{etag}"'


def _etag_header(headers: Mapping[str, str]) -> str | None:
    value = headers.get("ETag") or headers.get("etag")
    if not value:
        return None
    value = value.strip()
    if value.startswith("%22"):  # a server that percent-encodes its quotes
        value = value.replace("%22", '"')
    return value


class CalDAVClient:
    """One session with one CalDAV server as one user; not for use by two threads at once.

    Every method raises ServerUnreachable (no answer, 5xx, busy too long) or
    AuthenticationFailed (login refused) besides what it documents.
    """

    def __init__(
        self,
        url: str,
        username: str,
        password: str | None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_wait: float = DEFAULT_MAX_WAIT,
        sleep: Sleep = time.sleep,
    ) -> None:
        from caldav.davclient import DAVClient

        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {_strip(url)}")
        if parts.username or parts.password:
            raise ValueError("the URL must not hold a user name or password")
        self.url = url
        self.shown = _strip(url)
        self._max_wait = max_wait
        self._sleep = sleep
        self._client = DAVClient(
            url=url,
            username=username,
            password=password,
            timeout=int(timeout),
            enable_rfc6764=False,  # discovery is ours: DNS look-ups are not wanted here
            rate_limit_handle=False,  # waiting is ours too, with a limit
            headers={"User-Agent": "diary (CalDAV sync)"},
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> CalDAVClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def absolute(self, href: str) -> str:
        """The full URL of a path the server named."""
        return urljoin(self.url, href)

    # -- transport -------------------------------------------------------------------

    def request(
        self,
        method: str,
        url: str,
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
    ) -> _Answer:
        """Send one request; waits out Retry-After (429/503) up to `max_wait` seconds."""
        from caldav.lib import error as dav_error

        waited = 0.0
        target = self.absolute(url)
        while True:
            try:
                response = self._client.request(
                    target, method, body.decode("utf-8") if body else "", dict(headers or {})
                )
            except dav_error.RateLimitError as busy:
                delay = busy.retry_after_seconds
                if delay is None or waited + delay > self._max_wait:
                    raise ServerBusy(
                        f"{self.shown} is busy (HTTP {busy.status}) and asks to come back "
                        + (f"in {delay:.0f} s" if delay is not None else "later"),
                        delay,
                    ) from None
                log.info("%s is busy; waiting %.1f s as it asked", self.shown, delay)
                self._sleep(delay)
                waited += delay
                continue
            except dav_error.AuthorizationError as refused:
                preconditions = {p.rpartition("}")[2] for p in refused.preconditions}
                if "valid-sync-token" in preconditions:
                    raise SyncTokenRejected(
                        f"{self.shown}: the sync-token is no longer valid"
                    ) from None
                if refused.status == 401:
                    raise AuthenticationFailed(
                        f"{self.shown} refused the user name or password"
                    ) from None
                raise Forbidden(
                    f"{self.shown}: this account may not {method} {_strip(target)} (HTTP 403)"
                ) from None
            except dav_error.DAVError as failure:
                raise ServerUnreachable(f"{self.shown}: {failure.reason}") from None
            except NotImplementedError as failure:  # no auth scheme we speak
                raise AuthenticationFailed(f"{self.shown}: {failure}") from None
            except Exception as failure:  # noqa: BLE001 - niquests/lxml/socket errors
                if _is_transport_error(failure):
                    raise ServerUnreachable(
                        f"cannot reach {self.shown}: {_short(failure)}"
                    ) from None
                raise
            status = int(response.status)
            if status >= 500:
                raise ServerUnreachable(
                    f"{self.shown} failed with HTTP {status} {response.reason or ''}".rstrip()
                )
            raw = response._raw if isinstance(response._raw, bytes) else b""
            return _Answer(status, response.reason or "", response.headers, response.tree, raw)

    def _multistatus(
        self, answer: _Answer, url: str, collection: str | None = None
    ) -> xml.Multistatus:
        if answer.status != 207:
            raise DavError(f"{_strip(self.absolute(url))}: HTTP {answer.status} {answer.reason}")
        try:
            if answer.tree is not None:
                return xml.parse_multistatus(answer.tree, collection)
            return xml.parse_multistatus(answer.raw, collection)
        except xml.MalformedAnswer as error:
            raise DavError(f"{_strip(self.absolute(url))}: {error}") from None

    def propfind(
        self, url: str, props: Iterable[tuple[str, str]], depth: int = 0
    ) -> xml.Multistatus:
        """PROPFIND `props` on `url` (RFC 4918 §9.1); DavError if not a 207."""
        answer = self.request(
            "PROPFIND",
            url,
            xml.propfind_body(props),
            {"Depth": str(depth), "Content-Type": _XML_TYPE},
        )
        return self._multistatus(answer, url)

    # -- reading a calendar -------------------------------------------------------------

    def list_etags(self, calendar_url: str) -> Changes:
        """Every calendar object in the collection with its ETag (a Depth 1 PROPFIND)."""
        status = self.propfind(
            calendar_url,
            [(xml.DAV, "getetag"), (xml.DAV, "resourcetype"), (xml.DAV, "getcontenttype")],
            depth=1,
        )
        found: dict[str, str | None] = {}
        collection = urlsplit(self.absolute(calendar_url)).path
        for member in xml.members(status, collection):
            if member.status != 200 or xml.tag(xml.DAV, "collection") in member.resource_types():
                continue
            content_type = (member.text(xml.DAV, "getcontenttype") or "text/calendar").lower()
            if "calendar" not in content_type:
                continue
            found[member.href] = member.text(xml.DAV, "getetag")
        return Changes(found, frozenset(), None, complete=True)

    def ctag(self, calendar_url: str) -> str | None:
        """The collection's CTag (CalendarServer's getctag: it changes whenever any member
        does), or None when the server keeps none. A Depth 0 PROPFIND: on Radicale with
        5,000 events it answers in two thirds of the time of an empty sync report."""
        try:
            status = self.propfind(calendar_url, [(xml.CALSERVER, "getctag")], depth=0)
        except Forbidden:
            return None
        except (ServerUnreachable, AuthenticationFailed):
            raise
        except DavError:
            return None  # a server that will not say: the sync report decides
        for response in status.responses:
            found = response.text(xml.CALSERVER, "getctag")
            if found:
                return found
        return None

    def changes_since(self, calendar_url: str, sync_token: str | None) -> Changes:
        """Members changed since `sync_token` (every member when None), RFC 6578.

        Follows truncated answers (507 on the collection) with the token they give.
        Raises SyncTokenRejected when the server no longer knows the token, and
        SyncUnsupported when the collection has no sync-collection REPORT.
        """
        collection = urlsplit(self.absolute(calendar_url)).path
        changed: dict[str, str | None] = {}
        removed: set[str] = set()
        token = sync_token
        for _page in range(MAX_SYNC_PAGES):
            try:
                answer = self.request(
                    "REPORT",
                    calendar_url,
                    xml.sync_collection_body(token),
                    {"Depth": "0", "Content-Type": _XML_TYPE},
                )
            except Forbidden:
                raise SyncUnsupported(
                    f"{self.shown}: the sync-collection report is forbidden"
                ) from None
            if answer.status != 207:
                if token and (
                    answer.status in (409, 412) or _precondition(answer, "valid-sync-token")
                ):
                    raise SyncTokenRejected(f"{self.shown}: the sync-token is no longer valid")
                raise SyncUnsupported(
                    f"{self.shown}: no sync-collection report here (HTTP {answer.status})"
                )
            page = self._multistatus(answer, calendar_url, collection)
            for member in xml.members(page, collection):
                if member.status == 404:
                    removed.add(member.href)
                    changed.pop(member.href, None)
                elif member.status == 200:
                    if xml.tag(xml.DAV, "collection") in member.resource_types():
                        continue
                    changed[member.href] = member.text(xml.DAV, "getetag")
                    removed.discard(member.href)
            if page.sync_token is None:
                raise SyncUnsupported(f"{self.shown}: the sync report gave no sync-token")
            token = page.sync_token
            if not page.truncated:
                break
        return Changes(changed, frozenset(removed), token, complete=not sync_token)

    def multiget(self, calendar_url: str, hrefs: Sequence[str]) -> list[Resource]:
        """ETag and text of each of `hrefs` (RFC 4791 §7.9); missing ones are left out."""
        found: list[Resource] = []
        for first in range(0, len(hrefs), MULTIGET_BATCH):
            batch = hrefs[first : first + MULTIGET_BATCH]
            answer = self.request(
                "REPORT",
                calendar_url,
                xml.multiget_body(batch),
                {"Depth": "1", "Content-Type": _XML_TYPE},
            )
            status = self._multistatus(answer, calendar_url)
            for response in status.responses:
                data = response.text(xml.CALDAV, "calendar-data")
                if response.status != 200 or data is None:
                    continue
                found.append(Resource(response.href, response.text(xml.DAV, "getetag"), data))
        return found

    def get(self, href: str) -> Resource | None:
        """One calendar object by GET; None when it is not there."""
        answer = self.request("GET", href, headers={"Accept": "text/calendar"})
        if answer.status in (404, 410):
            return None
        if answer.status != 200:
            raise DavError(f"{_strip(self.absolute(href))}: HTTP {answer.status} {answer.reason}")
        return Resource(
            xml.canonical_href(href), _etag_header(answer.headers), answer.raw.decode("utf-8")
        )

    # -- writing -----------------------------------------------------------------------

    def put(self, href: str, data: str, *, etag: str | None) -> str | None:
        """Store `data` at `href`: create only (If-None-Match: *) when `etag` is None, else
        replace only that version (If-Match). Returns the new ETag when the server gives one.

        Raises PreconditionFailed (412: it exists already, or changed meanwhile) and
        ItemRefused (the server will not store this object).
        """
        headers = {"Content-Type": _CALENDAR_TYPE}
        if etag is None:
            headers["If-None-Match"] = "*"
        else:
            headers["If-Match"] = quoted_etag(etag)
        answer = self.request("PUT", href, data.encode("utf-8"), headers)
        if answer.status == 412:
            raise PreconditionFailed(xml.canonical_href(href))
        if answer.status not in (200, 201, 204):
            raise ItemRefused(xml.canonical_href(href), answer.status, answer.reason)
        new_etag = _etag_header(answer.headers)
        if new_etag is not None and new_etag.startswith("W/"):
            return None  # a weak ETag never matches If-Match (RFC 9110 §13.1.1)
        return new_etag

    def delete(self, href: str, *, etag: str | None) -> None:
        """Delete `href` if it is still the version `etag` (If-Match); gone already is fine."""
        headers = {"If-Match": quoted_etag(etag)} if etag else {}
        answer = self.request("DELETE", href, headers=headers)
        if answer.status == 412:
            raise PreconditionFailed(xml.canonical_href(href))
        if answer.status in (404, 410):
            return
        if answer.status not in (200, 202, 204):
            raise ItemRefused(xml.canonical_href(href), answer.status, answer.reason)

    def mkcalendar(self, url: str, display_name: str) -> None:
        """Create an event calendar at `url` (RFC 4791 §5.3.1); DavError when refused."""
        answer = self.request(
            "MKCALENDAR", url, xml.mkcalendar_body(display_name), {"Content-Type": _XML_TYPE}
        )
        if answer.status not in (200, 201):
            raise DavError(
                f"{_strip(self.absolute(url))}: the server would not create a calendar "
                f"(HTTP {answer.status} {answer.reason})"
            )


def _precondition(answer: _Answer, name: str) -> bool:
    if answer.tree is not None:
        return any(child.tag.rpartition("}")[2] == name for child in answer.tree)
    return name in xml.error_preconditions(answer.raw)


def _is_transport_error(error: BaseException) -> bool:
    if isinstance(error, OSError | TimeoutError):
        return True
    module = type(error).__module__
    return module.startswith(("niquests", "urllib3", "requests", "httpx", "ssl", "socket"))


def _short(error: BaseException) -> str:
    """A transport failure in a few words (the library's texts run to hundreds of characters)."""
    text = str(error) or type(error).__name__
    lowered = text.lower()
    for needle, words in (
        ("refused", "connection refused"),
        ("timed out", "no answer (timed out)"),
        ("timeout", "no answer (timed out)"),
        ("name or service not known", "unknown host name"),
        ("nodename nor servname", "unknown host name"),
        ("getaddrinfo", "unknown host name"),
        ("certificate", "its TLS certificate is not trusted"),
        ("reset by peer", "the connection was reset"),
        ("remote end closed", "the connection was closed"),
        ("remotedisconnected", "the connection was closed"),
        ("failed to establish", "connection refused"),
    ):
        if needle in lowered:
            return words
    return text if len(text) <= 120 else text[:120] + "..."

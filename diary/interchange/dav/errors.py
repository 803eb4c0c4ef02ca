"""What can go wrong talking to a calendar server, as errors a sync can act on.

Messages say what happened in words and name the server by its URL without credentials;
no message ever holds a password (the client never puts one in a URL).
"""

from __future__ import annotations


class DavError(Exception):
    """Base of every CalDAV failure."""


class ServerUnreachable(DavError):
    """No answer (connection refused, timeout, DNS) or a server-side failure (5xx).

    Nothing was decided by the server: try again later.
    """


class ServerBusy(ServerUnreachable):
    """429 or 503 with a Retry-After longer than we are willing to wait (RFC 9110 §10.2.3)."""

    def __init__(self, message: str, retry_after: float | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AuthenticationFailed(DavError):
    """401/403: the user name or password is refused, or the account may not do this."""


class Forbidden(AuthenticationFailed):
    """403: the login is fine, but this account may not do this here."""


class NotACalendarServer(DavError):
    """The URL answers, but not as a CalDAV server (no principal, no calendar home)."""


class CalendarNotFound(DavError):
    """The calendar asked for is not on the server (and could not be created)."""


class PreconditionFailed(DavError):
    """412 on a conditional write (RFC 9110 §13.1): someone changed the resource first."""

    def __init__(self, href: str) -> None:
        super().__init__(f"{href} was changed on the server meanwhile")
        self.href = href


class SyncTokenRejected(DavError):
    """The server no longer knows the sync-token (RFC 6578 §3.2 DAV:valid-sync-token)."""


class SyncUnsupported(DavError):
    """The collection does not support the sync-collection REPORT (RFC 6578)."""


class ItemRefused(DavError):
    """The server refused one calendar object (e.g. 403/409/415 on PUT); others go on."""

    def __init__(self, href: str, status: int, reason: str) -> None:
        super().__init__(f"{href}: the server refused it ({status} {reason})".rstrip())
        self.href = href
        self.status = status
        self.reason = reason

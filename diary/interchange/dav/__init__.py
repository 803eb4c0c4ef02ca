"""The CalDAV wire (RFC 4791, 6578, 6764): discovery, listing, conditional reads and writes.

No database and no sync decisions here: `diary.services.sync` decides, this carries.
"""

from diary.interchange.dav.client import CalDAVClient, Changes, Resource, quoted_etag
from diary.interchange.dav.discovery import (
    Discovery,
    RemoteCalendar,
    calendar_properties,
    discover,
    make_calendar,
)
from diary.interchange.dav.errors import (
    AuthenticationFailed,
    CalendarNotFound,
    DavError,
    Forbidden,
    ItemRefused,
    NotACalendarServer,
    PreconditionFailed,
    ServerBusy,
    ServerUnreachable,
    SyncTokenRejected,
    SyncUnsupported,
)
from diary.interchange.dav.xml import canonical_href

__all__ = [
    "AuthenticationFailed",
    "CalDAVClient",
    "CalendarNotFound",
    "Changes",
    "DavError",
    "Discovery",
    "Forbidden",
    "ItemRefused",
    "NotACalendarServer",
    "PreconditionFailed",
    "RemoteCalendar",
    "Resource",
    "ServerBusy",
    "ServerUnreachable",
    "SyncTokenRejected",
    "SyncUnsupported",
    "calendar_properties",
    "canonical_href",
    "discover",
    "make_calendar",
    "quoted_etag",
]

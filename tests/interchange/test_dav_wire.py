"""The CalDAV wire against real servers (Radicale and Xandikos on 127.0.0.1), same suite."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from diary.interchange.dav import (
    AuthenticationFailed,
    CalDAVClient,
    NotACalendarServer,
    PreconditionFailed,
    ServerBusy,
    ServerUnreachable,
    SyncTokenRejected,
    discover,
    make_calendar,
)

from tests.dav_servers import PASSWORD, USER, DavServer, free_port, fresh_calendar

EVENT = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//phone//EN\r\n"
    "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20300101T000000Z\r\n"
    "DTSTART:20300301T100000Z\r\nDTEND:20300301T110000Z\r\nSUMMARY:{title}\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


EMPTY_LISTING = (
    b'<?xml version="1.0"?><D:multistatus xmlns:D="DAV:"><D:response><D:href>/cal/</D:href>'
    b"<D:propstat><D:prop><D:resourcetype><D:collection/></D:resourcetype></D:prop>"
    b"<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>"
)


class Scripted:
    """A loopback HTTP server answering from a script, recording what it was asked."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, dict[str, str], bytes]] = []
        self.requests: list[tuple[str, str]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                owner.requests.append((self.command, self.path))
                status, headers, body = owner.answers.pop(0) if owner.answers else (404, {}, b"")
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_PUT = do_DELETE = do_REPORT = do_PROPFIND = do_OPTIONS = _answer

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/cal/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def scripted() -> Iterator[Scripted]:
    server = Scripted()
    yield server
    server.stop()


@pytest.fixture
def client(dav_server: DavServer) -> CalDAVClient:
    return CalDAVClient(dav_server.root, USER, PASSWORD)


def test_discovery_from_the_root_finds_principal_home_and_calendars(
    dav_server: DavServer, client: CalDAVClient
) -> None:
    phone = fresh_calendar(dav_server, "Family")
    found = discover(client)
    assert found.principal == dav_server.root.rstrip("/") + dav_server.principal
    assert found.homes == (dav_server.root.rstrip("/") + dav_server.home,)
    family = found.find(phone.path)
    assert family is not None and family.name == "Family"
    assert family.holds_events and family.writable and family.syncable


def test_discovery_from_a_calendar_url_names_that_calendar(
    dav_server: DavServer,
) -> None:
    phone = fresh_calendar(dav_server, "Jobs")
    found = discover(CalDAVClient(f"{dav_server.root.rstrip('/')}{phone.path}", USER, PASSWORD))
    assert found.given is not None and found.given.name == "Jobs"
    assert found.find("jobs") is not None  # by display name, case-insensitive


def test_discovery_falls_back_to_the_well_known_entry_point(dav_server: DavServer) -> None:
    # A path that is no DAV resource: RFC 6764 §5 sends us to /.well-known/caldav.
    start = f"{dav_server.root}no/such/place/"
    found = discover(CalDAVClient(start, USER, PASSWORD))
    assert found.principal == dav_server.root.rstrip("/") + dav_server.principal


def test_a_calendar_is_made_with_mkcalendar(client: CalDAVClient) -> None:
    found = discover(client)
    made = make_calendar(client, found, "Diary Jobs")
    again = discover(client)
    assert again.find("Diary Jobs") == made
    assert made.syncable


def test_conditional_writes_never_overwrite_someone_elses_change(
    dav_server: DavServer, client: CalDAVClient
) -> None:
    phone = fresh_calendar(dav_server)
    href = phone.path + "job.ics"
    first = client.put(href, EVENT.format(uid="job", title="one"), etag=None)
    assert first
    with pytest.raises(PreconditionFailed):  # If-None-Match: * on an existing resource
        client.put(href, EVENT.format(uid="job", title="again"), etag=None)
    phone_etag = phone.put("job.ics", EVENT.format(uid="job", title="phone"), etag=first)
    with pytest.raises(PreconditionFailed):  # If-Match with the version before the phone's
        client.put(href, EVENT.format(uid="job", title="desktop"), etag=first)
    with pytest.raises(PreconditionFailed):
        client.delete(href, etag=first)
    assert "SUMMARY:phone" in (phone.get("job.ics") or "")
    client.delete(href, etag=phone_etag)
    assert phone.get("job.ics") is None
    client.delete(href, etag=phone_etag)  # already gone: fine


def test_sync_collection_reports_changes_and_removals(
    dav_server: DavServer, client: CalDAVClient
) -> None:
    phone = fresh_calendar(dav_server)
    phone.put("a.ics", EVENT.format(uid="a", title="A"))
    url = dav_server.root.rstrip("/") + phone.path
    initial = client.changes_since(url, None)
    assert initial.complete and set(initial.changed) == {phone.path + "a.ics"}
    assert initial.token
    phone.put("b.ics", EVENT.format(uid="b", title="B"))
    phone.delete("a.ics")
    later = client.changes_since(url, initial.token)
    assert not later.complete
    assert set(later.changed) == {phone.path + "b.ics"}
    assert later.removed == {phone.path + "a.ics"}
    quiet = client.changes_since(url, later.token)
    assert not quiet.changed and not quiet.removed


def test_a_rejected_sync_token_is_told_apart(dav_server: DavServer, client: CalDAVClient) -> None:
    phone = fresh_calendar(dav_server)
    url = dav_server.root.rstrip("/") + phone.path
    with pytest.raises(SyncTokenRejected):
        client.changes_since(url, "http://example.invalid/ns/sync/0000")


def test_listing_and_multiget_agree_and_keep_a_uid_with_a_slash(
    dav_server: DavServer, client: CalDAVClient
) -> None:
    phone = fresh_calendar(dav_server)
    url = dav_server.root.rstrip("/") + phone.path
    client.put(phone.path + "one.ics", EVENT.format(uid="team/2030/one", title="One"), etag=None)
    client.put(phone.path + "two.ics", EVENT.format(uid="two", title="Zwei Ü"), etag=None)
    listing = client.list_etags(url)
    assert set(listing.changed) == {phone.path + "one.ics", phone.path + "two.ics"}
    fetched = {r.href: r for r in client.multiget(url, sorted(listing.changed))}
    assert fetched.keys() == listing.changed.keys()
    for href, resource in fetched.items():
        assert resource.etag == listing.changed[href]
    assert "UID:team/2030/one" in fetched[phone.path + "one.ics"].data
    assert "Zwei Ü" in fetched[phone.path + "two.ics"].data


# Radicale only: Xandikos, as the tests run it, serves without logins over plain HTTP.
@pytest.mark.parametrize("dav_server", ["radicale"], indirect=True)
def test_a_wrong_password_is_refused_in_words(dav_server: DavServer) -> None:
    with pytest.raises(AuthenticationFailed) as refused:
        discover(CalDAVClient(dav_server.root, USER, "not the password"))
    assert "not the password" not in str(refused.value)
    assert "refused the user name or password" in str(refused.value)


def test_a_server_that_is_not_there_is_unreachable() -> None:
    client = CalDAVClient(f"http://127.0.0.1:{free_port()}/dav/", USER, "secret-word")
    with pytest.raises(ServerUnreachable) as failure:
        discover(client)
    assert "secret-word" not in str(failure.value)
    assert "connection refused" in str(failure.value)


def test_a_plain_web_page_is_not_a_calendar_server(scripted: Scripted) -> None:
    scripted.answers = [(404, {}, b"not here")] * 3
    with pytest.raises(NotACalendarServer, match="does not look like a CalDAV server"):
        discover(CalDAVClient(scripted.url, USER, PASSWORD))
    assert [r[0] for r in scripted.requests] == ["PROPFIND", "GET"]  # then .well-known


def test_too_many_requests_waits_as_long_as_the_server_asks(scripted: Scripted) -> None:
    scripted.answers = [
        (429, {"Retry-After": "2"}, b""),
        (503, {"Retry-After": "3"}, b""),
        (207, {"Content-Type": "application/xml"}, EMPTY_LISTING),
    ]
    waits: list[float] = []
    client = CalDAVClient(scripted.url, USER, PASSWORD, sleep=waits.append)
    listing = client.list_etags(scripted.url)
    assert waits == [2.0, 3.0]
    assert listing.changed == {}


def test_a_server_busy_for_too_long_stops_the_sync(scripted: Scripted) -> None:
    scripted.answers = [(503, {"Retry-After": "3600"}, b"")]
    waits: list[float] = []
    client = CalDAVClient(scripted.url, USER, PASSWORD, sleep=waits.append, max_wait=60)
    with pytest.raises(ServerBusy, match="in 3600 s"):
        client.list_etags(scripted.url)
    assert waits == []


def test_a_server_error_is_reported_as_unreachable(scripted: Scripted) -> None:
    scripted.answers = [(500, {}, b"boom")]
    with pytest.raises(ServerUnreachable, match="HTTP 500"):
        CalDAVClient(scripted.url, USER, PASSWORD).list_etags(scripted.url)


def test_urls_with_credentials_are_refused() -> None:
    with pytest.raises(ValueError, match="must not hold"):
        CalDAVClient("https://bob:hunter2@cal.example.com/", "bob", None)

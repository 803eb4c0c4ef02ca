"""Reading multistatus answers as servers write them (no server needed)."""

from __future__ import annotations

import pytest

from diary.interchange.dav import xml

SYNC_PAGE = b"""<?xml version="1.0" encoding="utf-8"?>
<d:multistatus xmlns:d="DAV:">
  <d:response>
    <d:href>http://cal.example.com/cal/work/new%20one.ics</d:href>
    <d:propstat><d:prop><d:getetag>"e1"</d:getetag></d:prop>
      <d:status>HTTP/1.1 200 OK</d:status></d:propstat>
  </d:response>
  <d:response>
    <d:href>/cal/work/gone.ics</d:href>
    <d:status>HTTP/1.1 404 Not Found</d:status>
  </d:response>
  <d:response>
    <d:href>/cal/work/</d:href>
    <d:status>HTTP/1.1 507 Insufficient Storage</d:status>
  </d:response>
  <d:sync-token>http://example.com/ns/sync/42</d:sync-token>
</d:multistatus>"""


def test_a_sync_page_gives_changes_removals_token_and_truncation() -> None:
    page = xml.parse_multistatus(SYNC_PAGE, "/cal/work/")
    assert page.sync_token == "http://example.com/ns/sync/42"
    assert page.truncated
    by_href = {r.href: r for r in page.responses}
    assert by_href["/cal/work/new%20one.ics"].text(xml.DAV, "getetag") == '"e1"'
    assert by_href["/cal/work/gone.ics"].status == 404


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("/cal/a b.ics", "/cal/a%20b.ics"),
        ("/cal/a%20b.ics", "/cal/a%20b.ics"),
        ("https://host:8443/cal/a%40b.ics", "/cal/a@b.ics"),
        ("/cal/%7Euser/", "/cal/~user/"),
    ],
)
def test_hrefs_have_one_spelling(spelling: str, canonical: str) -> None:
    assert xml.canonical_href(spelling) == canonical


def test_a_dav_error_names_its_preconditions() -> None:
    body = b'<?xml version="1.0"?><D:error xmlns:D="DAV:"><D:valid-sync-token/></D:error>'
    assert xml.error_preconditions(body) == {"valid-sync-token"}
    assert xml.error_preconditions(b"<html>nope</html>") == set()


def test_something_else_than_a_multistatus_is_refused_in_words() -> None:
    with pytest.raises(xml.MalformedAnswer, match="not XML"):
        xml.parse_multistatus(b"<html")
    with pytest.raises(xml.MalformedAnswer, match="expected a DAV multistatus"):
        xml.parse_multistatus(b"<html/>")


def test_request_bodies_use_the_rfc_names() -> None:
    assert b"<D:sync-token />" in xml.sync_collection_body(None)
    assert b"<D:sync-level>1</D:sync-level>" in xml.sync_collection_body("t")
    body = xml.multiget_body(["/cal/a.ics"])
    assert b"calendar-multiget" in body and b"<D:href>/cal/a.ics</D:href>" in body

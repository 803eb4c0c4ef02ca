"""WebDAV/CalDAV request bodies and multistatus answers: small pure functions, no I/O.

Names follow RFC 4918 (WebDAV), RFC 4791 (CalDAV), RFC 6578 (sync-collection) and
RFC 5397 (current-user-principal). Answers are read with the standard library's
ElementTree (expat refuses entity expansion bombs), so nothing here needs a server.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urlsplit

DAV = "DAV:"
CALDAV = "urn:ietf:params:xml:ns:caldav"
APPLE = "http://apple.com/ns/ical/"
CALSERVER = "http://calendarserver.org/ns/"
_PREFIXES = {DAV: "D", CALDAV: "C", APPLE: "A", CALSERVER: "CS"}
_HEADER = '<?xml version="1.0" encoding="utf-8"?>\n'
# Characters kept as they are in a canonical href path (RFC 3986 pchar plus "/").
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


class MalformedAnswer(ValueError):
    """The server's XML cannot be read as the multistatus it should be."""


def tag(namespace: str, name: str) -> str:
    """ElementTree's name for an element: '{namespace}name'."""
    return f"{{{namespace}}}{name}"


def canonical_href(href: str) -> str:
    """The path of `href` in one spelling: absolute URLs lose scheme and host, and
    percent-escapes are re-applied uniformly, so two spellings of one resource compare equal."""
    path = urlsplit(href.strip()).path if "://" in href else href.strip().split("?", 1)[0]
    return quote(unquote(path), safe=_PATH_SAFE)


def _element(parent: ET.Element | None, namespace: str, name: str) -> ET.Element:
    if parent is None:
        return ET.Element(tag(namespace, name))
    return ET.SubElement(parent, tag(namespace, name))


def _serialise(root: ET.Element) -> bytes:
    for namespace, prefix in _PREFIXES.items():
        ET.register_namespace(prefix, namespace)
    return (_HEADER + ET.tostring(root, encoding="unicode")).encode("utf-8")


def propfind_body(props: Iterable[tuple[str, str]]) -> bytes:
    """PROPFIND asking for the given (namespace, name) properties (RFC 4918 §9.1)."""
    root = _element(None, DAV, "propfind")
    prop = _element(root, DAV, "prop")
    for namespace, name in props:
        _element(prop, namespace, name)
    return _serialise(root)


def sync_collection_body(sync_token: str | None) -> bytes:
    """REPORT sync-collection (RFC 6578 §3.2): members changed since `sync_token`, with ETags.

    An empty token asks for every member (the initial synchronisation).
    """
    root = _element(None, DAV, "sync-collection")
    _element(root, DAV, "sync-token").text = sync_token or ""
    _element(root, DAV, "sync-level").text = "1"
    prop = _element(root, DAV, "prop")
    _element(prop, DAV, "getetag")
    return _serialise(root)


def multiget_body(hrefs: Iterable[str]) -> bytes:
    """REPORT calendar-multiget (RFC 4791 §7.9) for ETag and calendar data of `hrefs`."""
    root = _element(None, CALDAV, "calendar-multiget")
    prop = _element(root, DAV, "prop")
    _element(prop, DAV, "getetag")
    _element(prop, CALDAV, "calendar-data")
    for href in hrefs:
        _element(root, DAV, "href").text = href
    return _serialise(root)


def mkcalendar_body(display_name: str) -> bytes:
    """MKCALENDAR (RFC 4791 §5.3.1) of an event calendar called `display_name`."""
    root = _element(None, CALDAV, "mkcalendar")
    prop = _element(_element(root, DAV, "set"), DAV, "prop")
    _element(prop, DAV, "displayname").text = display_name
    components = _element(prop, CALDAV, "supported-calendar-component-set")
    _element(components, CALDAV, "comp").set("name", "VEVENT")
    return _serialise(root)


# ------------------------------------------------------------------ answers


@dataclass(frozen=True, slots=True)
class Response:
    """One DAV:response of a multistatus: its href, overall status and found properties.

    `props` maps an element's ElementTree name to the element (status 200 propstats only);
    `status` is the response-level status (RFC 6578 uses 404 there for removed members),
    else 200 when properties were found.
    """

    href: str
    status: int
    props: dict[str, ET.Element] = field(default_factory=dict)

    def text(self, namespace: str, name: str) -> str | None:
        element = self.props.get(tag(namespace, name))
        if element is None:
            return None
        return "".join(element.itertext()).strip()

    def hrefs(self, namespace: str, name: str) -> list[str]:
        """The DAV:href values inside a property (current-user-principal, home sets)."""
        element = self.props.get(tag(namespace, name))
        if element is None:
            return []
        return [(h.text or "").strip() for h in element.iter(tag(DAV, "href")) if h.text]

    def has(self, namespace: str, name: str) -> bool:
        return tag(namespace, name) in self.props

    def resource_types(self) -> set[str]:
        element = self.props.get(tag(DAV, "resourcetype"))
        return {child.tag for child in element} if element is not None else set()

    def components(self) -> tuple[str, ...]:
        """supported-calendar-component-set names; () when the server did not say."""
        element = self.props.get(tag(CALDAV, "supported-calendar-component-set"))
        if element is None:
            return ()
        return tuple(
            str(comp.get("name", "")).upper() for comp in element.iter(tag(CALDAV, "comp"))
        )

    def privileges(self) -> set[str] | None:
        """current-user-privilege-set (RFC 3744 §5.4) as local names; None when absent."""
        element = self.props.get(tag(DAV, "current-user-privilege-set"))
        if element is None:
            return None
        found: set[str] = set()
        for privilege in element.iter(tag(DAV, "privilege")):
            for child in privilege:
                found.add(child.tag.rpartition("}")[2])
        return found


@dataclass(frozen=True, slots=True)
class Multistatus:
    """A 207 answer: its responses, plus the sync-token and truncation of a sync report."""

    responses: tuple[Response, ...]
    sync_token: str | None = None
    truncated: bool = False  # RFC 6578 §3.6: a 507 on the collection itself


def _status_code(element: ET.Element | None) -> int | None:
    if element is None or not element.text:
        return None
    parts = element.text.split()
    if len(parts) >= 2 and parts[1].isdigit():
        return int(parts[1])
    return None


def parse_multistatus(body: bytes | Any, collection: str | None = None) -> Multistatus:
    """Read a DAV:multistatus (bytes, or an already parsed element); MalformedAnswer if not one.

    `collection` is the href of the collection a sync report was sent to: a 507 response
    for it means the answer was truncated (more changes to fetch with the new token).
    """
    if isinstance(body, bytes):
        try:
            root = ET.fromstring(body)
        except ET.ParseError as error:
            raise MalformedAnswer(f"the server's answer is not XML: {error}") from error
    else:
        root = body
    if root.tag != tag(DAV, "multistatus"):
        raise MalformedAnswer(f"expected a DAV multistatus, got <{root.tag}>")
    responses: list[Response] = []
    truncated = False
    own = canonical_href(collection) if collection else None
    for node in root.findall(tag(DAV, "response")):
        href_node = node.find(tag(DAV, "href"))
        if href_node is None or not (href_node.text or "").strip():
            continue
        href = canonical_href(href_node.text or "")
        status = _status_code(node.find(tag(DAV, "status")))
        if status == 507 and own is not None and href.rstrip("/") == own.rstrip("/"):
            truncated = True
            continue
        props: dict[str, ET.Element] = {}
        for propstat in node.findall(tag(DAV, "propstat")):
            if _status_code(propstat.find(tag(DAV, "status"))) not in (200, None):
                continue
            prop = propstat.find(tag(DAV, "prop"))
            if prop is not None:
                for child in prop:
                    if isinstance(child.tag, str):  # lxml hands comments over as children
                        props[child.tag] = child
        responses.append(Response(href, status if status is not None else 200, props))
    token_node = root.find(tag(DAV, "sync-token"))
    token = (token_node.text or "").strip() if token_node is not None else None
    return Multistatus(tuple(responses), token or None, truncated)


def error_preconditions(body: bytes) -> set[str]:
    """The precondition names of a DAV:error body (RFC 4918 §16), e.g. 'valid-sync-token'."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return set()
    if root.tag != tag(DAV, "error"):
        return set()
    return {child.tag.rpartition("}")[2] for child in root}


def members(status: Multistatus, collection: str) -> Iterator[Response]:
    """The responses that are members of `collection` (not the collection itself)."""
    own = canonical_href(collection).rstrip("/")
    for response in status.responses:
        if response.href.rstrip("/") != own:
            yield response

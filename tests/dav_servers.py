"""Real CalDAV servers for tests and benchmarks: Radicale and Xandikos on 127.0.0.1.

Each runs as a child process on a free loopback port with its storage in a given folder,
and can be killed and started again on the same port and storage (a server dying
mid-sync). Nothing here talks to anything but 127.0.0.1.
"""

from __future__ import annotations

import base64
import http.client
import socket
import subprocess
import sys
import time
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

USER = "alice"
PASSWORD = "correct horse battery"
KINDS = ("radicale", "xandikos")


def _die_with_parent() -> None:
    """Linux: the server gets SIGKILL when the test process dies, however it dies."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class DavServer:
    """A running server: where it listens, who may log in, how to stop and restart it."""

    kind: str
    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def home(self) -> str:
        """The calendar home path of USER."""
        return f"/{USER}/" if self.kind == "radicale" else "/user/calendars/"

    @property
    def principal(self) -> str:
        return f"/{USER}/" if self.kind == "radicale" else "/user/"

    def calendar_url(self, name: str) -> str:
        return f"{self.root.rstrip('/')}{self.home}{name}/"

    def start(self) -> DavServer:
        if self.kind == "radicale":
            command = self._radicale_command()
        elif self.kind == "xandikos":
            command = self._xandikos_command()
        else:
            raise ValueError(f"unknown server kind {self.kind!r}")
        log = (self.folder / f"{self.kind}.log").open("ab")
        self.process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent
        )
        log.close()
        self._wait_until_up()
        return self

    def kill(self) -> None:
        """SIGKILL: the server dies as a crashed or unplugged one does."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def log_tail(self) -> str:
        path = self.folder / f"{self.kind}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def _radicale_command(self) -> list[str]:
        users = self.folder / "users"
        users.write_text(f"{USER}:{PASSWORD}\n")
        config = self.folder / "radicale.conf"
        config.write_text(
            "[server]\n"
            f"hosts = 127.0.0.1:{self.port}\n"
            "[auth]\n"
            "type = htpasswd\n"
            f"htpasswd_filename = {users}\n"
            "htpasswd_encryption = plain\n"
            "delay = 0\n"
            "[rights]\n"
            "type = owner_only\n"
            "[storage]\n"
            f"filesystem_folder = {self.folder / 'collections'}\n"
            "[logging]\n"
            "level = warning\n"
        )
        return [sys.executable, "-m", "radicale", "--config", str(config)]

    def _xandikos_command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "xandikos",
            "serve",
            "--defaults",
            "-d",
            str(self.folder / "xandikos"),
            "--state-dir",
            str(self.folder / "xandikos-state"),
            "--no-detect-systemd",
            "-l",
            "127.0.0.1",
            "-p",
            str(self.port),
        ]

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + 30
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                try:
                    connection.request("OPTIONS", "/")
                    if connection.getresponse().status < 500:
                        return
                finally:
                    connection.close()
            except OSError:
                pass
            process = self.process
            if process is None or process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"{self.kind} did not start:\n{self.log_tail()}")
            time.sleep(0.05)


def start_server(kind: str, folder: Path) -> DavServer:
    folder.mkdir(parents=True, exist_ok=True)
    return DavServer(kind, folder).start()


class Phone:
    """A plain CalDAV client, as a phone is: PUTs, edits and DELETEs one calendar by hand."""

    def __init__(self, server: DavServer, calendar_path: str) -> None:
        self.server = server
        self.path = calendar_path if calendar_path.endswith("/") else calendar_path + "/"
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        self._auth = {"Authorization": f"Basic {token}"}

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers={**self._auth, **(headers or {})})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def make(self, name: str = "Work") -> Phone:
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
            f"<D:set><D:prop><D:displayname>{name}</D:displayname></D:prop></D:set>"
            "</C:mkcalendar>"
        ).encode()
        status, _headers, answer = self.request(
            "MKCALENDAR", self.path, body, {"Content-Type": "application/xml"}
        )
        assert status == 201, answer
        return self

    def put(self, name: str, ics: str, etag: str | None = None) -> str:
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        if etag:
            headers["If-Match"] = etag
        status, answer_headers, answer = self.request(
            "PUT", self.path + name, ics.encode(), headers
        )
        assert status in (201, 204), (status, answer)
        return answer_headers.get("ETag") or answer_headers.get("Etag") or ""

    def get(self, name: str) -> str | None:
        status, _headers, answer = self.request("GET", self.path + name)
        if status == 404:
            return None
        assert status == 200, (status, answer)
        return answer.decode()

    def delete(self, name: str) -> None:
        status, _headers, answer = self.request("DELETE", self.path + name)
        assert status in (200, 204), (status, answer)

    def names(self) -> dict[str, str]:
        """Every object in the calendar: resource name -> its text."""
        body = (
            b'<?xml version="1.0" encoding="utf-8"?>'
            b'<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
            b"<D:prop><D:getetag/><C:calendar-data/></D:prop>"
            b'<C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>'
        )
        status, _headers, answer = self.request(
            "REPORT", self.path, body, {"Depth": "1", "Content-Type": "application/xml"}
        )
        assert status == 207, answer
        found = {}
        root = ET.fromstring(answer)
        for response in root.iter("{DAV:}response"):
            href = unquote(response.findtext("{DAV:}href") or "")
            data = response.findtext(".//{urn:ietf:params:xml:ns:caldav}calendar-data")
            if data is not None:
                found[href.rstrip("/").rpartition("/")[2]] = data
        return found


def fresh_calendar(server: DavServer, name: str = "Work") -> Phone:
    """A new, empty calendar on `server` (a unique path), with a phone pointed at it."""
    return Phone(server, f"{server.home}{uuid.uuid4().hex[:12]}/").make(name)

"""A diary process to be killed mid-sync: `python -m tests.robustness.sync_kill_worker URL`.

Opens the diary at URL and runs `diary sync` of its account "Work" through the service, as
the command line does. Every CalDAV request is announced: `SENDING <method>` before it
goes out and `ANSWERED <method> <status>` once the server's answer is read, flushed at
once, so the parent knows how far the sync has gone and can SIGKILL it between any two
steps (or while the server is still writing). After the sync it prints `SYNCED ...` and
waits on stdin, so the parent's kill never races the process's own exit.

The password comes from DIARY_CALDAV_PASSWORD (a child has no keyring in the tests).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import UTC, datetime

from diary.interchange.dav import CalDAVClient
from diary.services import DiaryService
from diary.services.clock import FixedClock

NOW = datetime(2031, 2, 3, 8, 0, tzinfo=UTC)  # far from any real date, on purpose
ZONE = "Europe/Berlin"
ACCOUNT = "Work"


def _announcing(original: object) -> object:
    def request(
        self: CalDAVClient,
        method: str,
        url: str,
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
    ) -> object:
        print(f"SENDING {method}", flush=True)
        answer = original(self, method, url, body, headers)  # type: ignore[operator]
        print(f"ANSWERED {method} {answer.status}", flush=True)  # type: ignore[attr-defined]
        return answer

    return request


def main(url: str) -> None:
    CalDAVClient.request = _announcing(CalDAVClient.request)  # type: ignore[method-assign]
    service = DiaryService.open(url, zone=ZONE, clock=FixedClock(NOW))
    print("READY", flush=True)
    (report,) = service.syncing.sync(ACCOUNT)
    print(f"SYNCED pushed={report.pushed} pulled={report.pulled} error={report.error}", flush=True)
    sys.stdin.read()  # the parent kills us here if its count outran the sync


if __name__ == "__main__":
    main(sys.argv[1])

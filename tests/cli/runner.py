"""Runs `diary --db FILE --tz Europe/London ...` in-process and captures what it prints.

Every run gets the same FixedClock: "now" is NOW, a Friday in November 2026, before every
date the CLI tests book. So the tests hold on any real date (a refusal's nearest slot,
`list` without --from, `suggest` without --after and promise risks all read this clock).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from diary.cli import main
from diary.services.clock import Clock, FixedClock

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


class Diary:
    def __init__(
        self, db: Path, capsys: pytest.CaptureFixture[str], clock: Clock | None = None
    ) -> None:
        self.db = db
        self.capsys = capsys
        self.clock = clock or FixedClock(NOW)

    def __call__(self, *args: str) -> tuple[int, str, str]:
        try:
            code = main(["--db", str(self.db), "--tz", "Europe/London", *args], clock=self.clock)
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err

    def ok(self, *args: str) -> str:
        code, out, err = self(*args)
        assert code == 0, err
        return out

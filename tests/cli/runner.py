"""Runs `diary --db FILE --tz Europe/London ...` in-process and captures what it prints."""

from __future__ import annotations

from pathlib import Path

import pytest

from diary.cli import main


class Diary:
    def __init__(self, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db = db
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        try:
            code = main(["--db", str(self.db), "--tz", "Europe/London", *args])
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err

    def ok(self, *args: str) -> str:
        code, out, err = self(*args)
        assert code == 0, err
        return out

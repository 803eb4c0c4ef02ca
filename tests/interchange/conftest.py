"""Shared fixtures for the interchange tests: paths, a fixed clock, sample exports."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

DATA = Path(__file__).parent / "data"
# A copy of the icalendar project's test files (BSD, see its LICENSE.rst): kept in the
# repository so a bare clone runs every interop test.
CORPUS = REPO / "tests" / "data" / "corpus"
NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def data_dir() -> Path:
    return DATA

"""When storage stamps a row: the clock of the database the session belongs to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

CLOCK_KEY = "diary_clock"


def now(session: Session) -> datetime:
    """The instant (aware UTC) of the clock the session's database was opened with."""
    return session.info[CLOCK_KEY]()

"""Database URLs as they may be kept or shown: without the password. Beside the layers (like
`diary.about`), standard library only: the storage names databases in its messages with it,
the window keys its settings with it before the database layer loads.

A URL given with `--db` or `DIARY_DB` may carry a password
(`postgresql+psycopg://user:secret@host/db`, or `?password=secret`). The password stays in
memory, where the connection needs it; settings, logs and messages get `without_password`.
"""

from __future__ import annotations

import re

# scheme://user:password@host[:port][/path][?query]. The password is everything up to the
# first "@" after which the host part holds no other "@" (so "p@ss" in a password is hidden
# whole); SQLAlchemy's own parser stops at the first "@".
_CREDENTIALS = re.compile(
    r"^(?P<scheme>[\w+]+://)(?P<user>[^:/@?]*):(?P<password>.*?)@(?P<rest>[^@/?]*(?:[/?].*)?)$",
    re.DOTALL,
)
_QUERY_PASSWORD = re.compile(r"(?i)([?&](?:password|passwd|pwd)=)[^&]*")
HIDDEN = "***"


def without_password(url: str) -> str:
    """`url` with any password replaced by `***`, as SQLAlchemy shows it; a path as given."""
    found = _CREDENTIALS.match(url)
    if found is not None:
        url = f"{found['scheme']}{found['user']}:{HIDDEN}@{found['rest']}"
    if "://" in url and "?" in url:
        head, _sep, query = url.partition("?")
        url = head + _QUERY_PASSWORD.sub(lambda m: m.group(1) + HIDDEN, "?" + query)
    return url

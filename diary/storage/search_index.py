"""Asking the full-text index behind search (its schema: `search_schema`).

Every word typed is a prefix ("Mül" finds "Müller"); all the words must match. SQLite asks
its FTS5 tables (LIKE over the tables where the library lacks FTS5: slow on a big diary,
never wrong); PostgreSQL its tsvector documents.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, bindparam, text
from sqlalchemy.orm import Session

from diary.storage.search_schema import indexed, key_of
from diary.storage.types import UTCDateTime

# A word longer than FTS5's ready prefixes is looked up in the term list and asked as an OR
# of the (at most this many) terms it begins: FTS5 would otherwise merge the whole doclist
# of a frequent word ("visit"*: every row) before the first answer.
MAX_EXPANSION = 64
READY_PREFIX = 3
MAX_WORDS = 8
# PostgreSQL: a query first reads at most this many matches from the GIN index; when there
# are no more, they are sorted here; when there are, the start index is walked instead.
BROAD = 1000

_WORDS = re.compile(r"\w+", re.UNICODE)


def words_of(typed: str) -> list[str]:
    """The words of a query as the index reads them (letters and digits, folded case)."""
    return _WORDS.findall(typed.casefold())[:MAX_WORDS]


# ------------------------------------------------------------------ asking it


class _Query:
    """The words as the back end's query language, and the SQL pieces that use them."""

    def __init__(self, session: Session, words: list[str]) -> None:
        self.dialect = session.get_bind().dialect.name
        connection = session.connection()
        self.indexed = indexed(connection)
        if self.dialect == "postgresql":
            self.param = " & ".join(f"{word}:*" for word in words)
        elif self.indexed:
            self.param = " ".join(f'"{word}"*' for word in words)
        else:
            self.param = ""
        self.words = words

    def ids(self, table: str) -> str:
        """SQL selecting the ids of `table`'s documents that match `:q`."""
        if self.dialect == "postgresql":
            return f"SELECT id FROM {table} WHERE document @@ to_tsquery('simple', :q)"
        return f"SELECT rowid FROM {table} WHERE {table} MATCH :q"

    def like(self, columns: list[str]) -> tuple[str, dict[str, Any]]:
        """Without an index: every word must start a word of one of `columns` (read whole)."""
        clauses = []
        params: dict[str, Any] = {}
        for i, word in enumerate(self.words):
            params[f"w{i}"] = f"% {word}%"
            clauses.append(
                "("
                + " OR ".join(f"(' ' || lower({column})) LIKE :w{i}" for column in columns)
                + ")"
            )
        return " AND ".join(clauses) or "1 = 1", params


_NOW = bindparam("now", type_=UTCDateTime())


def _ids(session: Session, sql: str, params: dict[str, Any]) -> list[int]:
    statement = text(sql).bindparams(_NOW) if ":now" in sql else text(sql)
    return [int(row[0]) for row in session.execute(statement, params)]


def appointment_ids(
    session: Session, diary_id: int, words: list[str], now: datetime, limit: int
) -> list[int]:
    """Ids of the diary's live appointments matching every word: the coming ones first
    (soonest first), then the past ones (latest first); at most `limit`.

    The index hands the matches over in time order from now, forwards then backwards, and
    stops at `limit`, however many there are ("v": every row): SQLite's FTS5 by its rowid
    (the start); PostgreSQL sorts up to BROAD matches read from GIN, and walks the btree on
    the documents' start beside it when there are more.
    """
    if not words:
        return []
    query = _Query(session, words)
    params: dict[str, Any] = {"q": query.param, "d": diary_id, "now": now, "n": limit}
    if not query.indexed:
        where, like = query.like(
            [
                "a.title",
                "a.notes",
                "coalesce(c.name, '')",
                "coalesce(l.name, '')",
                "coalesce(l.address, '')",
            ]
        )
        base = (
            "SELECT a.id FROM appointments a LEFT JOIN customers c ON c.id = a.customer_id "
            "LEFT JOIN locations l ON l.id = a.location_id WHERE a.diary_id = :d "
            f"AND a.cancelled = false AND {where}"
        )
        params |= like
        coming = _ids(
            session, f"{base} AND a.start_utc >= :now ORDER BY a.start_utc LIMIT :n", params
        )
        params["n"] = max(0, limit - len(coming))
        past = _ids(
            session, f"{base} AND a.start_utc < :now ORDER BY a.start_utc DESC LIMIT :n", params
        )
        return coming + past
    if query.dialect == "sqlite":
        return _sqlite_appointment_ids(session, query, diary_id, now, limit)
    # PostgreSQL: the document rows carry the diary and the start (see _PG_APPOINTMENT_DOC).
    # The planner guesses a prefix's matches poorly (an unknown word gets a share of every
    # row), so a walk of the start index could read the whole diary for a word that matches
    # nothing. A bounded read of the GIN matches first settles the few-matches case.
    few = session.execute(
        text(
            "SELECT id, start_utc FROM search_appointments WHERE diary_id = :d "
            "AND document @@ to_tsquery('simple', :q) LIMIT :broad"
        ).columns(id=Integer(), start_utc=UTCDateTime()),
        params | {"broad": BROAD + 1},
    ).all()
    if len(few) <= BROAD:
        starts = [(int(row[0]), row[1]) for row in few]
        ahead = sorted((s for s in starts if s[1] >= now), key=lambda s: (s[1], s[0]))
        behind = sorted((s for s in starts if s[1] < now), key=lambda s: (s[1], s[0]), reverse=True)
        return [i for i, _start in (ahead + behind)[:limit]]
    sql = (
        "SELECT id FROM search_appointments WHERE diary_id = :d "
        "AND document @@ to_tsquery('simple', :q) AND start_utc "
    )
    coming = _ids(session, sql + ">= :now ORDER BY start_utc, id LIMIT :n", params)
    if len(coming) >= limit:
        return coming[:limit]
    params["n"] = limit - len(coming)
    return coming + _ids(session, sql + "< :now ORDER BY start_utc DESC, id DESC LIMIT :n", params)


def _sqlite_appointment_ids(
    session: Session, query: _Query, diary_id: int, now: datetime, limit: int
) -> list[int]:
    """FTS5 streams the matches in rowid (= start) order from now, forwards then backwards;
    the diary is checked on each by its primary key (CROSS JOIN keeps FTS5 outside)."""
    sql = (
        "SELECT search_appointments.id FROM search_appointments "
        "CROSS JOIN appointments a ON a.id = search_appointments.id "
        "WHERE search_appointments MATCH :q AND a.diary_id = :d AND search_appointments.rowid "
    )
    match = _expanded(session, query.words)
    if match is None:
        return []  # a word begins no word of any appointment
    params: dict[str, Any] = {"q": match, "d": diary_id, "k": key_of(now), "n": limit}
    coming = _ids(session, sql + ">= :k ORDER BY search_appointments.rowid LIMIT :n", params)
    if len(coming) >= limit:
        return coming[:limit]
    params["n"] = limit - len(coming)
    return coming + _ids(
        session, sql + "< :k ORDER BY search_appointments.rowid DESC LIMIT :n", params
    )


def _fts_word(word: str) -> str:
    """A word as the unicode61 tokenizer with remove_diacritics files it ("Müll" -> "mull")."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _expanded(session: Session, words: list[str]) -> str | None:
    """The FTS5 query for the appointments: short words as ready prefixes, longer ones as
    the OR of the terms they begin; None when a word begins no term at all."""
    parts = []
    for word in (_fts_word(w) for w in words):
        if len(word) <= READY_PREFIX:
            parts.append(f'"{word}"*')
            continue
        terms = [
            str(row[0])
            for row in session.execute(
                text(
                    "SELECT term FROM search_appointments_terms "
                    "WHERE term >= :lo AND term < :hi LIMIT :n"
                ),
                {"lo": word, "hi": word + "\U0010ffff", "n": MAX_EXPANSION + 1},
            )
        ]
        if not terms:
            return None
        if len(terms) > MAX_EXPANSION:
            parts.append(f'"{word}"*')
        else:
            parts.append("(" + " OR ".join(f'"{term}"' for term in terms) + ")")
    return " AND ".join(parts)


def customer_ids(session: Session, words: list[str], limit: int) -> list[int]:
    """Ids of customers matching every word (name, e-mail, phone, notes), by name."""
    if not words:
        return []
    query = _Query(session, words)
    if not query.indexed:
        where, params = query.like(["name", "email", "phone", "notes"])
        return _ids(
            session,
            f"SELECT id FROM customers WHERE {where} ORDER BY name LIMIT :n",
            params | {"n": limit},
        )
    return _ids(
        session,
        f"SELECT id FROM customers WHERE id IN ({query.ids('search_customers')}) "
        "ORDER BY name LIMIT :n",
        {"q": query.param, "n": limit},
    )


def promise_ids(session: Session, words: list[str], limit: int) -> list[int]:
    """Ids of promises matching every word (what, notes, the customer's name), by due."""
    if not words:
        return []
    query = _Query(session, words)
    if not query.indexed:
        where, params = query.like(["p.what", "p.notes", "c.name"])
        return _ids(
            session,
            "SELECT p.id FROM promises p JOIN customers c ON c.id = p.customer_id "
            f"WHERE {where} ORDER BY p.due_utc LIMIT :n",
            params | {"n": limit},
        )
    return _ids(
        session,
        f"SELECT id FROM promises WHERE id IN ({query.ids('search_promises')}) "
        "ORDER BY due_utc LIMIT :n",
        {"q": query.param, "n": limit},
    )

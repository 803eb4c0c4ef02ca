"""The full-text index's schema: its tables, the triggers that keep it, and filling it.

One document per appointment (title, notes, the customer's name, the place's name and
address), per customer (name, e-mail, phone, notes) and per promise (what, notes, the
customer's name). Triggers keep the documents in step with every write, whoever makes it
(the window, the command line, a colleague on PostgreSQL); an import's bulk insert on SQLite
files its appointments itself, in the same transaction (`deferred_appointments`).

- SQLite: FTS5 tables (`search_*`) with the unicode61 tokenizer folding accents, so
  "muller" finds "Müller". Without FTS5 in the SQLite library the index is left out and
  search reads the tables with LIKE (slow on a big diary, never wrong).
- PostgreSQL: a tsvector per row (`search_*` tables, GIN indexes, the 'simple' text
  configuration: no stemming, names stay names).

Every word typed is a prefix ("Mül" finds "Müller"); all the words must match.
The tables are derived data: a migration builds them, `rebuild` fills them again.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Connection

SEARCH_TABLES = ("search_appointments", "search_customers", "search_promises")


def is_search_object(name: str | None) -> bool:
    """True for the index's own tables (FTS5 keeps shadow tables beside each)."""
    return bool(name) and any(str(name).startswith(table) for table in SEARCH_TABLES)


# ------------------------------------------------------------------ SQLite (FTS5)

# An appointment's document is filed under a rowid that sorts by its start: the start in
# epoch seconds (offset to stay positive) shifted past the appointment's own id. Asking
# FTS5 for matches from now on, in rowid order, is then asking for the nearest ones first,
# and it stops after `limit` however many there are ("v" matches every row).
ID_BITS = 24
EPOCH_OFFSET = 2**31


def sqlite_key(alias: str) -> str:
    """The rowid of the document of appointment row `alias` (SQL expression)."""
    return (
        f"((CAST(strftime('%s', {alias}.start_utc) AS INTEGER) + {EPOCH_OFFSET}) "
        f"* {2**ID_BITS} + ({alias}.id % {2**ID_BITS}))"
    )


def key_of(moment: datetime) -> int:
    """The smallest rowid of a document starting in `moment`'s second or later."""
    return (math.floor(moment.timestamp()) + EPOCH_OFFSET) * 2**ID_BITS


_SQLITE_APPOINTMENT_DOC = f"""
    SELECT {sqlite_key("a")}, a.id, a.title, a.notes,
           coalesce((SELECT c.name FROM customers c WHERE c.id = a.customer_id), ''),
           coalesce((SELECT l.name || ' ' || l.address FROM locations l
                     WHERE l.id = a.location_id), '')
    FROM appointments a
"""
_SQLITE_PROMISE_DOC = """
    SELECT p.id, p.what, p.notes,
           coalesce((SELECT c.name FROM customers c WHERE c.id = p.customer_id), '')
    FROM promises p
"""
# Accents folded ("muller" finds "Müller"); prefixes of 1-3 letters kept ready, for the
# first letters typed; no positions (no phrase queries are asked).
_SQLITE_OPTIONS = "tokenize='unicode61 remove_diacritics 2', prefix='1 2 3', detail=none"
_INSERT_APPOINTMENTS = "INSERT INTO search_appointments(rowid, id, title, notes, customer, place)"

# FTS5 writes its pending terms out whenever a document's rowid is not above the one before
# (and at every statement that fires a trigger), and an import's rows come in file order, not
# by start: filed by the row trigger, most documents of an import were a write-out each. So a
# bulk insert files its rows itself, in one statement in rowid order (`deferred_appointments`),
# while this table holds a row; it only ever does inside the inserting transaction, so a
# crash loses the rows and their documents together.
DEFERRED = "search_appointments_deferred"


def _appointments_insert_trigger(deferrable: bool) -> str:
    """The trigger filing a new live appointment; `deferrable`: not while DEFERRED holds a row
    (the other form is what revisions before 0010 had)."""
    deferred = f" AND NOT EXISTS (SELECT 1 FROM {DEFERRED})" if deferrable else ""
    return f"""CREATE TRIGGER search_appointments_ai AFTER INSERT ON appointments
        WHEN NOT new.cancelled{deferred} BEGIN
        {_INSERT_APPOINTMENTS} {_SQLITE_APPOINTMENT_DOC} WHERE a.id = new.id; END"""


SQLITE_DEFERRED_TABLE = f"CREATE TABLE {DEFERRED} (deferring integer NOT NULL)"
SQLITE_INSERT_TRIGGER = _appointments_insert_trigger(deferrable=True)
SQLITE_INSERT_TRIGGER_BEFORE_0010 = _appointments_insert_trigger(deferrable=False)

SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE search_appointments USING fts5("
    f"id UNINDEXED, title, notes, customer, place, {_SQLITE_OPTIONS})",
    # The appointments' term list, for expanding a typed prefix into the words it begins.
    "CREATE VIRTUAL TABLE search_appointments_terms USING fts5vocab(search_appointments, row)",
    "CREATE VIRTUAL TABLE search_customers USING fts5("
    f"name, email, phone, notes, {_SQLITE_OPTIONS})",
    f"CREATE VIRTUAL TABLE search_promises USING fts5(what, notes, customer, {_SQLITE_OPTIONS})",
    # appointments: live ones only (a cancelled appointment is never offered)
    SQLITE_DEFERRED_TABLE,
    SQLITE_INSERT_TRIGGER,
    f"""CREATE TRIGGER search_appointments_ad AFTER DELETE ON appointments BEGIN
        DELETE FROM search_appointments WHERE rowid = {sqlite_key("old")}; END""",
    f"""CREATE TRIGGER search_appointments_au AFTER UPDATE OF
        title, notes, customer_id, location_id, start_utc, cancelled ON appointments BEGIN
        DELETE FROM search_appointments WHERE rowid = {sqlite_key("old")};
        {_INSERT_APPOINTMENTS} {_SQLITE_APPOINTMENT_DOC}
            WHERE a.id = new.id AND NOT a.cancelled; END""",
    # customers: their own document, and the appointments and promises that name them
    """CREATE TRIGGER search_customers_ai AFTER INSERT ON customers BEGIN
        INSERT INTO search_customers(rowid, name, email, phone, notes)
        VALUES (new.id, new.name, new.email, new.phone, new.notes); END""",
    """CREATE TRIGGER search_customers_ad AFTER DELETE ON customers BEGIN
        DELETE FROM search_customers WHERE rowid = old.id; END""",
    f"""CREATE TRIGGER search_customers_au
        AFTER UPDATE OF name, email, phone, notes ON customers BEGIN
        DELETE FROM search_customers WHERE rowid = old.id;
        INSERT INTO search_customers(rowid, name, email, phone, notes)
        VALUES (new.id, new.name, new.email, new.phone, new.notes);
        DELETE FROM search_appointments WHERE rowid IN (
            SELECT {sqlite_key("a")} FROM appointments a WHERE a.customer_id = new.id);
        {_INSERT_APPOINTMENTS} {_SQLITE_APPOINTMENT_DOC}
            WHERE a.customer_id = new.id AND NOT a.cancelled;
        DELETE FROM search_promises
            WHERE rowid IN (SELECT id FROM promises WHERE customer_id = new.id);
        INSERT INTO search_promises(rowid, what, notes, customer)
            {_SQLITE_PROMISE_DOC} WHERE p.customer_id = new.id; END""",
    f"""CREATE TRIGGER search_locations_au AFTER UPDATE OF name, address ON locations BEGIN
        DELETE FROM search_appointments WHERE rowid IN (
            SELECT {sqlite_key("a")} FROM appointments a WHERE a.location_id = new.id);
        {_INSERT_APPOINTMENTS} {_SQLITE_APPOINTMENT_DOC}
            WHERE a.location_id = new.id AND NOT a.cancelled; END""",
    # promises
    f"""CREATE TRIGGER search_promises_ai AFTER INSERT ON promises BEGIN
        INSERT INTO search_promises(rowid, what, notes, customer)
        {_SQLITE_PROMISE_DOC} WHERE p.id = new.id; END""",
    """CREATE TRIGGER search_promises_ad AFTER DELETE ON promises BEGIN
        DELETE FROM search_promises WHERE rowid = old.id; END""",
    f"""CREATE TRIGGER search_promises_au
        AFTER UPDATE OF what, notes, customer_id ON promises BEGIN
        DELETE FROM search_promises WHERE rowid = old.id;
        INSERT INTO search_promises(rowid, what, notes, customer)
        {_SQLITE_PROMISE_DOC} WHERE p.id = new.id; END""",
)
SQLITE_FILL = (
    "DELETE FROM search_appointments",
    "DELETE FROM search_customers",
    "DELETE FROM search_promises",
    f"{_INSERT_APPOINTMENTS} {_SQLITE_APPOINTMENT_DOC} WHERE NOT a.cancelled ORDER BY 1",
    "INSERT INTO search_customers(rowid, name, email, phone, notes) "
    "SELECT id, name, email, phone, notes FROM customers",
    f"INSERT INTO search_promises(rowid, what, notes, customer) {_SQLITE_PROMISE_DOC}",
)
SQLITE_TRIGGERS = (
    "search_appointments_ai",
    "search_appointments_ad",
    "search_appointments_au",
    "search_customers_ai",
    "search_customers_ad",
    "search_customers_au",
    "search_locations_au",
    "search_promises_ai",
    "search_promises_ad",
    "search_promises_au",
)

# ------------------------------------------------------------------ PostgreSQL (tsvector)

# An appointment's document carries its diary and start, so that one index walk answers
# "the matches from now on, soonest first" (GIN cannot give rows in order; the btree on
# (diary_id, start_utc, id) can, and PostgreSQL filters it with the document or sorts the
# GIN matches, whichever is cheaper). Live appointments only, as on SQLite.
_PG_APPOINTMENT_DOC = """
    SELECT a.id, a.diary_id, a.start_utc,
           to_tsvector('simple', concat_ws(' ', a.title, a.notes, c.name, l.name, l.address))
    FROM appointments a
    LEFT JOIN customers c ON c.id = a.customer_id
    LEFT JOIN locations l ON l.id = a.location_id
"""
_PG_APPOINTMENT_COLUMNS = "(id, diary_id, start_utc, document)"
_PG_CUSTOMER_DOC = """
    SELECT c.id, to_tsvector('simple', concat_ws(' ', c.name, c.email, c.phone, c.notes))
    FROM customers c
"""
_PG_PROMISE_DOC = """
    SELECT p.id, to_tsvector('simple', concat_ws(' ', p.what, p.notes, c.name))
    FROM promises p JOIN customers c ON c.id = p.customer_id
"""
_UPSERT = "ON CONFLICT (id) DO UPDATE SET document = excluded.document"
_UPSERT_APPOINTMENT = (
    "ON CONFLICT (id) DO UPDATE SET diary_id = excluded.diary_id, "
    "start_utc = excluded.start_utc, document = excluded.document"
)

POSTGRES_CREATE = (
    "CREATE TABLE search_appointments (id integer PRIMARY KEY "
    "REFERENCES appointments(id) ON DELETE CASCADE, diary_id integer NOT NULL, "
    "start_utc timestamp without time zone NOT NULL, document tsvector NOT NULL)",
    "CREATE INDEX search_appointments_start ON search_appointments (diary_id, start_utc, id)",
    "CREATE TABLE search_customers (id integer PRIMARY KEY "
    "REFERENCES customers(id) ON DELETE CASCADE, document tsvector NOT NULL)",
    "CREATE TABLE search_promises (id integer PRIMARY KEY "
    "REFERENCES promises(id) ON DELETE CASCADE, document tsvector NOT NULL)",
    "CREATE INDEX search_appointments_document ON search_appointments USING gin (document)",
    "CREATE INDEX search_customers_document ON search_customers USING gin (document)",
    "CREATE INDEX search_promises_document ON search_promises USING gin (document)",
    f"""CREATE FUNCTION search_appointments_keep() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM search_appointments WHERE id = NEW.id;
        INSERT INTO search_appointments {_PG_APPOINTMENT_COLUMNS} {_PG_APPOINTMENT_DOC}
            WHERE a.id = NEW.id AND NOT a.cancelled;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_appointments_keep
        AFTER INSERT OR UPDATE OF title, notes, customer_id, location_id, start_utc, cancelled,
        diary_id ON appointments
        FOR EACH ROW EXECUTE FUNCTION search_appointments_keep()""",
    f"""CREATE FUNCTION search_customers_keep() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_customers (id, document) {_PG_CUSTOMER_DOC}
            WHERE c.id = NEW.id {_UPSERT};
        IF TG_OP = 'UPDATE' THEN
            INSERT INTO search_appointments {_PG_APPOINTMENT_COLUMNS} {_PG_APPOINTMENT_DOC}
                WHERE a.customer_id = NEW.id AND NOT a.cancelled {_UPSERT_APPOINTMENT};
            INSERT INTO search_promises (id, document) {_PG_PROMISE_DOC}
                WHERE p.customer_id = NEW.id {_UPSERT};
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_customers_keep
        AFTER INSERT OR UPDATE OF name, email, phone, notes ON customers
        FOR EACH ROW EXECUTE FUNCTION search_customers_keep()""",
    f"""CREATE FUNCTION search_locations_keep() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_appointments {_PG_APPOINTMENT_COLUMNS} {_PG_APPOINTMENT_DOC}
            WHERE a.location_id = NEW.id AND NOT a.cancelled {_UPSERT_APPOINTMENT};
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_locations_keep AFTER UPDATE OF name, address ON locations
        FOR EACH ROW EXECUTE FUNCTION search_locations_keep()""",
    f"""CREATE FUNCTION search_promises_keep() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_promises (id, document) {_PG_PROMISE_DOC}
            WHERE p.id = NEW.id {_UPSERT};
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_promises_keep
        AFTER INSERT OR UPDATE OF what, notes, customer_id ON promises
        FOR EACH ROW EXECUTE FUNCTION search_promises_keep()""",
)
POSTGRES_FILL = (
    "DELETE FROM search_appointments",
    f"INSERT INTO search_appointments {_PG_APPOINTMENT_COLUMNS} {_PG_APPOINTMENT_DOC} "
    "WHERE NOT a.cancelled",
    f"INSERT INTO search_customers (id, document) {_PG_CUSTOMER_DOC} {_UPSERT}",
    f"INSERT INTO search_promises (id, document) {_PG_PROMISE_DOC} {_UPSERT}",
    # Statistics now, not when autovacuum comes by: without them the planner takes a broad
    # query for a rare one and sorts every match.
    "ANALYZE search_appointments",
    "ANALYZE search_customers",
    "ANALYZE search_promises",
)
POSTGRES_DROP = (
    "DROP TRIGGER IF EXISTS search_appointments_keep ON appointments",
    "DROP TRIGGER IF EXISTS search_customers_keep ON customers",
    "DROP TRIGGER IF EXISTS search_locations_keep ON locations",
    "DROP TRIGGER IF EXISTS search_promises_keep ON promises",
    "DROP FUNCTION IF EXISTS search_appointments_keep()",
    "DROP FUNCTION IF EXISTS search_customers_keep()",
    "DROP FUNCTION IF EXISTS search_locations_keep()",
    "DROP FUNCTION IF EXISTS search_promises_keep()",
    "DROP TABLE IF EXISTS search_appointments",
    "DROP TABLE IF EXISTS search_customers",
    "DROP TABLE IF EXISTS search_promises",
)


def sqlite_has_fts5(connection: Connection) -> bool:
    """Whether this SQLite library was built with FTS5 (nearly all are)."""
    options = {row[0] for row in connection.exec_driver_sql("PRAGMA compile_options")}
    return "ENABLE_FTS5" in options


def create(connection: Connection) -> None:
    """Create the index's tables and triggers and fill them (a migration calls this)."""
    name = connection.dialect.name
    if name == "postgresql":
        for statement in (*POSTGRES_CREATE, *POSTGRES_FILL):
            connection.exec_driver_sql(statement)
    elif name == "sqlite" and sqlite_has_fts5(connection):
        for statement in (*SQLITE_CREATE, *SQLITE_FILL):
            connection.exec_driver_sql(statement)


def drop(connection: Connection) -> None:
    name = connection.dialect.name
    if name == "postgresql":
        for statement in POSTGRES_DROP:
            connection.exec_driver_sql(statement)
    elif name == "sqlite":
        for trigger in SQLITE_TRIGGERS:
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
        connection.exec_driver_sql("DROP TABLE IF EXISTS search_appointments_terms")
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {DEFERRED}")
        for table in SEARCH_TABLES:
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")


def rebuild(connection: Connection) -> None:
    """Fill the index again from the tables (it is derived data)."""
    name = connection.dialect.name
    if name == "postgresql":
        for statement in POSTGRES_FILL:
            connection.exec_driver_sql(statement)
    elif name == "sqlite" and indexed(connection):
        for statement in SQLITE_FILL:
            connection.exec_driver_sql(statement)


def indexed(connection: Connection) -> bool:
    """Whether the index exists here (on SQLite without FTS5 it does not)."""
    if connection.dialect.name == "postgresql":
        return (
            connection.exec_driver_sql(
                "SELECT to_regclass('search_appointments') IS NOT NULL"
            ).scalar()
            is True
        )
    found = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_appointments'"
    ).first()
    return found is not None


@contextmanager
def deferred_appointments(connection: Connection) -> Iterator[None]:
    """Appointments inserted inside are filed in one statement at the end, in rowid order,
    rather than one by one by the trigger (see DEFERRED). Inside the caller's transaction;
    the statements inside must only insert appointments. Elsewhere (PostgreSQL, SQLite
    without FTS5) the triggers file them as ever."""
    if connection.dialect.name != "sqlite" or not _defers(connection):
        yield
        return
    floor = int(
        connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM appointments").scalar_one()
    )
    connection.exec_driver_sql(f"INSERT INTO {DEFERRED} (deferring) VALUES (1)")
    try:
        yield
    finally:
        # Also after a failed statement: rows that an earlier one inserted are filed, so a
        # caller that goes on with the transaction still has every live row in the index.
        connection.exec_driver_sql(f"DELETE FROM {DEFERRED}")
        connection.exec_driver_sql(
            f"{_INSERT_APPOINTMENTS} {_SQLITE_APPOINTMENT_DOC} "
            "WHERE a.id > ? AND NOT a.cancelled ORDER BY 1",
            (floor,),
        )


def _defers(connection: Connection) -> bool:
    """Whether this SQLite index has the deferrable insert trigger (it has the table)."""
    found = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (DEFERRED,)
    ).first()
    return found is not None

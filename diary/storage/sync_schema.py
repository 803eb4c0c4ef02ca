"""Tables of the CalDAV sync: accounts, their calendars, per-item state, conflicts, busy time.

No password column anywhere: passwords live in the system keyring only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from diary.storage.schema import NAME_LENGTH, UID_LENGTH, ZONE_LENGTH, Base
from diary.storage.types import UTCDateTime

HREF_LENGTH = 1000


class AccountRow(Base):
    """A CalDAV account of one diary: where, who, and which calendars (by the owner's words)."""

    __tablename__ = "sync_accounts"
    __table_args__ = (UniqueConstraint("diary_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    diary_id: Mapped[int] = mapped_column(ForeignKey("diaries.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    url: Mapped[str] = mapped_column(Text)  # never with credentials in it
    username: Mapped[str] = mapped_column(String(NAME_LENGTH))
    # Travel and wrap-up go to the server as busy events (RELATED-TO their appointment).
    push_bands: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created: Mapped[datetime] = mapped_column(UTCDateTime)
    last_sync: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_result: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The diary's revision right after this account's last sync wrote: equal now means
    # nothing changed locally since (the cheap test of a sync with nothing to do).
    local_revision: Mapped[int] = mapped_column(Integer, default=-1, server_default=text("-1"))


class CollectionRow(Base):
    """A calendar of an account: the diary's own ('diary') or one read as busy time ('busy')."""

    __tablename__ = "sync_collections"
    __table_args__ = (
        UniqueConstraint("account_id", "role", "wanted"),
        CheckConstraint("role IN ('diary', 'busy')", name="role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("sync_accounts.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(8))
    wanted: Mapped[str] = mapped_column(Text)  # as the owner named it: display name or URL
    url: Mapped[str] = mapped_column(Text, default="", server_default="")  # '' until found
    display_name: Mapped[str] = mapped_column(Text, default="", server_default="")
    sync_token: Mapped[str | None] = mapped_column(Text)
    # The getctag read before the last sync with nothing to send (None: ask the report).
    ctag: Mapped[str | None] = mapped_column(Text)
    # Busy time is expanded from the stored copies up to here; later, re-expanded.
    expanded_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ItemRow(Base):
    """One calendar object resource as last synced: where, which version, and both sides then.

    `base_ics` is the server's text as last seen or sent (the last-synced copy an upload
    is built from); `local_fields` the diary's side at that moment (JSON), `local_stamp`
    a cheap mark of the local row then (sequence and update time). `kind` is 'event'
    (a single appointment), 'series' (a repeating one with all its overrides), 'band'
    (travel/wrap-up owned by diary), 'busy' (from a busy calendar) or 'other' (a resource
    diary leaves alone, e.g. a VTODO).
    """

    __tablename__ = "sync_items"
    __table_args__ = (
        UniqueConstraint("collection_id", "href"),
        Index("ix_sync_items_collection_id_uid", "collection_id", "uid"),
        CheckConstraint("kind IN ('event', 'series', 'band', 'busy', 'other')", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collection_id: Mapped[int] = mapped_column(
        ForeignKey("sync_collections.id", ondelete="CASCADE")
    )
    href: Mapped[str] = mapped_column(String(HREF_LENGTH))
    uid: Mapped[str] = mapped_column(String(UID_LENGTH))
    kind: Mapped[str] = mapped_column(String(8), default="event", server_default="event")
    etag: Mapped[str | None] = mapped_column(Text)
    base_ics: Mapped[str] = mapped_column(Text, default="", server_default="")
    base_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    local_fields: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    local_stamp: Mapped[str] = mapped_column(String(120), default="", server_default="")


class ConflictRow(Base):
    """An appointment changed on both sides in the same fields: the server's values stayed
    live, the desktop's are kept here until the owner decides.

    `fields` is JSON: field name -> {"desktop": value, "server": value}.
    """

    __tablename__ = "sync_conflicts"
    __table_args__ = (UniqueConstraint("account_id", "uid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("sync_accounts.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(String(UID_LENGTH))
    title: Mapped[str] = mapped_column(Text, default="", server_default="")
    fields: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    created: Mapped[datetime] = mapped_column(UTCDateTime)


class BusyRow(Base):
    """Busy time from a busy calendar: read-only, counted by every rule, never exported.

    Stored cut at UTC midnights, so no row spans more than a day and the overlap query
    looks back one day at most.
    """

    __tablename__ = "sync_busy"
    __table_args__ = (
        Index("ix_sync_busy_diary_id_start_utc", "diary_id", "start_utc"),
        Index("ix_sync_busy_item_id", "item_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    diary_id: Mapped[int] = mapped_column(ForeignKey("diaries.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("sync_items.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(String(UID_LENGTH))
    title: Mapped[str] = mapped_column(Text, default="", server_default="")
    start_utc: Mapped[datetime] = mapped_column(UTCDateTime)
    end_utc: Mapped[datetime] = mapped_column(UTCDateTime)
    zone: Mapped[str] = mapped_column(String(ZONE_LENGTH))

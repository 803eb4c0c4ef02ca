"""The database schema as typed ORM classes; Alembic migrations must match it exactly."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from diary.storage.types import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

UID_LENGTH = 255
NAME_LENGTH = 200
ZONE_LENGTH = 64
# ISO 8601 UTC of a RECURRENCE-ID ("2024-03-31T09:00:00+00:00"), or "" for a single appointment.
RECURRENCE_KEY_LENGTH = 40


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class DiaryRow(Base):
    """One appointment book; every write transaction locks its row."""

    __tablename__ = "diaries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), unique=True)
    zone: Mapped[str] = mapped_column(String(ZONE_LENGTH), server_default="UTC")
    # Longest appointment ever stored here: bounds the indexed overlap range query.
    max_span_seconds: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    policy_json: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Raised by every write transaction: a reader whose cache holds an older value reloads.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class CustomerRow(Base):
    __tablename__ = "customers"
    __table_args__ = (CheckConstraint("prefers IN ('email', 'phone', 'text')", name="prefers"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), unique=True)
    email: Mapped[str] = mapped_column(String(NAME_LENGTH), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(64), default="", server_default="")
    prefers: Mapped[str] = mapped_column(String(16), default="email", server_default="email")
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    created: Mapped[datetime] = mapped_column(UTCDateTime)
    updated: Mapped[datetime] = mapped_column(UTCDateTime)


class LocationRow(Base):
    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), unique=True)
    address: Mapped[str] = mapped_column(Text, default="", server_default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    remote: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class TravelTimeRow(Base):
    """The user's own travel time from one place to another (directed)."""

    __tablename__ = "travel_times"
    __table_args__ = (CheckConstraint("minutes >= 0", name="minutes_not_negative"),)

    from_location_id: Mapped[int] = mapped_column(
        ForeignKey("locations.id", ondelete="CASCADE"), primary_key=True
    )
    to_location_id: Mapped[int] = mapped_column(
        ForeignKey("locations.id", ondelete="CASCADE"), primary_key=True
    )
    minutes: Mapped[int] = mapped_column(Integer)


class SeriesRow(Base):
    """A recurring master: the rule (RRULE/RDATE/EXDATE) and template are the truth.

    Overrides (RECURRENCE-ID, RANGE=THISANDFUTURE too) are `appointments` rows with
    is_override, kept whatever their date. Other occurrences whose recurrence id lies in
    [materialised_from, materialised_until) are stored too, derived from the rule for the
    indexed range queries, and rebuilt at will; outside it they are expanded in memory.
    """

    __tablename__ = "series"
    __table_args__ = (
        UniqueConstraint("diary_id", "uid"),
        CheckConstraint("kind IN ('meeting', 'block', 'all-day')", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    diary_id: Mapped[int] = mapped_column(ForeignKey("diaries.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(String(UID_LENGTH))
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    title: Mapped[str] = mapped_column(Text, default="", server_default="")
    kind: Mapped[str] = mapped_column(String(16), default="meeting", server_default="meeting")
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id", ondelete="SET NULL"))
    wrapup_minutes: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    zone: Mapped[str] = mapped_column(String(ZONE_LENGTH))
    start_utc: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_seconds: Mapped[int] = mapped_column(Integer)
    all_day: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    rrule: Mapped[str] = mapped_column(Text, default="", server_default="")
    exdates: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    rdates: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    # The last occurrence's original start; NULL: the rule never ends (or not known yet).
    last_start_utc: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # How far from its original start an occurrence may lie (length, THISANDFUTURE moves).
    spread_seconds: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    materialised_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    materialised_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created: Mapped[datetime] = mapped_column(UTCDateTime)
    updated: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class AppointmentRow(Base):
    """A single appointment, or one occurrence of a series (uid = series uid + recurrence_key)."""

    __tablename__ = "appointments"
    __table_args__ = (
        UniqueConstraint("diary_id", "uid", "recurrence_key"),
        CheckConstraint("kind IN ('meeting', 'block', 'all-day')", name="kind"),
        CheckConstraint("source IN ('diary', 'import')", name="source"),
        CheckConstraint("end_utc >= start_utc", name="end_not_before_start"),
        Index("ix_appointments_diary_id_start_utc", "diary_id", "start_utc"),
        Index("ix_appointments_diary_id_end_utc", "diary_id", "end_utc"),
        Index("ix_appointments_series_id", "series_id"),
        Index("ix_appointments_customer_id", "customer_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    diary_id: Mapped[int] = mapped_column(ForeignKey("diaries.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(String(UID_LENGTH))
    recurrence_key: Mapped[str] = mapped_column(
        String(RECURRENCE_KEY_LENGTH), default="", server_default=""
    )
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    created: Mapped[datetime] = mapped_column(UTCDateTime)
    updated: Mapped[datetime] = mapped_column(UTCDateTime)
    start_utc: Mapped[datetime] = mapped_column(UTCDateTime)
    end_utc: Mapped[datetime] = mapped_column(UTCDateTime)
    zone: Mapped[str] = mapped_column(String(ZONE_LENGTH))
    kind: Mapped[str] = mapped_column(String(16), default="meeting", server_default="meeting")
    title: Mapped[str] = mapped_column(Text, default="", server_default="")
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id", ondelete="SET NULL"))
    wrapup_minutes: Mapped[int | None] = mapped_column(Integer)
    override_reason: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id", ondelete="CASCADE"))
    recurrence_id: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_override: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # RECURRENCE-ID;RANGE=THISANDFUTURE: this override also governs every later occurrence.
    this_and_future: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    source: Mapped[str] = mapped_column(String(16), default="diary", server_default="diary")

    customer: Mapped[CustomerRow | None] = relationship()
    location: Mapped[LocationRow | None] = relationship()


class PromiseRow(Base):
    """Something owed to a customer by a date."""

    __tablename__ = "promises"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'checked', 'done', 'late')", name="status"),
        Index("ix_promises_status_due_utc", "status", "due_utc"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(UID_LENGTH), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="RESTRICT"))
    what: Mapped[str] = mapped_column(Text)
    due_utc: Mapped[datetime] = mapped_column(UTCDateTime)
    zone: Mapped[str] = mapped_column(String(ZONE_LENGTH))
    effort_minutes: Mapped[int | None] = mapped_column(Integer)
    depends_on: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    appointment_uid: Mapped[str | None] = mapped_column(String(UID_LENGTH))
    status: Mapped[str] = mapped_column(String(16), default="open", server_default="open")
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    created: Mapped[datetime] = mapped_column(UTCDateTime)
    updated: Mapped[datetime] = mapped_column(UTCDateTime)

    customer: Mapped[CustomerRow] = relationship()

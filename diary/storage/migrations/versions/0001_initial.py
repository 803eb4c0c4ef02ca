"""Initial schema: diaries, customers, locations, travel times, series, appointments, promises.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

Written by hand to match diary/storage/schema.py; tests/storage checks they agree.
Instants are naive UTC DATETIME columns (the app's UTCDateTime type adds the zone back).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

KINDS = "kind IN ('meeting', 'block', 'all-day')"


def _instant() -> sa.DateTime:
    return sa.DateTime(timezone=False)


def upgrade() -> None:
    op.create_table(
        "diaries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("zone", sa.String(64), server_default="UTC", nullable=False),
        sa.Column("max_span_seconds", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("policy_json", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diaries")),
        sa.UniqueConstraint("name", name=op.f("uq_diaries_name")),
    )
    op.create_table(
        "customers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(200), server_default="", nullable=False),
        sa.Column("phone", sa.String(64), server_default="", nullable=False),
        sa.Column("prefers", sa.String(16), server_default="email", nullable=False),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("created", _instant(), nullable=False),
        sa.Column("updated", _instant(), nullable=False),
        sa.CheckConstraint(
            "prefers IN ('email', 'phone', 'text')", name=op.f("ck_customers_prefers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
        sa.UniqueConstraint("name", name=op.f("uq_customers_name")),
    )
    op.create_table(
        "locations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("address", sa.Text(), server_default="", nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("remote", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_locations")),
        sa.UniqueConstraint("name", name=op.f("uq_locations_name")),
    )
    op.create_table(
        "travel_times",
        sa.Column("from_location_id", sa.Integer(), nullable=False),
        sa.Column("to_location_id", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.CheckConstraint("minutes >= 0", name=op.f("ck_travel_times_minutes_not_negative")),
        sa.ForeignKeyConstraint(
            ["from_location_id"],
            ["locations.id"],
            name=op.f("fk_travel_times_from_location_id_locations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_location_id"],
            ["locations.id"],
            name=op.f("fk_travel_times_to_location_id_locations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("from_location_id", "to_location_id", name=op.f("pk_travel_times")),
    )
    op.create_table(
        "series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("diary_id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(255), nullable=False),
        sa.Column("sequence", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("title", sa.Text(), server_default="", nullable=False),
        sa.Column("kind", sa.String(16), server_default="meeting", nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("wrapup_minutes", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.Column("start_utc", _instant(), nullable=False),
        sa.Column("duration_seconds", sa.Integer(), nullable=False),
        sa.Column("all_day", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("rrule", sa.Text(), server_default="", nullable=False),
        sa.Column("exdates", sa.Text(), server_default="[]", nullable=False),
        sa.Column("rdates", sa.Text(), server_default="[]", nullable=False),
        sa.Column("expanded_until", _instant(), nullable=True),
        sa.Column("created", _instant(), nullable=False),
        sa.Column("updated", _instant(), nullable=False),
        sa.Column("cancelled", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint(KINDS, name=op.f("ck_series_kind")),
        sa.ForeignKeyConstraint(
            ["diary_id"],
            ["diaries.id"],
            name=op.f("fk_series_diary_id_diaries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_series_customer_id_customers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_series_location_id_locations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_series")),
        sa.UniqueConstraint("diary_id", "uid", name=op.f("uq_series_diary_id_uid")),
    )
    op.create_table(
        "appointments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("diary_id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(255), nullable=False),
        sa.Column("recurrence_key", sa.String(40), server_default="", nullable=False),
        sa.Column("sequence", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created", _instant(), nullable=False),
        sa.Column("updated", _instant(), nullable=False),
        sa.Column("start_utc", _instant(), nullable=False),
        sa.Column("end_utc", _instant(), nullable=False),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), server_default="meeting", nullable=False),
        sa.Column("title", sa.Text(), server_default="", nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("wrapup_minutes", sa.Integer(), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("cancelled", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=True),
        sa.Column("recurrence_id", _instant(), nullable=True),
        sa.Column("is_override", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("source", sa.String(16), server_default="diary", nullable=False),
        sa.CheckConstraint(KINDS, name=op.f("ck_appointments_kind")),
        sa.CheckConstraint("source IN ('diary', 'import')", name=op.f("ck_appointments_source")),
        sa.CheckConstraint("end_utc > start_utc", name=op.f("ck_appointments_end_after_start")),
        sa.ForeignKeyConstraint(
            ["diary_id"],
            ["diaries.id"],
            name=op.f("fk_appointments_diary_id_diaries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_appointments_customer_id_customers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_appointments_location_id_locations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["series.id"],
            name=op.f("fk_appointments_series_id_series"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointments")),
        sa.UniqueConstraint(
            "diary_id",
            "uid",
            "recurrence_key",
            name=op.f("uq_appointments_diary_id_uid_recurrence_key"),
        ),
    )
    op.create_index("ix_appointments_diary_id_start_utc", "appointments", ["diary_id", "start_utc"])
    op.create_index("ix_appointments_diary_id_end_utc", "appointments", ["diary_id", "end_utc"])
    op.create_index("ix_appointments_series_id", "appointments", ["series_id"])
    op.create_table(
        "promises",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(255), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("due_utc", _instant(), nullable=False),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.Column("effort_minutes", sa.Integer(), nullable=True),
        sa.Column("depends_on", sa.String(200), nullable=True),
        sa.Column("appointment_uid", sa.String(255), nullable=True),
        sa.Column("status", sa.String(16), server_default="open", nullable=False),
        sa.Column("checked_at", _instant(), nullable=True),
        sa.Column("done_at", _instant(), nullable=True),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("sequence", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created", _instant(), nullable=False),
        sa.Column("updated", _instant(), nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'checked', 'done', 'late')", name=op.f("ck_promises_status")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_promises_customer_id_customers"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promises")),
        sa.UniqueConstraint("uid", name=op.f("uq_promises_uid")),
    )
    op.create_index("ix_promises_status_due_utc", "promises", ["status", "due_utc"])


def downgrade() -> None:
    op.drop_index("ix_promises_status_due_utc", table_name="promises")
    op.drop_table("promises")
    op.drop_index("ix_appointments_series_id", table_name="appointments")
    op.drop_index("ix_appointments_diary_id_end_utc", table_name="appointments")
    op.drop_index("ix_appointments_diary_id_start_utc", table_name="appointments")
    op.drop_table("appointments")
    op.drop_table("series")
    op.drop_table("travel_times")
    op.drop_table("locations")
    op.drop_table("customers")
    op.drop_table("diaries")

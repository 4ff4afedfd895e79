"""Background jobs (imports, and later exports and other long work): `ds_jobs`.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ds_jobs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("collection", sa.String(64), nullable=True),
        sa.Column("params", sa.JSON, nullable=False),
        sa.Column("total", sa.BigInteger, nullable=True),
        sa.Column("done", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("errors", sa.JSON, nullable=False),
        sa.Column("error_count", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("result", sa.JSON, nullable=True),
        sa.Column("message", sa.Text, nullable=True),
        sa.Column("rate", sa.Float, nullable=True),
        sa.Column(
            "created_by",
            sa.Integer,
            sa.ForeignKey("ds_users.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancel_requested", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("owner", sa.String(100), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Index("ix_ds_jobs_created_by", "created_by", "created_at"),
        sa.Index("ix_ds_jobs_status", "status"),
    )


def downgrade() -> None:
    op.drop_table("ds_jobs")

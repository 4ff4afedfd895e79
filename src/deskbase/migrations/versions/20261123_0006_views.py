"""Saved views of collections and dashboards of chart blocks.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "ds_views",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "collection",
            sa.String(64),
            sa.ForeignKey("ds_collections.name", ondelete="CASCADE"),  # a dropped collection takes its views
            nullable=False,
        ),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("shared", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("ds_users.id", ondelete="CASCADE"), nullable=True),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("config", sa.JSON, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_index("ix_ds_views_collection", "ds_views", ["collection", "position", "id"])
    op.create_index("ix_ds_views_owner", "ds_views", ["owner_id"])
    op.create_table(
        "ds_dashboards",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("shared", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("ds_users.id", ondelete="CASCADE"), nullable=True),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("blocks", sa.JSON, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_index("ix_ds_dashboards_owner", "ds_dashboards", ["owner_id"])


def downgrade() -> None:
    op.drop_table("ds_dashboards")
    op.drop_table("ds_views")

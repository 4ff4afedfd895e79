"""Workflows: definitions and their versions, executions (the outbox), node jobs, the inbox,
schedule state.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
BIGID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "ds_workflows",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_table(
        "ds_workflow_versions",
        sa.Column(
            "workflow_id", sa.Integer, sa.ForeignKey("ds_workflows.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("definition", sa.JSON, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "ds_executions",
        sa.Column("id", BIGID, primary_key=True, autoincrement=True),
        sa.Column(
            "workflow_id", sa.Integer, sa.ForeignKey("ds_workflows.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("trigger", sa.JSON, nullable=False),
        sa.Column("depth", sa.Integer, nullable=False, server_default="0"),
        sa.Column("actor_id", sa.Integer, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("owner", sa.String(100), nullable=True),
        sa.Column("heartbeat_at", TZ, nullable=True),
        sa.Column("wake_at", TZ, nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("started_at", TZ, nullable=True),
        sa.Column("finished_at", TZ, nullable=True),
    )
    op.create_index("ix_ds_executions_status", "ds_executions", ["status", "id"])
    op.create_index("ix_ds_executions_workflow", "ds_executions", ["workflow_id", "id"])
    op.create_index("ix_ds_executions_wake", "ds_executions", ["status", "wake_at"])
    op.create_table(
        "ds_node_jobs",
        sa.Column(
            "execution_id", BIGID, sa.ForeignKey("ds_executions.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("node", sa.String(64), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("input", sa.JSON, nullable=True),
        sa.Column("output", sa.JSON, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="1"),
        sa.Column("started_at", TZ, nullable=False),
        sa.Column("finished_at", TZ, nullable=True),
    )
    op.create_table(
        "ds_inbox",
        sa.Column("id", BIGID, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("ds_users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("body", sa.Text, nullable=True),
        sa.Column("link", sa.String(500), nullable=True),
        sa.Column("execution_id", sa.BigInteger, nullable=True),
        sa.Column("read_at", TZ, nullable=True),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_ds_inbox_user", "ds_inbox", ["user_id", "read_at", "id"])
    op.create_table(
        "ds_schedules",
        sa.Column(
            "workflow_id", sa.Integer, sa.ForeignKey("ds_workflows.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("last_at", TZ, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "ds_schedules",
        "ds_inbox",
        "ds_node_jobs",
        "ds_executions",
        "ds_workflow_versions",
        "ds_workflows",
    ):
        op.drop_table(table)

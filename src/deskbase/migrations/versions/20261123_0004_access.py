"""Identity and access: departments, roles, permissions, API keys, sign-in throttling, audit log.

`ds_users.is_admin` gives way to the `admin` role: admins get it, everyone else `member`.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("ds_users", sa.Column("phone", sa.String(40), nullable=True))
    op.add_column("ds_users", sa.Column("avatar", sa.String(500), nullable=True))
    op.create_table(
        "ds_departments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "parent_id", sa.Integer, sa.ForeignKey("ds_departments.id", ondelete="RESTRICT"), nullable=True
        ),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_ds_departments_parent", "ds_departments", ["parent_id"])
    op.create_table(
        "ds_user_departments",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("ds_users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column(
            "department_id",
            sa.Integer,
            sa.ForeignKey("ds_departments.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )
    op.create_index("ix_ds_user_departments_department", "ds_user_departments", ["department_id"])
    roles = op.create_table(
        "ds_roles",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_table(
        "ds_user_roles",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("ds_users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column(
            "role", sa.String(64), sa.ForeignKey("ds_roles.name", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("is_default", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_ds_user_roles_role", "ds_user_roles", ["role"])
    op.create_table(
        "ds_permissions",
        sa.Column(
            "role", sa.String(64), sa.ForeignKey("ds_roles.name", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(
            "collection",
            sa.String(64),
            sa.ForeignKey("ds_collections.name", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("action", sa.String(64), primary_key=True),
        sa.Column("scope", sa.JSON, nullable=False),
        sa.Column("fields", sa.JSON, nullable=True),
    )
    op.create_table(
        "ds_api_keys",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("ds_users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("role", sa.String(64), sa.ForeignKey("ds_roles.name", ondelete="CASCADE"), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("expires_at", TZ, nullable=True),
        sa.Column("last_used_at", TZ, nullable=True),
        sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_ds_api_keys_user", "ds_api_keys", ["user_id"])
    op.create_table(
        "ds_login_failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("ip", sa.String(64), nullable=False),
        sa.Column("at", TZ, nullable=False),
    )
    op.create_index("ix_ds_login_failures_email", "ds_login_failures", ["email", "at"])
    op.create_index("ix_ds_login_failures_ip", "ds_login_failures", ["ip", "at"])
    op.create_table(
        "ds_audit",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor_id", sa.Integer, nullable=True),
        sa.Column("actor_email", sa.String(254), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("collection", sa.String(64), nullable=True),
        sa.Column("record_id", sa.BigInteger, nullable=True),
        sa.Column("changes", sa.JSON, nullable=True),
        sa.Column("detail", sa.JSON, nullable=True),
    )
    op.create_index("ix_ds_audit_record", "ds_audit", ["collection", "record_id", "id"])
    op.create_index("ix_ds_audit_at", "ds_audit", ["at"])
    op.create_index("ix_ds_audit_actor", "ds_audit", ["actor_id", "id"])

    now = datetime.now(UTC)
    op.bulk_insert(
        roles,
        [
            {
                "name": "admin",
                "title": "Administrator",
                "description": "Every action on every collection",
                "created_at": now,
                "updated_at": now,
            },
            {
                "name": "member",
                "title": "Member",
                "description": "Signed-in user; no collection access until granted",
                "created_at": now,
                "updated_at": now,
            },
        ],
    )
    op.execute(
        "INSERT INTO ds_user_roles (user_id, role, is_default) "
        "SELECT id, CASE WHEN is_admin THEN 'admin' ELSE 'member' END, true FROM ds_users"
    )
    op.execute("ALTER TABLE ds_users DROP COLUMN is_admin")


def downgrade() -> None:
    op.add_column("ds_users", sa.Column("is_admin", sa.Boolean, nullable=False, server_default=sa.false()))
    op.execute(
        "UPDATE ds_users SET is_admin = true WHERE id IN (SELECT user_id FROM ds_user_roles WHERE role = 'admin')"
    )
    for table in (
        "ds_audit",
        "ds_login_failures",
        "ds_api_keys",
        "ds_permissions",
        "ds_user_roles",
        "ds_roles",
        "ds_user_departments",
        "ds_departments",
    ):
        op.drop_table(table)
    op.drop_column("ds_users", "avatar")
    op.drop_column("ds_users", "phone")

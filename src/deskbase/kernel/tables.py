"""System tables (prefix `ds_`), shared by the Alembic migrations and the services.

Run-time collections live beside them under their own names; names starting with `ds_`
are reserved for these.
"""

from __future__ import annotations

import sqlalchemy as sa

__all__ = [
    "SYSTEM_PREFIX",
    "attachments",
    "collections",
    "fields",
    "metadata",
    "sequences",
    "sessions",
    "users",
]

SYSTEM_PREFIX = "ds_"

metadata = sa.MetaData()

users = sa.Table(
    "ds_users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("email", sa.String(254), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False, server_default=""),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("is_admin", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

sessions = sa.Table(
    "ds_sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("ds_users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
)

collections = sa.Table(
    "ds_collections",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("description", sa.Text, nullable=True),
    sa.Column("extends", sa.JSON, nullable=True),
    sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

fields = sa.Table(
    "ds_fields",
    metadata,
    sa.Column(
        "collection",
        sa.String(64),
        sa.ForeignKey("ds_collections.name", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("type", sa.String(64), nullable=False),
    sa.Column("spec", sa.JSON, nullable=False),
    sa.Column("position", sa.Integer, nullable=False, server_default="0"),
)

sequences = sa.Table(
    "ds_sequences",
    metadata,
    sa.Column("collection", sa.String(64), primary_key=True),
    sa.Column("field", sa.String(64), primary_key=True),
    sa.Column("scope", sa.String(64), primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False),
)

attachments = sa.Table(
    "ds_attachments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(64), nullable=False, unique=True),
    sa.Column("filename", sa.String(255), nullable=False),
    sa.Column("mime_type", sa.String(127), nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("created_by", sa.Integer, sa.ForeignKey("ds_users.id", ondelete="SET NULL"), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

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
    "indexes",
    "jobs",
    "metadata",
    "query_stats",
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

# Composite indexes a user or a view asked for; `fields` is a list like ["status", "-created_at"].
indexes = sa.Table(
    "ds_indexes",
    metadata,
    sa.Column(
        "collection",
        sa.String(64),
        sa.ForeignKey("ds_collections.name", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("fields", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# List-query shapes and their timings, written by the server so `deskbase db analyze` can read them.
query_stats = sa.Table(
    "ds_query_stats",
    metadata,
    sa.Column("collection", sa.String(64), primary_key=True),
    sa.Column("key", sa.String(40), primary_key=True),  # a hash of `shape`
    sa.Column("shape", sa.JSON, nullable=False),
    sa.Column("count", sa.BigInteger, nullable=False),
    sa.Column("total_ms", sa.Float, nullable=False),
    sa.Column("max_ms", sa.Float, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# Background jobs (imports, …): progress, the first row errors, the outcome. Migration 0002.
jobs = sa.Table(
    "ds_jobs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(32), nullable=False),  # "import"
    sa.Column("status", sa.String(16), nullable=False),  # queued running succeeded failed cancelled
    sa.Column("collection", sa.String(64), nullable=True),
    sa.Column("params", sa.JSON, nullable=False),
    sa.Column("total", sa.BigInteger, nullable=True),
    sa.Column("done", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("errors", sa.JSON, nullable=False),  # the first row errors, capped
    sa.Column("error_count", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("result", sa.JSON, nullable=True),  # what the job did (created, updated, …)
    sa.Column("message", sa.Text, nullable=True),  # why it failed, in a sentence
    sa.Column("rate", sa.Float, nullable=True),  # rows per second
    sa.Column("created_by", sa.Integer, sa.ForeignKey("ds_users.id", ondelete="SET NULL"), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("cancel_requested", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("owner", sa.String(100), nullable=True),  # "host:pid:instance" of the process running it
    sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index("ix_ds_jobs_created_by", "created_by", "created_at"),
    sa.Index("ix_ds_jobs_status", "status"),
)

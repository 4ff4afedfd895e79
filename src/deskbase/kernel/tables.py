"""System tables (prefix `ds_`), shared by the Alembic migrations and the services.

Run-time collections live beside them under their own names; names starting with `ds_`
are reserved for these.
"""

from __future__ import annotations

import sqlalchemy as sa

__all__ = [
    "SYSTEM_PREFIX",
    "api_keys",
    "attachments",
    "audit",
    "collections",
    "dashboards",
    "departments",
    "executions",
    "fields",
    "inbox",
    "indexes",
    "jobs",
    "login_failures",
    "metadata",
    "node_jobs",
    "permissions",
    "query_stats",
    "roles",
    "schedules",
    "sequences",
    "sessions",
    "user_departments",
    "user_roles",
    "users",
    "views",
    "workflow_versions",
    "workflows",
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
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("phone", sa.String(40), nullable=True),  # migration 0004
    sa.Column("avatar", sa.String(500), nullable=True),  # an image URL or /api/attachments/{id}
    # Preferences (migration 0007): "zh-CN" | "en-US" and "light" | "dark"; null follows the browser.
    sa.Column("locale", sa.String(16), nullable=True),
    sa.Column("theme", sa.String(16), nullable=True),
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

# Identity and access (issue 4, migration 0004) --------------------------------------------

# Departments form a tree; a user belongs to several. "own department" scopes reach the
# departments below the user's own.
departments = sa.Table(
    "ds_departments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column(
        "parent_id", sa.Integer, sa.ForeignKey("ds_departments.id", ondelete="RESTRICT"), nullable=True
    ),
    sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_ds_departments_parent", "parent_id"),
)

user_departments = sa.Table(
    "ds_user_departments",
    metadata,
    sa.Column("user_id", sa.Integer, sa.ForeignKey("ds_users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "department_id", sa.Integer, sa.ForeignKey("ds_departments.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Index("ix_ds_user_departments_department", "department_id"),
)

# A role is a named set of permissions; `admin` bypasses every check and cannot be removed.
roles = sa.Table(
    "ds_roles",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("description", sa.Text, nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

user_roles = sa.Table(
    "ds_user_roles",
    metadata,
    sa.Column("user_id", sa.Integer, sa.ForeignKey("ds_users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("role", sa.String(64), sa.ForeignKey("ds_roles.name", ondelete="CASCADE"), primary_key=True),
    sa.Column("is_default", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Index("ix_ds_user_roles_role", "role"),
)

# One row per role, collection and action: the record scope and the fields it may touch.
# `scope` is "all", "own", "department" or a filter; `fields` null means every field.
permissions = sa.Table(
    "ds_permissions",
    metadata,
    sa.Column("role", sa.String(64), sa.ForeignKey("ds_roles.name", ondelete="CASCADE"), primary_key=True),
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

# API keys act as their user with one role; only a hash of the key is kept.
api_keys = sa.Table(
    "ds_api_keys",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("ds_users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("role", sa.String(64), sa.ForeignKey("ds_roles.name", ondelete="CASCADE"), nullable=False),
    sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("prefix", sa.String(16), nullable=False),  # the first characters, to tell keys apart
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Index("ix_ds_api_keys_user", "user_id"),
)

# Failed sign-ins, counted per email and per address to throttle guessing.
login_failures = sa.Table(
    "ds_login_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("email", sa.String(254), nullable=False),
    sa.Column("ip", sa.String(64), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_ds_login_failures_email", "email", "at"),
    sa.Index("ix_ds_login_failures_ip", "ip", "at"),
)

# The audit log: append-only, one row per write. No foreign keys, so that it outlives
# the users, collections and records it names.
audit = sa.Table(
    "ds_audit",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor_id", sa.Integer, nullable=True),
    sa.Column("actor_email", sa.String(254), nullable=True),
    sa.Column("source", sa.String(16), nullable=False),  # ui api api_key workflow system cli
    sa.Column("action", sa.String(40), nullable=False),  # record.create, role.update, auth.login, …
    sa.Column("collection", sa.String(64), nullable=True),
    sa.Column("record_id", sa.BigInteger, nullable=True),
    sa.Column("changes", sa.JSON, nullable=True),  # {field: [before, after]}
    sa.Column("detail", sa.JSON, nullable=True),
    sa.Index("ix_ds_audit_record", "collection", "record_id", "id"),
    sa.Index("ix_ds_audit_at", "at"),
    sa.Index("ix_ds_audit_actor", "actor_id", "id"),
)

# Workflows (issue 5, migration 0005) -----------------------------------------------------

workflows = sa.Table(
    "ds_workflows",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("version", sa.Integer, nullable=False),  # the current version
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# Every version a workflow had: an execution runs the version it started on.
workflow_versions = sa.Table(
    "ds_workflow_versions",
    metadata,
    sa.Column(
        "workflow_id", sa.Integer, sa.ForeignKey("ds_workflows.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("definition", sa.JSON, nullable=False),  # trigger, nodes, options
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# An execution is created in the transaction of the write that triggered it (the outbox):
# a rolled-back write leaves none, a committed one exactly one.
executions = sa.Table(
    "ds_executions",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column(
        "workflow_id", sa.Integer, sa.ForeignKey("ds_workflows.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # queued running waiting succeeded failed cancelled
    sa.Column("trigger", sa.JSON, nullable=False),  # the trigger's data: {"record": …, "changes": …}
    sa.Column("depth", sa.Integer, nullable=False, server_default="0"),
    sa.Column("actor_id", sa.Integer, nullable=True),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("owner", sa.String(100), nullable=True),  # the worker running it
    sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("wake_at", sa.DateTime(timezone=True), nullable=True),  # a waiting execution goes on then
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index("ix_ds_executions_status", "status", "id"),
    sa.Index("ix_ds_executions_wake", "status", "wake_at"),
    sa.Index("ix_ds_executions_workflow", "workflow_id", "id"),
)

# One row per node run of an execution (a node inside a loop runs once per item: `key`).
node_jobs = sa.Table(
    "ds_node_jobs",
    metadata,
    sa.Column(
        "execution_id",
        sa.BigInteger().with_variant(sa.Integer, "sqlite"),
        sa.ForeignKey("ds_executions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("key", sa.String(200), primary_key=True),  # node id, with loop indexes: "notify[2]"
    sa.Column("node", sa.String(64), nullable=False),
    sa.Column("type", sa.String(64), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # succeeded failed waiting
    sa.Column("input", sa.JSON, nullable=True),
    sa.Column("output", sa.JSON, nullable=True),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="1"),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
)

# In-app notifications: one inbox per user.
inbox = sa.Table(
    "ds_inbox",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("ds_users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("title", sa.String(500), nullable=False),
    sa.Column("body", sa.Text, nullable=True),
    sa.Column("link", sa.String(500), nullable=True),
    sa.Column("execution_id", sa.BigInteger, nullable=True),
    sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_ds_inbox_user", "user_id", "read_at", "id"),
)

# When each scheduled workflow (cron or date field) last looked for runs: the next run is
# the first one after `last_at`, and runs missed while no server was up are found from it.
schedules = sa.Table(
    "ds_schedules",
    metadata,
    sa.Column(
        "workflow_id", sa.Integer, sa.ForeignKey("ds_workflows.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
)

# Saved views and dashboards (migration 0006) ---------------------------------------------

# A collection's saved views: shared ones (`owner_id` null) and each user's personal ones.
# `config` holds the view's filter, sort, fields, widths and the fields its kind uses.
views = sa.Table(
    "ds_views",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "collection", sa.String(64), sa.ForeignKey("ds_collections.name", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),  # grid kanban calendar gantt gallery form
    sa.Column("shared", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("owner_id", sa.Integer, sa.ForeignKey("ds_users.id", ondelete="CASCADE"), nullable=True),
    sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    sa.Column("config", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_ds_views_collection", "collection", "position", "id"),
    sa.Index("ix_ds_views_owner", "owner_id"),
)

# Dashboards of chart blocks; `blocks` is the list of blocks with their queries and layout.
dashboards = sa.Table(
    "ds_dashboards",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("shared", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("owner_id", sa.Integer, sa.ForeignKey("ds_users.id", ondelete="CASCADE"), nullable=True),
    sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    sa.Column("blocks", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_ds_dashboards_owner", "owner_id"),
)

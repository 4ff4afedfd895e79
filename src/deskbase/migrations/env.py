"""Alembic environment: runs on the connection handed in by `deskbase.migrations.upgrade`."""

from __future__ import annotations

from alembic import context

from deskbase.kernel.tables import metadata

VERSION_TABLE = "ds_alembic_version"

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()

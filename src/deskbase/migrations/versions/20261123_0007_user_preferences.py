"""Users' preferences: the interface language and theme, kept on the server.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("ds_users", sa.Column("locale", sa.String(16), nullable=True))
    op.add_column("ds_users", sa.Column("theme", sa.String(16), nullable=True))


def downgrade() -> None:
    op.drop_column("ds_users", "theme")
    op.drop_column("ds_users", "locale")

"""`q=` for a role that may not read every searchable field: the words must be in readable ones."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from deskbase.data.access.guard import Grant
from deskbase.data.search import search_terms
from deskbase.schema.search import search_fields

__all__ = ["readable_search"]


def readable_search(grant: Grant, q: str) -> sa.ColumnElement[bool] | None:
    """An extra condition for `q` when some searchable fields are hidden from `grant`; None
    when the role reads them all (the plain search condition is then exact)."""
    fields = search_fields(grant.coll)
    if grant.unrestricted or all(grant.allows(f.name) for f in fields):
        return None
    columns: list[sa.ColumnElement[Any]] = [
        f.column for f in fields if grant.allows(f.name) and f.column is not None
    ]
    if not columns:
        return sa.false()
    return sa.and_(
        *(sa.or_(*(c.icontains(term, autoescape=True) for c in columns)) for term in search_terms(q))
    )

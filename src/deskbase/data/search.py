"""`q=` full-text search: the condition a list adds for the words a user typed.

Every whitespace-separated term must appear, ignoring case, in at least one searchable field
of the collection (its own fields: an extension's fields are searched through the extension).
SQLite matches terms of 3+ characters through the FTS5 trigram table and shorter ones with
LIKE (a scan); PostgreSQL uses ILIKE, which the pg_trgm GIN indexes serve.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.data.sorting import SortPlan
from deskbase.kernel.errors import FieldError, ValidationFailed
from deskbase.schema.model import Collection
from deskbase.schema.search import fts_name, search_fields

__all__ = ["MAX_QUERY", "MAX_TERMS", "first_matches", "plan_for_search", "search_condition", "search_terms"]

MAX_QUERY = 200
MAX_TERMS = 10
_ESCAPE = "/"


def search_terms(q: str) -> list[str]:
    """The distinct terms of `q`; too long a query is a 422 naming `q`."""
    if len(q) > MAX_QUERY:
        raise _bad(f"at most {MAX_QUERY} characters")
    terms = list(dict.fromkeys(q.split()))
    if len(terms) > MAX_TERMS:
        raise _bad(f"at most {MAX_TERMS} words")
    return terms


def search_condition(coll: Collection, q: str, dialect: str) -> sa.ColumnElement[bool]:
    """Rows of `coll` where every term of `q` is found; true for a blank `q`."""
    terms = search_terms(q)
    if not terms:
        return sa.true()
    fields = search_fields(coll)
    if not fields:
        return sa.false()  # no searchable text: nothing contains the words
    columns: list[sa.ColumnElement[Any]] = [f.column for f in fields if f.column is not None]
    if dialect == "sqlite":
        long = [t for t in terms if len(t) >= 3]
        short = [t for t in terms if len(t) < 3]
        conds = [_anywhere(columns, t, ilike=False) for t in short]
        if long:
            conds.insert(0, coll.table.c.id.in_(_fts_rowids(coll, long)))
        return sa.and_(*conds)
    # A word without upper/lower case (Chinese, digits) needs no ILIKE: LIKE is the same test,
    # served by the same trigram index, and 2-3x cheaper where a scan happens.
    return sa.and_(*[_anywhere(columns, t, ilike=t.lower() != t.upper()) for t in terms])


def first_matches(
    coll: Collection, q: str, dialect: str, plan: SortPlan, cursor: list[object] | None, limit: int
) -> sa.ColumnElement[bool] | None:
    """On SQLite, for a list whose only condition is `q=` and whose order is the id: the first
    `limit` matches after the cursor's id, straight from the FTS5 table in rowid order, which
    stops there (`search_condition` collects every match first: 50-90 ms for a word common in
    1M titles, against 0.1-0.2 ms). None where this does not apply; the count still needs
    `search_condition`."""
    if dialect != "sqlite" or len(plan.columns) != 1 or plan.columns[0] is not coll.table.c.id:
        return None
    terms = search_terms(q)
    if not terms or any(len(t) < 3 for t in terms) or not search_fields(coll):
        return None
    rowids = _fts_rowids(coll, terms)
    rowid = rowids.selected_columns[0]
    desc = plan.descending[0]
    if cursor:
        bound = sa.literal(cursor[0], sa.BigInteger())
        rowids = rowids.where(rowid < bound if desc else rowid > bound)
    rowids = rowids.order_by(rowid.desc() if desc else rowid.asc()).limit(limit)
    return coll.table.c.id.in_(rowids)


async def plan_for_search(conn: AsyncConnection) -> None:
    """On PostgreSQL, plan the rest of this transaction's queries for the actual words.

    After five runs of one prepared statement PostgreSQL may switch to a generic plan, which
    cannot tell a common word (read in id order, stop at the page's end) from a rare one (use
    the trigram index); measured 5-10x slower on 1M rows. Planning each search costs ~0.2 ms.
    """
    if conn.dialect.name == "postgresql":
        await conn.execute(sa.text("SET LOCAL plan_cache_mode = force_custom_plan"))


def _fts_rowids(coll: Collection, terms: list[str]) -> sa.Select[Any]:
    """`SELECT rowid FROM <c>__fts WHERE <c>__fts MATCH '"t1" "t2"'`: all phrases, any column."""
    name = fts_name(coll.name)
    fts = sa.table(name, sa.column("rowid"), sa.column(name))
    expression = " ".join('"' + t.replace('"', '""') + '"' for t in terms)
    return sa.select(fts.c.rowid).where(fts.c[name].match(expression))


def _anywhere(columns: list[sa.ColumnElement[Any]], term: str, *, ilike: bool) -> sa.ColumnElement[bool]:
    """`col1 LIKE '%term%' OR col2 …`: SQLite's LIKE ignores ASCII case; PostgreSQL needs ILIKE
    (on the bare column, which is what a trigram index serves; `lower(col)` would not be)."""
    escaped = term.replace(_ESCAPE, _ESCAPE * 2).replace("%", _ESCAPE + "%").replace("_", _ESCAPE + "_")
    pattern = f"%{escaped}%"
    if ilike:
        return sa.or_(*[col.ilike(pattern, escape=_ESCAPE) for col in columns])
    return sa.or_(*[col.like(pattern, escape=_ESCAPE) for col in columns])


def _bad(message: str) -> ValidationFailed:
    return ValidationFailed(f"Invalid search: {message}", errors=[FieldError("q", message, "invalid_value")])

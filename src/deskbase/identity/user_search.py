"""Finding users: the administrators' list (search, filters, sort, pages, counts) and the
lookup anyone signed in may use (id, name and avatar, by ids or by name).

Search matches every whitespace-separated term, ignoring case, in a user's name, email or
phone (the lookup: the name alone). `icontains` is `lower(col) LIKE lower(?)` with escaping
on both databases; Chinese has no case, so it matches as typed. Users are few next to
records: a scan of ds_users is cheap, and no index is kept for it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.identity.checks import invalid
from deskbase.identity.departments import department_subtree
from deskbase.identity.models import UserRef
from deskbase.identity.roles import unknown_roles
from deskbase.kernel import tables as t
from deskbase.kernel.errors import FieldError

__all__ = [
    "COUNTS",
    "MAX_ID",
    "MAX_IDS",
    "MAX_LOOKUP",
    "MAX_PAGE_SIZE",
    "SORT_KEYS",
    "Found",
    "UserQuery",
    "check_query",
    "lookup_refs",
    "parse_ids",
    "search_ids",
]

_U, _UR, _UD = t.users, t.user_roles, t.user_departments

MAX_PAGE_SIZE = 200
MAX_QUERY = 200
MAX_TERMS = 10
MAX_IDS = 200
MAX_LOOKUP = 50
SORT_KEYS: dict[str, sa.Column[Any]] = {
    "id": _U.c.id,
    "name": _U.c.name,
    "email": _U.c.email,
    "phone": _U.c.phone,
    "active": _U.c.active,
    "created_at": _U.c.created_at,
}
COUNTS = ("role", "department")
MAX_ID = 2**31 - 1  # ids are 32-bit integers: a larger number would be a database error
_ID = re.compile(r"[0-9]{1,10}")  # ASCII digits only: str.isdigit takes full-width digits and "²"


@dataclass(frozen=True, slots=True)
class UserQuery:
    """`GET /api/users`: `sort` like `name,-created_at`; `counts` like `role,department`."""

    q: str | None = None
    active: bool | None = None
    role: str | None = None
    department: int | None = None
    sort: str | None = None
    page: int = 1
    page_size: int = MAX_PAGE_SIZE
    counts: str | None = None


def _list(raw: str | None) -> list[str]:
    return [p.strip() for p in (raw or "").split(",") if p.strip()]


def _terms(q: str | None, errors: list[FieldError]) -> list[str]:
    if not q:
        return []
    if len(q) > MAX_QUERY:
        errors.append(FieldError("q", f"at most {MAX_QUERY} characters", "invalid_value"))
    terms = list(dict.fromkeys(q.split()))
    if len(terms) > MAX_TERMS:
        errors.append(FieldError("q", f"at most {MAX_TERMS} words", "invalid_value"))
    return terms


def _sort(raw: str | None, errors: list[FieldError]) -> list[tuple[sa.Column[Any], bool]]:
    keys: list[tuple[sa.Column[Any], bool]] = []
    for part in _list(raw):
        name = part.lstrip("-+")
        column = SORT_KEYS.get(name)
        if column is None:
            known = ", ".join(SORT_KEYS)
            errors.append(FieldError("sort", f"unknown sort key {name!r}; use {known}", "unknown_sort"))
        elif all(c is not column for c, _ in keys):
            keys.append((column, part.startswith("-")))
    return keys


def check_query(query: UserQuery) -> list[FieldError]:
    """Every problem of the query's own values (the role and department are checked later)."""
    errors: list[FieldError] = []
    _terms(query.q, errors)
    _sort(query.sort, errors)
    if not 1 <= query.page <= MAX_ID:
        errors.append(FieldError("page", f"from 1 to {MAX_ID}", "out_of_range"))
    if not 1 <= query.page_size <= MAX_PAGE_SIZE:
        errors.append(FieldError("page_size", f"from 1 to {MAX_PAGE_SIZE}", "out_of_range"))
    for facet in _list(query.counts):
        if facet not in COUNTS:
            message = f"unknown count {facet!r}; use {', '.join(COUNTS)}"
            errors.append(FieldError("counts", message, "invalid_value"))
    return errors


def _matches(terms: Sequence[str], columns: Sequence[sa.ColumnElement[Any]]) -> sa.ColumnElement[bool]:
    """Every term in at least one of the columns, ignoring case."""
    return sa.and_(*[sa.or_(*[c.icontains(term, autoescape=True) for c in columns]) for term in terms])


async def _condition(conn: AsyncConnection, query: UserQuery) -> sa.ColumnElement[bool]:
    errors: list[FieldError] = []
    conds: list[sa.ColumnElement[bool]] = [sa.true()]
    terms = _terms(query.q, errors)
    if terms:
        conds.append(_matches(terms, [_U.c.name, _U.c.email, _U.c.phone]))
    if query.active is not None:
        conds.append(_U.c.active.is_(query.active))
    if query.role is not None:
        if await unknown_roles(conn, [query.role]):
            errors.append(FieldError("role", f"unknown role {query.role!r}", "unknown_role"))
        conds.append(_U.c.id.in_(sa.select(_UR.c.user_id).where(_UR.c.role == query.role)))
    if query.department is not None:
        below = await department_subtree(conn, query.department) if 0 < query.department <= MAX_ID else set()
        if not below:
            errors.append(
                FieldError("department", f"unknown department {query.department}", "unknown_department")
            )
        members = sa.select(_UD.c.user_id).where(_UD.c.department_id.in_(sorted(below)))
        conds.append(_U.c.id.in_(members))
    if errors:
        raise invalid(errors)
    return sa.and_(*conds)


def _order(keys: list[tuple[sa.Column[Any], bool]], dialect: str) -> list[sa.ColumnElement[Any]]:
    """The keys, then the id in the last key's direction; empty values sort first ascending and
    last descending on both databases (SQLite's own rule, told to PostgreSQL)."""
    last_desc = keys[-1][1] if keys else False
    if all(c is not _U.c.id for c, _ in keys):
        keys = [*keys, (_U.c.id, last_desc)]
    out: list[sa.ColumnElement[Any]] = []
    for column, desc in keys:
        clause = column.desc() if desc else column.asc()
        if column.nullable and dialect == "postgresql":
            clause = clause.nulls_last() if desc else clause.nulls_first()
        out.append(clause)
    return out


async def _counts(
    conn: AsyncConnection, facets: list[str], where: sa.ColumnElement[bool]
) -> dict[str, dict[str, int]]:
    """Per role and per department (direct members): how many of the matching users."""
    matching = sa.select(_U.c.id).where(where)
    out: dict[str, dict[str, int]] = {}
    for facet in dict.fromkeys(facets):
        key = _UR.c.role if facet == "role" else _UD.c.department_id
        table = _UR if facet == "role" else _UD
        rows = await conn.execute(
            sa.select(key, sa.func.count()).where(table.c.user_id.in_(matching)).group_by(key).order_by(key)
        )
        out[facet] = {str(k): int(n) for k, n in rows}
    return out


@dataclass(frozen=True, slots=True)
class Found:
    """One page of matching user ids, in order, how many match in all, and the counts asked for."""

    ids: list[int]
    total: int
    counts: dict[str, dict[str, int]]


async def search_ids(conn: AsyncConnection, query: UserQuery) -> Found:
    """The page of users matching `query` (checked with `check_query` first); an unknown
    role or department is a 422 naming it."""
    where = await _condition(conn, query)
    total = int((await conn.execute(sa.select(sa.func.count()).select_from(_U).where(where))).scalar_one())
    page = (
        sa.select(_U.c.id)
        .where(where)
        .order_by(*_order(_sort(query.sort, []), conn.dialect.name))
        .limit(query.page_size)
        .offset((query.page - 1) * query.page_size)
    )
    ids = list((await conn.execute(page)).scalars())
    counts = await _counts(conn, _list(query.counts), where) if query.counts else {}
    return Found(ids, total, counts)


def parse_ids(raw: str) -> list[int]:
    """`1,2,3` → [1, 2, 3] (duplicates dropped); a 422 on `ids` for anything else."""
    ids: list[int] = []
    for part in _list(raw):
        if not _ID.fullmatch(part) or not 1 <= int(part) <= MAX_ID:
            raise invalid([FieldError("ids", f"{part!r} is not a user id", "invalid_value")])
        ids.append(int(part))
    ids = list(dict.fromkeys(ids))
    if len(ids) > MAX_IDS:
        raise invalid([FieldError("ids", f"at most {MAX_IDS} ids", "too_many")])
    return ids


async def lookup_refs(
    conn: AsyncConnection,
    *,
    ids: list[int] | None,
    q: str | None,
    active: bool | None,
    limit: int,
) -> list[UserRef]:
    """Users by id (in the order asked, unknown ids left out), or else the first `limit` whose
    name holds every term of `q` (all users when `q` is blank), by name."""
    query = sa.select(_U.c.id, _U.c.name, _U.c.avatar)
    if active is not None:
        query = query.where(_U.c.active.is_(active))
    if ids is not None:
        if not ids:
            return []
        rows = {r.id: r for r in await conn.execute(query.where(_U.c.id.in_(ids)))}
        return [UserRef(i, rows[i].name, rows[i].avatar) for i in ids if i in rows]
    errors: list[FieldError] = []
    terms = _terms(q, errors)
    if not 1 <= limit <= MAX_LOOKUP:
        errors.append(FieldError("limit", f"from 1 to {MAX_LOOKUP}", "out_of_range"))
    if errors:
        raise invalid(errors)
    if terms:
        query = query.where(_matches(terms, [_U.c.name]))
    rows_ = await conn.execute(query.order_by(_U.c.name, _U.c.id).limit(limit))
    return [UserRef(r.id, r.name, r.avatar) for r in rows_]

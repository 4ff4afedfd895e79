"""AggregateService: GROUP BY up to three keys (date buckets in a time zone, relation paths)
with measures, a filter, an order and a limit, in one query that runs in the database."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from sqlalchemy import Column
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import visitors
from sqlalchemy.sql.expression import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from deskbase.data.aggregate.buckets import Steps, bucket, fixed_zone, zone_steps
from deskbase.data.aggregate.measures import Measure, build_measure
from deskbase.data.aggregate.source import Source
from deskbase.data.aggregate.spec import (
    MAX_LIMIT,
    AggregateQuery,
    GroupSpec,
    MeasureSpec,
    OrderSpec,
    parse_groups,
    parse_measures,
    parse_order,
)
from deskbase.kernel.errors import FieldError, ValidationFailed

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection

    from deskbase.data.records import RecordService
    from deskbase.kernel.context import RequestContext
    from deskbase.kernel.db import Database
    from deskbase.kernel.types import JSONValue
    from deskbase.schema.catalog import Catalog
    from deskbase.schema.model import Collection, Field

__all__ = ["AggregateService"]

Terms = list[sa.ColumnElement[Any]]


@dataclass(slots=True)
class _Plan:
    """A checked request: resolved columns, measures, order, filter and time zone."""

    source: Source
    tz: ZoneInfo
    groups: list[tuple[GroupSpec, sa.ColumnElement[Any], Field]] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    order: list[OrderSpec] = field(default_factory=list)
    where: sa.ColumnElement[bool] | None = None


@dataclass(slots=True)
class _Group:
    key: str
    label: sa.Label[Any]
    order: Terms  # ORDER BY terms, ascending
    convert: Callable[[Any], JSONValue]


class AggregateService:
    def __init__(self, db: Database, catalog: Catalog, records: RecordService, *, timezone: str) -> None:
        self.db = db
        self.catalog = catalog
        self.records = records
        self.timezone = timezone

    async def aggregate(self, ctx: RequestContext, name: str, q: AggregateQuery) -> dict[str, JSONValue]:
        """`{"data": [row, …], "meta": {…}}`: one row per group, keyed by the specs as sent."""
        plan = self._plan(ctx, self.catalog.get(name), q)
        measures = plan.measures
        async with self.db.read() as conn:
            steer = self.db.is_sqlite and bool(plan.groups) and not _index_covers(plan)
            groups = [await self._group(conn, i, *g, plan.tz, steer) for i, g in enumerate(plan.groups)]
            stmt = sa.select(*(g.label for g in groups), *(c for m in measures for c in m.columns))
            stmt = stmt.select_from(plan.source.joined)
            if plan.where is not None:
                stmt = stmt.where(plan.where)
            if groups:  # by output name: PostgreSQL would not match two copies of a bound tz
                stmt = stmt.group_by(*(g.label.name for g in groups))
            terms: dict[str, tuple[Terms, bool]] = {}
            for o in plan.order:
                terms[o.key] = (_order_terms(o.key, groups, measures), o.descending)
            for g in groups:  # the group keys last: a total, repeatable order
                terms.setdefault(g.key, (g.order, False))
            stmt = stmt.order_by(*self._order_by(terms.values())).limit(q.limit + 1)
            rows = await _run(conn, stmt)
        data: list[JSONValue] = []
        for row in rows[: q.limit]:
            out: dict[str, JSONValue] = {g.key: g.convert(row[i]) for i, g in enumerate(groups)}
            at = len(groups)
            for m in measures:
                out[m.key] = m.convert(row[at : at + len(m.columns)])
                at += len(m.columns)
            data.append(out)
        meta: dict[str, JSONValue] = {
            "group_by": [g.key for g in groups],
            "measures": [m.key for m in measures],
            "order": [("-" if o.descending else "") + o.key for o in plan.order],
            "timezone": plan.tz.key,
            "limit": q.limit,
            "has_more": len(rows) > q.limit,
        }
        return {"data": data, "meta": meta}

    def _plan(self, ctx: RequestContext, coll: Collection, q: AggregateQuery) -> _Plan:
        """Check the whole request and report every problem at once (422)."""
        errors: list[FieldError] = []
        guard = self.records.guard
        grant = guard.grant(ctx, coll, "list")  # aggregates read what a list may read
        restrict = None if grant.unrestricted else guard.restrict(ctx)
        plan = _Plan(Source(coll, self.catalog, restrict), _zone(q.tz or self.timezone, errors))
        if not 1 <= q.limit <= MAX_LIMIT:
            errors.append(FieldError("limit", f"between 1 and {MAX_LIMIT}", "out_of_range"))
        specs: list[GroupSpec | MeasureSpec] = [
            *parse_groups(q.group_by, errors),
            *parse_measures(q.measures, errors),
        ]
        seen: set[str] = set()
        for spec in specs:
            if spec.key in seen:
                errors.append(FieldError(spec.where, f"{spec.key!r} is asked for twice", "duplicate"))
                continue
            seen.add(spec.key)
            try:
                if spec.path is not None:
                    guard.check_path(ctx, grant, spec.path, spec.where.partition(".")[0])
                if isinstance(spec, GroupSpec):
                    col, fld = plan.source.column(spec.path, spec.where)
                    _check_bucket(spec, fld)
                    plan.groups.append((spec, col, fld))
                else:
                    plan.measures.append(build_measure(spec, len(plan.measures), plan.source))
            except ValidationFailed as exc:
                errors += exc.errors
        plan.order = parse_order(q.order, seen, errors)
        try:
            plan.where = self.records.where(ctx, grant, q.filter)
        except ValidationFailed as exc:
            errors += exc.errors
        if errors:
            detail = "; ".join(f"{e.field}: {e.message}" for e in errors[:10])
            raise ValidationFailed(f"Invalid aggregation: {detail}", errors=errors)
        return plan

    async def _group(
        self,
        conn: AsyncConnection,
        index: int,
        spec: GroupSpec,
        col: sa.ColumnElement[Any],
        fld: Field,
        tz: ZoneInfo,
        steer: bool,
    ) -> _Group:
        name = f"_g{index}"
        if spec.unit is None:
            # SQLite would read the rows in the order of an index on the key to skip sorting,
            # at the price of one table lookup per row: five times slower at 1M rows.
            # `+col` (a no-op) hides that index order; a covering index is still scanned.
            expr = UnaryExpression(col, operator=custom_op("+"), type_=col.type) if steer else col
            label = expr.label(name)
            key = fld.type.sort_key(expr, fld.options)
            order: Terms = [label] if key is expr else [key, label]
            return _Group(spec.key, label, order, _stored(fld))
        steps: Steps | None = None  # a date has no time zone
        if fld.value_kind == "datetime":  # one offset for any year, or those of the data's years
            steps = zone_steps(tz.key, 2000, 2000) if fixed_zone(tz) else await _steps(conn, fld, tz)
        expr = bucket(col, spec.unit, self.db.dialect, steps)
        label = expr.label(name)
        return _Group(spec.key, label, [label], _day)

    def _order_by(self, terms: Iterable[tuple[Terms, bool]]) -> Terms:
        out: Terms = []
        for exprs, descending in terms:
            for expr in exprs:
                clause = expr.desc() if descending else expr.asc()
                if self.db.is_postgres:  # empty values first ascending, as SQLite does
                    clause = clause.nulls_last() if descending else clause.nulls_first()
                out.append(clause)
        return out


def _index_covers(plan: _Plan) -> bool:
    """Whether one index of the collection's table holds every column the query reads."""
    table = plan.source.coll.table
    probe = sa.select(*(c for _, c, _ in plan.groups), *(c for m in plan.measures for c in m.columns))
    probe = probe.select_from(plan.source.joined)
    if plan.where is not None:
        probe = probe.where(plan.where)
    read = {c.name for c in visitors.iterate(probe) if isinstance(c, sa.Column) and c.table is table}
    read.discard("id")  # the rowid is in every SQLite index
    for index in table.indexes:
        # Every column an entry reads (`status`, `opened_at DESC`, `substr(opened_at, 1, 7)`).
        exprs = [e for e in index.expressions if isinstance(e, sa.ColumnElement)]
        if read <= {c.name for e in exprs for c in visitors.iterate(e) if isinstance(c, Column)}:
            return True
    return False


def _zone(name: str, errors: list[FieldError]) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        errors.append(FieldError("tz", f"unknown time zone {name!r} (use an IANA name)", "invalid_value"))
        return ZoneInfo("UTC")


def _check_bucket(spec: GroupSpec, fld: Field) -> None:
    if spec.unit is not None and fld.value_kind not in ("date", "datetime"):
        message = f"date buckets apply to date and datetime fields; {fld.name!r} is a {fld.type.key} field"
        raise ValidationFailed(message, errors=[FieldError(spec.where, message, "bucket_not_supported")])


def _order_terms(key: str, groups: list[_Group], measures: list[Measure]) -> Terms:
    for g in groups:
        if g.key == key:
            return g.order
    return [next(m.order for m in measures if m.key == key)]


async def _steps(conn: AsyncConnection, fld: Field, tz: ZoneInfo) -> Steps:
    """The zone's offsets over the column's range (on its own table; index-served if indexed)."""
    if fld.column is None:
        return ()
    low, high = (await conn.execute(sa.select(sa.func.min(fld.column), sa.func.max(fld.column)))).one()
    if low is None or high is None:
        return zone_steps(tz.key, 2000, 2000)  # no data: any offset will do
    return zone_steps(tz.key, low.year, high.year)


async def _run(conn: AsyncConnection, stmt: sa.Select[Any]) -> list[sa.Row[Any]]:
    try:
        return list(await conn.execute(stmt))
    except DBAPIError as exc:
        if "overflow" not in str(exc.orig).lower():
            raise
        # SQLite sums integers (and scaled decimals) in 64 bits and refuses to overflow.
        message = "a sum exceeds the range of 64-bit integers"
        raise ValidationFailed(message, errors=[FieldError("measures", message, "out_of_range")]) from None


def _stored(fld: Field) -> Callable[[Any], JSONValue]:
    def convert(value: Any) -> JSONValue:
        return None if value is None else fld.type.to_api(value, fld.options)

    return convert


def _day(value: Any) -> JSONValue:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)[:10]

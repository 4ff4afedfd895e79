"""RecordService: list, get, create, update and delete records, one transaction per request.

A write validates everything first (values, references, unique values) and reports every
problem at once, by row index and field; nothing is written unless all of it is valid.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.data import history
from deskbase.data.access import Grant, Guard, Reading
from deskbase.data.access.search import readable_search
from deskbase.data.appends import load_appends
from deskbase.data.checks import check_references, check_unique, resolve_files
from deskbase.data.cursor import decode_cursor, encode_cursor
from deskbase.data.events import Happened, queue_executions
from deskbase.data.filters import MATCH_ALL, Operator, Restrict, compile_filter, parse_filter
from deskbase.data.payload import Prepared, prepare
from deskbase.data.query import ListQuery
from deskbase.data.reader import Record, convert, fetch_records, project
from deskbase.data.search import first_matches, plan_for_search, search_condition
from deskbase.data.sorting import plan_sort
from deskbase.data.stats import QueryStats, query_shape
from deskbase.data.writes import (
    Rows,
    both,
    compute,
    file_ids,
    generate,
    insert,
    insert_returning,
    link,
    number,
    plan_extension,
    raise_errors,
    written,
)
from deskbase.kernel.audit import Entry, record_many
from deskbase.kernel.context import RequestContext
from deskbase.kernel.db import Database
from deskbase.kernel.errors import (
    EmptyFilter,
    ExtensionWrite,
    FieldError,
    PermissionDenied,
    RecordNotFound,
    ReferencedRecord,
    UniqueViolation,
    ValidationFailed,
)
from deskbase.kernel.events import RecordEvents, RecordKind
from deskbase.kernel.registry import Registry
from deskbase.kernel.types import JSONValue
from deskbase.schema.catalog import Catalog
from deskbase.schema.model import Collection

__all__ = ["MAX_BULK", "RecordService"]

MAX_BULK = 10_000
MAX_PAGE = 1_000_000
MAX_ID = 2**63 - 1


class RecordService:
    def __init__(
        self,
        db: Database,
        catalog: Catalog,
        operators: Registry[Operator],
        guard: Guard,
        *,
        max_page_size: int,
        timezone: str,
        events: RecordEvents | None = None,
    ) -> None:
        self.db = db
        self.catalog = catalog
        self.operators = operators
        self.guard = guard
        self.events = events or RecordEvents()
        self.max_page_size = max_page_size
        self.timezone = timezone
        self.stats = QueryStats()  # list-query shapes and timings, for `deskbase db analyze`

    # -- reading -------------------------------------------------------------------------

    def where(self, ctx: RequestContext, grant: Grant, raw: JSONValue) -> sa.ColumnElement[bool] | None:
        """The caller's filter (its fields checked against `grant`) AND the grant's record
        scope; None when both are empty (every record)."""
        return both(self.user_filter(ctx, grant, raw), self.guard.where(ctx, grant))

    def user_filter(self, ctx: RequestContext, grant: Grant, raw: JSONValue) -> sa.ColumnElement[bool] | None:
        node = MATCH_ALL if raw is None else parse_filter(raw)
        if node == MATCH_ALL:
            return None  # lists read everything; bulk writes refuse this
        restrict: Restrict | None = None
        if not grant.unrestricted:
            self.guard.check_filter(ctx, grant, node)
            restrict = self.guard.restrict(ctx)
        return compile_filter(
            node,
            grant.coll,
            self.catalog,
            self.operators,
            dialect=self.db.dialect,
            variables=ctx.variables(),
            now=ctx.now,
            timezone=self.timezone,
            restrict=restrict,
        )

    def reading(self, ctx: RequestContext, grant: Grant) -> Reading | None:
        return None if grant.unrestricted else Reading(self.guard, ctx, grant)

    def projection_names(self, grant: Grant, fields: tuple[str, ...] | None) -> list[str] | None:
        """`fields=` checked against the grant, or the grant's readable fields."""
        if fields is None:
            return grant.readable()
        grant.forbidden(fields, "fields")
        return list(fields)

    async def list_records(self, ctx: RequestContext, name: str, q: ListQuery) -> dict[str, JSONValue]:
        coll = self.catalog.get(name)
        grant = self.guard.grant(ctx, coll, "list")
        if not 1 <= q.page_size <= self.max_page_size:
            raise ValidationFailed(
                f"page_size must be between 1 and {self.max_page_size}",
                errors=[FieldError("page_size", f"between 1 and {self.max_page_size}", "out_of_range")],
            )
        if not 1 <= q.page <= MAX_PAGE:
            raise ValidationFailed(
                f"page is between 1 and {MAX_PAGE}; use the cursor for deep pages",
                errors=[FieldError("page", f"between 1 and {MAX_PAGE}", "out_of_range")],
            )
        where = self.where(ctx, grant, q.filter)
        search = (q.q or "").strip()
        if search:
            found = search_condition(coll, search, self.db.dialect)
            where = both(both(where, found), readable_search(grant, search))
        for key in q.sort:
            self.guard.check_path(ctx, grant, key.path, "sort")
        plan = plan_sort(coll, self.catalog, q.sort, self._visible(ctx))
        projection = project(coll, self.projection_names(grant, q.fields))
        conds = [where] if where is not None else []
        offset = None
        reads: list[sa.ColumnElement[bool] | None] = [sa.and_(*conds) if conds else None]
        values = decode_cursor(plan.signature, q.cursor) if q.cursor else None
        if values is not None:  # the rows after the cursor's, in parts read in turn until the page is full
            reads = [sa.and_(*conds, part) for part in plan.after(values, self.db.dialect)]
        else:
            offset = (q.page - 1) * q.page_size
        if search and where is found:  # q= alone: on SQLite, the page's matches from the FTS index
            limit = q.page_size + 1 + (offset or 0)
            first = first_matches(coll, search, self.db.dialect, plan, values, limit)
            reads = reads if first is None else [first]
        extra = [c.label(f"_s{i}") for i, c in enumerate(plan.columns)]
        started = time.perf_counter()
        async with self.db.read(transaction=bool(search)) as conn:  # (SET LOCAL needs one)
            if search:
                await plan_for_search(conn)
            records: list[Record] = []
            rows: list[tuple[Any, ...]] = []  # each record's sort values (`extra`)
            for cond in reads:
                got, got_rows = await fetch_records(
                    conn,
                    coll,
                    projection,
                    cond,
                    order_by=plan.order_by(self.db.dialect),
                    joins=plan.joins,
                    extra=extra,
                    limit=q.page_size + 1 - len(records),
                    offset=offset,
                )
                records += got
                rows += got_rows
                if len(records) > q.page_size:
                    break
            has_more = len(records) > q.page_size
            records = records[: q.page_size]
            meta: dict[str, JSONValue] = {
                "page": q.page if not q.cursor else None,
                "page_size": q.page_size,
            }
            meta["has_more"] = has_more
            meta["next_cursor"] = (
                encode_cursor(plan.signature, list(rows[q.page_size - 1]), list(rows[q.page_size]))
                if has_more
                else None
            )
            if q.count:
                count = sa.select(sa.func.count()).select_from(coll.table)
                if where is not None:
                    count = count.where(where)
                meta["total"] = int((await conn.execute(count)).scalar_one())
            elapsed_ms = (time.perf_counter() - started) * 1000
            await load_appends(conn, self.catalog, coll, records, q.appends, self.reading(ctx, grant))
        self.stats.record(query_shape(coll.name, q), elapsed_ms)
        return {"data": records, "meta": meta}  # type: ignore[dict-item]

    async def get_record(
        self,
        ctx: RequestContext,
        name: str,
        record_id: int,
        fields: tuple[str, ...] | None = None,
        appends: tuple[str, ...] = (),
    ) -> Record:
        _check_id(name, record_id)
        coll = self.catalog.get(name)
        grant = self.guard.grant(ctx, coll, "get")
        names = self.projection_names(grant, fields)
        scope = self.guard.where(ctx, grant)
        async with self.db.read() as conn:
            return await self._get(
                conn, coll, record_id, names, appends, scope=scope, reading=self.reading(ctx, grant)
            )

    async def _get(
        self,
        conn: AsyncConnection,
        coll: Collection,
        record_id: int,
        fields: list[str] | tuple[str, ...] | None = None,
        appends: tuple[str, ...] = (),
        *,
        scope: sa.ColumnElement[bool] | None = None,
        reading: Reading | None = None,
    ) -> Record:
        where = _scoped(coll.table.c.id == record_id, scope)
        records, _ = await fetch_records(conn, coll, project(coll, fields), where)
        if not records:
            raise RecordNotFound(f"{coll.name} record {record_id} does not exist")
        await load_appends(conn, self.catalog, coll, records, appends, reading)
        return records[0]

    def _answer(self, ctx: RequestContext, coll: Collection, records: list[Record]) -> list[Record]:
        """What a write answers: the records as the caller's `get` rule lets them read them."""
        if ctx.actor.is_admin:
            return records
        names = (
            self.guard.grant(ctx, coll, "get").readable() if self.guard.allows(ctx, coll, "get") else ["id"]
        )
        if names is None:
            return records
        keep = {n for n in names if "." not in n}
        partial = {n.partition(".")[0] for n in names if "." in n}
        out = []
        for r in records:
            kept: Record = {k: v for k, v in r.items() if k in keep}
            for ext in partial:
                sub = r.get(ext)
                if isinstance(sub, dict):
                    kept[ext] = {k: v for k, v in sub.items() if k == "id" or f"{ext}.{k}" in names}
            out.append(kept)
        return out

    # -- creating ------------------------------------------------------------------------

    async def create_record(self, ctx: RequestContext, name: str, payload: JSONValue) -> Record:
        return (await self._create(ctx, name, [payload], bulk=False))[0]

    async def create_records(self, ctx: RequestContext, name: str, payloads: list[JSONValue]) -> list[Record]:
        if not payloads:
            raise ValidationFailed(
                "Send at least one record", errors=[FieldError("body", "empty list", "empty")]
            )
        if len(payloads) > MAX_BULK:
            raise ValidationFailed(
                f"At most {MAX_BULK} records per request",
                errors=[FieldError("body", f"at most {MAX_BULK} records", "too_many")],
            )
        return await self._create(ctx, name, payloads, bulk=True)

    async def _create(
        self, ctx: RequestContext, name: str, payloads: list[JSONValue], *, bulk: bool
    ) -> list[Record]:
        coll = self._writable(name, creating=True)
        grant = self.guard.grant(ctx, coll, "create")
        rows: Rows = []
        errors: list[FieldError] = []
        for i, payload in enumerate(payloads):
            index = i if bulk else None
            grant.forbidden(written(coll, payload), "")
            prep = prepare(coll, payload, creating=True, index=index)
            if isinstance(payload, dict):
                plan_extension(coll, payload, prep, index, current=None)
            rows.append((index, prep))
            errors += prep.errors + (prep.extension[1].errors if prep.extension else [])
        raise_errors(errors)
        # Unrestricted, on PostgreSQL: the foreign keys refuse a missing related id, and the
        # ids are looked up only then, to name them (a query saved on every other creation).
        # A one-to-many link is an UPDATE of the other side, which no key refuses: checked first.
        deferred = (
            self.db.is_postgres
            and self._visible(ctx) is None
            and not any(_links_one_to_many(coll, prep) for _, prep in rows)
        )
        try:
            return await self._insert(ctx, coll, grant, rows, bulk=bulk, deferred=deferred)
        except UniqueViolation:
            if deferred:
                async with self.db.read() as conn:
                    raise_errors(await self._reference_errors(conn, coll, rows, None))
            raise

    async def _insert(
        self, ctx: RequestContext, coll: Collection, grant: Grant, rows: Rows, *, bulk: bool, deferred: bool
    ) -> list[Record]:
        async with self._writing(ctx) as conn:
            await self._check(conn, coll, rows, None, ctx, deferred=deferred)
            generate(coll, rows, ctx, creating=True)
            await number(conn, coll, rows, ctx)
            for _, prep in rows:
                compute(coll, prep, {})
            whole = project(coll, None)
            if len(whole.parts) == 1 and not whole.parts[0].many and not any(p.links for _, p in rows):
                # Nothing joined or linked: the INSERT itself returns the new records.
                inserted = await insert_returning(
                    conn, coll.table, [p.values for _, p in rows], whole.columns()
                )
                records = [convert(whole, row) for row in inserted]
                ids = [r["id"] for r in records]
                await self._inside(conn, ctx, grant, ids, bulk=bulk)
                await self._created(conn, ctx, coll, records)
                return self._answer(ctx, coll, records)
            ids = await insert(conn, coll.table, [p.values for _, p in rows])
            ext_rows: dict[str, list[dict[str, object]]] = {}
            for new_id, (_, prep) in zip(ids, rows, strict=True):
                if prep.extension:
                    ext, ext_prep = prep.extension
                    compute(ext, ext_prep, {})
                    ext_rows.setdefault(ext.name, []).append({"id": new_id, **ext_prep.values})
                await link(self.catalog, conn, coll, new_id, prep, replace=False)
            for ext_name, values in ext_rows.items():
                await insert(conn, coll.extensions[ext_name].table, values, returning=False)
            await self._inside(conn, ctx, grant, ids, bulk=bulk)
            records, _ = await fetch_records(
                conn, coll, whole, coll.table.c.id.in_(ids), order_by=[coll.table.c.id]
            )
            await self._created(conn, ctx, coll, records)
        return self._answer(ctx, coll, records)

    async def _created(
        self, conn: AsyncConnection, ctx: RequestContext, coll: Collection, records: list[Record]
    ) -> None:
        await record_many(conn, ctx, [history.created(coll, r) for r in records])
        await self._emit(conn, ctx, coll, "created", [Happened(r["id"], r) for r in records])  # type: ignore[arg-type]

    async def _inside(
        self, conn: AsyncConnection, ctx: RequestContext, grant: Grant, ids: list[Any], *, bulk: bool
    ) -> None:
        """Refuse (403, all rolled back) new records that fall outside the create scope."""
        scope = self.guard.where(ctx, grant)
        if scope is None:
            return
        found: set[Any] = set()
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            stmt = sa.select(grant.coll.table.c.id).where(grant.coll.table.c.id.in_(chunk), scope)
            found.update((await conn.execute(stmt)).scalars())
        outside = [i for i, new_id in enumerate(ids) if new_id not in found]
        if outside:
            raise PermissionDenied(
                f"{len(outside)} record(s) would fall outside the records your role may create",
                errors=[
                    FieldError(
                        "", "outside the records your role may create", "outside_scope", i if bulk else None
                    )
                    for i in outside[:100]
                ],
            )

    # -- updating ------------------------------------------------------------------------

    async def update_record(
        self, ctx: RequestContext, name: str, record_id: int, payload: JSONValue
    ) -> Record:
        _check_id(name, record_id)
        coll = self._writable(name, creating=False)
        grant = self.guard.grant(ctx, coll, "update")
        grant.forbidden(written(coll, payload), "")
        scope = self.guard.where(ctx, grant)
        async with self._writing(ctx) as conn:
            after = await self._update_one(conn, ctx, coll, record_id, payload, scope)
            return self._answer(ctx, coll, [after or await self._get(conn, coll, record_id)])[0]

    async def update_by_filter(
        self, ctx: RequestContext, name: str, raw: JSONValue, payload: JSONValue
    ) -> int:
        coll = self._writable(name, creating=False)
        grant = self.guard.grant(ctx, coll, "update")
        grant.forbidden(written(coll, payload), "")
        where = self._bulk_where(ctx, grant, raw)
        async with self._writing(ctx) as conn:
            ids = (
                (await conn.execute(sa.select(coll.table.c.id).where(where).order_by(coll.table.c.id)))
                .scalars()
                .all()
            )
            for record_id in ids:
                await self._update_one(conn, ctx, coll, record_id, payload, None)
        return len(ids)

    async def _update_one(
        self,
        conn: AsyncConnection,
        ctx: RequestContext,
        coll: Collection,
        record_id: int,
        payload: JSONValue,
        scope: sa.ColumnElement[bool] | None,
    ) -> Record | None:
        """Update one record, which must be inside `scope` (else 404), and audit the change.
        Returns the record as it is now when the UPDATE could return it (a collection without
        extensions or many-to-many fields), else None."""
        found = _scoped(coll.table.c.id == record_id, scope)
        current_row = (await conn.execute(sa.select(coll.table).where(found))).mappings().first()
        if current_row is None:
            raise RecordNotFound(f"{coll.name} record {record_id} does not exist")
        current = dict(current_row)
        prep = prepare(coll, payload, creating=False, index=None)
        old_ext = (
            plan_extension(coll, payload, prep, None, current=current) if isinstance(payload, dict) else None
        )
        raise_errors(prep.errors + (prep.extension[1].errors if prep.extension else []))
        rows: Rows = [(None, prep)]
        await self._check(conn, coll, rows, record_id, ctx, file_ids(coll, current))
        generate(coll, rows, ctx, creating=False)
        compute(coll, prep, current)
        changes = history.diff(history.to_api(coll, current), history.to_api(coll, prep.values))
        if prep.links:
            before_links = await history.link_ids(conn, coll, self.catalog.get, record_id, list(prep.links))
            after_links: dict[str, JSONValue] = {k: list[JSONValue](v) for k, v in prep.links.items()}
            changes.update(history.diff(before_links, after_links))
        after: Record | None = None
        if prep.values:
            stmt = coll.table.update().where(coll.table.c.id == record_id).values(prep.values)
            whole = project(coll, None)
            if len(whole.parts) == 1 and not whole.parts[0].many and not prep.links:
                row = (await conn.execute(stmt.returning(*whole.columns()))).one()
                after = convert(whole, row)
            else:
                await conn.execute(stmt)
        if old_ext is not None:
            await conn.execute(old_ext.table.delete().where(old_ext.table.c.id == record_id))
        if prep.extension:
            ext, ext_prep = prep.extension
            ext_current = (
                (await conn.execute(sa.select(ext.table).where(ext.table.c.id == record_id)))
                .mappings()
                .first()
            )
            compute(ext, ext_prep, dict(ext_current or {}))
            changes.update(
                history.diff(
                    history.to_api(ext, dict(ext_current or {})),
                    history.to_api(ext, ext_prep.values),
                    prefix=f"{ext.name}.",
                )
            )
            if ext_current is None:
                missing = [
                    f
                    for f in ext.fields.values()
                    if f.required and f.writable and ext_prep.values.get(f.name) is None
                ]
                raise_errors(
                    [
                        FieldError(f"{ext.name}.{f.name}", "this field is required", "required")
                        for f in missing
                    ]
                )
                await conn.execute(ext.table.insert().values({"id": record_id, **ext_prep.values}))
            elif ext_prep.values:
                await conn.execute(
                    ext.table.update().where(ext.table.c.id == record_id).values(ext_prep.values)
                )
        await link(self.catalog, conn, coll, record_id, prep, replace=True)
        if changes or old_ext is not None:
            await record_many(conn, ctx, [history.updated(coll, record_id, changes)])
            if self.events.subscriptions(coll.name, "updated"):
                after = after or await self._get(conn, coll, record_id)
                await self._emit(conn, ctx, coll, "updated", [Happened(record_id, after, changes)])
        return after

    # -- deleting ------------------------------------------------------------------------

    async def delete_record(self, ctx: RequestContext, name: str, record_id: int) -> None:
        _check_id(name, record_id)
        coll = self._writable(name, creating=True)
        grant = self.guard.grant(ctx, coll, "delete")
        where = _scoped(coll.table.c.id == record_id, self.guard.where(ctx, grant))
        async with self._writing(ctx) as conn:
            found = (await conn.execute(sa.select(coll.table.c.id).where(where))).first()
            if found is None:
                raise RecordNotFound(f"{coll.name} record {record_id} does not exist")
            await self._delete_ids(conn, ctx, coll, [record_id])

    async def delete_by_filter(self, ctx: RequestContext, name: str, raw: JSONValue) -> int:
        coll = self._writable(name, creating=True)
        grant = self.guard.grant(ctx, coll, "delete")
        where = self._bulk_where(ctx, grant, raw)
        async with self._writing(ctx) as conn:
            ids = list((await conn.execute(sa.select(coll.table.c.id).where(where))).scalars())
            if ids:
                await self._delete_ids(conn, ctx, coll, ids)
        return len(ids)

    async def _delete_ids(
        self,
        conn: AsyncConnection,
        ctx: RequestContext,
        coll: Collection,
        ids: list[Any],
        cause: dict[str, JSONValue] | None = None,
    ) -> None:
        """Delete records, following each referring many_to_one field's on_delete rule.

        Cascades follow the schema's rules, not the caller's role: the role was checked on
        the records it asked to delete. Each deleted record gets an audit entry.
        """
        entries: list[Entry] = []
        for start in range(0, len(ids), 900):
            gone, _ = await fetch_records(
                conn, coll, project(coll, None), coll.table.c.id.in_(ids[start : start + 900])
            )
            entries += [history.deleted(coll, r, cause) for r in gone]
            await self._emit(conn, ctx, coll, "deleted", [Happened(r["id"], r) for r in gone])  # type: ignore[arg-type]
        await record_many(conn, ctx, entries)
        for other in self.catalog:
            for fld in other.fields.values():
                rel = fld.relation
                if rel is None or rel.kind != "many_to_one" or rel.target != coll.name or fld.column is None:
                    continue
                refs = sa.select(other.table.c.id).where(fld.column.in_(ids))
                if other.name == coll.name:
                    refs = refs.where(other.table.c.id.not_in(ids))
                rule = getattr(fld.options, "on_delete", "set_null")
                if rule == "set_null":
                    await conn.execute(
                        other.table.update().where(fld.column.in_(ids)).values({fld.name: None})
                    )
                    continue
                referring = list((await conn.execute(refs)).scalars())
                if not referring:
                    continue
                if rule == "restrict":
                    raise ReferencedRecord(
                        f"{len(referring)} {other.name} record(s) refer to this record through "
                        f"{other.name}.{fld.name}; delete or change them first",
                        errors=[
                            FieldError(f"{other.name}.{fld.name}", "records refer to this one", "restrict")
                        ],
                    )
                await self._delete_ids(
                    conn, ctx, other, referring, {"cascade_from": coll.name, "field": fld.name}
                )
        for start in range(0, len(ids), 900):
            await conn.execute(coll.table.delete().where(coll.table.c.id.in_(ids[start : start + 900])))

    # -- helpers -------------------------------------------------------------------------

    def _writable(self, name: str, *, creating: bool) -> Collection:
        coll = self.catalog.get(name)
        if coll.extends is not None and creating:
            raise ExtensionWrite(
                f"{name!r} extends {coll.extends.master!r}: create and delete its records through "
                f"{coll.extends.master!r} (nested under {name!r})"
            )
        return coll

    def _bulk_where(self, ctx: RequestContext, grant: Grant, raw: JSONValue) -> sa.ColumnElement[bool]:
        """The filter of a bulk write, read with the caller's `list` rule (a filter reads the
        fields it names), within the write's own scope."""
        reading = grant if grant.unrestricted else self.guard.grant(ctx, grant.coll, "list")
        user = self.user_filter(ctx, reading, raw)
        if user is None:
            raise EmptyFilter("A bulk update or delete needs a non-empty filter")
        return _scoped(user, self.guard.where(ctx, grant))

    def _visible(self, ctx: RequestContext) -> Restrict | None:
        return None if ctx.actor.is_admin else self.guard.restrict(ctx)

    async def _check(
        self,
        conn: AsyncConnection,
        coll: Collection,
        rows: Rows,
        exclude_id: object,
        ctx: RequestContext,
        kept: frozenset[int] = frozenset(),
        *,
        deferred: bool = False,
    ) -> None:
        """Related ids exist (unless `deferred`: see `_create`), unique values are free, files
        are known."""
        visible = self._visible(ctx)
        uploader = None if ctx.actor.is_admin else ctx.actor.id
        errors = [] if deferred else await self._reference_errors(conn, coll, rows, visible)
        errors += await check_unique(conn, coll, rows, exclude_id)
        errors += await resolve_files(conn, coll, rows, "", uploader, kept)
        for ext, sub in _extension_rows(coll, rows):
            prefix = f"{ext.name}."
            errors += await check_unique(conn, ext, sub, exclude_id, prefix)
            errors += await resolve_files(conn, ext, sub, prefix, uploader, kept)
        raise_errors(errors)

    async def _reference_errors(
        self, conn: AsyncConnection, coll: Collection, rows: Rows, visible: Restrict | None
    ) -> list[FieldError]:
        errors = await check_references(conn, self.catalog, coll, rows, visible=visible)
        for ext, sub in _extension_rows(coll, rows):
            errors += await check_references(conn, self.catalog, ext, sub, f"{ext.name}.", visible)
        return errors

    async def _emit(
        self,
        conn: AsyncConnection,
        ctx: RequestContext,
        coll: Collection,
        kind: RecordKind,
        happened: list[Happened],
    ) -> None:
        if not self.events.subscriptions(coll.name, kind):
            return

        def condition(target: Collection, raw: JSONValue) -> sa.ColumnElement[bool]:
            return compile_filter(
                parse_filter(raw),
                target,
                self.catalog,
                self.operators,
                dialect=self.db.dialect,
                variables=ctx.variables(),
                now=ctx.now,
                timezone=self.timezone,
            )

        await queue_executions(conn, ctx, self.events, coll, kind, happened, condition)

    @asynccontextmanager
    async def _writing(self, ctx: RequestContext) -> AsyncIterator[AsyncConnection]:
        """A write transaction; `ctx.in_transaction` runs in it last; workers wake after it."""
        try:
            async with self.db.write() as conn:
                yield conn
                if ctx.in_transaction is not None:
                    await ctx.in_transaction(conn)
            self.events.notify()
        except IntegrityError as exc:
            raise UniqueViolation(
                "The change conflicts with existing records (a unique value or a reference); "
                "nothing was saved"
            ) from exc


def _links_one_to_many(coll: Collection, prep: Prepared) -> bool:
    parts = [(coll, prep)] + ([prep.extension] if prep.extension else [])
    for part, values in parts:
        for name in values.links:
            rel = part.fields[name].relation
            if rel is not None and rel.kind == "one_to_many":
                return True
    return False


def _extension_rows(coll: Collection, rows: Rows) -> list[tuple[Collection, Rows]]:
    """The rows' extension parts, per extension collection."""
    out: dict[str, Rows] = {}
    for index, prep in rows:
        if prep.extension:
            out.setdefault(prep.extension[0].name, []).append((index, prep.extension[1]))
    return [(coll.extensions[name], sub) for name, sub in out.items()]


def _scoped(cond: sa.ColumnElement[bool], scope: sa.ColumnElement[bool] | None) -> sa.ColumnElement[bool]:
    return cond if scope is None else sa.and_(cond, scope)


def _check_id(name: str, record_id: int) -> None:
    if not 1 <= record_id <= MAX_ID:
        raise RecordNotFound(f"{name} record {record_id} does not exist")

"""`appends=`: related records loaded in one query per relation and level (no N+1)."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.data.access import Reading
from deskbase.data.reader import Record, fetch_records, project
from deskbase.kernel.errors import FieldError, ValidationFailed
from deskbase.kernel.types import JSONValue
from deskbase.schema.catalog import Catalog
from deskbase.schema.model import Collection

__all__ = ["MAX_DEPTH", "load_appends"]

MAX_DEPTH = 3


def _tree(appends: tuple[str, ...]) -> dict[str, dict[str, object]]:
    tree: dict[str, dict[str, object]] = {}
    for path in appends:
        parts = path.split(".")
        if len(parts) > MAX_DEPTH:
            raise ValidationFailed(
                f"appends {path!r} is deeper than {MAX_DEPTH}",
                errors=[FieldError(f"appends.{path}", f"at most {MAX_DEPTH} levels", "path_too_deep")],
            )
        node = tree
        for part in parts:
            node = node.setdefault(part, {})  # type: ignore[assignment]
    return tree


async def load_appends(
    conn: AsyncConnection,
    catalog: Catalog,
    coll: Collection,
    records: list[Record],
    appends: tuple[str, ...],
    reading: Reading | None = None,
) -> None:
    """Embed related records; with `reading`, only those the actor may list, and only
    the fields their role may read (the relation field itself must be readable too)."""
    if not appends:
        return
    tree = _tree(appends)
    _check(catalog, coll, tree, "", reading)  # also for an empty page: a bad append is a 4xx either way
    if records:
        await _load(conn, catalog, coll, records, tree, "", reading)


def _check(
    catalog: Catalog,
    coll: Collection,
    tree: dict[str, dict[str, object]],
    path: str,
    reading: Reading | None,
) -> None:
    for name, sub in tree.items():
        fld = coll.fields.get(name)
        full = f"{path}{name}"
        if fld is None or fld.relation is None:
            raise ValidationFailed(
                f"Cannot append {full!r}: not a relation",
                errors=[FieldError(f"appends.{full}", "not a relation field", "not_a_relation")],
            )
        target = catalog.get(fld.relation.target)
        if reading is not None:
            reading.grant(coll).forbidden([name], f"appends.{path}".rstrip("."))
            reading.grant(target)  # 403 unless the target can be listed
        _check(catalog, target, sub, f"{full}.", reading)  # type: ignore[arg-type]


async def _load(
    conn: AsyncConnection,
    catalog: Catalog,
    coll: Collection,
    records: list[Record],
    tree: dict[str, dict[str, object]],
    path: str,
    reading: Reading | None,
) -> None:
    for name, sub in tree.items():
        fld = coll.fields[name]
        full = f"{path}{name}"
        assert fld.relation is not None  # _check ran first
        target = catalog.get(fld.relation.target)
        kind = fld.relation.kind
        fields, scope, hidden = None, None, set[str]()
        if reading is not None:
            fields, scope = reading.grant(target).readable(), reading.where(target)
            if fields is not None and kind == "one_to_many":  # the inverse groups the rows
                hidden = {fld.relation.inverse or ""} - set(fields)
                fields = [*fields, *hidden]
        projection = project(target, fields)
        ids = [r["id"] for r in records]
        related: list[Record] = []
        if kind == "many_to_one":
            wanted = {r.get(name) for r in records} - {None}
            if wanted:
                related, _ = await fetch_records(
                    conn, target, projection, _and(target.table.c.id.in_(wanted), scope)
                )
            by_id = {r["id"]: r for r in related}
            for r in records:
                r[name] = by_id.get(r.get(name))
        elif kind == "one_to_many":
            inverse = fld.relation.inverse or ""
            related, _ = await fetch_records(
                conn,
                target,
                projection,
                _and(target.table.c[inverse].in_(ids), scope),
                order_by=[target.table.c.id],
            )
            groups: dict[JSONValue, list[JSONValue]] = defaultdict(list)
            for rel in related:
                groups[rel.get(inverse)].append(rel)
            for r in records:
                r[name] = groups.get(r["id"], [])
            for rel in related:
                for key in hidden:
                    del rel[key]
        else:
            junction = fld.relation.junction
            assert junction is not None
            pairs = (
                await conn.execute(
                    sa.select(junction.c.source_id, junction.c.target_id)
                    .where(junction.c.source_id.in_(ids))
                    .order_by(junction.c.target_id)
                )
            ).all()
            targets = {t for _, t in pairs}
            if targets:
                related, _ = await fetch_records(
                    conn, target, projection, _and(target.table.c.id.in_(targets), scope)
                )
            by_id = {r["id"]: r for r in related}
            lists: dict[object, list[JSONValue]] = defaultdict(list)
            for source, tid in pairs:
                if tid in by_id:
                    lists[source].append(by_id[tid])
            for r in records:
                r[name] = lists.get(r["id"], [])
        if sub and related:
            await _load(conn, catalog, target, related, sub, f"{full}.", reading)  # type: ignore[arg-type]


def _and(where: sa.ColumnElement[bool], scope: sa.ColumnElement[bool] | None) -> sa.ColumnElement[bool]:
    return where if scope is None else sa.and_(where, scope)

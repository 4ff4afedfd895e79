"""`appends=`: related records loaded in one query per relation and level (no N+1)."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

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
) -> None:
    if not appends:
        return
    tree = _tree(appends)
    _check(catalog, coll, tree, "")  # also when the page is empty: a bad append is a 422 either way
    if records:
        await _load(conn, catalog, coll, records, tree, "")


def _check(catalog: Catalog, coll: Collection, tree: dict[str, dict[str, object]], path: str) -> None:
    for name, sub in tree.items():
        fld = coll.fields.get(name)
        full = f"{path}{name}"
        if fld is None or fld.relation is None:
            raise ValidationFailed(
                f"Cannot append {full!r}: not a relation",
                errors=[FieldError(f"appends.{full}", "not a relation field", "not_a_relation")],
            )
        _check(catalog, catalog.get(fld.relation.target), sub, f"{full}.")  # type: ignore[arg-type]


async def _load(
    conn: AsyncConnection,
    catalog: Catalog,
    coll: Collection,
    records: list[Record],
    tree: dict[str, dict[str, object]],
    path: str,
) -> None:
    for name, sub in tree.items():
        fld = coll.fields[name]
        full = f"{path}{name}"
        assert fld.relation is not None  # _check ran first
        target = catalog.get(fld.relation.target)
        projection = project(target, None)
        kind = fld.relation.kind
        ids = [r["id"] for r in records]
        related: list[Record] = []
        if kind == "many_to_one":
            wanted = {r.get(name) for r in records} - {None}
            if wanted:
                related, _ = await fetch_records(conn, target, projection, target.table.c.id.in_(wanted))
            by_id = {r["id"]: r for r in related}
            for r in records:
                r[name] = by_id.get(r.get(name))
        elif kind == "one_to_many":
            inverse = fld.relation.inverse or ""
            related, _ = await fetch_records(
                conn,
                target,
                projection,
                target.table.c[inverse].in_(ids),
                order_by=[target.table.c.id],
            )
            groups: dict[JSONValue, list[JSONValue]] = defaultdict(list)
            for rel in related:
                groups[rel.get(inverse)].append(rel)
            for r in records:
                r[name] = groups.get(r["id"], [])
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
                related, _ = await fetch_records(conn, target, projection, target.table.c.id.in_(targets))
            by_id = {r["id"]: r for r in related}
            lists: dict[object, list[JSONValue]] = defaultdict(list)
            for source, tid in pairs:
                if tid in by_id:
                    lists[source].append(by_id[tid])
            for r in records:
                r[name] = lists.get(r["id"], [])
        if sub and related:
            await _load(conn, catalog, target, related, sub, f"{full}.")  # type: ignore[arg-type]

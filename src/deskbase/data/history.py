"""Record history: the audit entries of record writes, built from values before and after."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.data.reader import Record
from deskbase.kernel.audit import Entry
from deskbase.kernel.types import JSONValue
from deskbase.schema.model import Collection

__all__ = ["created", "deleted", "diff", "link_ids", "to_api", "updated"]


def to_api(coll: Collection, raw: Mapping[str, Any]) -> dict[str, JSONValue]:
    """Stored column values of `coll` as the API shows them."""
    out: dict[str, JSONValue] = {}
    for name, value in raw.items():
        fld = coll.fields.get(name)
        if fld is None:
            continue
        out[name] = None if value is None else fld.type.to_api(value, fld.options)
    return out


def diff(
    before: Mapping[str, JSONValue], after: Mapping[str, JSONValue], prefix: str = ""
) -> dict[str, tuple[JSONValue, JSONValue]]:
    return {prefix + k: (before.get(k), v) for k, v in after.items() if k != "id" and before.get(k) != v}


def _flat(record: Record) -> dict[str, JSONValue]:
    """A record with its extension nested as `ext.field` keys."""
    out: dict[str, JSONValue] = {}
    for k, v in record.items():
        if isinstance(v, dict) and k != "id":
            out.update({f"{k}.{sk}": sv for sk, sv in v.items() if sk != "id"})
        else:
            out[k] = v
    return out


def created(coll: Collection, record: Record) -> Entry:
    values = _flat(record)
    return Entry(
        "record.create",
        coll.name,
        _id(record),
        {k: (None, v) for k, v in values.items() if k != "id" and v not in (None, [])},
    )


def deleted(coll: Collection, record: Record, detail: dict[str, JSONValue] | None = None) -> Entry:
    values = _flat(record)
    return Entry(
        "record.delete",
        coll.name,
        _id(record),
        {k: (v, None) for k, v in values.items() if k != "id" and v not in (None, [])},
        detail,
    )


def updated(coll: Collection, record_id: int, changes: dict[str, tuple[JSONValue, JSONValue]]) -> Entry:
    return Entry("record.update", coll.name, record_id, changes)


def _id(record: Record) -> int | None:
    value = record.get("id")
    return value if isinstance(value, int) else None


async def link_ids(
    conn: AsyncConnection, coll: Collection, catalog_get: Any, record_id: int, names: list[str]
) -> dict[str, JSONValue]:
    """The current ids of to-many relation fields `names` of one record."""
    out: dict[str, JSONValue] = {}
    for name in names:
        rel = coll.fields[name].relation
        if rel is None:
            continue
        if rel.kind == "many_to_many" and rel.junction is not None:
            j = rel.junction
            stmt = sa.select(j.c.target_id).where(j.c.source_id == record_id).order_by(j.c.target_id)
        elif rel.kind == "one_to_many" and rel.inverse:
            target = catalog_get(rel.target)
            stmt = (
                sa.select(target.table.c.id)
                .where(target.table.c[rel.inverse] == record_id)
                .order_by(target.table.c.id)
            )
        else:
            continue
        out[name] = list[JSONValue]((await conn.execute(stmt)).scalars())
    return out

"""The JSON filter language: parse it, then compile it to a SQLAlchemy Core condition.

```python
node = parse_filter({"status": "open", "customer.name": {"$includes": "acme"}})
where = compile_filter(node, tickets, catalog, operators, dialect="sqlite",
                       variables=ctx.variables(), now=ctx.now)
rows = await conn.execute(sa.select(tickets.table).where(where))
```
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from deskbase.data.filters.ast import MATCH_ALL, And, Condition, FilterNode, Not, Or
from deskbase.data.filters.compile import (
    MAX_HOPS,
    Hop,
    Restrict,
    compile_filter,
    related_pairs,
    resolve_path,
)
from deskbase.data.filters.operators import Operand, Operator, RelatedPairs, builtin_operators
from deskbase.data.filters.parse import parse_filter

if TYPE_CHECKING:
    from datetime import datetime

    import sqlalchemy as sa

    from deskbase.kernel.registry import Registry
    from deskbase.kernel.types import JSONValue
    from deskbase.schema.catalog import Catalog
    from deskbase.schema.model import Collection

__all__ = [
    "MATCH_ALL",
    "MAX_HOPS",
    "And",
    "Condition",
    "FilterNode",
    "Hop",
    "Not",
    "Operand",
    "Operator",
    "Or",
    "RelatedPairs",
    "Restrict",
    "build_where",
    "builtin_operators",
    "compile_filter",
    "parse_filter",
    "related_pairs",
    "resolve_path",
]


def build_where(
    raw: JSONValue,
    collection: Collection,
    catalog: Catalog,
    operators: Registry[Operator],
    *,
    dialect: str,
    variables: Mapping[str, JSONValue],
    now: datetime,
    timezone: str = "UTC",
) -> sa.ColumnElement[bool]:
    """`parse_filter` then `compile_filter`: filter JSON straight to a condition."""
    return compile_filter(
        parse_filter(raw),
        collection,
        catalog,
        operators,
        dialect=dialect,
        variables=variables,
        now=now,
        timezone=timezone,
    )

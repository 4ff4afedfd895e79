"""Aggregation of a collection's records: group keys, date buckets, measures, top N.

```python
q = AggregateQuery(group_by=("status", "created_at:month"), measures=("count", "sum:amount"))
result = await app.aggregates.aggregate(ctx, "tickets", q)
```
"""

from __future__ import annotations

from deskbase.data.aggregate.service import AggregateService
from deskbase.data.aggregate.spec import DEFAULT_LIMIT, MAX_GROUPS, MAX_LIMIT, AggregateQuery

__all__ = ["DEFAULT_LIMIT", "MAX_GROUPS", "MAX_LIMIT", "AggregateQuery", "AggregateService"]

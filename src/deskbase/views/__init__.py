"""Saved views of collections and dashboards of chart blocks, personal or shared.

```python
views = ViewService(db, catalog, records)
await views.create_view(ctx, "tickets", {"name": "Open", "kind": "grid",
                                         "config": {"filter": {"status": "open"}}})
```
"""

from deskbase.views.block_types import BlockType, builtin_block_types
from deskbase.views.blocks import BlockChecker, BlockQuery
from deskbase.views.config import VIEW_KINDS
from deskbase.views.dashboards import DashboardService
from deskbase.views.service import ViewService
from deskbase.views.store import DashboardNotFound, ViewNotFound

__all__ = [
    "VIEW_KINDS",
    "BlockChecker",
    "BlockQuery",
    "BlockType",
    "DashboardNotFound",
    "DashboardService",
    "ViewNotFound",
    "ViewService",
    "builtin_block_types",
]

"""The trigger extension point: a trigger type has a `key`, a pydantic `Config`, and says
which record events it listens to (others, like schedules, are driven by the worker).

```python
class OnArchived(TriggerType[ArchivedConfig]):
    key = "record_archived"
    Config = ArchivedConfig

    def subscriptions(self, workflow_id, version, config):
        return [Subscription(workflow_id, version, config.collection, "updated",
                             {"status": "archived"}, frozenset({"status"}))]
```
"""

from __future__ import annotations

from abc import ABC
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from deskbase.kernel.events import Subscription
from deskbase.schema.catalog import Catalog

__all__ = ["TriggerConfig", "TriggerType"]


class TriggerConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")


ConfigT = TypeVar("ConfigT", bound=TriggerConfig)


class TriggerType(ABC, Generic[ConfigT]):
    key: ClassVar[str]
    Config: type[ConfigT]

    def parse(self, raw: dict[str, Any]) -> ConfigT:
        return self.Config.model_validate(raw)

    def check(self, config: ConfigT, catalog: Catalog) -> list[tuple[str, str]]:
        """Problems as (field, message) once the config parsed: unknown collections, …"""
        return []

    def subscriptions(self, workflow_id: int, version: int, config: ConfigT) -> list[Subscription]:
        return []

"""Record triggers: a record of a collection was created, updated or deleted, optionally only
when it matches a condition (the filter language) and, for updates, when given fields changed."""

from __future__ import annotations

from pydantic import Field

from deskbase.kernel.events import RecordKind, Subscription
from deskbase.kernel.types import JSONValue
from deskbase.schema.catalog import Catalog
from deskbase.workflow.triggers.base import TriggerConfig, TriggerType

__all__ = ["RecordCreatedTrigger", "RecordDeletedTrigger", "RecordUpdatedTrigger"]


class RecordConfig(TriggerConfig):
    collection: str = Field(min_length=1, max_length=64)
    condition: JSONValue = None
    changed_fields: list[str] | None = None


class _RecordTrigger(TriggerType[RecordConfig]):
    kind: RecordKind
    Config = RecordConfig

    def check(self, config: RecordConfig, catalog: Catalog) -> list[tuple[str, str]]:
        coll = catalog.find(config.collection)
        if coll is None:
            return [("trigger.collection", f"no collection {config.collection!r}")]
        problems = [
            ("trigger.changed_fields", f"{coll.name} has no field {name!r}")
            for name in config.changed_fields or []
            if name not in coll.fields
        ]
        if config.changed_fields is not None and self.kind != "updated":
            problems.append(("trigger.changed_fields", "only record_updated has changed fields"))
        return problems

    def subscriptions(self, workflow_id: int, version: int, config: RecordConfig) -> list[Subscription]:
        changed = frozenset(config.changed_fields) if config.changed_fields else None
        return [
            Subscription(
                workflow_id, version, config.collection, self.kind, config.condition or None, changed
            )
        ]


class RecordCreatedTrigger(_RecordTrigger):
    key = "record_created"
    kind: RecordKind = "created"


class RecordUpdatedTrigger(_RecordTrigger):
    key = "record_updated"
    kind: RecordKind = "updated"


class RecordDeletedTrigger(_RecordTrigger):
    key = "record_deleted"
    kind: RecordKind = "deleted"

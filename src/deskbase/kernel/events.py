"""Record events: who listens to which collection's creates, updates and deletes.

Workflows subscribe here (through their record triggers); the records service reads the
subscriptions inside each write transaction and queues one execution per match in that same
transaction, so that a rolled-back write starts nothing and a committed one starts exactly
once (the executions table is the outbox). `notify()` wakes whoever runs them.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from deskbase.kernel.types import JSONValue

__all__ = ["MAX_DEPTH", "RecordEvents", "RecordKind", "Subscription", "queued_execution"]

RecordKind = Literal["created", "updated", "deleted"]
# Workflows whose writes trigger workflows: a chain deeper than this starts nothing more.
MAX_DEPTH = 5


@dataclass(frozen=True, slots=True)
class Subscription:
    """A workflow version listening to `kind` events of `collection`; `condition` is a filter
    the record must match (None: any), `changed_fields` limits updates to changes of those."""

    workflow_id: int
    version: int
    collection: str
    kind: RecordKind
    condition: JSONValue = None
    changed_fields: frozenset[str] | None = None


def queued_execution(
    workflow_id: int, version: int, trigger: Any, *, depth: int, actor_id: int | None, at: datetime
) -> dict[str, object]:
    """A row of `ds_executions` for an execution waiting to run (every way of starting one)."""
    return {
        "workflow_id": workflow_id,
        "version": version,
        "status": "queued",
        "trigger": trigger,
        "depth": depth,
        "actor_id": actor_id,
        "created_at": at,
    }


class RecordEvents:
    def __init__(self) -> None:
        self._subs: dict[tuple[str, str], tuple[Subscription, ...]] = {}
        self.wakeup = asyncio.Event()
        self.dirty = False

    def replace(self, subscriptions: list[Subscription]) -> None:
        by_key: dict[tuple[str, str], list[Subscription]] = {}
        for sub in subscriptions:
            by_key.setdefault((sub.collection, sub.kind), []).append(sub)
        self._subs = {key: tuple(subs) for key, subs in by_key.items()}

    def subscriptions(self, collection: str, kind: RecordKind) -> tuple[Subscription, ...]:
        return self._subs.get((collection, kind), ())

    def queued(self) -> None:
        """Executions were queued in a transaction that is about to commit."""
        self.dirty = True

    def notify(self) -> None:
        """After a commit: wake the workers if anything was queued."""
        if self.dirty:
            self.dirty = False
            self.wakeup.set()

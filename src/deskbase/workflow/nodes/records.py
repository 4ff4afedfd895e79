"""Record nodes: create, update, query and delete records through the records service, with
the workflow's context (its role's permissions, or all as the system); each write records
the node's job in its own transaction, so that a resumed execution never repeats it."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from deskbase.data.query import ListQuery, parse_sort
from deskbase.kernel.types import JSONValue
from deskbase.workflow.nodes.base import Done, Failed, NodeConfig, NodeRun, NodeType, Outcome

__all__ = ["CreateRecordNode", "DeleteRecordNode", "QueryRecordsNode", "UpdateRecordNode"]


class CreateConfig(NodeConfig):
    collection: str = Field(min_length=1, max_length=64)
    values: dict[str, JSONValue] = Field(default_factory=dict)


class CreateRecordNode(NodeType[CreateConfig]):
    key = "create_record"
    Config = CreateConfig

    async def run(self, config: CreateConfig, run: NodeRun) -> Outcome:
        record = await run.services.records.create_record(run.ctx, config.collection, config.values)
        return Done({"result": record})


class UpdateConfig(NodeConfig):
    collection: str = Field(min_length=1, max_length=64)
    id: JSONValue = None  # one record: an id or a template giving one
    filter: JSONValue = None  # or every record matching a filter
    values: dict[str, JSONValue] = Field(default_factory=dict)


def _record_id(value: JSONValue) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, dict):
        return _record_id(value.get("id"))
    return None


class UpdateRecordNode(NodeType[UpdateConfig]):
    key = "update_record"
    Config = UpdateConfig

    async def run(self, config: UpdateConfig, run: NodeRun) -> Outcome:
        records = run.services.records
        if config.filter is not None:
            n = await records.update_by_filter(run.ctx, config.collection, config.filter, config.values)
            return Done({"result": {"updated": n}})
        record_id = _record_id(config.id)
        if record_id is None:
            return Failed(f"update_record needs a record id or a filter (got {config.id!r})")
        record = await records.update_record(run.ctx, config.collection, record_id, config.values)
        return Done({"result": record})


class QueryConfig(NodeConfig):
    collection: str = Field(min_length=1, max_length=64)
    filter: JSONValue = None
    sort: str | None = None
    limit: int = Field(default=100, ge=1, le=1000)
    appends: list[str] = Field(default_factory=list)


class QueryRecordsNode(NodeType[QueryConfig]):
    key = "query_records"
    Config = QueryConfig

    async def run(self, config: QueryConfig, run: NodeRun) -> Outcome:
        query = ListQuery(
            filter=config.filter,
            sort=parse_sort(config.sort),
            page_size=config.limit,
            appends=tuple(config.appends),
        )
        page: dict[str, Any] = await run.services.records.list_records(run.ctx, config.collection, query)
        return Done({"result": page["data"], "count": len(page["data"])})


class DeleteConfig(NodeConfig):
    collection: str = Field(min_length=1, max_length=64)
    id: JSONValue = None
    filter: JSONValue = None


class DeleteRecordNode(NodeType[DeleteConfig]):
    key = "delete_record"
    Config = DeleteConfig

    async def run(self, config: DeleteConfig, run: NodeRun) -> Outcome:
        records = run.services.records
        if config.filter is not None:
            n = await records.delete_by_filter(run.ctx, config.collection, config.filter)
            return Done({"result": {"deleted": n}})
        record_id = _record_id(config.id)
        if record_id is None:
            return Failed(f"delete_record needs a record id or a filter (got {config.id!r})")
        await records.delete_record(run.ctx, config.collection, record_id)
        return Done({"result": {"deleted": 1}})

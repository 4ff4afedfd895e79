"""A workflow definition (DESIGN.md's wire format), checked whole: every problem at once.

`{"name", "enabled", "trigger": {"type": "record_updated", "collection": …, "condition": …},
"nodes": [{"id": "find", "type": "query_records", "config": {…}, "branches": {…}}, …],
"concurrency": 10}`. Nodes run in list order; a branching node's branches are node lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from deskbase.kernel.errors import FieldError, ValidationFailed
from deskbase.kernel.registry import Registry
from deskbase.kernel.types import JSONValue
from deskbase.schema.catalog import Catalog
from deskbase.workflow.nodes.base import NodeType
from deskbase.workflow.triggers.base import TriggerType

__all__ = ["MAX_NODES", "Definition", "InvalidWorkflow", "NodeSpec", "parse_definition"]

MAX_NODES = 200
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")


class InvalidWorkflow(ValidationFailed):
    code = "invalid_workflow"


@dataclass(frozen=True, slots=True)
class NodeSpec:
    id: str
    type: str
    config: dict[str, Any]
    branches: dict[str, tuple[NodeSpec, ...]] = field(default_factory=dict)
    retries: int = 0
    retry_delay: float = 1.0

    def to_json(self) -> dict[str, JSONValue]:
        out: dict[str, JSONValue] = {"id": self.id, "type": self.type, "config": self.config}
        if self.branches:
            out["branches"] = {k: [n.to_json() for n in v] for k, v in self.branches.items()}
        if self.retries:
            out["retries"] = self.retries
            out["retry_delay"] = self.retry_delay
        return out


@dataclass(frozen=True, slots=True)
class Definition:
    trigger: dict[str, Any]  # {"type": …, **config}
    nodes: tuple[NodeSpec, ...]
    concurrency: int = 10
    run_as: str | None = None  # a role whose permissions the nodes obey; None: the system

    @property
    def trigger_type(self) -> str:
        return str(self.trigger["type"])

    def to_json(self) -> dict[str, JSONValue]:
        return {
            "trigger": self.trigger,
            "nodes": [n.to_json() for n in self.nodes],
            "concurrency": self.concurrency,
            "run_as": self.run_as,
        }


def parse_definition(
    raw: dict[str, Any],
    triggers: Registry[TriggerType[Any]],
    nodes: Registry[NodeType[Any]],
    catalog: Catalog,
) -> Definition:
    problems: list[FieldError] = []
    trigger = raw.get("trigger")
    if not isinstance(trigger, dict) or not isinstance(trigger.get("type"), str):
        problems.append(FieldError("trigger", 'an object with a "type"', "required"))
        trigger = {"type": ""}
    elif trigger["type"] not in triggers:
        problems.append(FieldError("trigger.type", f"unknown trigger {trigger['type']!r}", "unknown_trigger"))
    else:
        ttype = triggers.get(trigger["type"])
        try:
            config = ttype.parse({k: v for k, v in trigger.items() if k != "type"})
            problems += [FieldError(f, m, "invalid") for f, m in ttype.check(config, catalog)]
        except ValidationError as exc:
            problems += _pydantic(exc, "trigger")
    seen: set[str] = set()
    raw_nodes = raw.get("nodes", [])
    if not isinstance(raw_nodes, list):
        problems.append(FieldError("nodes", "a list of nodes", "invalid_type"))
        raw_nodes = []
    parsed = _nodes(raw_nodes, "nodes", nodes, seen, problems)
    if len(seen) > MAX_NODES:
        problems.append(FieldError("nodes", f"at most {MAX_NODES} nodes", "too_many"))
    concurrency = raw.get("concurrency", 10)
    if not isinstance(concurrency, int) or isinstance(concurrency, bool) or not 1 <= concurrency <= 100:
        problems.append(FieldError("concurrency", "a number from 1 to 100", "out_of_range"))
        concurrency = 10
    run_as = raw.get("run_as")
    if run_as is not None and (not isinstance(run_as, str) or not run_as):
        problems.append(FieldError("run_as", "a role name, or null for the system", "invalid_type"))
        run_as = None
    if problems:
        raise InvalidWorkflow("; ".join(f"{p.field}: {p.message}" for p in problems[:10]), errors=problems)
    return Definition(dict(trigger), parsed, concurrency, run_as)


def _nodes(
    raw: list[Any], where: str, registry: Registry[NodeType[Any]], seen: set[str], problems: list[FieldError]
) -> tuple[NodeSpec, ...]:
    out: list[NodeSpec] = []
    for i, item in enumerate(raw):
        at = f"{where}.{i}"
        if not isinstance(item, dict):
            problems.append(FieldError(at, "a node object", "invalid_type"))
            continue
        node_id, kind = item.get("id"), item.get("type")
        if not isinstance(node_id, str) or not _ID.match(node_id):
            problems.append(FieldError(f"{at}.id", "a name of letters, digits and _", "invalid_name"))
            continue
        if node_id in seen:
            problems.append(FieldError(f"{at}.id", f"node id {node_id!r} is used twice", "duplicate"))
        seen.add(node_id)
        if not isinstance(kind, str) or kind not in registry:
            problems.append(FieldError(f"{at}.type", f"unknown node type {kind!r}", "unknown_node"))
            continue
        ntype = registry.get(kind)
        config = item.get("config") or {}
        if not isinstance(config, dict):
            problems.append(FieldError(f"{at}.config", "an object", "invalid_type"))
            continue
        try:
            ntype.parse(config)
        except ValidationError as exc:
            problems += _pydantic(exc, f"{at}.config")
        branches: dict[str, tuple[NodeSpec, ...]] = {}
        raw_branches = item.get("branches") or {}
        if not isinstance(raw_branches, dict):
            problems.append(FieldError(f"{at}.branches", "an object of node lists", "invalid_type"))
            raw_branches = {}
        allowed = ntype.branches
        for name, sub in raw_branches.items():
            if not ntype.any_branches and (allowed is None or name not in allowed):
                problems.append(
                    FieldError(f"{at}.branches.{name}", f"{kind} has no branch {name!r}", "unknown_branch")
                )
                continue
            if not isinstance(sub, list):
                problems.append(FieldError(f"{at}.branches.{name}", "a list of nodes", "invalid_type"))
                continue
            branches[name] = _nodes(sub, f"{at}.branches.{name}", registry, seen, problems)
        retries = item.get("retries", 0)
        delay = item.get("retry_delay", 1.0)
        if not isinstance(retries, int) or isinstance(retries, bool) or not 0 <= retries <= 10:
            problems.append(FieldError(f"{at}.retries", "0 to 10", "out_of_range"))
            retries = 0
        if not isinstance(delay, (int, float)) or isinstance(delay, bool) or not 0 <= delay <= 3600:
            problems.append(FieldError(f"{at}.retry_delay", "0 to 3600 seconds", "out_of_range"))
            delay = 1.0
        out.append(NodeSpec(node_id, kind, config, branches, retries, float(delay)))
    return tuple(out)


def _pydantic(exc: ValidationError, prefix: str) -> list[FieldError]:
    return [
        FieldError(".".join([prefix, *(str(p) for p in e["loc"])]), e["msg"], str(e["type"]))
        for e in exc.errors()
    ]

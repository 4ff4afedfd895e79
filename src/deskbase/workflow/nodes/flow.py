"""Control-flow nodes: condition (yes/no branches), parallel branches that join, loop, end;
and calculate (an expression's value)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from deskbase.kernel.types import JSONValue
from deskbase.workflow.nodes.base import Branch, Done, NodeConfig, NodeRun, NodeType, Outcome, Stop
from deskbase.workflow.templates import evaluate, render

__all__ = ["CalculateNode", "ConditionNode", "EndNode", "LoopNode", "ParallelNode"]


class ConditionConfig(NodeConfig):
    expression: str = Field(min_length=1, max_length=2000)  # `trigger.record.priority == "high"`


class ConditionNode(NodeType[ConditionConfig]):
    """Runs branch `true` or `false` by the value of an expression."""

    key = "condition"
    Config = ConditionConfig
    pure: ClassVar[bool] = True
    branches: ClassVar[tuple[str, ...] | None] = ("true", "false")

    async def run(self, config: ConditionConfig, run: NodeRun) -> Outcome:
        value = bool(evaluate(config.expression, run.variables))
        return Branch(("true",) if value else ("false",), {"result": value})


class ParallelConfig(NodeConfig):
    pass


class ParallelNode(NodeType[ParallelConfig]):
    """Runs every branch at once; goes on when all have ended."""

    key = "parallel"
    Config = ParallelConfig
    pure: ClassVar[bool] = True
    any_branches: ClassVar[bool] = True

    async def run(self, config: ParallelConfig, run: NodeRun) -> Outcome:
        return Branch((), parallel=True)


class LoopConfig(NodeConfig):
    items: JSONValue  # a list, or a template giving one: "{{nodes.find.result}}"


class LoopNode(NodeType[LoopConfig]):
    """Runs branch `body` once per item, with `loop.item` and `loop.index` in its templates."""

    key = "loop"
    Config = LoopConfig
    pure: ClassVar[bool] = True
    branches: ClassVar[tuple[str, ...] | None] = ("body",)

    async def run(self, config: LoopConfig, run: NodeRun) -> Outcome:
        items = config.items if isinstance(config.items, list) else []
        return Branch(("body",), {"count": len(items)}, items=items)


class EndConfig(NodeConfig):
    status: Literal["succeeded", "failed"] = "succeeded"
    message: str | None = None


class EndNode(NodeType[EndConfig]):
    """Ends the execution here, as succeeded or failed."""

    key = "end"
    Config = EndConfig
    pure: ClassVar[bool] = True

    async def run(self, config: EndConfig, run: NodeRun) -> Outcome:
        return Stop(config.status, {"message": config.message})


class CalculateConfig(NodeConfig):
    expression: str = Field(min_length=1, max_length=2000)


class CalculateNode(NodeType[CalculateConfig]):
    """The value of an expression over the trigger and earlier nodes, as `result`."""

    key = "calculate"
    Config = CalculateConfig
    pure: ClassVar[bool] = True

    async def run(self, config: CalculateConfig, run: NodeRun) -> Outcome:
        return Done({"result": render("{{" + config.expression + "}}", run.variables)})

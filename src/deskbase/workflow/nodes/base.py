"""The node extension point: a node type has a `key`, a pydantic `Config` and `run()`.

```python
class GreetNode(NodeType[GreetConfig]):
    key = "greet"
    Config = GreetConfig

    async def run(self, config: GreetConfig, run: NodeRun) -> Outcome:
        return Done({"result": f"hello {config.name}"})

app.workflow_nodes.register(GreetNode())
```
A node's config arrives rendered (its `{{ }}` templates evaluated). `Done(output)` goes on,
`Failed(error)` ends the execution as failed, `Stop(status)` ends it early, `Wait(until)`
suspends it durably (`resume()` is asked again when it wakes). Branching nodes
(condition, parallel, loop) name their branches and the engine runs them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from deskbase.kernel.context import RequestContext
from deskbase.kernel.types import JSONValue

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection

    from deskbase.workflow.runtime import Services

__all__ = ["Branch", "Done", "Failed", "NodeConfig", "NodeRun", "NodeType", "Outcome", "Stop", "Wait"]


class NodeConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")


ConfigT = TypeVar("ConfigT", bound=NodeConfig)


@dataclass(frozen=True, slots=True)
class Done:
    output: dict[str, JSONValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Failed:
    error: str


@dataclass(frozen=True, slots=True)
class Stop:
    """End the execution here with `status` (an `end` node)."""

    status: str
    output: dict[str, JSONValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Wait:
    """Suspend the execution: until `until` (a delay), or until something completes the
    node's job (a manual task; `until` None). It is stored, so a restart keeps waiting."""

    until: datetime | None = None
    output: dict[str, JSONValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Branch:
    """Run the named branches (in order, or at once for `parallel`), `items` times for a loop."""

    names: tuple[str, ...]
    output: dict[str, JSONValue] = field(default_factory=dict)
    parallel: bool = False
    items: list[JSONValue] | None = None


Outcome = Done | Failed | Stop | Branch | Wait


@dataclass(slots=True)
class NodeRun:
    """What a node sees: its execution, the services, the context to write with, and the
    variables. A node that writes through `ctx` records its job in the same transaction."""

    execution_id: int
    node_id: str
    services: Services
    ctx: RequestContext
    variables: dict[str, Any]
    record_job: Callable[[AsyncConnection], Awaitable[None]]


class NodeType(ABC, Generic[ConfigT]):
    key: ClassVar[str]
    Config: type[ConfigT]
    branches: ClassVar[tuple[str, ...] | None] = None  # fixed names; None: no branches
    # No effect outside its output (run again after a crash, harmlessly): its job is stored
    # with the execution's next write instead of a transaction of its own.
    pure: ClassVar[bool] = False
    any_branches: ClassVar[bool] = False  # parallel: any branch names

    def parse(self, raw: dict[str, Any]) -> ConfigT:
        return self.Config.model_validate(raw)

    @abstractmethod
    async def run(self, config: ConfigT, run: NodeRun) -> Outcome: ...

    async def resume(self, config: ConfigT, run: NodeRun, output: dict[str, JSONValue]) -> Outcome:
        """A waiting job when its execution wakes: wait on (the default), or go on."""
        return Wait(None, output)

"""The sub-workflow node: start a workflow whose trigger is `called`, with an input; wait for
it to end (its nodes' outputs become `result`), or go on at once."""

from __future__ import annotations

from pydantic import Field

from deskbase.kernel.types import JSONValue
from deskbase.workflow.nodes.base import Done, Failed, NodeConfig, NodeRun, NodeType, Outcome, Wait

__all__ = ["CallWorkflowNode"]


class CallConfig(NodeConfig):
    workflow: int = Field(ge=1)
    input: JSONValue = None
    wait: bool = True


class CallWorkflowNode(NodeType[CallConfig]):
    key = "call_workflow"
    Config = CallConfig

    async def run(self, config: CallConfig, run: NodeRun) -> Outcome:
        data: dict[str, JSONValue] = {"input": config.input}
        if config.wait:
            data["_parent"] = {"execution": run.execution_id, "node": run.node_id}
        async with run.services.db.write() as conn:
            child = await run.services.starts.call(conn, run.ctx, config.workflow, data)
        if not config.wait:
            return Done({"execution": child})
        return Wait(None, {"execution": child})

    async def resume(self, config: CallConfig, run: NodeRun, output: dict[str, JSONValue]) -> Outcome:
        status = output.get("child_status")
        if status is None:
            return Wait(None, output)
        if status != "succeeded":
            return Failed(f"workflow {config.workflow} (execution {output.get('execution')}) ended {status}")
        return Done({"execution": output.get("execution"), "result": output.get("child_nodes")})

"""Built-in workflow nodes; plugins register more on `app.workflow_nodes`."""

from __future__ import annotations

from typing import Any

from deskbase.workflow.nodes.base import NodeType
from deskbase.workflow.nodes.call import CallWorkflowNode
from deskbase.workflow.nodes.flow import CalculateNode, ConditionNode, EndNode, LoopNode, ParallelNode
from deskbase.workflow.nodes.http import HttpRequestNode
from deskbase.workflow.nodes.notify import NotifyNode
from deskbase.workflow.nodes.records import (
    CreateRecordNode,
    DeleteRecordNode,
    QueryRecordsNode,
    UpdateRecordNode,
)
from deskbase.workflow.nodes.waiting import DelayNode, ManualTaskNode

__all__ = ["builtin_nodes"]


def builtin_nodes() -> list[NodeType[Any]]:
    return [
        ConditionNode(),
        ParallelNode(),
        LoopNode(),
        EndNode(),
        CalculateNode(),
        CreateRecordNode(),
        UpdateRecordNode(),
        QueryRecordsNode(),
        DeleteRecordNode(),
        NotifyNode(),
        DelayNode(),
        ManualTaskNode(),
        CallWorkflowNode(),
        HttpRequestNode(),
    ]

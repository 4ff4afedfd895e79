"""Workflows: triggers, nodes, the engine that runs executions durably, and the inbox."""

from deskbase.workflow.engine import Engine
from deskbase.workflow.inbox import InboxService
from deskbase.workflow.nodes import builtin_nodes
from deskbase.workflow.runtime import Services
from deskbase.workflow.service import WorkflowService
from deskbase.workflow.triggers import builtin_triggers
from deskbase.workflow.worker import Workers

__all__ = [
    "Engine",
    "InboxService",
    "Services",
    "Workers",
    "WorkflowService",
    "builtin_nodes",
    "builtin_triggers",
]

"""Built-in workflow triggers; plugins register more on `app.workflow_triggers`."""

from __future__ import annotations

from typing import Any

from deskbase.workflow.triggers.base import TriggerType
from deskbase.workflow.triggers.manual import ActionTrigger, CalledTrigger, WebhookTrigger
from deskbase.workflow.triggers.records import (
    RecordCreatedTrigger,
    RecordDeletedTrigger,
    RecordUpdatedTrigger,
)
from deskbase.workflow.triggers.schedules import DateFieldTrigger, ScheduleTrigger

__all__ = ["builtin_triggers"]


def builtin_triggers() -> list[TriggerType[Any]]:
    return [
        RecordCreatedTrigger(),
        RecordUpdatedTrigger(),
        RecordDeletedTrigger(),
        ScheduleTrigger(),
        DateFieldTrigger(),
        ActionTrigger(),
        WebhookTrigger(),
        CalledTrigger(),
    ]

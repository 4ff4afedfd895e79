"""Triggers started from outside a write: an action button on records (a named custom action,
checked against the roles' permissions, with an optional confirmation form), an incoming
webhook (a URL with a secret; the JSON body is the trigger's data), and another workflow."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from deskbase.schema.catalog import Catalog
from deskbase.workflow.triggers.base import TriggerConfig, TriggerType

__all__ = ["ActionTrigger", "CalledTrigger", "FormField", "WebhookTrigger"]


class FormField(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=64)
    label: str | None = None
    type: Literal["text", "number", "boolean", "choice"] = "text"
    required: bool = False
    choices: list[str] | None = None


class ActionConfig(TriggerConfig):
    collection: str = Field(min_length=1, max_length=64)
    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")  # the custom action roles are granted
    title: str | None = None
    confirm: str | None = None  # a question the UI asks first
    form: list[FormField] = Field(default_factory=list)


class ActionTrigger(TriggerType[ActionConfig]):
    key = "action"
    Config = ActionConfig

    def check(self, config: ActionConfig, catalog: Catalog) -> list[tuple[str, str]]:
        if config.collection not in catalog:
            return [("trigger.collection", f"no collection {config.collection!r}")]
        return []


class WebhookConfig(TriggerConfig):
    secret: str | None = Field(default=None, min_length=16, max_length=200)  # made on save if absent


class WebhookTrigger(TriggerType[WebhookConfig]):
    key = "webhook"
    Config = WebhookConfig


class CalledConfig(TriggerConfig):
    pass


class CalledTrigger(TriggerType[CalledConfig]):
    """Started by another workflow's `call_workflow` node, with its `input`."""

    key = "called"
    Config = CalledConfig

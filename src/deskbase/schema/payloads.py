"""Request shapes of the schema API (collections and fields), validated by pydantic."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from deskbase.kernel.types import JSONValue

__all__ = ["CollectionIn", "CollectionPatch", "ExtendsIn", "FieldIn", "FieldPatch"]


class ExtendsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    master: str
    discriminator: str
    value: str = Field(min_length=1, max_length=64)


class FieldIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    type: str
    title: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    required: bool = False
    unique: bool = False
    indexed: bool = False
    default: JSONValue = None
    options: dict[str, Any] = Field(default_factory=dict)


class FieldPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    required: bool | None = None
    unique: bool | None = None
    indexed: bool | None = None
    default: JSONValue = None
    options: dict[str, Any] | None = None


class CollectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    title: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    fields: list[FieldIn] = Field(default_factory=list, max_length=500)
    extends: ExtendsIn | None = None


class CollectionPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=2000)

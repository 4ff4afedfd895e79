"""The meta-model: collections and fields as the server holds them in memory."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from pydantic import BaseModel

from deskbase.kernel.types import JSONValue, ValueKind
from deskbase.schema.field_types.base import FieldType, RelationFieldType, RelationKind

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["Collection", "Extends", "Field", "Relation"]


@dataclass(frozen=True, slots=True)
class Extends:
    """A 1:1 extension: this collection adds fields to `master` records whose
    `discriminator` field equals `value`."""

    master: str
    discriminator: str
    value: str

    def to_json(self) -> dict[str, JSONValue]:
        return {"master": self.master, "discriminator": self.discriminator, "value": self.value}


@dataclass(frozen=True, slots=True)
class Relation:
    """How a relation field reaches its target.

    - many_to_one: `column` on this table holds the target id.
    - one_to_many: `inverse` is the many_to_one field on the target.
    - many_to_many: rows of `junction` pair `source` ids with `target` ids.
    """

    kind: RelationKind
    target: str
    inverse: str | None = None
    junction: sa.Table | None = None


@dataclass(slots=True)
class Field:
    name: str
    type: FieldType[Any]
    options: BaseModel
    title: str
    description: str | None = None
    required: bool = False
    unique: bool = False
    indexed: bool = False
    default: JSONValue = None
    system: bool = False
    relation: Relation | None = None
    column: sa.Column[Any] | None = None  # set when the field is stored

    @property
    def value_kind(self) -> ValueKind:
        return self.type.kind(self.options)

    @property
    def writable(self) -> bool:
        return self.type.writable and not self.system

    @property
    def is_relation(self) -> bool:
        return isinstance(self.type, RelationFieldType)

    def to_json(self) -> dict[str, JSONValue]:
        out: dict[str, JSONValue] = {
            "name": self.name,
            "type": self.type.key,
            "title": self.title,
            "description": self.description,
            "required": self.required,
            "unique": self.unique,
            "indexed": self.indexed,
            "default": self.default,
            "options": self.options.model_dump(mode="json"),
            "system": self.system,
        }
        return out


@dataclass(slots=True)
class Collection:
    name: str
    title: str
    table: sa.Table
    description: str | None = None
    extends: Extends | None = None
    fields: dict[str, Field] = field(default_factory=dict)
    # Filled by the schema cache: extension collections of this master, by name.
    extensions: dict[str, Collection] = field(default_factory=dict)

    def field(self, name: str) -> Field | None:
        return self.fields.get(name)

    def stored_fields(self) -> Iterator[Field]:
        return (f for f in self.fields.values() if f.column is not None)

    @property
    def id_column(self) -> sa.Column[Any]:
        return self.table.c.id

    def to_json(self) -> dict[str, JSONValue]:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "extends": self.extends.to_json() if self.extends else None,
            "extensions": list[JSONValue](sorted(self.extensions)),
            "fields": [f.to_json() for f in self.fields.values()],
        }

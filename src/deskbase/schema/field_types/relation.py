"""Relation field types: many_to_one (a column), one_to_many and many_to_many (no column)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal, TypeVar

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field

from deskbase.kernel.errors import FieldValueError
from deskbase.kernel.types import JSONValue
from deskbase.schema.field_types.base import FieldType, RelationFieldType

__all__ = [
    "ManyToManyFieldType",
    "ManyToOneFieldType",
    "OneToManyFieldType",
    "relation_id",
    "relation_ids",
]

_NAME = r"^[a-z][a-z0-9_]*$"


class ManyToOneOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    target: str = Field(pattern=_NAME)
    on_delete: Literal["restrict", "cascade", "set_null"] = "set_null"
    title_field: str | None = None


class OneToManyOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    target: str = Field(pattern=_NAME)
    inverse: str = Field(pattern=_NAME)


class ManyToManyOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    target: str = Field(pattern=_NAME)


def relation_id(value: JSONValue) -> int:
    """An id from `5` or `{"id": 5}`."""
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise FieldValueError("must be a record id or an object with an id", "type")
    return value


def relation_ids(value: JSONValue) -> list[int]:
    if not isinstance(value, list):
        raise FieldValueError("must be a list of record ids", "type")
    ids = [relation_id(item) for item in value]
    return list(dict.fromkeys(ids))


class ManyToOneFieldType(FieldType[ManyToOneOptions], RelationFieldType):
    key = "many_to_one"
    value_kind = "ref"
    Options = ManyToOneOptions
    relation: ClassVar[Literal["many_to_one"]] = "many_to_one"

    def target(self, options: Any) -> str:
        return str(options.target)

    def column_type(self, options: ManyToOneOptions) -> sa.types.TypeEngine[Any]:
        return sa.BigInteger()

    def to_db(self, value: JSONValue, options: ManyToOneOptions) -> object:
        return relation_id(value)

    def json_schema(self, options: ManyToOneOptions) -> dict[str, Any]:
        return {
            "type": ["integer", "object", "null"],
            "description": f"id of a {options.target} record",
        }


ToManyOptions = TypeVar("ToManyOptions", OneToManyOptions, ManyToManyOptions)


class _ToManyFieldType(FieldType[ToManyOptions], RelationFieldType):
    """A relation to many records: no column here; writes take a list of ids."""

    value_kind = "refs"
    stored = False
    sortable = False
    can_be_unique = False

    def target(self, options: Any) -> str:
        return str(options.target)

    def column_type(self, options: ToManyOptions) -> sa.types.TypeEngine[Any]:
        raise NotImplementedError(f"{self.key} has no column")  # stored = False: never called

    def to_db(self, value: JSONValue, options: ToManyOptions) -> object:
        return relation_ids(value)

    def json_schema(self, options: ToManyOptions) -> dict[str, Any]:
        return {"type": "array", "items": {"type": ["integer", "object"]}}


class OneToManyFieldType(_ToManyFieldType[OneToManyOptions]):
    key = "one_to_many"
    Options = OneToManyOptions
    relation: ClassVar[Literal["one_to_many"]] = "one_to_many"


class ManyToManyFieldType(_ToManyFieldType[ManyToManyOptions]):
    key = "many_to_many"
    Options = ManyToManyOptions
    relation: ClassVar[Literal["many_to_many"]] = "many_to_many"

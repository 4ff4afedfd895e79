"""Choice field types: one value (`select`) or several (`multi_select`) from a fixed list.

Values are stored; labels are for people, but a write may name a choice by its label.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from deskbase.kernel.errors import FieldValueError
from deskbase.kernel.types import JSONValue
from deskbase.schema.field_types.base import FieldType
from deskbase.schema.field_types.sqltypes import JSONValueType

__all__ = ["COLORS", "Choice", "MultiSelectFieldType", "SelectFieldType", "SelectOptions"]

COLORS = frozenset(
    # antd's preset tag colours, which the web app draws, plus a few common names.
    {
        "gray",
        "red",
        "volcano",
        "orange",
        "gold",
        "yellow",
        "lime",
        "green",
        "teal",
        "cyan",
        "blue",
        "geekblue",
        "indigo",
        "purple",
        "magenta",
        "pink",
    }
)
_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


class Choice(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    value: str = Field(min_length=1, max_length=64)
    label: str = Field(min_length=1, max_length=200)
    color: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _label_defaults_to_value(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("label") is None and "value" in data:
            return {**data, "label": data["value"]}
        return data

    @field_validator("color")
    @classmethod
    def _known_color(cls, color: str | None) -> str | None:
        if color is None or color in COLORS:
            return color
        if _HEX_COLOR.fullmatch(color):
            return color.lower()
        raise ValueError(f"color must be #rrggbb or one of {', '.join(sorted(COLORS))}")


class SelectOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    choices: tuple[Choice, ...] = Field(min_length=1, max_length=1000)

    @model_validator(mode="after")
    def _distinct(self) -> SelectOptions:
        for attr in ("value", "label"):
            seen: set[str] = set()
            for choice in self.choices:
                name = getattr(choice, attr)
                if name in seen:
                    raise ValueError(f"duplicate choice {attr} {name!r}")
                seen.add(name)
        return self

    def resolve(self, name: JSONValue) -> str:
        """The stored value for a choice named by its value or, failing that, its label."""
        if not isinstance(name, str):
            raise FieldValueError("must be a string", "type")
        for choice in self.choices:
            if choice.value == name:
                return choice.value
        for choice in self.choices:
            if choice.label == name:
                return choice.value
        allowed = ", ".join(c.value for c in self.choices)
        raise FieldValueError(f"{name!r} is not one of: {allowed}", "invalid_choice")


class SelectFieldType(FieldType[SelectOptions]):
    key = "select"
    value_kind = "text"
    Options = SelectOptions

    def column_type(self, options: SelectOptions) -> sa.types.TypeEngine[Any]:
        return sa.String(64)

    def to_db(self, value: JSONValue, options: SelectOptions) -> object:
        return options.resolve(value)

    def sort_key(self, column: sa.ColumnElement[Any], options: SelectOptions) -> sa.ColumnElement[Any]:
        # People expect "low, normal, high" rather than alphabetical order; values that are no
        # longer choices sort after every choice.
        whens = [(column == c.value, i) for i, c in enumerate(options.choices)]
        return sa.case((column.is_(None), sa.null()), *whens, else_=len(options.choices))

    def json_schema(self, options: SelectOptions) -> dict[str, Any]:
        return {"type": "string", "enum": [c.value for c in options.choices]}


class MultiSelectFieldType(FieldType[SelectOptions]):
    """Several choices, stored as a JSON list of distinct values in the order of `choices`."""

    key = "multi_select"
    value_kind = "array"
    Options = SelectOptions
    sortable = False
    can_be_unique = False

    def column_type(self, options: SelectOptions) -> sa.types.TypeEngine[Any]:
        return JSONValueType()

    def to_db(self, value: JSONValue, options: SelectOptions) -> object:
        if not isinstance(value, list):
            raise FieldValueError("must be a list of choices", "type")
        picked = {options.resolve(item) for item in value}
        return [c.value for c in options.choices if c.value in picked]

    def to_api(self, value: object, options: SelectOptions) -> JSONValue:
        return [str(v) for v in value] if isinstance(value, list) else None

    def json_schema(self, options: SelectOptions) -> dict[str, Any]:
        enum = [c.value for c in options.choices]
        return {"type": "array", "items": {"type": "string", "enum": enum}, "uniqueItems": True}

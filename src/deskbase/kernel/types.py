"""Type aliases shared by every layer."""

from __future__ import annotations

from typing import Literal, TypeAlias

from typing_extensions import TypeAliasType

__all__ = ["JSONObject", "JSONValue", "ValueKind"]

# A named recursive alias, so that pydantic can use it in models as well as mypy.
JSONValue = TypeAliasType(
    "JSONValue",
    "bool | int | float | str | list[JSONValue] | dict[str, JSONValue] | None",
)
JSONObject: TypeAlias = "dict[str, JSONValue]"

# What a field's stored value is, as filters and sorts see it. Operators match on these,
# never on field-type names.
ValueKind = Literal[
    "text", "number", "bool", "date", "datetime", "time", "array", "json", "ref", "refs", "file"
]

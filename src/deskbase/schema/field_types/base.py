"""The field-type contract: how one kind of field is stored, validated and shown.

A field type is a small stateless object registered under a persisted `key`. Optional
behaviour (values the server fills in, relations) lives in the capability classes below,
never in one fat base class.

```python
class StringFieldType(FieldType[StringOptions]):
    key = "string"
    value_kind = "text"
    Options = StringOptions

    def column_type(self, options: StringOptions) -> sa.types.TypeEngine[Any]:
        return sa.String(options.max_length)

    def to_db(self, value: JSONValue, options: StringOptions) -> object:
        if not isinstance(value, str):
            raise FieldValueError("must be a string", "type")
        if len(value) > options.max_length:
            raise FieldValueError(f"at most {options.max_length} characters", "too_long")
        return value
```
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeVar

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from deskbase.kernel.errors import FieldValueError
from deskbase.kernel.types import JSONValue, ValueKind

if TYPE_CHECKING:
    from collections.abc import Mapping

    from deskbase.kernel.context import RequestContext

__all__ = [
    "ComputedValue",
    "FieldType",
    "GeneratedValue",
    "NoOptions",
    "RelationFieldType",
    "RelationKind",
    "SequenceFieldType",
]


class NoOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


OptionsT = TypeVar("OptionsT", bound=BaseModel)

RelationKind = Literal["many_to_one", "one_to_many", "many_to_many"]


class FieldType(ABC, Generic[OptionsT]):
    """Base of every field type.

    - `key`: persisted name (`"string"`), the same in the API and the UI.
    - `value_kind`: what filters and sorts see; operators match on it.
    - `Options`: pydantic model of the type's `options`, validated when a field is saved.
    - `stored`: the field has a column on its collection's table.
    - `writable`: clients may send values (False for computed and system-filled fields).
    - `sortable`, `can_be_unique`: capabilities the schema service checks.
    - `searchable`: the field's text takes part in full-text search (`q=`).
    """

    key: ClassVar[str]
    value_kind: ClassVar[ValueKind]
    Options: type[OptionsT]
    stored: ClassVar[bool] = True
    writable: ClassVar[bool] = True
    sortable: ClassVar[bool] = True
    can_be_unique: ClassVar[bool] = True
    searchable: ClassVar[bool] = False

    def kind(self, options: OptionsT) -> ValueKind:
        """The value kind of one field of this type (a formula's depends on its options)."""
        return self.value_kind

    def parse_options(self, raw: dict[str, Any]) -> OptionsT:
        """Validate `options`; pydantic's ValidationError is turned into field errors by the caller."""
        return self.Options.model_validate(raw)

    @abstractmethod
    def column_type(self, options: OptionsT) -> sa.types.TypeEngine[Any]:
        """The SQLAlchemy type of the column that stores the field."""

    @abstractmethod
    def to_db(self, value: JSONValue, options: OptionsT) -> object:
        """Turn a JSON value from a request into the value to store; raise FieldValueError.

        `None` never reaches this method: the records service stores NULL for it.
        """

    def to_api(self, value: object, options: OptionsT) -> JSONValue:
        """Turn a stored value into JSON for a response (None stays None)."""
        return value  # type: ignore[return-value]

    @property
    def native_api(self) -> bool:
        """Whether stored values are already JSON: the type keeps the default `to_api`."""
        return type(self).to_api is FieldType.to_api

    def sort_key(self, column: sa.ColumnElement[Any], options: OptionsT) -> sa.ColumnElement[Any]:
        """What ORDER BY uses for the field (a select sorts by the order of its choices)."""
        return column

    def json_schema(self, options: OptionsT) -> dict[str, Any]:
        """JSON Schema of the field's value, for the OpenAPI document."""
        return {}


class GeneratedValue(ABC):
    """Capability: the server fills the value on create and/or update (timestamps, users)."""

    on_create: ClassVar[bool] = True
    on_update: ClassVar[bool] = False

    @abstractmethod
    def generate(self, ctx: RequestContext) -> object: ...


class SequenceFieldType(ABC):
    """Capability: the value comes from a gap-free per-collection sequence (auto numbers).

    `scope` names the counter (so a pattern with `{YYYY}` restarts each year); `render`
    turns the counter into the stored value.
    """

    @abstractmethod
    def scope(self, options: Any, ctx: RequestContext) -> str: ...

    @abstractmethod
    def render(self, options: Any, seq: int, ctx: RequestContext) -> object: ...


class ComputedValue(ABC):
    """Capability: the value is computed from the record's other fields on every write."""

    @abstractmethod
    def names(self, options: Any) -> set[str]:
        """The field names the computation reads."""

    @abstractmethod
    def check(self, options: Any, available_fields: set[str]) -> None:
        """Raise FieldValueError if the computation names unknown fields."""

    @abstractmethod
    def compute(self, options: Any, values: Mapping[str, object]) -> object: ...


class RelationFieldType(ABC):
    """Capability: the field points to records of another collection."""

    relation: ClassVar[RelationKind]

    @abstractmethod
    def target(self, options: Any) -> str: ...


def require_type(value: JSONValue, kind: type | tuple[type, ...], label: str) -> None:
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise FieldValueError(f"must be {label}", "type")
    if not isinstance(value, kind):
        raise FieldValueError(f"must be {label}", "type")

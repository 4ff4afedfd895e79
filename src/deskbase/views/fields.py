"""The fields a saved view names: `field` or `extension.field`, and what each role needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from deskbase.schema.field_types.choice import SelectOptions
from deskbase.schema.model import Collection, Field

__all__ = ["ROLES", "Role", "find_field"]


def find_field(coll: Collection, name: str) -> Field | None:
    """The field `name` of `coll`, or of one of its extensions as `extension.field`."""
    head, dot, rest = name.partition(".")
    if not dot:
        return coll.fields.get(name)
    ext = coll.extensions.get(head)
    return ext.fields.get(rest) if ext is not None else None


@dataclass(frozen=True, slots=True)
class Role:
    """What a config key like `kanban_field` needs of the field it names."""

    accepts: Callable[[Field], bool]
    needs: str  # for the message: "a select field"


def _any(_: Field) -> bool:
    return True


def _one_value(fld: Field) -> bool:
    # Rows fall in one group each: not fields that hold several values or documents.
    return fld.value_kind not in ("array", "refs", "json", "file")


def _select(fld: Field) -> bool:
    # Matched on capability (one value out of choices), not on the type's name.
    return fld.value_kind == "text" and isinstance(fld.options, SelectOptions)


def _dated(fld: Field) -> bool:
    return fld.value_kind in ("date", "datetime")


def _file(fld: Field) -> bool:
    return fld.value_kind == "file"


ROLES: dict[str, Role] = {
    "group_by": Role(_one_value, "a field with one value per record"),
    "kanban_field": Role(_select, "a select field"),
    "date_field": Role(_dated, "a date or datetime field"),
    "start_field": Role(_dated, "a date or datetime field"),
    "end_field": Role(_dated, "a date or datetime field"),
    "title_field": Role(_any, "a field"),
    "cover_field": Role(_file, "an attachment field"),
}

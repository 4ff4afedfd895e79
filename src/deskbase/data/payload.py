"""Turns a record payload from a request into column values, collecting per-field errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from deskbase.kernel.errors import FieldError, FieldValueError
from deskbase.kernel.types import JSONValue
from deskbase.schema.model import Collection

__all__ = ["Prepared", "prepare"]


@dataclass(slots=True)
class Prepared:
    """One record's write, split by where each part goes."""

    values: dict[str, object] = field(default_factory=dict)  # columns of the collection's table
    links: dict[str, list[int]] = field(default_factory=dict)  # one_to_many / many_to_many ids
    files: dict[str, list[int]] = field(default_factory=dict)  # attachment ids, resolved later
    extension: tuple[Collection, Prepared] | None = None
    extension_sent: bool = False
    errors: list[FieldError] = field(default_factory=list)


def prepare(
    coll: Collection, payload: JSONValue, *, creating: bool, index: int | None, prefix: str = ""
) -> Prepared:
    out = Prepared()
    if not isinstance(payload, dict):
        out.errors.append(FieldError(prefix.rstrip(".") or "body", "must be an object", "type", index))
        return out
    for key, raw in payload.items():
        if key in coll.extensions:
            continue  # handled by the caller once the discriminator is known
        fld = coll.fields.get(key)
        path = prefix + key
        if fld is None:
            if key == "id" or (creating is False and key in ("created_at", "updated_at")):
                continue
            out.errors.append(FieldError(path, "unknown field", "unknown_field", index))
            continue
        if not fld.writable:
            if fld.system:
                continue  # echoes of read-only system values are ignored
            out.errors.append(FieldError(path, "this field is read-only", "read_only", index))
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()) or (raw == [] and fld.required):
            if fld.required:
                out.errors.append(FieldError(path, "this field is required", "required", index))
            elif fld.value_kind == "file":
                out.files[key] = []
            elif fld.column is not None:
                out.values[key] = None
            else:
                out.links[key] = []
            continue
        try:
            value = fld.type.to_db(raw, fld.options)
        except FieldValueError as exc:
            out.errors.append(FieldError(path, exc.message, exc.code, index))
            continue
        if fld.value_kind == "file":
            out.files[key] = list(value)  # type: ignore[call-overload]
        elif fld.column is None:
            out.links[key] = list(value)  # type: ignore[call-overload]
        else:
            out.values[key] = value
    if creating:
        _defaults_and_required(coll, payload, out, index, prefix)
    return out


def _defaults_and_required(
    coll: Collection, payload: dict[str, Any], out: Prepared, index: int | None, prefix: str
) -> None:
    for fld in coll.fields.values():
        if not fld.writable or fld.name in payload:
            continue
        if fld.default is not None and fld.column is not None and fld.value_kind != "file":
            try:
                out.values[fld.name] = fld.type.to_db(fld.default, fld.options)
                continue
            except FieldValueError:
                pass  # a default that no longer fits the options: treat as absent
        if fld.required:
            out.errors.append(FieldError(prefix + fld.name, "this field is required", "required", index))

"""Which file column goes to which field: explicit mapping first, then names and titles.

A target is `field`, `relation.key` (a many_to_one matched by a field of its target, e.g.
`customer.name`), `extension.field`, or the export's title form `Extension: Field`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from deskbase.kernel.errors import FieldError, ValidationFailed
from deskbase.kernel.types import JSONValue
from deskbase.schema.catalog import Catalog
from deskbase.schema.field_types.relation import ManyToManyFieldType, ManyToOneFieldType
from deskbase.schema.model import Collection, Field

__all__ = ["Column", "Mapping", "resolve_mapping"]


@dataclass(frozen=True, slots=True)
class Column:
    index: int  # position in the file's rows
    header: str
    owner: Collection  # the collection, or one of its extensions
    field: Field
    lookup: Field | None = None  # many_to_one by key: the target's key field (None: by id)

    @property
    def path(self) -> str:
        return self.field.name if self.owner.extends is None else f"{self.owner.name}.{self.field.name}"


@dataclass(slots=True)
class Mapping:
    columns: list[Column]
    key: Column | None = None  # the column that holds the upsert key
    ignored: list[dict[str, JSONValue]] = field(default_factory=list)

    def to_json(self) -> dict[str, JSONValue]:
        return {c.header: c.path + (f".{c.lookup.name}" if c.lookup else "") for c in self.columns}


def _named(fields: dict[str, Field], name: str) -> Field | None:
    """A field by name, else by title, ignoring case."""
    folded = name.strip().casefold()
    for fld in fields.values():
        if fld.name.casefold() == folded:
            return fld
    for fld in fields.values():
        if fld.title.strip().casefold() == folded:
            return fld
    return None


def _extension(coll: Collection, name: str) -> Collection | None:
    folded = name.strip().casefold()
    for ext in coll.extensions.values():
        if folded in (ext.name.casefold(), ext.title.strip().casefold()):
            return ext
    return None


def _default_lookup(fld: Field, catalog: Catalog) -> Field | None:
    title_field = getattr(fld.options, "title_field", None)
    if isinstance(fld.type, ManyToOneFieldType) and isinstance(title_field, str):
        return catalog.get(fld.type.target(fld.options)).fields.get(title_field)
    return None


def _target(coll: Collection, catalog: Catalog, text: str) -> tuple[Collection, Field, Field | None] | None:
    """(owner, field, key field) that `text` names, or None."""
    fld = _named(coll.fields, text)
    if fld is not None:
        return coll, fld, _default_lookup(fld, catalog)
    for sep in (".", ":", "\uff1a"):  # the full-width colon too
        head, found, tail = text.partition(sep)
        if not found:
            continue
        rel = _named(coll.fields, head)
        if rel is not None and isinstance(rel.type, ManyToOneFieldType | ManyToManyFieldType) and sep == ".":
            key = _named(catalog.get(rel.type.target(rel.options)).fields, tail)
            if key is not None:
                return coll, rel, key
        ext = _extension(coll, head)
        ext_field = _named(ext.fields, tail) if ext is not None else None
        if ext is not None and ext_field is not None and ext_field.name != "id":
            return ext, ext_field, _default_lookup(ext_field, catalog)
    return None


def _refusal(fld: Field, lookup: Field | None) -> str | None:
    """Why a column cannot be imported into `fld` (None: it can)."""
    if not fld.writable:
        return "read-only field"
    linked = fld.relation is not None and fld.relation.kind == "many_to_many"
    if (fld.column is None and not linked) or fld.value_kind == "file":
        return f"{fld.type.key} fields cannot be imported"
    if lookup is not None and (lookup.column is None or lookup.value_kind in ("file", "json", "array")):
        return f"records cannot be matched by {lookup.name}"
    return None


def resolve_mapping(
    coll: Collection,
    catalog: Catalog,
    headers: list[str],
    explicit: dict[str, str | None] | None,
    key: str | None,
) -> Mapping:
    """Map the file's headers to fields; raise ValidationFailed naming every problem."""
    explicit = explicit or {}
    errors = [
        FieldError(f"mapping.{h}", "the file has no such column", "unknown_column")
        for h in explicit
        if h not in headers
    ]
    out = Mapping([])
    taken: dict[str, str] = {}
    for index, header in enumerate(headers):
        if not header:
            continue
        given = header in explicit
        name = explicit.get(header) if given else header
        if not name:
            out.ignored.append({"column": header, "reason": "ignored by the mapping"})
            continue
        found = _target(coll, catalog, name)
        if found is None:
            if given:
                errors.append(FieldError(f"mapping.{header}", f"unknown field {name!r}", "unknown_field"))
            else:
                out.ignored.append({"column": header, "reason": "no field of that name or title"})
            continue
        owner, fld, lookup = found
        column = Column(index, header, owner, fld, lookup)
        if key is not None and owner is coll and fld.name == key:
            out.key = column
        reason = _refusal(fld, lookup) if column is not out.key or key != "id" else None
        if reason is not None:
            if given:
                errors.append(FieldError(f"mapping.{header}", reason, "not_importable"))
            else:
                out.ignored.append({"column": header, "reason": reason})
            continue
        if column.path in taken:
            errors.append(
                FieldError(
                    f"mapping.{header}",
                    f"{taken[column.path]!r} already maps to {column.path}",
                    "duplicate",
                )
            )
            continue
        taken[column.path] = header
        if column is not out.key or key != "id":
            out.columns.append(column)
    errors += _check_key(coll, key, out)
    if errors:
        raise ValidationFailed("; ".join(f"{e.field}: {e.message}" for e in errors[:20]), errors=errors)
    return out


def _check_key(coll: Collection, key: str | None, mapping: Mapping) -> list[FieldError]:
    if key is None:
        return _required(coll, mapping)
    fld = coll.fields.get(key)
    if fld is None:
        return [FieldError("key", f"{coll.name} has no field {key!r}", "unknown_field")]
    if key != "id" and (not fld.unique or fld.column is None or fld.relation is not None):
        return [FieldError("key", f"{key} is not a unique field", "not_unique")]
    if mapping.key is None:
        return [FieldError("key", f"no column of the file maps to {key}", "missing_column")]
    if mapping.key.lookup is not None:
        return [FieldError("key", f"{key} cannot be a key", "not_unique")]
    return []


def _required(coll: Collection, mapping: Mapping) -> list[FieldError]:
    """Without a key every row is new: each required field needs a column or a default."""
    mapped = {c.field.name for c in mapping.columns if c.owner is coll}
    return [
        FieldError(
            f"mapping.{fld.name}", f"the file has no column for the required field {fld.name}", "required"
        )
        for fld in coll.fields.values()
        if fld.required and fld.writable and fld.name not in mapped and fld.default is None
    ]

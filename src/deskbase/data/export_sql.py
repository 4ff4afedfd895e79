"""What an export reads: its columns, and the CSV text the database computes for them.

Decimals, instants, dates, times and booleans skip SQLAlchemy's per-value processing. For
CSV the database renders values as the API does and, when it can render every column, the
whole line, quoted as the csv module quotes (RFC 4180): that work then runs in PostgreSQL's
process or in SQLite's C code while Python sends the previous chunk.
"""

from __future__ import annotations

from typing import Any, Literal

import sqlalchemy as sa

from deskbase.kernel.errors import FieldError, ValidationFailed
from deskbase.schema.field_types.sqltypes import ExactDecimal, UTCDateTime
from deskbase.schema.model import Collection, Field

__all__ = [
    "Storage",
    "csv_line",
    "csv_quoted",
    "csv_text",
    "header_of",
    "line_value",
    "pick_columns",
    "scale_of",
    "selected",
    "storage_of",
]

Storage = Literal["decimal", "instant", "date", "time", "bool"]
_MICROS_ZERO = ".000000"
_KIND_OF: dict[Storage, str] = {
    "decimal": "number",
    "instant": "datetime",
    "date": "date",
    "time": "time",
    "bool": "bool",
}


def csv_text(
    storage: Storage, column: sa.ColumnElement[Any], dialect: str, scale: int
) -> sa.ColumnElement[Any]:
    """The CSV text of a stored value (NULL stays NULL); `scale` is a decimal's."""
    raw = sa.type_coerce(column, sa.types.NullType())
    postgres = dialect == "postgresql"
    if storage == "date":
        return sa.func.to_char(column, "YYYY-MM-DD") if postgres else raw  # SQLite stores ISO text
    if storage == "bool":
        if postgres:
            return sa.case((column.is_(True), "true"), (column.is_(False), "false"))
        return sa.case((raw == 1, "true"), (raw == 0, "false"))
    if storage == "time":
        if postgres:
            return sa.func.to_char(column, "HH24:MI:SS")
        return sa.func.substr(sa.type_coerce(column, sa.String()), 1, 8)  # "HH:MM:SS.ffffff"
    if storage == "instant":
        if postgres:
            text = sa.func.to_char(sa.func.timezone("UTC", column), 'YYYY-MM-DD"T"HH24:MI:SS.US')
        else:  # "YYYY-MM-DD HH:MM:SS.ffffff", naive UTC
            text = sa.func.replace(sa.type_coerce(column, sa.String()), " ", "T")
        return sa.type_coerce(sa.func.replace(text, _MICROS_ZERO, ""), sa.String()) + "+00:00"
    if postgres:
        return sa.cast(column, sa.Text())  # NUMERIC(p, s) as text keeps its s places
    # SQLite holds value * 10**scale as an integer: split it with integer arithmetic.
    number = sa.type_coerce(column, sa.BigInteger())
    if not scale:
        return sa.cast(number, sa.Text())
    unit = 10**scale
    magnitude = sa.func.abs(number)
    whole = sa.cast(magnitude.op("/")(unit), sa.Text())
    part = sa.func.substr(sa.literal("0" * scale) + sa.cast(magnitude % unit, sa.Text()), -scale)
    sign = sa.case((number < 0, "-"), else_="")
    return sa.type_coerce(sign, sa.String()) + whole + "." + part


def csv_quoted(column: sa.ColumnElement[Any], dialect: str) -> sa.ColumnElement[Any]:
    """Text as a CSV value: quoted (quotes doubled) when it holds `,`, `"`, CR or LF."""
    text = sa.type_coerce(column, sa.String())
    find = sa.func.strpos if dialect == "postgresql" else sa.func.instr  # faster than a pattern
    special = sa.or_(*(find(text, char) > 0 for char in (",", '"', "\n", "\r")))
    quoted = sa.literal('"') + sa.func.replace(text, '"', '""') + '"'
    return sa.case((special, quoted), else_=text)


def csv_line(values: list[sa.ColumnElement[Any]], dialect: str) -> sa.ColumnElement[Any]:
    """One CSV line (without its line end) from the values' texts, NULL as an empty value,
    as UTF-8 bytes: Python neither decodes nor encodes it."""
    line: sa.ColumnElement[str] | None = None
    for value in values:
        part = sa.func.coalesce(sa.type_coerce(value, sa.String()), "")
        line = part if line is None else line + "," + part
    assert line is not None
    if dialect == "postgresql":
        return sa.type_coerce(sa.func.convert_to(line, "UTF8"), sa.types.NullType())
    return sa.type_coerce(sa.cast(line, sa.LargeBinary()), sa.types.NullType())


def storage_of(fld: Field) -> Storage | None:
    """How the field's column stores values, when the export reads them raw."""
    if fld.column is None:
        return None
    col_type = fld.column.type
    found: Storage | None = None
    if isinstance(col_type, ExactDecimal):
        found = "decimal"
    elif isinstance(col_type, UTCDateTime):
        found = "instant"
    elif isinstance(col_type, sa.Date):
        found = "date"
    elif isinstance(col_type, sa.Time):
        found = "time"
    elif isinstance(col_type, sa.Boolean):
        found = "bool"
    # A type with its own to_api and another kind of value keeps its own rendering.
    if found is None or (not fld.type.native_api and _KIND_OF[found] != fld.value_kind):
        return None
    return found


def selected(fld: Field, column: sa.ColumnElement[Any], csv: bool, dialect: str) -> sa.ColumnElement[Any]:
    """What an export selects for a field's column when it does not read whole lines."""
    storage = storage_of(fld)
    if storage is None:
        return column
    if csv:
        return csv_text(storage, column, dialect, scale_of(fld) if storage == "decimal" else 0)
    return sa.type_coerce(column, sa.types.NullType())


def line_value(fld: Field, column: sa.ColumnElement[Any], dialect: str) -> sa.ColumnElement[Any] | None:
    """The field's value as quoted CSV text computed by the database, if it can be."""
    storage = storage_of(fld)
    if storage is not None:
        return csv_text(storage, column, dialect, scale_of(fld) if storage == "decimal" else 0)
    col_type = fld.column.type if fld.column is not None else None
    if not fld.type.native_api or col_type is None:
        return None
    if isinstance(col_type, sa.String) and fld.value_kind == "text":
        return csv_quoted(column, dialect)
    if isinstance(col_type, sa.Integer) and fld.value_kind in ("number", "ref"):
        return sa.cast(column, sa.Text())
    return None


def scale_of(fld: Field) -> int:
    col_type = fld.column.type if fld.column is not None else None
    assert isinstance(col_type, ExactDecimal)
    return col_type.scale


def _exportable(fld: Field) -> bool:
    rel = fld.relation
    return fld.column is not None or (rel is not None and rel.kind in ("many_to_many", "one_to_many"))


def pick_columns(coll: Collection, names: tuple[str, ...] | None) -> list[tuple[Collection, Field]]:
    """(owning collection, field) per column: the named fields in the order given, or all."""
    if names is None:
        picked = [(coll, f) for f in coll.fields.values() if _exportable(f)]
        for _, extension in sorted(coll.extensions.items()):
            picked += _whole(extension)
        return picked
    out: dict[tuple[str, str], tuple[Collection, Field]] = {}
    errors: list[FieldError] = []
    for name in names:
        head, _, tail = name.partition(".")
        ext = coll.extensions.get(head)
        found: list[tuple[Collection, Field]] = []
        if not tail and head in coll.fields:
            found = [(coll, coll.fields[head])]
        elif ext is not None and not tail:
            found = _whole(ext)
        elif ext is not None and tail in ext.fields and tail != "id":
            found = [(ext, ext.fields[tail])]
        if not found or not all(_exportable(f) for _, f in found):
            errors.append(FieldError(f"fields.{name}", "unknown field", "unknown_field"))
        for owner, fld in found:
            out.setdefault((owner.name, fld.name), (owner, fld))
    if errors:
        raise ValidationFailed(f"Unknown fields: {', '.join(e.field[7:] for e in errors)}", errors=errors)
    return list(out.values())


def _whole(ext: Collection) -> list[tuple[Collection, Field]]:
    return [(ext, f) for f in ext.fields.values() if f.name != "id" and _exportable(f)]


def header_of(coll: Collection, owner: Collection, fld: Field, style: str) -> str:
    if style == "name":
        return fld.name if owner is coll else f"{owner.name}.{fld.name}"
    return fld.title if owner is coll else f"{owner.title}: {fld.title}"

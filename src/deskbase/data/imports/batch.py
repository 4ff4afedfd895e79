"""One batch of imported rows, column-major: converted values, row errors, target ids."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from operator import itemgetter

from deskbase.data.imports.convert import ColumnConverter, column_converter, id_converter, list_converter
from deskbase.data.imports.mapping import Column, Mapping
from deskbase.kernel.types import JSONValue

__all__ = ["Batch", "Converters", "RowError", "convert_batch"]


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in the file: `row` counts the header as row 1, like a spreadsheet."""

    row: int
    column: str | None
    field: str | None
    message: str
    code: str = "invalid"

    def to_json(self) -> dict[str, JSONValue]:
        return {
            "row": self.row,
            "column": self.column,
            "field": self.field,
            "message": self.message,
            "code": self.code,
        }


@dataclass(slots=True)
class Batch:
    rows: list[int]  # file row numbers
    values: list[list[object]]  # one list per mapped column, in the mapping's order
    key: list[object] | None  # the key column's values, when the import has a key
    errors: list[RowError] = field(default_factory=list)
    bad: set[int] = field(default_factory=set)  # positions of rows that will not be written
    targets: list[int | None] = field(default_factory=list)  # the existing record per row

    def __len__(self) -> int:
        return len(self.rows)

    def fail(self, pos: int, column: Column | None, message: str, code: str) -> None:
        self.bad.add(pos)
        self.errors.append(
            RowError(
                self.rows[pos],
                column.header if column else None,
                column.path if column else None,
                message,
                code,
            )
        )

    def fail_field(self, pos: int, name: str, message: str, code: str = "required") -> None:
        self.bad.add(pos)
        self.errors.append(RowError(self.rows[pos], None, name, message, code))

    def good(self) -> list[int]:
        return [i for i in range(len(self.rows)) if i not in self.bad]


def _converter(column: Column, zone: tzinfo) -> ColumnConverter:
    rel = column.field.relation
    if rel is not None and rel.kind == "many_to_many":  # a list of ids, or of key values
        return list_converter(column_converter(column.lookup, zone) if column.lookup else id_converter())
    return column_converter(column.lookup or column.field, zone)


@dataclass(frozen=True, slots=True)
class Converters:
    """The converter of every mapped column (a key lookup converts to the key field's type)."""

    columns: list[ColumnConverter]
    key: ColumnConverter | None

    @classmethod
    def build(cls, mapping: Mapping, key: str | None, zone: tzinfo) -> Converters:
        columns = [_converter(c, zone) for c in mapping.columns]
        key_conv = None
        if mapping.key is not None:
            key_conv = column_converter(mapping.key.field, zone) if key != "id" else id_converter()
        return cls(columns, key_conv)


def convert_batch(
    mapping: Mapping, converters: Converters, numbers: list[int], rows: list[Sequence[object]]
) -> Batch:
    """Take the mapped columns out of the rows and convert each; bad cells become row errors."""
    wanted = [c.index for c in mapping.columns]
    if mapping.key is not None:
        wanted.append(mapping.key.index)
    width = max(wanted, default=-1) + 1
    if any(len(row) < width for row in rows):  # a short line: pad it (rare, so checked first)
        rows = [row if len(row) >= width else [*row, *([None] * (width - len(row)))] for row in rows]
    values: list[list[object]] = []
    pending: list[tuple[Column, list[tuple[int, str, str]]]] = []
    # One column at a time through itemgetter: no per-row iterator objects for the GC to chase.
    for column, convert in zip(mapping.columns, converters.columns, strict=True):
        out, errors = convert(list(map(itemgetter(column.index), rows)))
        values.append(out)
        if errors:
            pending.append((column, errors))
    key = None
    if mapping.key is not None and converters.key is not None:
        key, errors = converters.key(list(map(itemgetter(mapping.key.index), rows)))
        if errors:
            pending.append((mapping.key, errors))
    batch = Batch(numbers, values, key, targets=[None] * len(rows))
    for column, errors in pending:
        for pos, message, code in errors:
            batch.fail(pos, column, message, code)
    return batch

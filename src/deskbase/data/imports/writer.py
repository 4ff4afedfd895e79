"""Writes a checked batch: one executemany INSERT (COPY on PostgreSQL) for the new rows and
one executemany UPDATE for the existing ones, filling what RecordService fills (defaults,
timestamps and users, auto numbers, formulas).

The statements are SQLAlchemy Core constructs compiled once per import; the rows go to the
driver as tuples of encoded values, so no per-row Core processing is paid.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.data.imports.batch import Batch
from deskbase.data.imports.encode import ColumnEncoder, column_encoder, encode_column
from deskbase.data.imports.mapping import Mapping
from deskbase.kernel.context import RequestContext
from deskbase.kernel.errors import FieldValueError
from deskbase.schema.field_types.base import ComputedValue, GeneratedValue, SequenceFieldType
from deskbase.schema.model import Collection, Field
from deskbase.schema.sequence import take_numbers

__all__ = ["Prepared", "Writer"]

Prepared = tuple[str, list[str], list[tuple[Any, ...]]]  # SQL, columns, encoded rows


class Writer:
    """Prepared once per import and table (the collection, or one of its extensions)."""

    def __init__(self, ctx: RequestContext, coll: Collection, mapping: Mapping, dialect: sa.Dialect) -> None:
        self.ctx, self.coll, self.dialect = ctx, coll, dialect
        self.mapped = [
            (i, c.field.name)
            for i, c in enumerate(mapping.columns)
            if c.owner is coll and c.field.column is not None
        ]
        names = {name for _, name in self.mapped}
        self.defaults: dict[str, object] = {}
        self.on_create: dict[str, object] = {}
        self.on_update: dict[str, object] = {}
        self.sequences: list[Field] = []
        self.formulas: list[Field] = []
        for fld in coll.fields.values():
            ftype = fld.type
            if isinstance(ftype, GeneratedValue):
                if ftype.on_create:
                    self.on_create[fld.name] = ftype.generate(ctx)
                if ftype.on_update:
                    self.on_update[fld.name] = ftype.generate(ctx)
            elif isinstance(ftype, SequenceFieldType):
                self.sequences.append(fld)
            elif isinstance(ftype, ComputedValue):
                self.formulas.append(fld)
            elif (
                fld.name not in names and fld.writable and fld.default is not None and fld.column is not None
            ):
                # A default that no longer fits the options is treated as absent, as records do.
                with contextlib.suppress(FieldValueError):
                    self.defaults[fld.name] = fld.type.to_db(fld.default, fld.options)
        key = mapping.key.field.name if mapping.key is not None and mapping.key.owner is coll else None
        self.update_mapped = [(i, name) for i, name in self.mapped if name != key]
        writes = [*self.on_create, *self.on_update, *(f.name for f in (*self.sequences, *self.formulas))]
        self.encoders: dict[str, ColumnEncoder | None] = {
            name: column_encoder(coll.table.c[name], dialect) for name in {*names, *self.defaults, *writes}
        }
        self.constants = {
            name: encode_column([value], self.encoders[name])[0]
            for name, value in (*self.defaults.items(), *self.on_create.items(), *self.on_update.items())
        }
        self._inserts: dict[bool, tuple[str, list[str]]] = {}
        update = (
            coll.table.update()
            .where(coll.table.c.id == sa.bindparam("_id"))
            .values(
                {
                    name: sa.bindparam(name)
                    for name in [
                        *(name for _, name in self.update_mapped),
                        *self.on_update,
                        *(f.name for f in self.formulas),
                    ]
                }
            )
            .compile(dialect=dialect)
        )
        self.update_sql, self.update_order = update.string, list(update.positiontup or [])

    def _insert(self, with_id: bool) -> tuple[str, list[str]]:
        """(SQL, column order) of the INSERT; compiled statements list columns in table order."""
        if with_id not in self._inserts:
            keys = [
                *(["id"] if with_id else []),
                *(name for _, name in self.mapped),
                *self.defaults,
                *self.on_create,
                *(f.name for f in (*self.sequences, *self.formulas)),
            ]
            compiled = self.coll.table.insert().inline().compile(dialect=self.dialect, column_keys=keys)
            self._inserts[with_id] = (compiled.string, list(compiled.positiontup or []))
        return self._inserts[with_id]

    def _pick(self, batch: Batch, index: int, positions: Sequence[int]) -> list[Any]:
        values = batch.values[index]
        return values if len(positions) == len(values) else [values[i] for i in positions]

    def _encoded(self, name: str, cols: dict[str, list[Any]], count: int) -> list[Any]:
        if name in self.constants:
            return [self.constants[name]] * count  # encoded once per import
        return encode_column(cols[name], self.encoders.get(name))

    async def reserve_ids(self, conn: AsyncConnection, count: int) -> list[int]:
        """Ids for `count` new records, taken the way the database would take them."""
        table = self.coll.table
        if self.dialect.name == "postgresql":
            sequence = sa.func.pg_get_serial_sequence(table.name, "id")
            query = sa.select(sa.func.nextval(sequence)).select_from(sa.func.generate_series(1, count))
            return [int(i) for i in (await conn.execute(query)).scalars()]
        # SQLite gives max(rowid) + 1, and this transaction holds the only writer.
        last = (await conn.execute(sa.select(sa.func.max(table.c.id)))).scalar_one()
        return list(range(int(last or 0) + 1, int(last or 0) + 1 + count))

    async def insert(
        self, conn: AsyncConnection, batch: Batch, positions: Sequence[int], ids: list[int] | None = None
    ) -> None:
        """Insert the rows at `positions` (with these `ids`, when given)."""
        await self.send(conn, await self.prepare(conn, batch, positions, ids))

    async def prepare(
        self, conn: AsyncConnection, batch: Batch, positions: Sequence[int], ids: list[int] | None = None
    ) -> Prepared | None:
        """The encoded rows of an INSERT; `conn` is used only to take auto numbers."""
        if not positions:
            return None
        count = len(positions)
        cols = {name: self._pick(batch, index, positions) for index, name in self.mapped}
        if ids is not None:
            cols["id"] = ids
        for fld in self.sequences:
            seq: Any = fld.type
            scope = seq.scope(fld.options, self.ctx)
            numbers = await take_numbers(conn, self.coll.name, fld.name, scope, count)
            cols[fld.name] = [seq.render(fld.options, n, self.ctx) for n in numbers]
        if self.formulas:
            for name, value in (*self.defaults.items(), *self.on_create.items()):
                cols[name] = [value] * count
            self._compute(cols, [{} for _ in positions])
        sql, names = self._insert(ids is not None)
        return sql, names, list(zip(*(self._encoded(name, cols, count) for name in names), strict=True))

    async def send(self, conn: AsyncConnection, prepared: Prepared | None) -> None:
        """Run a prepared INSERT: executemany on SQLite, a binary COPY on PostgreSQL."""
        if prepared is None:
            return
        sql, names, records = prepared
        if self.dialect.name == "postgresql":
            await _copy(conn, self.coll.table, names, records)
        else:
            await conn.exec_driver_sql(sql, records)

    async def update(
        self, conn: AsyncConnection, batch: Batch, positions: Sequence[int], ids: list[int]
    ) -> None:
        """Update the records `ids` from the rows at `positions`."""
        if not positions:
            return
        count = len(positions)
        cols: dict[str, list[Any]] = {"_id": ids}
        for index, name in self.update_mapped:
            cols[name] = self._pick(batch, index, positions)
        if self.formulas:
            for name, value in self.on_update.items():
                cols[name] = [value] * count
            self._compute(cols, await self._current(conn, ids))
        params = list(zip(*(self._encoded(n, cols, count) for n in self.update_order), strict=True))
        await conn.exec_driver_sql(self.update_sql, params)

    async def _current(self, conn: AsyncConnection, ids: list[int]) -> list[dict[str, Any]]:
        """The stored values the formulas read, for the records being updated."""
        table = self.coll.table
        inputs = {n for f in self.formulas for n in f.type.names(f.options)}  # type: ignore[attr-defined]
        names = [n for n in inputs if n in table.c]
        query = sa.select(table.c.id, *(table.c[n] for n in names)).where(table.c.id.in_(ids))
        rows = {row[0]: dict(zip(names, row[1:], strict=True)) for row in await conn.execute(query)}
        return [rows.get(i, {}) for i in ids]

    def _compute(self, cols: dict[str, list[Any]], current: list[dict[str, Any]]) -> None:
        names = [n for n in cols if n not in ("_id", "id")]
        for pos, values in enumerate(zip(*(cols[n] for n in names), strict=True)):
            current[pos].update(zip(names, values, strict=True))
        for fld in self.formulas:
            compute: Any = fld.type
            cols[fld.name] = [compute.compute(fld.options, merged) for merged in current]


async def _copy(
    conn: AsyncConnection, table: sa.Table, names: list[str], records: list[tuple[Any, ...]]
) -> None:
    """Binary COPY through asyncpg, inside the connection's open transaction."""
    raw = await conn.get_raw_connection()
    driver: Any = raw.driver_connection
    if not driver.is_in_transaction():  # COPY must never run outside the import's transaction
        raise RuntimeError("COPY outside a transaction")
    await driver.copy_records_to_table(table.name, records=records, columns=names, schema_name=table.schema)

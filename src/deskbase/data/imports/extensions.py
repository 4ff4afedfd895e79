"""Extension rows (T-shaped collections) of imported master rows, as RecordService keeps them:
a master whose discriminator names an extension has that extension's row, and only that one.

Columns reach extension fields by `extension.field`. Per batch, one query reads the stored
discriminators of the records being updated and one per extension finds their rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.data.imports.batch import Batch
from deskbase.data.imports.checks import check_unique, select_in
from deskbase.data.imports.mapping import Column, Mapping
from deskbase.data.imports.writer import Writer
from deskbase.kernel.context import RequestContext
from deskbase.schema.model import Collection

__all__ = ["ExtensionRows", "Extensions"]


@dataclass(slots=True)
class ExtensionRows:
    """What one batch does to extension tables, by extension name."""

    create: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))  # positions
    update: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))  # positions
    delete: dict[str, list[int | None]] = field(default_factory=lambda: defaultdict(list))  # record ids


class Extensions:
    def __init__(
        self, ctx: RequestContext, coll: Collection, mapping: Mapping, dialect: sa.Dialect, master: Writer
    ) -> None:
        exts = [e for e in coll.extensions.values() if e.extends is not None]
        self.coll, self.mapping = coll, mapping
        self.active = bool(exts)
        self.disc = exts[0].extends.discriminator if exts and exts[0].extends else ""
        self.by_value = {e.extends.value: e for e in exts if e.extends is not None}
        self.by_name = {e.name: e for e in exts}
        self.disc_index = next(
            (i for i, c in enumerate(mapping.columns) if c.owner is coll and c.field.name == self.disc), None
        )
        self.columns: dict[str, list[tuple[int, Column]]] = {
            e.name: [(i, c) for i, c in enumerate(mapping.columns) if c.owner is e] for e in exts
        }
        self.default = master.defaults.get(self.disc)
        self.writers = {e.name: Writer(ctx, e, mapping, dialect) for e in exts}

    async def check(self, conn: AsyncConnection, batch: Batch) -> ExtensionRows:
        """Decide each row's extension row; a mismatch or a missing required field fails the row."""
        out = ExtensionRows()
        if not self.active:
            return out
        sent_any = self.disc_index is not None or any(self.columns.values())
        updated = [batch.targets[p] for p in batch.good() if batch.targets[p] is not None]
        current: dict[object, object] = {}
        if sent_any and updated:
            table = self.coll.table
            current = dict(await select_in(conn, table.c.id, table.c[self.disc], updated))
        has_row: dict[str, set[object]] = {}
        for ext in self.by_name.values():
            if sent_any and updated:
                has_row[ext.name] = {
                    i for i, _ in await select_in(conn, ext.table.c.id, ext.table.c.id, updated)
                }
            if self.columns[ext.name]:
                await check_unique(conn, ext, self.mapping, batch)
        for pos in batch.good():
            self._decide(batch, pos, current, has_row, out)
        return out

    def _decide(
        self,
        batch: Batch,
        pos: int,
        current: dict[object, object],
        has_row: dict[str, set[object]],
        out: ExtensionRows,
    ) -> None:
        record = batch.targets[pos]
        old = current.get(record) if record is not None else None
        if self.disc_index is not None:
            new = batch.values[self.disc_index][pos]
        else:
            new = old if record is not None else self.default
        sent = {
            name
            for name, cols in self.columns.items()
            if any(batch.values[i][pos] is not None for i, _ in cols)
        }
        target = self.by_value.get(new) if isinstance(new, str) else None
        for name in sorted(sent - ({target.name} if target else set())):
            column = next(c for i, c in self.columns[name] if batch.values[i][pos] is not None)
            extends = self.by_name[name].extends
            value = extends.value if extends else ""
            batch.fail(pos, column, f"{name} fields need {self.disc} = {value!r}", "extension_mismatch")
        if pos in batch.bad:
            return
        changed = record is not None and self.disc_index is not None and new != old
        gone = self.by_value.get(old) if changed and isinstance(old, str) else None
        if target is None or (record is not None and not changed and target.name not in sent):
            if gone is not None:
                out.delete[gone.name].append(record)
            return
        creating = record is None or changed or record not in has_row.get(target.name, set())
        if not self._complete(batch, pos, target, creating):
            return
        if gone is not None:
            out.delete[gone.name].append(record)
        (out.create if creating else out.update)[target.name].append(pos)

    def _complete(self, batch: Batch, pos: int, ext: Collection, creating: bool) -> bool:
        """The extension's required fields are there (sent, or by default when creating)."""
        given = {c.field.name: batch.values[i][pos] for i, c in self.columns[ext.name]}
        defaults = self.writers[ext.name].defaults
        ok = True
        for fld in ext.fields.values():
            if not (fld.required and fld.writable) or given.get(fld.name) is not None:
                continue
            if fld.name in given or (creating and fld.name not in defaults):
                batch.fail_field(pos, f"{ext.name}.{fld.name}", "this field is required")
                ok = False
        return ok

    async def write(
        self, conn: AsyncConnection, batch: Batch, rows: ExtensionRows, new_ids: dict[int, int]
    ) -> None:
        """Apply a batch's extension rows once its master rows are written."""
        for name, ids in rows.delete.items():
            table = self.writers[name].coll.table
            for start in range(0, len(ids), 5000):
                await conn.execute(table.delete().where(table.c.id.in_(ids[start : start + 5000])))
        for name, positions in rows.create.items():
            await self.writers[name].insert(
                conn, batch, positions, [_id(batch, new_ids, p) for p in positions]
            )
        for name, positions in rows.update.items():
            await self.writers[name].update(
                conn, batch, positions, [_id(batch, new_ids, p) for p in positions]
            )


def _id(batch: Batch, new_ids: dict[int, int], pos: int) -> int:
    """The master record of a written row: the one it created, or the one it updated."""
    found = new_ids.get(pos, batch.targets[pos])
    assert found is not None  # every written row has one
    return found

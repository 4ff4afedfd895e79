"""many_to_many columns of an import: the junction rows of created and updated records.

An updated record's links are replaced by the cell's (an empty cell unlinks them all), as a
write through the records API does; one DELETE and one executemany INSERT per batch and field.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.data.imports.batch import Batch
from deskbase.data.imports.mapping import Mapping
from deskbase.schema.model import Collection

__all__ = ["Links"]

_CHUNK = 5000


class Links:
    def __init__(self, coll: Collection, mapping: Mapping) -> None:
        self.columns = [
            (i, c)
            for i, c in enumerate(mapping.columns)
            if c.owner is coll and c.field.relation is not None and c.field.relation.junction is not None
        ]
        self.active = bool(self.columns)

    async def write(
        self,
        conn: AsyncConnection,
        batch: Batch,
        created: Sequence[int],
        new_ids: Sequence[int],
        updated: Sequence[int],
    ) -> None:
        """Link the records created from rows `created` (ids `new_ids`) and those updated."""
        old_ids = [batch.targets[p] for p in updated]
        for index, column in self.columns:
            relation = column.field.relation
            assert relation is not None
            assert relation.junction is not None
            junction = relation.junction
            values = batch.values[index]
            for start in range(0, len(old_ids), _CHUNK):
                chunk = old_ids[start : start + _CHUNK]
                await conn.execute(junction.delete().where(junction.c.source_id.in_(chunk)))
            pairs = [
                {"source_id": source, "target_id": target}
                for pos, source in (*zip(created, new_ids, strict=True), *zip(updated, old_ids, strict=True))
                for target in values[pos] or ()  # type: ignore[attr-defined]
            ]
            if pairs:
                await conn.execute(junction.insert(), pairs)

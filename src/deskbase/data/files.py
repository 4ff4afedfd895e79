"""FileService: attachment uploads stored under the data dir, metadata in `ds_attachments`."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from deskbase.data.access import Guard
from deskbase.data.access.files import can_download
from deskbase.kernel import tables as t
from deskbase.kernel.context import RequestContext
from deskbase.kernel.db import Database
from deskbase.kernel.errors import FieldError, NotFound, PayloadTooLarge, ValidationFailed
from deskbase.kernel.types import JSONValue

__all__ = ["FileService", "StoredFile"]


@dataclass(frozen=True, slots=True)
class StoredFile:
    id: int
    filename: str
    mime_type: str
    size: int
    path: Path
    created_by: int | None = None

    def to_json(self) -> dict[str, JSONValue]:
        return {
            "id": self.id,
            "filename": self.filename,
            "mime_type": self.mime_type,
            "size": self.size,
            "url": f"/api/attachments/{self.id}",
        }


class FileService:
    def __init__(self, db: Database, root: Path, max_bytes: int, guard: Guard) -> None:
        self.db = db
        self.root = root
        self.max_bytes = max_bytes
        self.guard = guard

    async def save(
        self, ctx: RequestContext, filename: str, mime_type: str, chunks: AsyncIterator[bytes]
    ) -> StoredFile:
        name = Path(filename or "file").name[:255] or "file"
        key = secrets.token_hex(16)
        path = self.root / key[:2] / key
        path.parent.mkdir(parents=True, exist_ok=True)
        size = 0
        try:
            with path.open("wb") as out:
                async for chunk in chunks:
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise PayloadTooLarge(f"Files are limited to {self.max_bytes // (1024 * 1024)} MB")
                    out.write(chunk)
            if size == 0:
                raise ValidationFailed(
                    "The file is empty", errors=[FieldError("file", "empty file", "empty")]
                )
            async with self.db.write() as conn:
                new_id = (
                    await conn.execute(
                        t.attachments.insert()
                        .values(
                            key=key,
                            filename=name,
                            mime_type=mime_type or "application/octet-stream",
                            size=size,
                            created_by=ctx.actor.id,
                            created_at=ctx.now,
                        )
                        .returning(t.attachments.c.id)
                    )
                ).scalar_one()
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return StoredFile(new_id, name, mime_type, size, path, ctx.actor.id)

    async def get(self, ctx: RequestContext, attachment_id: int) -> StoredFile:
        """The file, if the actor may read it (else 404, as if it did not exist)."""
        async with self.db.read() as conn:
            row = (
                await conn.execute(sa.select(t.attachments).where(t.attachments.c.id == attachment_id))
            ).first()
            allowed = row is not None and await can_download(
                conn, ctx, self.guard, row.id, row.created_by, self.db.dialect
            )
        if row is None or not allowed:
            raise NotFound(f"Attachment {attachment_id} does not exist")
        path = self.root / row.key[:2] / row.key
        return StoredFile(row.id, row.filename, row.mime_type, row.size, path, row.created_by)

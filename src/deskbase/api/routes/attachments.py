"""Attachment upload and download."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import APIRouter, UploadFile
from starlette.responses import FileResponse

from deskbase.api.deps import AppDep, Ctx
from deskbase.api.responses import JSONResponse

__all__ = ["router"]

router = APIRouter(prefix="/attachments", tags=["attachments"])


async def _chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(1 << 20):
        yield chunk


@router.post("", status_code=201)
async def upload(file: UploadFile, app: AppDep, ctx: Ctx) -> JSONResponse:
    stored = await app.files.save(ctx, file.filename or "file", file.content_type or "", _chunks(file))
    return JSONResponse({"data": stored.to_json()}, status_code=201)


@router.get("/{attachment_id}")
async def download(attachment_id: int, app: AppDep, ctx: Ctx) -> FileResponse:
    stored = await app.files.get(ctx, attachment_id)
    return FileResponse(stored.path, media_type=stored.mime_type, filename=stored.filename)

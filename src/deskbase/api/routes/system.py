"""Health: the one route that needs no sign-in besides signing in itself."""

from __future__ import annotations

from fastapi import APIRouter

from deskbase.api.responses import JSONResponse

__all__ = ["router"]

router = APIRouter()


@router.get("/health", tags=["system"])
async def health() -> JSONResponse:
    return JSONResponse({"status": "ok"})

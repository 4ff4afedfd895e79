"""Serves the built web app (web/dist) at `/`: its files, else index.html; /api is untouched."""

from __future__ import annotations

import mimetypes
import stat
from pathlib import Path

import anyio
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["SinglePageApp"]

# Vite puts content-hashed bundles here: they never change, and a missing one is a real 404
# (answering index.html for a script would fail in the browser without saying why).
_ASSETS = "assets/"
_NO_CACHE = {"Cache-Control": "no-cache"}
_IMMUTABLE = {"Cache-Control": "public, max-age=31536000, immutable"}


def _is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


class SinglePageApp:
    """ASGI middleware: GET and HEAD outside /api get a file of `directory`, else its index.html
    (the app routes in the browser). Everything else goes to the API as before."""

    def __init__(self, app: ASGIApp, directory: Path) -> None:
        self.app = app
        self.files = StaticFiles(directory=directory)
        self.index = directory / "index.html"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or _is_api(scope["path"]):
            await self.app(scope, receive, send)
            return
        response = await self._response(scope)
        await response(scope, receive, send)

    async def _response(self, scope: Scope) -> Response:
        path = self.files.get_path(scope)
        is_asset = path.startswith(_ASSETS)
        if is_asset and "gzip" in Headers(scope=scope).get("accept-encoding", ""):
            packed = await self._gzipped(path)
            if packed is not None:
                return packed
        if path not in (".", "index.html"):
            try:
                response = await self.files.get_response(path, scope)
            except HTTPException as exc:
                if is_asset:
                    return Response("Not found", status_code=exc.status_code, media_type="text/plain")
            else:
                response.headers.update(_IMMUTABLE if is_asset else _NO_CACHE)
                return response
        return FileResponse(self.index, headers=_NO_CACHE, media_type="text/html")

    async def _gzipped(self, path: str) -> Response | None:
        """The build writes `x.js.gz` beside `x.js` (web/scripts/postbuild.mjs): send it as is."""
        full, found = await anyio.to_thread.run_sync(self.files.lookup_path, path + ".gz")
        if found is None or not stat.S_ISREG(found.st_mode):
            return None
        media_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        headers = {**_IMMUTABLE, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
        return FileResponse(full, stat_result=found, headers=headers, media_type=media_type)

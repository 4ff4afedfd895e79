"""The built web app is served at `/` beside the API, which keeps its own 404s and 405s."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from deskbase.api import create_api
from deskbase.app import App
from deskbase.kernel.settings import Settings

INDEX = "<!doctype html><title>Deskbase</title>"


async def _client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = App(settings)
    await app.start()
    try:
        transport = httpx.ASGITransport(app=create_api(app))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client
    finally:
        await app.stop()


@pytest.fixture
async def web(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(INDEX)
    (dist / "assets" / "index-abc123.js").write_text("console.log(1)")
    (dist / "assets" / "index-abc123.js.gz").write_bytes(gzip.compress(b"console.log(1)"))
    (dist / "favicon.svg").write_text("<svg/>")
    async for client in _client(Settings(data_dir=tmp_path / "data", web_dir=dist)):
        yield client


async def test_index_and_files(web: httpx.AsyncClient) -> None:
    resp = await web.get("/")
    assert resp.status_code == 200
    assert resp.text == INDEX
    assert resp.headers["content-type"].startswith("text/html")
    assert resp.headers["cache-control"] == "no-cache"

    resp = await web.get("/assets/index-abc123.js")
    assert resp.status_code == 200
    assert resp.text == "console.log(1)"
    assert "immutable" in resp.headers["cache-control"]

    assert (await web.get("/favicon.svg")).text == "<svg/>"


async def test_gzipped_assets_for_browsers_that_accept_them(web: httpx.AsyncClient) -> None:
    resp = await web.get("/assets/index-abc123.js", headers={"Accept-Encoding": "gzip, br"})
    assert resp.headers["content-encoding"] == "gzip"
    assert resp.headers["content-type"].startswith("text/javascript")
    assert resp.headers["vary"] == "Accept-Encoding"
    assert resp.text == "console.log(1)"  # httpx decodes it
    resp = await web.get("/assets/index-abc123.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in resp.headers
    assert resp.text == "console.log(1)"


async def test_browser_routes_fall_back_to_index(web: httpx.AsyncClient) -> None:
    for path in ("/c/tickets", "/c/tickets/kanban?field=status", "/login", "/index.html"):
        resp = await web.get(path)
        assert resp.status_code == 200, path
        assert resp.text == INDEX, path


async def test_missing_asset_is_404_not_index(web: httpx.AsyncClient) -> None:
    resp = await web.get("/assets/index-old.js")
    assert resp.status_code == 404
    assert resp.text != INDEX


async def test_path_traversal_stays_inside(web: httpx.AsyncClient, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("secret")
    resp = await web.get("/../secret.txt")
    assert "secret" not in resp.text
    resp = await web.get("/assets/..%2F..%2Fsecret.txt")
    assert "secret" not in resp.text


async def test_api_is_untouched(web: httpx.AsyncClient) -> None:
    assert (await web.get("/api/health")).json() == {"status": "ok"}
    for method, path, status in (
        ("GET", "/api/nope", 404),
        ("GET", "/api", 404),
        ("POST", "/api/nope", 404),
        ("PUT", "/api/health", 405),
    ):
        resp = await web.request(method, path)
        assert resp.status_code == status, (method, path)
        assert resp.headers["content-type"] == "application/problem+json"
    # Outside /api, only GET and HEAD are the web app's.
    resp = await web.post("/c/tickets")
    assert resp.status_code in (404, 405)
    assert resp.headers["content-type"] == "application/problem+json"


async def test_no_web_dir_no_web_app(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", web_dir=tmp_path / "missing")
    async for client in _client(settings):
        resp = await client.get("/")
        assert resp.status_code == 404
        assert resp.headers["content-type"] == "application/problem+json"

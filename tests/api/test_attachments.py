"""Attachments: upload, link to a record, download, limits."""

from __future__ import annotations

import httpx

from deskbase.app import App


async def test_upload_link_download(client: httpx.AsyncClient, app: App) -> None:
    await client.post(
        "/api/collections",
        json={
            "name": "docs",
            "fields": [
                {
                    "name": "files",
                    "type": "attachment",
                    "options": {"max_files": 2, "accept": ["image/", "text/plain"]},
                },
            ],
        },
    )
    up = await client.post("/api/attachments", files={"file": ("合同.txt", b"hello world", "text/plain")})
    assert up.status_code == 201, up.text
    meta = up.json()["data"]
    assert meta["size"] == 11
    assert meta["filename"] == "合同.txt"

    rec = await client.post("/api/data/docs", json={"files": [meta["id"]]})
    assert rec.status_code == 201, rec.text
    files = rec.json()["data"]["files"]
    assert files == [
        {
            "id": meta["id"],
            "filename": "合同.txt",
            "size": 11,
            "mime_type": "text/plain",
            "url": f"/api/attachments/{meta['id']}",
        }
    ]
    down = await client.get(files[0]["url"])
    assert down.status_code == 200
    assert down.content == b"hello world"

    pdf = await client.post("/api/attachments", files={"file": ("a.pdf", b"%PDF-1.4", "application/pdf")})
    bad = await client.post("/api/data/docs", json={"files": [pdf.json()["data"]["id"]]})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["code"] == "invalid_type"
    missing = await client.post("/api/data/docs", json={"files": [9999]})
    assert missing.json()["errors"][0]["code"] == "invalid_reference"
    many = await client.post("/api/data/docs", json={"files": [1, 2, 3]})
    assert many.json()["errors"][0]["code"] == "too_many"
    assert (await client.get("/api/attachments/9999")).status_code == 404


async def test_upload_limits(client: httpx.AsyncClient, app: App) -> None:
    limit = app.files.max_bytes
    app.files.max_bytes = 1000
    try:
        big = await client.post("/api/attachments", files={"file": ("big.bin", b"x" * 1001, "application/x")})
        assert big.status_code == 413
        assert big.json()["code"] == "payload_too_large"
        empty = await client.post("/api/attachments", files={"file": ("e.txt", b"", "text/plain")})
        assert empty.status_code == 422
    finally:
        app.files.max_bytes = limit
    assert not [p for p in app.files.root.rglob("*") if p.is_file()]

"""The OpenAPI document describes the static routes and every run-time collection."""

from __future__ import annotations

import httpx


async def test_openapi_follows_the_schema(client: httpx.AsyncClient) -> None:
    doc = (await client.get("/api/openapi.json")).json()
    assert "/api/auth/login" in doc["paths"]
    assert "/api/data/tickets" not in doc["paths"]

    resp = await client.post(
        "/api/collections",
        json={
            "name": "tickets",
            "fields": [
                {"name": "title", "type": "string", "required": True, "options": {"max_length": 80}},
                {
                    "name": "status",
                    "type": "select",
                    "options": {"choices": [{"value": "new"}, {"value": "done"}]},
                },
                {"name": "code", "type": "auto_number"},
            ],
        },
    )
    assert resp.status_code == 201
    doc = (await client.get("/api/openapi.json")).json()
    assert {"get", "post"} <= set(doc["paths"]["/api/data/tickets"])
    assert {"get", "patch", "delete"} <= set(doc["paths"]["/api/data/tickets/{id}"])
    record = doc["components"]["schemas"]["tickets_record"]
    assert record["properties"]["title"]["maxLength"] == 80
    assert record["properties"]["status"]["enum"] == ["new", "done"]
    written = doc["components"]["schemas"]["tickets_input"]
    assert written["required"] == ["title"]
    assert "code" not in written["properties"]  # auto numbers are read-only

    await client.delete("/api/collections/tickets")
    doc = (await client.get("/api/openapi.json")).json()
    assert "/api/data/tickets" not in doc["paths"]

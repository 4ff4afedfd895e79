"""Collections and fields through the API, with real DDL on both databases."""

from __future__ import annotations

import httpx
import pytest
import sqlalchemy as sa

from deskbase.app import App


async def _create(client: httpx.AsyncClient, body: dict[str, object]) -> httpx.Response:
    return await client.post("/api/collections", json=body)


async def _columns(app: App, table: str) -> set[str]:
    async with app.db.read() as conn:
        return await conn.run_sync(lambda c: {col["name"] for col in sa.inspect(c).get_columns(table)})


async def _indexes(app: App, table: str) -> dict[str, bool]:
    async with app.db.read() as conn:
        return await conn.run_sync(
            lambda c: {i["name"]: bool(i["unique"]) for i in sa.inspect(c).get_indexes(table)}
        )


async def test_create_get_change_drop_collection(client: httpx.AsyncClient, app: App) -> None:
    resp = await _create(
        client,
        {
            "name": "cases",
            "title": "Cases",
            "fields": [{"name": "title", "type": "string", "required": True}],
        },
    )
    assert resp.status_code == 201, resp.text
    data = resp.json()["data"]
    assert [f["name"] for f in data["fields"]] == [
        "id",
        "title",
        "created_at",
        "updated_at",
        "created_by",
        "updated_by",
    ]
    assert {"id", "title", "created_at"} <= await _columns(app, "cases")

    resp = await client.patch("/api/collections/cases", json={"title": "Legal cases", "description": "All"})
    assert resp.json()["data"]["title"] == "Legal cases"
    listing = await client.get("/api/collections")
    assert [c["name"] for c in listing.json()["data"]] == ["cases"]

    assert (await client.delete("/api/collections/cases")).status_code == 204
    assert (await client.get("/api/collections/cases")).json()["code"] == "collection_not_found"
    async with app.db.read() as conn:
        assert not await conn.run_sync(lambda c: sa.inspect(c).has_table("cases"))


@pytest.mark.parametrize(
    "name",
    ["Cases", "1cases", "select", "order", "ds_users", "my__table", "a" * 31, "with space", "", "id"],
)
async def test_bad_collection_names_are_refused(client: httpx.AsyncClient, name: str) -> None:
    resp = await _create(client, {"name": name})
    assert resp.status_code == 400, resp.text
    body = resp.json()
    assert body["code"] == "invalid_name"
    assert body["errors"][0]["field"] == "name"


async def test_bad_field_definitions_name_the_field(client: httpx.AsyncClient) -> None:
    cases = [
        ({"name": "group", "type": "string"}, 400, "fields.0.name"),
        ({"name": "created_at", "type": "string"}, 422, "fields.0.name"),
        ({"name": "x", "type": "nonsense"}, 422, "fields.0.type"),
        ({"name": "x", "type": "select", "options": {"choices": []}}, 422, "fields.0.options.choices"),
        ({"name": "x", "type": "string", "options": {"max_length": -1}}, 422, "fields.0.options.max_length"),
        ({"name": "x", "type": "many_to_one", "options": {"target": "missing"}}, 422, "things.x"),
        ({"name": "x", "type": "integer", "default": "abc"}, 422, "fields.0.default"),
        ({"name": "x", "type": "json", "unique": True}, 422, "fields.0.unique"),
        ({"name": "x", "type": "formula", "options": {"expression": "nope * 2"}}, 422, "things.x"),
    ]
    for field, status, path in cases:
        resp = await _create(client, {"name": "things", "fields": [field]})
        assert resp.status_code == status, (field, resp.text)
        assert resp.json()["errors"][0]["field"] == path, (field, resp.text)
    assert (await client.get("/api/collections")).json()["data"] == []


async def test_duplicate_collection_and_field(client: httpx.AsyncClient) -> None:
    body = {"name": "things", "fields": [{"name": "a", "type": "string"}, {"name": "a", "type": "text"}]}
    assert (await _create(client, body)).status_code == 422
    assert (await _create(client, {"name": "things"})).status_code == 201
    resp = await _create(client, {"name": "things"})
    assert resp.status_code == 409
    assert resp.json()["code"] == "already_exists"


async def test_add_change_drop_fields_with_ddl(client: httpx.AsyncClient, app: App) -> None:
    await _create(client, {"name": "assets", "fields": [{"name": "tag", "type": "string"}]})
    await client.post("/api/data/assets", json=[{"tag": "A-1"}, {"tag": "A-2"}, {"tag": "A-2"}])

    resp = await client.post(
        "/api/collections/assets/fields", json={"name": "price", "type": "decimal", "indexed": True}
    )
    assert resp.status_code == 201, resp.text
    assert "price" in await _columns(app, "assets")
    assert "ix_assets_price" in await _indexes(app, "assets")

    # Existing duplicates make a unique index impossible: a clean conflict, nothing changed.
    resp = await client.patch("/api/collections/assets/fields/tag", json={"unique": True})
    assert resp.status_code == 409, resp.text
    field = (await client.get("/api/collections/assets/fields/tag")).json()["data"]
    assert field["unique"] is False
    await client.delete("/api/data/assets?filter=" + '{"id": 3}')
    resp = await client.patch(
        "/api/collections/assets/fields/tag", json={"unique": True, "title": "Asset tag"}
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["title"] == "Asset tag"
    assert (await _indexes(app, "assets"))["uq_assets_tag"] is True

    resp = await client.patch("/api/collections/assets/fields/tag", json={"options": {"max_length": 20}})
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["options"]["max_length"] == 20

    assert (await client.delete("/api/collections/assets/fields/price")).status_code == 204
    assert "price" not in await _columns(app, "assets")
    assert (await client.delete("/api/collections/assets/fields/tag")).status_code == 204
    assert "tag" not in await _columns(app, "assets")
    records = (await client.get("/api/data/assets")).json()["data"]
    assert [r["id"] for r in records] == [1, 2]

    assert (await client.delete("/api/collections/assets/fields/id")).status_code == 422
    assert (await client.delete("/api/collections/assets/fields/nope")).json()["code"] == "field_not_found"


async def test_formula_is_backfilled_and_protects_its_inputs(client: httpx.AsyncClient) -> None:
    await _create(
        client,
        {
            "name": "lines",
            "fields": [{"name": "price", "type": "decimal"}, {"name": "qty", "type": "integer"}],
        },
    )
    await client.post("/api/data/lines", json=[{"price": "2.50", "qty": 4}, {"price": "1", "qty": None}])
    resp = await client.post(
        "/api/collections/lines/fields",
        json={"name": "total", "type": "formula", "options": {"expression": "price * qty"}},
    )
    assert resp.status_code == 201, resp.text
    rows = (await client.get("/api/data/lines")).json()["data"]
    assert [r["total"] for r in rows] == [10, None]
    resp = await client.delete("/api/collections/lines/fields/qty")
    assert resp.status_code == 409
    assert "total" in resp.json()["detail"]


async def test_auto_number_is_backfilled(client: httpx.AsyncClient) -> None:
    await _create(client, {"name": "orders", "fields": [{"name": "note", "type": "string"}]})
    await client.post("/api/data/orders", json=[{"note": "a"}, {"note": "b"}])
    resp = await client.post(
        "/api/collections/orders/fields",
        json={"name": "number", "type": "auto_number", "options": {"pattern": "ORD-{seq:4}"}},
    )
    assert resp.status_code == 201, resp.text
    await client.post("/api/data/orders", json={"note": "c"})
    rows = (await client.get("/api/data/orders")).json()["data"]
    assert [r["number"] for r in rows] == ["ORD-0001", "ORD-0002", "ORD-0003"]


async def test_collections_in_use_cannot_be_dropped(client: httpx.AsyncClient) -> None:
    await _create(client, {"name": "customers", "fields": [{"name": "name", "type": "string"}]})
    await _create(
        client,
        {
            "name": "tickets",
            "fields": [
                {"name": "customer", "type": "many_to_one", "options": {"target": "customers"}},
                {
                    "name": "kind",
                    "type": "select",
                    "options": {"choices": [{"value": "repair"}, {"value": "it"}]},
                },
            ],
        },
    )
    resp = await client.delete("/api/collections/customers")
    assert resp.status_code == 409
    assert resp.json()["used_by"] == ["tickets.customer"]
    resp = await _create(
        client,
        {
            "name": "ticket_repair",
            "extends": {"master": "tickets", "discriminator": "kind", "value": "repair"},
        },
    )
    assert resp.status_code == 201, resp.text
    assert (await client.delete("/api/collections/tickets")).status_code == 409
    # The discriminator of an extension cannot be dropped while the extension exists.
    assert (await client.delete("/api/collections/tickets/fields/kind")).status_code == 409
    assert (await client.delete("/api/collections/ticket_repair")).status_code == 204
    assert (await client.delete("/api/collections/tickets")).status_code == 204
    assert (await client.delete("/api/collections/customers")).status_code == 204


async def test_extension_definitions_are_checked(client: httpx.AsyncClient) -> None:
    await _create(
        client,
        {
            "name": "tickets",
            "fields": [
                {
                    "name": "kind",
                    "type": "select",
                    "options": {"choices": [{"value": "repair"}, {"value": "it"}]},
                },
                {"name": "size", "type": "integer"},
            ],
        },
    )
    bad = [
        ({"master": "nope", "discriminator": "kind", "value": "repair"}, "ext.extends.master"),
        ({"master": "tickets", "discriminator": "size", "value": "repair"}, "ext.extends.discriminator"),
        ({"master": "tickets", "discriminator": "kind", "value": "other"}, "ext.extends.value"),
    ]
    for extends, path in bad:
        resp = await _create(client, {"name": "ext", "extends": extends})
        assert resp.status_code == 422, resp.text
        assert resp.json()["errors"][0]["field"] == path
    ok = {"master": "tickets", "discriminator": "kind", "value": "repair"}
    assert (await _create(client, {"name": "ext", "extends": ok})).status_code == 201
    resp = await _create(client, {"name": "ext_two", "extends": ok})
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["code"] == "duplicate"

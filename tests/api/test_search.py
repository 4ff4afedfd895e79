"""`q=` full-text search on lists: Chinese and English, several words, with filter, sort and
count, and kept in step with every write path and schema change, on both databases."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from deskbase.app import App
from deskbase.schema.search import deferred_search_inserts
from tests.factories import (
    assert_problem,
    choices,
    list_ids,
    list_page,
    make_collection,
    make_record,
    make_records,
)

FIELDS: list[dict[str, Any]] = [
    {"name": "title", "type": "string"},
    {"name": "body", "type": "text"},
    {"name": "contact", "type": "email"},
    {"name": "status", "type": "select", "options": choices("open", "closed")},
    {"name": "priority", "type": "integer"},
]

ROWS: list[dict[str, Any]] = [
    {"title": "打印机无法连接网络", "body": "三楼办公室", "status": "open", "priority": 1},
    {"title": "Printer jams on page two", "body": "HP LaserJet in room 3", "status": "open", "priority": 2},
    {"title": "网络打印机卡纸", "body": "请尽快处理", "status": "closed", "priority": 3},
    {"title": "Laptop fan noise", "body": "next to the PRINTER", "status": "closed", "priority": 4},
    {"title": "显示器闪烁", "body": "Monitor flickers", "contact": "zhang@example.com", "status": "open"},
    {"title": "100% CPU on server_1", "body": 'quote "here"', "status": "open", "priority": 5},
]


async def _cases(client: httpx.AsyncClient) -> list[int]:
    await make_collection(client, "cases", FIELDS)
    return [r["id"] for r in await make_records(client, "cases", ROWS)]


async def _found(client: httpx.AsyncClient, q: str, **params: Any) -> list[int]:
    return await list_ids(client, "cases", q=q, **params)


async def test_chinese_and_english_words(client: httpx.AsyncClient) -> None:
    ids = await _cases(client)
    assert await _found(client, "打印机") == [ids[0], ids[2]]  # 3 characters: the trigram index
    assert await _found(client, "网络") == [ids[0], ids[2]]  # 2 characters: the LIKE fallback
    assert await _found(client, "办公") == [ids[0]]  # in the body
    assert await _found(client, "printer") == [ids[1], ids[3]]  # case ignored, title or body
    assert await _found(client, "PrInTeR") == [ids[1], ids[3]]
    assert await _found(client, "zhang@example") == [ids[4]]  # an email field is searched too
    assert await _found(client, "flicker") == [ids[4]]
    assert await _found(client, "nowhere") == []
    assert await _found(client, "  ") == [*ids]  # a blank search is no search


async def test_every_word_must_appear_somewhere(client: httpx.AsyncClient) -> None:
    ids = await _cases(client)
    assert await _found(client, "printer room") == [ids[1]]  # title + body
    assert await _found(client, "打印机 网络") == [ids[0], ids[2]]  # 3 + 2 characters
    assert await _found(client, "打印机 卡纸") == [ids[2]]
    assert await _found(client, "打印机 办公室") == [ids[0]]
    assert await _found(client, "printer 打印机") == []
    assert await _found(client, "lap fan") == [ids[3]]  # short words on both columns
    assert await _found(client, "fan fan  FAN") == [ids[3]]


async def test_special_characters_are_plain_text(client: httpx.AsyncClient) -> None:
    ids = await _cases(client)
    assert await _found(client, "100%") == [ids[5]]
    assert await _found(client, "%") == [ids[5]]  # not "anything"
    assert await _found(client, "_") == [ids[5]]
    assert await _found(client, "r_1") == [ids[5]]
    assert await _found(client, '"here"') == [ids[5]]
    assert await _found(client, 'e"') == [ids[5]]
    assert await _found(client, "OR NOT") == []  # not FTS5 syntax either
    assert await _found(client, "a*") == []


async def test_search_with_filter_sort_paging_and_count(client: httpx.AsyncClient) -> None:
    ids = await _cases(client)
    assert await _found(client, "打印机", filter={"status": "closed"}) == [ids[2]]
    assert await _found(client, "printer", sort="-priority") == [ids[3], ids[1]]
    body = await list_page(client, "cases", q="打印机", count=True, page_size=1)
    assert [r["id"] for r in body["data"]] == [ids[0]]
    assert body["meta"]["total"] == 2
    assert body["meta"]["has_more"] is True
    second = await list_page(client, "cases", q="打印机", page_size=1, cursor=body["meta"]["next_cursor"])
    assert [r["id"] for r in second["data"]] == [ids[2]]
    body = await list_page(client, "cases", q="网络", count=True, filter={"priority": {"$gte": 2}})
    assert body["meta"]["total"] == 1
    both = await list_page(client, "cases", q="o", count=True, filter={"status": "open"}, page_size=2)
    assert both["meta"]["total"] == 3  # "Printer…", "Monitor…", "…server…"


async def test_bad_searches_are_422(client: httpx.AsyncClient) -> None:
    await _cases(client)
    resp = await client.get("/api/data/cases", params={"q": " ".join(f"w{i}" for i in range(11))})
    assert assert_problem(resp, 422, "validation_failed")["errors"][0]["field"] == "q"
    resp = await client.get("/api/data/cases", params={"q": "x" * 201})
    assert assert_problem(resp, 422, "validation_failed")["errors"][0]["field"] == "q"


async def test_search_follows_every_write(client: httpx.AsyncClient) -> None:
    ids = await _cases(client)
    new = await make_record(client, "cases", {"title": "扫描仪故障", "status": "open"})
    assert await _found(client, "扫描仪") == [new["id"]]

    resp = await client.patch(f"/api/data/cases/{new['id']}", json={"title": "复印机故障"})
    assert resp.status_code == 200, resp.text
    assert await _found(client, "扫描仪") == []
    assert await _found(client, "复印机") == [new["id"]]
    # An update that sets no searchable field leaves the index alone.
    resp = await client.patch(f"/api/data/cases/{new['id']}", json={"status": "closed"})
    assert resp.status_code == 200, resp.text
    assert await _found(client, "复印机") == [new["id"]]

    flt = '{"status": "closed"}'
    resp = await client.patch("/api/data/cases", params={"filter": flt}, json={"body": "batch moved"})
    assert resp.json()["data"]["updated"] == 3, resp.text
    assert await _found(client, "batch moved") == [ids[2], ids[3], new["id"]]
    assert await _found(client, "卡纸") == [ids[2]]  # the title still counts

    assert (await client.delete(f"/api/data/cases/{new['id']}")).status_code == 204
    assert await _found(client, "复印机") == []
    resp = await client.delete("/api/data/cases", params={"filter": '{"priority": 2}'})
    assert resp.json()["data"]["deleted"] == 1
    assert await _found(client, "printer") == []  # ids[1] is gone, ids[3]'s body was replaced
    assert await _found(client, "laptop") == [ids[3]]


async def test_bulk_inserts_can_defer_their_indexing(client: httpx.AsyncClient, app: App) -> None:
    ids = await _cases(client)
    coll = app.catalog.get("cases")
    async with app.db.write() as conn, deferred_search_inserts(conn, coll):
        await conn.execute(coll.table.insert(), [{"title": f"批量导入 {i}"} for i in range(50)])
        await conn.execute(coll.table.update().where(coll.table.c.id == ids[0]).values(title="已改"))
    assert len(await _found(client, "批量导入")) == 50
    assert await _found(client, "已改") == [ids[0]]
    assert await _found(client, "无法连接") == []
    made = await make_record(client, "cases", {"title": "之后的记录"})  # the trigger is back
    assert await _found(client, "之后的记录") == [made["id"]]


async def test_schema_changes_keep_search_in_step(client: httpx.AsyncClient, app: App) -> None:
    ids = await _cases(client)
    # A new auto-number field is filled for existing records, and they are found by it.
    resp = await client.post(
        "/api/collections/cases/fields",
        json={"name": "code", "type": "auto_number", "options": {"pattern": "CASE-{seq:4}"}},
    )
    assert resp.status_code == 201, resp.text
    assert await _found(client, "case-0003") == [ids[2]]
    assert await _found(client, "打印机") == [ids[0], ids[2]]  # older fields still searched
    resp = await client.post("/api/collections/cases/fields", json={"name": "notes", "type": "string"})
    assert resp.status_code == 201, resp.text
    await client.patch(f"/api/data/cases/{ids[4]}", json={"notes": "客户回电"})
    assert await _found(client, "客户回电") == [ids[4]]
    # A non-searchable field changes nothing; a dropped one is no longer searched.
    resp = await client.post("/api/collections/cases/fields", json={"name": "cost", "type": "integer"})
    assert resp.status_code == 201, resp.text
    assert (await client.delete("/api/collections/cases/fields/notes")).status_code == 204
    assert await _found(client, "客户回电") == []
    assert await _found(client, "case-0005 flicker") == [ids[4]]
    assert (await client.delete("/api/collections/cases/fields/body")).status_code == 204
    assert await _found(client, "办公") == []
    assert await _found(client, "printer") == [ids[1]]
    assert await _search_structures(app, "cases") == (
        {"cases__fts"} if app.db.is_sqlite else {"trgm_cases_title", "trgm_cases_contact", "trgm_cases_code"}
    )
    # Dropping the collection drops its search structures; the name can be used again.
    assert (await client.delete("/api/collections/cases")).status_code == 204
    assert await _search_structures(app, "cases") == set()
    await _cases(client)
    assert len(await _found(client, "打印机")) == 2


async def _search_structures(app: App, table: str) -> set[str]:
    async with app.db.read() as conn:
        if app.db.is_sqlite:
            master = sa.table("sqlite_master", sa.column("name"))
            rows = await conn.execute(sa.select(master.c.name).where(master.c.name.like(f"{table}__fts%")))
            return {r[0] for r in rows if r[0] == f"{table}__fts"}

        def trigram(c: sa.Connection) -> set[str]:
            if not sa.inspect(c).has_table(table):
                return set()
            return {str(i["name"]) for i in sa.inspect(c).get_indexes(table) if "trgm" in str(i["name"])}

        return await conn.run_sync(trigram)


async def test_extension_fields_are_searched_through_the_extension(client: httpx.AsyncClient) -> None:
    await make_collection(
        client,
        "tickets",
        [
            {"name": "title", "type": "string"},
            {"name": "kind", "type": "select", "options": choices("repair")},
        ],
    )
    await make_collection(
        client,
        "ticket_repair",
        [{"name": "serial_no", "type": "string"}],
        extends={"master": "tickets", "discriminator": "kind", "value": "repair"},
    )
    made = await make_record(
        client, "tickets", {"title": "风扇异响", "kind": "repair", "ticket_repair": {"serial_no": "SN-77"}}
    )
    assert await list_ids(client, "tickets", q="风扇") == [made["id"]]
    assert await list_ids(client, "tickets", q="SN-77") == []  # the master's own fields only
    assert await list_ids(client, "ticket_repair", q="sn-77") == [made["id"]]


async def test_a_collection_without_text_fields_finds_nothing(client: httpx.AsyncClient) -> None:
    await make_collection(client, "counts", [{"name": "n", "type": "integer"}])
    await make_records(client, "counts", [{"n": 1}, {"n": 2}])
    assert await list_ids(client, "counts", q="1") == []
    assert len(await list_ids(client, "counts")) == 2


@pytest.mark.parametrize("name", ["fts", "fts_data"])
async def test_junction_names_of_search_tables_are_reserved(client: httpx.AsyncClient, name: str) -> None:
    await make_collection(client, "tags", [{"name": "label", "type": "string"}])
    await make_collection(client, "notes", [{"name": "text", "type": "string"}])
    resp = await client.post(
        "/api/collections/notes/fields",
        json={"name": name, "type": "many_to_many", "options": {"target": "tags"}},
    )
    assert assert_problem(resp, 422)["errors"][0]["field"] == f"notes.{name}"


async def test_search_alone_pages_in_id_order_from_the_index(client: httpx.AsyncClient, app: App) -> None:
    """`q=` alone, ordered by id: pages by number and by cursor, both ways, hold the same rows
    as one big page; on SQLite each page asks the FTS5 table for its first matches only."""
    await make_collection(client, "cases", FIELDS)
    rows = [{"title": f"打印机 {i}" if i % 3 else f"printer {i}", "priority": i} for i in range(40)]
    await make_records(client, "cases", rows)
    statements: list[str] = []

    def hook(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "MATCH" in statement:
            statements.append(statement)

    sa.event.listen(app.db.engine.sync_engine, "before_cursor_execute", hook)
    try:
        for sort in ("id", "-id"):
            for q in ("打印机", "printer", "打印机 1"):
                everything = await list_ids(client, "cases", q=q, sort=sort)
                assert everything == sorted(everything, reverse=sort == "-id")
                assert everything
                by_page = []
                for page in range(1, 10):
                    body = await list_page(
                        client, "cases", q=q, sort=sort, page=page, page_size=4, count=True
                    )
                    assert body["meta"]["total"] == len(everything)  # the count is not cut short
                    by_page += [r["id"] for r in body["data"]]
                assert by_page == everything, (sort, q)
                by_cursor: list[int] = []
                cursor = None
                while True:
                    extra = {"cursor": cursor} if cursor else {}
                    body = await list_page(client, "cases", q=q, sort=sort, page_size=3, **extra)
                    by_cursor += [r["id"] for r in body["data"]]
                    if not (cursor := body["meta"]["next_cursor"]):
                        break
                assert by_cursor == everything, (sort, q)
        # With a filter as well, the plain condition is used and gives the same rows.
        filtered = await list_ids(client, "cases", q="打印机", filter={"priority": {"$gte": 0}})
        assert filtered == await list_ids(client, "cases", q="打印机")
        statements.clear()
        body = await list_page(client, "cases", q="printer", sort="-id", page_size=2)
        assert [r["priority"] for r in body["data"]] == [39, 36]
    finally:
        sa.event.remove(app.db.engine.sync_engine, "before_cursor_execute", hook)
    if app.db.is_sqlite:  # the page's matches only: LIMIT inside the FTS subquery
        (statement,) = statements
        assert "LIMIT" in statement.split("MATCH", 1)[1].split(")")[0], statement

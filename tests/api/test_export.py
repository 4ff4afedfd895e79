"""Export through HTTP: CSV and XLSX content, projection, filter and sort, value rendering,
chunked streaming, and bad input as problem+json."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, time
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from deskbase.app import App
from deskbase.data import export_cells
from deskbase.data.export import ExportQuery
from deskbase.kernel.context import Actor, RequestContext
from tests.factories import assert_problem, choices, list_all, list_ids, make_collection, make_records

BOM = b"\xef\xbb\xbf"
CTX = RequestContext(actor=Actor.system(), source="test")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _export(client: httpx.AsyncClient, name: str, **params: Any) -> httpx.Response:
    """GET the export (a dict `filter` is sent as JSON); asserts 200."""
    query = {k: json.dumps(v) if isinstance(v, dict) else v for k, v in params.items() if v is not None}
    resp = await client.get(f"/api/data/{name}/export", params=query)
    assert resp.status_code == 200, resp.text
    return resp


async def csv_rows(client: httpx.AsyncClient, name: str, **params: Any) -> list[list[str]]:
    resp = await _export(client, name, format="csv", **params)
    assert resp.content.startswith(BOM)
    return list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"), newline="")))


async def xlsx_rows(client: httpx.AsyncClient, name: str, **params: Any) -> list[list[Any]]:
    resp = await _export(client, name, format="xlsx", **params)
    assert resp.headers["content-type"] == XLSX
    book = load_workbook(io.BytesIO(resp.content), read_only=True)
    rows = [list(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    book.close()
    width = len(rows[0])  # trailing empty cells are not stored: pad to the header
    return [row + [None] * (width - len(row)) for row in rows]


# -- CSV: filter, sort, projection ---------------------------------------------------------


async def _cases(client: httpx.AsyncClient) -> None:
    await make_collection(
        client,
        "cases",
        [
            {"name": "title", "type": "string", "title": "案件名称"},
            {"name": "priority", "type": "integer", "title": "Priority"},
            {"name": "status", "type": "select", "options": choices("open", "closed")},
        ],
        title="Cases",
    )
    await make_records(
        client,
        "cases",
        [
            {"title": "合同纠纷 A", "priority": 2, "status": "open"},
            {"title": '劳动争议, "quoted"', "priority": 5, "status": "open"},
            {"title": "closed one", "priority": 9, "status": "closed"},
            {"title": "多行\n文本", "priority": None, "status": "open"},
        ],
    )


async def test_csv_with_filter_sort_and_fields(client: httpx.AsyncClient) -> None:
    await _cases(client)
    resp = await _export(
        client, "cases", filter={"status": "open"}, sort="-priority", fields="priority,title"
    )
    assert resp.headers["content-type"] == "text/csv; charset=utf-8"
    assert resp.headers["content-disposition"] == (
        "attachment; filename=\"cases.csv\"; filename*=UTF-8''cases.csv"
    )
    assert resp.content.startswith(BOM)
    rows = list(csv.reader(io.StringIO(resp.content.decode("utf-8"), newline="")))
    assert rows == [
        ["\ufeffPriority", "案件名称"],
        ["5", '劳动争议, "quoted"'],
        ["2", "合同纠纷 A"],
        ["", "多行\n文本"],
    ]
    # The database wrote these lines: quoting is exactly the csv module's.
    text = resp.content.decode("utf-8-sig")
    again = io.StringIO()
    csv.writer(again).writerows(csv.reader(io.StringIO(text, newline="")))
    assert again.getvalue() == text
    by_name = await csv_rows(client, "cases", sort="title", fields="title,status", header="name")
    assert by_name[0] == ["title", "status"]
    assert [r[0] for r in by_name[1:]] == sorted(r[0] for r in by_name[1:])


async def test_default_columns_and_empty_result(client: httpx.AsyncClient) -> None:
    await _cases(client)
    rows = await csv_rows(client, "cases", filter={"priority": {"$gt": 100}})
    assert rows == [
        ["ID", "案件名称", "Priority", "status", "Created at", "Updated at", "Created by", "Updated by"]
    ]
    rows = await xlsx_rows(client, "cases", filter={"priority": {"$gt": 100}}, header="name")
    assert rows == [
        ["id", "title", "priority", "status", "created_at", "updated_at", "created_by", "updated_by"]
    ]


# -- every kind of value -------------------------------------------------------------------


async def _rich(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    await make_collection(client, "customers", [{"name": "name", "type": "string"}])
    await make_collection(client, "tags", [{"name": "name", "type": "string"}])
    await make_records(client, "customers", [{"name": "Acme"}, {"name": "Globex"}])
    await make_records(client, "tags", [{"name": "a"}, {"name": "b"}, {"name": "c"}])
    await make_collection(
        client,
        "tickets",
        [
            {"name": "title", "type": "string", "title": "Title"},
            {"name": "kind", "type": "select", "title": "Kind", "options": choices("repair", "other")},
            {
                "name": "amount",
                "type": "decimal",
                "title": "Amount",
                "options": {"precision": 18, "scale": 2},
            },
            {"name": "ratio", "type": "percent", "title": "Ratio"},
            {"name": "due", "type": "date", "title": "Due"},
            {"name": "seen", "type": "datetime", "title": "Seen"},
            {"name": "at", "type": "time", "title": "At"},
            {"name": "done", "type": "boolean", "title": "Done"},
            {"name": "labels", "type": "multi_select", "title": "Labels", "options": choices("x", "y", "z")},
            {"name": "extra", "type": "json", "title": "Extra"},
            {
                "name": "customer",
                "type": "many_to_one",
                "title": "Customer",
                "options": {"target": "customers"},
            },
            {"name": "tags", "type": "many_to_many", "title": "Tags", "options": {"target": "tags"}},
            {"name": "files", "type": "attachment", "title": "Files"},
            {"name": "total", "type": "formula", "title": "Total", "options": {"expression": "amount * 2"}},
        ],
    )
    await make_collection(
        client,
        "ticket_repair",
        [
            {"name": "serial_no", "type": "string", "title": "Serial no"},
            {"name": "cost", "type": "currency", "title": "Cost"},
        ],
        title="Repair",
        extends={"master": "tickets", "discriminator": "kind", "value": "repair"},
    )
    up = []
    for filename in ("合同.pdf", "photo.jpg"):
        resp = await client.post("/api/attachments", files={"file": (filename, b"data", "text/plain")})
        assert resp.status_code == 201, resp.text
        up.append(resp.json()["data"]["id"])
    return await make_records(
        client,
        "tickets",
        [
            {
                "title": "=1+1",
                "kind": "repair",
                "amount": "1234567890123456.78",
                "ratio": "0.125",
                "due": "2026-03-01",
                "seen": "2026-03-01T08:30:00+08:00",
                "at": "09:15",
                "done": True,
                "labels": ["z", "x"],
                "extra": {"k": [1, "二"]},
                "customer": 2,
                "tags": [3, 1],
                "files": up,
                "ticket_repair": {"serial_no": "SN-1", "cost": "99.50"},
            },
            {"title": "空的", "kind": "other", "amount": "12.50", "done": False},
        ],
    )


async def test_csv_renders_every_kind_of_value(client: httpx.AsyncClient) -> None:
    await _rich(client)
    rows = await csv_rows(client, "tickets", fields="id,title,amount,ratio,due,seen,at,done,labels,extra,"
                          "customer,tags,files,total,ticket_repair")  # fmt: skip
    assert rows[0] == [
        "ID", "Title", "Amount", "Ratio", "Due", "Seen", "At", "Done", "Labels", "Extra",
        "Customer", "Tags", "Files", "Total", "Repair: Serial no", "Repair: Cost",
    ]  # fmt: skip
    assert rows[1] == [
        "1", "=1+1", "1234567890123456.78", "0.1250", "2026-03-01", "2026-03-01T00:30:00+00:00",
        "09:15:00", "true", "x, z", '{"k":[1,"二"]}', "2", "1, 3", "合同.pdf, photo.jpg",
        "2469135780246913.5", "SN-1", "99.50",
    ]  # fmt: skip
    assert rows[2] == ["2", "空的", "12.50", "", "", "", "", "false", "", "", "", "", "", "25.0", "", ""]
    by_name = await csv_rows(client, "tickets", fields="title,ticket_repair.cost", header="name")
    assert by_name == [["title", "ticket_repair.cost"], ["=1+1", "99.50"], ["空的", ""]]


async def test_csv_text_matches_the_api(client: httpx.AsyncClient) -> None:
    """Values the database renders for CSV read exactly as the records API writes them."""
    await make_collection(
        client,
        "money",
        [
            {"name": "amount", "type": "decimal", "options": {"precision": 12, "scale": 3}},
            {"name": "whole", "type": "decimal", "options": {"precision": 10, "scale": 0}},
            {"name": "at", "type": "datetime"},
            {"name": "flag", "type": "boolean"},
        ],
    )
    values = ["-0.05", "0", "-123456789.125", "0.001", "999999999.999", None]
    instants = ["2026-01-02T03:04:05.123456Z", "2026-01-02T03:04:05Z", None]
    rows = [
        {"amount": v, "whole": str(-i * 7), "at": instants[i % 3], "flag": [True, False, None][i % 3]}
        for i, v in enumerate(values)
    ]
    await make_records(client, "money", rows)
    api = await list_all(client, "money")
    fields = ["amount", "whole", "at", "flag", "created_at"]
    exported = await csv_rows(client, "money", fields=",".join(fields), header="name")
    expected = [
        ["" if r[f] is None else str(r[f]).lower() if f == "flag" else str(r[f]) for f in fields] for r in api
    ]
    assert exported[1:] == expected
    assert exported[1][:2] == ["-0.050", "0"]


async def test_xlsx_holds_typed_values(client: httpx.AsyncClient) -> None:
    await _rich(client)
    rows = await xlsx_rows(client, "tickets", fields="title,amount,ratio,due,seen,at,done,labels,"
                           "extra,customer,tags,files,ticket_repair")  # fmt: skip
    assert rows[0] == [
        "Title", "Amount", "Ratio", "Due", "Seen", "At", "Done", "Labels", "Extra",
        "Customer", "Tags", "Files", "Repair: Serial no", "Repair: Cost",
    ]  # fmt: skip
    first = rows[1]
    assert first[0] == "=1+1"  # a string, never a formula
    assert first[1] == "1234567890123456.78"  # 18 digits: text, to stay exact
    assert first[2] == 0.125
    assert first[3] == datetime(2026, 3, 1)  # openpyxl reads date cells back as datetimes
    assert first[4] == datetime(2026, 3, 1, 0, 30)  # UTC, without a time zone
    assert first[5] == time(9, 15)
    assert first[6:] == [True, "x, z", '{"k":[1,"二"]}', 2, "1, 3", "合同.pdf, photo.jpg", "SN-1", 99.5]
    assert rows[2] == ["空的", 12.5, None, None, None, None, False, None, None, None, None, None, None, None]
    assert isinstance(rows[2][1], float)
    assert date(2026, 3, 1) == first[3].date()


# -- chunks --------------------------------------------------------------------------------


@pytest.mark.parametrize("sort", [None, "-priority,title", "status,-priority"])
async def test_many_chunks_complete_in_order(client: httpx.AsyncClient, app: App, sort: str | None) -> None:
    await make_collection(client, "tags", [{"name": "name", "type": "string"}])
    await make_records(client, "tags", [{"name": n} for n in "abc"])
    await make_collection(
        client,
        "items",
        [
            {"name": "title", "type": "string"},
            {"name": "priority", "type": "integer"},
            {"name": "status", "type": "select", "options": choices("new", "open", "closed")},
            {"name": "tags", "type": "many_to_many", "options": {"target": "tags"}},
        ],
    )
    rows = [
        {
            "title": f"item {(i * 17) % 53:02d}",
            "priority": None if i % 5 == 0 else i % 4,
            "status": ("new", "open", "closed")[i % 3],
            "tags": [1 + i % 3, 1 + (i + 1) % 3] if i % 2 else [],
        }
        for i in range(53)
    ]
    await make_records(client, "items", rows)
    app.exports.chunk_size = 7
    expected = await list_ids(client, "items", sort=sort)
    got = await csv_rows(client, "items", sort=sort, fields="id,tags", header="name")
    assert [int(r[0]) for r in got[1:]] == expected
    for record_id, tags in ((int(r[0]), r[1]) for r in got[1:]):
        i = record_id - 1
        assert tags == (", ".join(str(t) for t in sorted({1 + i % 3, 1 + (i + 1) % 3})) if i % 2 else "")
    sheet = await xlsx_rows(client, "items", sort=sort, fields="id", header="name")
    assert [r[0] for r in sheet[1:]] == expected
    # Plain columns are read as whole lines rendered by the database: same rows, same order.
    fields = ("id", "title", "priority", "status")
    assert app.exports.prepare(CTX, "items", ExportQuery(fields=fields)).lines
    lines = await csv_rows(client, "items", sort=sort, fields=",".join(fields), header="name")
    records = await list_all(client, "items", sort=sort)
    assert lines[1:] == [["" if r[f] is None else str(r[f]) for f in fields] for r in records]


async def test_xlsx_starts_a_new_sheet_when_one_is_full(
    client: httpx.AsyncClient, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _cases(client)
    monkeypatch.setattr(export_cells, "XLSX_MAX_ROWS", 3)
    app.exports.chunk_size = 3
    resp = await _export(client, "cases", format="xlsx", fields="id", header="name")
    book = load_workbook(io.BytesIO(resp.content), read_only=True)
    sheets = [[row[0] for row in ws.iter_rows(values_only=True)] for ws in book.worksheets]
    book.close()
    assert sheets == [["id", 1, 2], ["id", 3, 4]]


# -- bad input -----------------------------------------------------------------------------


async def test_bad_input_is_a_problem(client: httpx.AsyncClient) -> None:
    await _cases(client)
    url = "/api/data/cases/export"
    body = assert_problem(await client.get(url, params={"format": "pdf"}), 422, "validation_failed")
    assert body["errors"][0]["field"] == "format"
    body = assert_problem(await client.get(url, params={"filter": '{"nope": 1}'}), 422)
    assert body["errors"][0]["field"].startswith("filter")
    assert_problem(await client.get(url, params={"filter": "{not json"}), 422, "validation_failed")
    assert_problem(await client.get(url, params={"filter": '{"priority": {"$gt": "x"}}'}), 422)
    body = assert_problem(await client.get(url, params={"fields": "title,nope"}), 422, "validation_failed")
    assert [e["field"] for e in body["errors"]] == ["fields.nope"]
    assert_problem(await client.get(url, params={"sort": "nope"}), 422)
    assert_problem(await client.get(url, params={"header": "both"}), 422, "validation_failed")
    assert_problem(await client.get("/api/data/missing/export"), 404, "collection_not_found")
    assert_problem(await client.get(url, headers={"Authorization": ""}), 401, "unauthenticated")

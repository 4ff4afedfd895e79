"""Import of CSV and XLSX files through the API, as background jobs, on both databases."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import datetime
from typing import Any

import httpx
import openpyxl
import pytest

from deskbase.app import App
from tests.factories import assert_problem, list_all, make_collection, make_records

STATUS = {"choices": [{"value": "new", "label": "新建"}, {"value": "done", "label": "已完成"}]}
TAGS = {"choices": [{"value": "hw", "label": "硬件"}, {"value": "sw", "label": "软件"}]}


async def _schema(client: httpx.AsyncClient) -> None:
    await make_collection(
        client,
        "customers",
        [{"name": "name", "type": "string", "title": "客户名称", "unique": True, "required": True}],
    )
    await make_records(client, "customers", [{"name": "Acme"}, {"name": "华为技术"}])
    await make_collection(client, "labels", [{"name": "name", "type": "string", "unique": True}])
    await make_records(client, "labels", [{"name": "vip"}, {"name": "紧急"}, {"name": "later"}])
    await make_collection(
        client,
        "tickets",
        [
            {"name": "title", "type": "string", "title": "标题", "required": True},
            {"name": "code", "type": "string", "unique": True},
            {"name": "status", "type": "select", "options": STATUS, "default": "new"},
            {"name": "tags", "type": "multi_select", "options": TAGS},
            {"name": "amount", "type": "decimal", "options": {"precision": 12, "scale": 2}},
            {"name": "share", "type": "percent"},
            {"name": "count", "type": "integer"},
            {"name": "due", "type": "date", "title": "截止日期"},
            {"name": "opened_at", "type": "datetime"},
            {"name": "urgent", "type": "boolean"},
            {"name": "customer", "type": "many_to_one", "options": {"target": "customers"}},
            {"name": "labels", "type": "many_to_many", "options": {"target": "labels"}},
        ],
    )


def _csv(rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    return (
        "\n".join(",".join(f'"{c}"' if "," in c else c for c in row) for row in rows).encode(encoding) + b"\n"
    )


async def _import(
    client: httpx.AsyncClient,
    app: App,
    content: bytes,
    filename: str = "tickets.csv",
    collection: str = "tickets",
    **options: Any,
) -> dict[str, Any]:
    """POST the file, wait for the job, return the finished job."""
    data = {
        k: json.dumps(v) if isinstance(v, dict) else str(v).lower() if isinstance(v, bool) else v
        for k, v in options.items()
    }
    resp = await client.post(f"/api/data/{collection}/import", files={"file": (filename, content)}, data=data)
    assert resp.status_code == 202, resp.text
    job = resp.json()["job"]
    assert job["kind"] == "import"
    assert job["collection"] == collection
    await app.jobs.wait(job["id"])
    got = await client.get(f"/api/jobs/{job['id']}")
    assert got.status_code == 200, got.text
    finished: dict[str, Any] = got.json()["data"]
    return finished


HEADER = [
    "标题",
    "code",
    "Status",
    "tags",
    "amount",
    "share",
    "count",
    "截止日期",
    "opened_at",
    "urgent",
    "客户",
    "备注",
]


async def test_csv_import_converts_each_type(client: httpx.AsyncClient, app: App) -> None:
    await _schema(client)
    rows = [
        HEADER,
        [
            "打印机卡纸",
            "T-1",
            "新建",
            "硬件\uff0c软件",
            "1,234.50",
            "12%",
            "1,200",
            "2026/11/23",
            "2026年11月23日 8:30",
            "是",
            "华为技术",
            "ignored",
        ],
        [
            "Fan noise",
            "T-2",
            "done",
            "sw",
            "¥12",
            "0.5",
            "7",
            "2026-11-24",
            "2026-11-24T08:00:00+08:00",
            "no",
            "Acme",
            "",
        ],
        ["无截止", "T-3", "已完成", "", "", "", "", "2026年1月2日", "2026-01-02 10:00", "✓", "", ""],
    ]
    job = await _import(client, app, _csv(rows), mapping={"客户": "customer.name"})
    assert job["status"] == "succeeded", job
    assert (job["total"], job["done"], job["error_count"], job["errors"]) == (3, 3, 0, [])
    assert job["rate"] > 0
    assert job["started_at"]
    assert job["finished_at"]
    result = job["result"]
    assert (result["created"], result["updated"], result["skipped"]) == (3, 0, 0)
    assert result["ignored"] == [{"column": "备注", "reason": "no field of that name or title"}]
    assert result["mapping"]["客户"] == "customer.name"
    assert result["mapping"]["标题"] == "title"

    customers = {c["name"]: c["id"] for c in await list_all(client, "customers")}
    records = await list_all(client, "tickets")
    got = [
        {
            k: r[k]
            for k in (
                "title",
                "status",
                "tags",
                "amount",
                "share",
                "count",
                "due",
                "opened_at",
                "urgent",
                "customer",
            )
        }
        for r in records
    ]
    assert got == [
        {"title": "打印机卡纸", "status": "new", "tags": ["hw", "sw"], "amount": "1234.50", "share": "0.1200",
         "count": 1200, "due": "2026-11-23", "opened_at": "2026-11-23T08:30:00+00:00", "urgent": True,
         "customer": customers["华为技术"]},
        {"title": "Fan noise", "status": "done", "tags": ["sw"], "amount": "12.00", "share": "0.5000",
         "count": 7, "due": "2026-11-24", "opened_at": "2026-11-24T00:00:00+00:00", "urgent": False,
         "customer": customers["Acme"]},
        {"title": "无截止", "status": "done", "tags": None, "amount": None, "share": None, "count": None,
         "due": "2026-01-02", "opened_at": "2026-01-02T10:00:00+00:00", "urgent": True, "customer": None},
    ]  # fmt: skip
    assert all(r["created_by"] == 1 and r["created_at"] for r in records)


async def test_gb18030_csv_and_a_time_zone(client: httpx.AsyncClient, app: App) -> None:
    await _schema(client)
    rows = [["标题", "opened_at"], ["中文标题", "2026-11-23 08:00"]]
    job = await _import(client, app, _csv(rows, "gb18030"), timezone="Asia/Shanghai")
    assert job["status"] == "succeeded", job
    (record,) = await list_all(client, "tickets")
    assert record["title"] == "中文标题"
    assert record["opened_at"] == "2026-11-23T00:00:00+00:00"
    assert record["status"] == "new"  # the default of an unmapped field


BAD_ROWS = [
    ["标题", "code", "Status", "amount", "截止日期", "客户"],
    ["good one", "G-1", "new", "1", "2026-11-23", "Acme"],
    ["", "B-1", "new", "2", "2026-11-23", "Acme"],  # row 3: title required
    ["bad number", "B-2", "new", "abc", "2026-11-23", ""],  # row 4
    ["bad choice", "B-3", "nope", "3", "2026-13-45", ""],  # row 5: two errors
    ["bad customer", "B-4", "done", "4", "", "Nobody"],  # row 6
    ["twice", "G-1", "new", "5", "", ""],  # row 7: code already on row 2
    ["good two", "G-2", "done", "6", "", "华为技术"],
]
EXPECTED_ERRORS = {
    (3, "标题", "title", "required"),
    (4, "amount", "amount", "invalid_format"),
    (5, "Status", "status", "invalid_choice"),
    (5, "截止日期", "due", "invalid_format"),
    (6, "客户", "customer", "invalid_reference"),
    (7, "code", "code", "unique"),
}


def _errors(job: dict[str, Any]) -> set[tuple[Any, ...]]:
    return {(e["row"], e["column"], e["field"], e["code"]) for e in job["errors"]}


async def test_all_or_nothing_writes_nothing_and_reports_every_bad_row(
    client: httpx.AsyncClient, app: App
) -> None:
    await _schema(client)
    job = await _import(client, app, _csv(BAD_ROWS), mapping={"客户": "customer.name"})
    assert job["status"] == "failed"
    assert _errors(job) == EXPECTED_ERRORS
    assert job["error_count"] == len(EXPECTED_ERRORS)
    assert job["result"]["committed"] is False
    assert "nothing was imported" in job["message"]
    assert all(isinstance(e["message"], str) and e["message"] for e in job["errors"])
    assert await list_all(client, "tickets") == []


async def test_skip_invalid_writes_the_good_rows(client: httpx.AsyncClient, app: App) -> None:
    await _schema(client)
    job = await _import(client, app, _csv(BAD_ROWS), mapping={"客户": "customer.name"}, mode="skip_invalid")
    assert job["status"] == "succeeded"
    assert _errors(job) == EXPECTED_ERRORS
    assert (job["result"]["created"], job["result"]["skipped"]) == (2, 5)
    assert [r["code"] for r in await list_all(client, "tickets")] == ["G-1", "G-2"]


async def test_dry_run_writes_nothing(client: httpx.AsyncClient, app: App) -> None:
    await _schema(client)
    await make_records(client, "tickets", [{"title": "old", "code": "T-1"}])
    rows = [["标题", "code"], ["changed", "T-1"], ["new", "T-9"]]
    job = await _import(client, app, _csv(rows), key="code", dry_run=True)
    assert job["status"] == "succeeded", job
    result = job["result"]
    assert (result["created"], result["updated"], result["dry_run"], result["committed"]) == (
        1,
        1,
        True,
        False,
    )
    assert "would be created" in job["message"]
    assert [(r["title"], r["code"]) for r in await list_all(client, "tickets")] == [("old", "T-1")]


async def test_upsert_updates_and_inserts(client: httpx.AsyncClient, app: App) -> None:
    await _schema(client)
    old = await make_records(
        client,
        "tickets",
        [
            {"title": "one", "code": "T-1", "count": 1, "labels": [1]},
            {"title": "two", "code": "T-2", "count": 2, "urgent": True, "labels": [1, 2]},
        ],
    )
    rows = [
        ["code", "标题", "count", "标签"],
        ["T-2", "two, changed", "20", "紧急; later"],
        ["T-3", "three", "3", "vip"],
        ["T-1", "one!", "", ""],
    ]
    job = await _import(client, app, _csv(rows), key="code", mapping={"标签": "labels.name"})
    assert job["status"] == "succeeded", job
    assert (job["result"]["created"], job["result"]["updated"]) == (1, 2)
    records = {r["code"]: r for r in await list_all(client, "tickets")}
    assert set(records) == {"T-1", "T-2", "T-3"}
    assert records["T-2"]["id"] == old[1]["id"]
    assert records["T-2"]["title"] == "two, changed"
    assert records["T-2"]["count"] == 20
    assert records["T-2"]["urgent"] is True
    assert records["T-1"]["count"] is None  # an empty cell clears the field
    assert records["T-2"]["updated_at"] > old[1]["updated_at"]
    assert records["T-2"]["created_at"] == old[1]["created_at"]
    assert records["T-3"]["status"] == "new"
    labels = {c["name"]: c["id"] for c in await list_all(client, "labels")}
    assert sorted(records["T-2"]["labels"]) == sorted([labels["紧急"], labels["later"]])
    assert records["T-3"]["labels"] == [labels["vip"]]
    assert records["T-1"]["labels"] == []

    again = [["code", "标题"], ["T-3", "a"], ["T-4", "b"], ["T-3", "c"]]
    job = await _import(client, app, _csv(again), key="code")
    assert job["status"] == "failed"
    assert _errors(job) == {(4, "code", "code", "duplicate_key")}


async def test_upsert_by_id(client: httpx.AsyncClient, app: App) -> None:
    await _schema(client)
    (old,) = await make_records(client, "tickets", [{"title": "one", "code": "T-1"}])
    rows = [["ID", "标题"], [str(old["id"]), "renamed"], ["", "new"], ["9999", "missing"]]
    job = await _import(client, app, _csv(rows), key="id", mode="skip_invalid")
    assert _errors(job) == {(4, "ID", "id", "not_found")}
    assert next((r["id"], r["title"]) for r in await list_all(client, "tickets")) == (old["id"], "renamed")
    assert job["result"]["created"] == 1
    assert job["result"]["updated"] == 1


@pytest.mark.parametrize("unique", [True, False], ids=["checked", "streamed"])
async def test_cancelled_import_leaves_nothing_behind(
    client: httpx.AsyncClient, app: App, unique: bool
) -> None:
    await _schema(client)
    reached, proceed = asyncio.Event(), asyncio.Event()

    async def pause() -> None:
        reached.set()
        await proceed.wait()

    app.imports.batch_size = 2
    app.imports.after_batch = pause
    rows = [["标题", "code"]] + [[f"t{i}", f"C-{i}"] for i in range(10)]
    if not unique:  # no unique column: batches are written while the next is prepared
        rows = [row[:1] for row in rows]
    resp = await client.post("/api/data/tickets/import", files={"file": ("t.csv", _csv(rows))})
    assert resp.status_code == 202
    job_id = resp.json()["job"]["id"]
    await asyncio.wait_for(reached.wait(), 30)

    running = (await client.get(f"/api/jobs/{job_id}")).json()["data"]
    assert running["status"] == "running"
    assert (running["done"], running["total"]) == (2, 10)
    assert running["started_at"]
    assert running["finished_at"] is None
    cancel = await client.post(f"/api/jobs/{job_id}/cancel")
    assert cancel.status_code == 202
    assert cancel.json()["data"]["cancel_requested"] is True
    proceed.set()
    await app.jobs.wait(job_id)

    job = (await client.get(f"/api/jobs/{job_id}")).json()["data"]
    assert job["status"] == "cancelled"
    assert job["finished_at"]
    assert await list_all(client, "tickets") == []
    again = await client.post(f"/api/jobs/{job_id}/cancel")  # a finished job stays as it is
    assert again.json()["data"]["status"] == "cancelled"


async def test_xlsx_import(client: httpx.AsyncClient, app: App) -> None:
    await _schema(client)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["标题", "amount", "count", "截止日期", "opened_at", "urgent", "客户名称", "share"])
    sheet.append(
        ["表格导入", 12.5, 3, datetime(2026, 11, 23), datetime(2026, 11, 23, 8, 30), True, "Acme", 0.25]
    )
    sheet.append(["serial date", "7", 4.0, 46349, 46349.5, "否", "华为技术", "25%"])
    sheet.append([None, None, None, None, None, None, None, None])  # an empty row is skipped
    buffer = io.BytesIO()
    book.save(buffer)
    job = await _import(client, app, buffer.getvalue(), "tickets.xlsx", mapping={"客户名称": "customer.name"})
    assert job["status"] == "succeeded", job
    records = await list_all(client, "tickets")
    customers = {c["name"]: c["id"] for c in await list_all(client, "customers")}
    keys = ("title", "amount", "count", "due", "opened_at", "urgent", "customer", "share")
    assert [tuple(r[k] for k in keys) for r in records] == [
        ("表格导入", "12.50", 3, "2026-11-23", "2026-11-23T08:30:00+00:00", True, customers["Acme"],
         "0.2500"),
        ("serial date", "7.00", 4, "2026-11-23", "2026-11-23T12:00:00+00:00", False, customers["华为技术"],
         "0.2500"),
    ]  # fmt: skip


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
async def test_export_then_import_round_trip(client: httpx.AsyncClient, app: App, fmt: str) -> None:
    await _schema(client)
    customers = {c["name"]: c["id"] for c in await list_all(client, "customers")}
    labels = {c["name"]: c["id"] for c in await list_all(client, "labels")}
    rows = [
        {"title": "打印机", "code": "R-1", "status": "done", "tags": ["hw", "sw"], "amount": "1234.56",
         "share": "0.1250", "count": 5, "due": "2026-11-23", "opened_at": "2026-11-23T08:30:15+00:00",
         "urgent": True, "customer": customers["华为技术"], "labels": [labels["vip"], labels["紧急"]]},
        {"title": "empty one", "code": None, "status": "new", "tags": None, "amount": None, "share": None,
         "count": None, "due": None, "opened_at": None, "urgent": False, "customer": None, "labels": []},
    ]  # fmt: skip
    await make_records(client, "tickets", rows)
    exported = await client.get("/api/data/tickets/export", params={"format": fmt})
    assert exported.status_code == 200, exported.text
    deleted = await client.delete("/api/data/tickets", params={"filter": json.dumps({"id": {"$gt": 0}})})
    assert deleted.status_code == 200
    job = await _import(client, app, exported.content, f"tickets.{fmt}")
    assert job["status"] == "succeeded", job
    assert {i["column"] for i in job["result"]["ignored"]} >= {"ID", "Created at", "Updated at"}
    again = await list_all(client, "tickets")
    assert [{k: r[k] for k in rows[0]} for r in again] == rows


async def test_a_refused_mapping_carries_the_header_row_of_csv_and_xlsx(client: httpx.AsyncClient) -> None:
    await _schema(client)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Subject", "金额", None, 3])
    sheet.append(["Coffee machine", 4, None, 1])
    buffer = io.BytesIO()
    book.save(buffer)
    for name, content, headers in [
        ("t.xlsx", buffer.getvalue(), ["Subject", "金额", "", "3"]),
        ("t.csv", _csv([["Subject", "金额"], ["Coffee machine", "4"]], "gb18030"), ["Subject", "金额"]),
    ]:
        response = await client.post(
            "/api/data/tickets/import", files={"file": (name, content)}, data={"dry_run": "true"}
        )
        body = assert_problem(response, 422, "validation_failed")
        assert [e["field"] for e in body["errors"]] == ["mapping.title"]
        assert body["columns"] == headers, name
    # Accepted with the mapping the header allows.
    response = await client.post(
        "/api/data/tickets/import",
        files={"file": ("t.xlsx", buffer.getvalue())},
        data={"dry_run": "true", "mapping": json.dumps({"Subject": "title"})},
    )
    assert response.status_code == 202, response.text


async def test_bad_requests_are_problems(client: httpx.AsyncClient, app: App) -> None:
    await _schema(client)
    good = _csv([["标题"], ["x"]])

    async def post(collection: str = "tickets", content: bytes = good, **data: str) -> httpx.Response:
        return await client.post(
            f"/api/data/{collection}/import", files={"file": ("t.csv", content)}, data=data
        )

    assert_problem(await post("nope"), 404, "collection_not_found")
    assert_problem(await client.post("/api/data/tickets/import", json={"file": "x"}), 400, "bad_request")
    body = assert_problem(await post(mapping=json.dumps({"标题": "nothing"})), 422, "validation_failed")
    assert body["errors"][0]["field"] == "mapping.标题"
    body = assert_problem(await post(mapping=json.dumps({"Missing": "title"})), 422, "validation_failed")
    assert body["errors"][0]["code"] == "unknown_column"
    assert_problem(await post(mapping="[1]"), 422, "validation_failed")
    body = assert_problem(await post(key="title"), 422, "validation_failed")
    assert body["errors"][0]["code"] == "not_unique"
    body = assert_problem(await post(content=_csv([["code"], ["x"]])), 422, "validation_failed")
    assert body["errors"][0]["field"] == "mapping.title"  # a required field without a column
    assert body["columns"] == ["code"]  # the file's header, for a client to map by hand
    assert_problem(await post(mode="sometimes"), 422, "validation_failed")
    assert_problem(await post(dry_run="maybe"), 422, "validation_failed")
    assert_problem(await post(timezone="Mars/Base"), 422, "validation_failed")
    assert_problem(await post(content=b""), 422, "validation_failed")
    assert_problem(await post(content=b"PK\x03\x04 not a zip"), 422, "validation_failed")
    assert_problem(await post(content=b"\xff\xfe\xfa\xfb" * 100), 422, "validation_failed")
    app.settings = app.settings.model_copy(update={"max_import_mb": 0})
    assert_problem(await post(), 413, "payload_too_large")
    assert not list((app.settings.imports_dir).glob("*")), "refused uploads are deleted"


async def test_extension_fields_are_imported_with_their_master(client: httpx.AsyncClient, app: App) -> None:
    kinds = {"choices": [{"value": "repair", "label": "维修"}, {"value": "other", "label": "其他"}]}
    await make_collection(
        client,
        "jobs",
        [
            {"name": "title", "type": "string", "required": True},
            {"name": "code", "type": "string", "unique": True},
            {"name": "kind", "type": "select", "options": kinds, "default": "other"},
        ],
    )
    await make_collection(
        client,
        "job_repair",
        [
            {"name": "serial_no", "type": "string", "required": True, "unique": True},
            {"name": "cost", "type": "integer"},
        ],
        title="Repair",
        extends={"master": "jobs", "discriminator": "kind", "value": "repair"},
    )
    await make_records(
        client,
        "jobs",
        [
            {"title": "was repair", "code": "J-1", "kind": "repair", "job_repair": {"serial_no": "S-1"}},
            {"title": "was other", "code": "J-2", "kind": "other"},
            {"title": "repair kept", "code": "J-3", "kind": "repair", "job_repair": {"serial_no": "S-3"}},
        ],
    )
    rows = [
        ["code", "title", "kind", "job_repair.serial_no", "Repair: cost"],
        ["J-1", "now other", "其他", "", ""],  # its repair row goes
        ["J-2", "now repair", "维修", "S-2", "20"],  # a repair row comes
        ["J-3", "repair kept", "repair", "S-3", "30"],  # its row is updated
        ["J-4", "new repair", "repair", "S-4", "40"],
        ["J-5", "new other", "other", "", ""],
        ["J-6", "repair without serial", "repair", "", "1"],  # row 7
        ["J-7", "other with serial", "other", "S-7", ""],  # row 8
        ["J-8", "serial taken", "repair", "S-3", ""],  # row 9
    ]
    job = await _import(client, app, _csv(rows), collection="jobs", key="code", mode="skip_invalid")
    assert job["status"] == "succeeded", job
    assert _errors(job) == {
        (7, None, "job_repair.serial_no", "required"),
        (8, "job_repair.serial_no", "job_repair.serial_no", "extension_mismatch"),
        (9, "job_repair.serial_no", "job_repair.serial_no", "unique"),
    }
    got = {r["code"]: (r["title"], r["kind"], r.get("job_repair")) for r in await list_all(client, "jobs")}
    assert got == {
        "J-1": ("now other", "other", None),
        "J-2": ("now repair", "repair", {"serial_no": "S-2", "cost": 20}),
        "J-3": ("repair kept", "repair", {"serial_no": "S-3", "cost": 30}),
        "J-4": ("new repair", "repair", {"serial_no": "S-4", "cost": 40}),
        "J-5": ("new other", "other", None),
    }
    repairs = await list_all(client, "job_repair")
    assert sorted(r["serial_no"] for r in repairs) == ["S-2", "S-3", "S-4"]


async def test_imported_rows_are_found_by_search(client: httpx.AsyncClient, app: App) -> None:
    # Pure inserts are indexed for `q=` in one pass at the end of the import (see schema/search.py).
    await make_collection(client, "notes", [{"name": "title", "type": "string"}])
    await make_records(client, "notes", [{"title": "existing 打印机 note"}])
    job = await _import(
        client, app, _csv([["title"], ["imported 打印机 jam"], ["network outage"]]), collection="notes"
    )
    assert job["status"] == "succeeded", job
    found = (await client.get("/api/data/notes", params={"q": "打印机"})).json()["data"]
    assert sorted(r["title"] for r in found) == ["existing 打印机 note", "imported 打印机 jam"]
    assert len((await client.get("/api/data/notes", params={"q": "outage"})).json()["data"]) == 1
    await client.patch("/api/data/notes/3", json={"title": "network restored"})
    assert (await client.get("/api/data/notes", params={"q": "outage"})).json()["data"] == []

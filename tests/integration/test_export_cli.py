"""`deskbase export`, run as a real process on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import load_workbook

from deskbase.app import App
from deskbase.kernel.context import Actor, RequestContext
from deskbase.kernel.settings import Settings
from deskbase.schema.payloads import CollectionIn
from tests.integration.conftest import run_cli


async def _cases(env: dict[str, str]) -> None:
    app = App(
        Settings(data_dir=Path(env["DESKBASE_DATA_DIR"]), database_url=env.get("DESKBASE_DATABASE_URL"))
    )
    await app.start()
    try:
        ctx = RequestContext(actor=Actor.system(), source="test")
        spec = {"name": "cases", "fields": [{"name": "title", "type": "string", "title": "标题"}]}
        await app.schema.create_collection(ctx, CollectionIn.model_validate({**spec, "title": "Cases"}))
        await app.records.create_records(ctx, "cases", [{"title": f"案件 {i}"} for i in range(12)])
    finally:
        await app.stop()


async def test_export_command(cli_env: dict[str, str], tmp_path: Path) -> None:
    await _cases(cli_env)
    out = tmp_path / "out.csv"
    done = run_cli(cli_env, "export", "cases", str(out), "--filter", '{"id": {"$lte": 10}}', "--sort", "-id",
                "--fields", "id,title")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Exported 10 cases records" in done.stderr
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    assert rows == [["ID", "标题"]] + [[str(i), f"案件 {i - 1}"] for i in range(10, 0, -1)]

    book_path = tmp_path / "out.xlsx"
    done = run_cli(cli_env, "export", "cases", str(book_path), "--header", "name", "--fields", "title")
    assert done.returncode == 0, done.stderr
    book = load_workbook(book_path, read_only=True)
    values = [row[0] for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    assert values == ["title"] + [f"案件 {i}" for i in range(12)]

    bad = run_cli(cli_env, "export", "cases", str(out), "--filter", '{"nope": 1}')
    assert bad.returncode == 1
    assert "nope" in bad.stderr
    assert run_cli(cli_env, "export", "cases", str(tmp_path / "x.pdf")).returncode == 1

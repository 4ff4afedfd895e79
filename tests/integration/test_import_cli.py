"""`deskbase import`, run as a real process on SQLite."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import sqlalchemy as sa

from deskbase.app import App
from deskbase.kernel.context import Actor, RequestContext
from deskbase.kernel.settings import Settings
from deskbase.schema.payloads import CollectionIn

DESKBASE = str(Path(sys.executable).with_name("deskbase"))
CUSTOMERS = {
    "name": "customers",
    "fields": [
        {"name": "name", "type": "string", "required": True, "unique": True},
        {"name": "level", "type": "select", "options": {"choices": [{"value": "vip", "label": "贵宾"}]}},
        {"name": "since", "type": "date"},
    ],
}


async def _deskbase(data_dir: Path, *args: str) -> tuple[int, str]:
    env = {**os.environ, "DESKBASE_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    proc = await asyncio.create_subprocess_exec(
        DESKBASE, *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 120)
    return proc.returncode or 0, out.decode()


async def _rows(data_dir: Path) -> list[tuple[str, str | None, str | None]]:
    app = App(Settings(data_dir=data_dir))
    await app.start()
    try:
        table = app.catalog.get("customers").table
        async with app.db.read() as conn:
            result = await conn.execute(
                sa.select(table.c.name, table.c.level, table.c.since).order_by(table.c.id)
            )
            return [(r.name, r.level, r.since.isoformat() if r.since else None) for r in result]
    finally:
        await app.stop()


async def test_import_command(tmp_path: Path) -> None:
    app = App(Settings(data_dir=tmp_path))
    await app.start()
    await app.schema.create_collection(
        RequestContext(actor=Actor.system()), CollectionIn.model_validate(CUSTOMERS)
    )
    await app.stop()
    good = tmp_path / "customers.csv"
    good.write_bytes(
        "name,level,since,note\n华为,贵宾,2026年1月2日,x\nAcme,,2026/02/03,y\n".encode("gb18030")
    )

    code, out = await _deskbase(tmp_path, "import", "customers", str(good), "--dry-run")
    assert code == 0, out
    assert "2 record(s) would be created" in out
    assert "Ignored column 'note'" in out
    assert await _rows(tmp_path) == []

    code, out = await _deskbase(tmp_path, "import", "customers", str(good))
    assert code == 0, out
    assert "2 record(s) were created" in out
    assert await _rows(tmp_path) == [("华为", "vip", "2026-01-02"), ("Acme", None, "2026-02-03")]

    update = tmp_path / "update.csv"
    update.write_text("客户,since\nAcme,2026-03-04\nNew Co,\n", encoding="utf-8")
    mapping = '{"客户": "name"}'
    code, out = await _deskbase(
        tmp_path, "import", "customers", str(update), "--key", "name", "--mapping", mapping
    )
    assert code == 0, out
    assert "1 record(s) were created and 1 updated" in out
    assert (await _rows(tmp_path))[1:] == [("Acme", None, "2026-03-04"), ("New Co", None, None)]

    bad = tmp_path / "bad.csv"
    bad.write_text("name,since\nOK,2026-01-01\n,2026-01-01\nBad date,2026-13-01\n", encoding="utf-8")
    code, out = await _deskbase(tmp_path, "import", "customers", str(bad))
    assert code == 1, out
    assert "row 3, name: this field is required" in out
    assert "row 4, since:" in out
    assert "nothing was imported" in out
    assert len(await _rows(tmp_path)) == 3

    code, out = await _deskbase(tmp_path, "import", "customers", str(bad), "--mode", "skip_invalid")
    assert code == 0, out
    assert "1 record(s) were created" in out
    assert "2 row(s) skipped" in out

    code, out = await _deskbase(tmp_path, "import", "nowhere", str(good))
    assert code == 1
    assert "does not exist" in out

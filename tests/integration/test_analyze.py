"""`deskbase db analyze`, run as a real process over statistics a server wrote, on both databases."""

from __future__ import annotations

from pathlib import Path

from deskbase.app import App
from deskbase.data.query import ListQuery, SortKey
from deskbase.kernel.context import Actor, RequestContext
from deskbase.kernel.settings import Settings
from deskbase.schema.payloads import CollectionIn, FieldIn
from tests.integration.conftest import run_cli


async def _serve_some_lists(env: dict[str, str]) -> None:
    """What a server does: lists of one shape, then a stop that writes the statistics."""
    app = App(
        Settings(data_dir=Path(env["DESKBASE_DATA_DIR"]), database_url=env.get("DESKBASE_DATABASE_URL"))
    )
    await app.start()
    try:
        ctx = RequestContext(Actor.system())
        fields = [FieldIn(name="title", type="string"), FieldIn(name="status", type="string")]
        await app.schema.create_collection(ctx, CollectionIn(name="cases", fields=fields))
        await app.records.create_records(
            ctx, "cases", [{"title": f"t{i}", "status": "open"} for i in range(30)]
        )
        query = ListQuery(filter={"status": "open"}, sort=(SortKey("created_at", descending=True),))
        for _ in range(5):
            await app.records.list_records(ctx, "cases", query)
        await app.records.list_records(ctx, "cases", ListQuery(q="t1"))
    finally:
        await app.stop()


async def test_analyze_reports_shapes_and_creates_the_index(cli_env: dict[str, str]) -> None:
    env = cli_env
    await _serve_some_lists(env)
    report = run_cli(env, "db", "analyze", "cases")
    assert report.returncode == 0, report.stdout + report.stderr
    out = report.stdout
    assert "status (equality)" in out
    assert "status, -created_at" in out  # the suggested index
    assert "none" in out  # nothing serves it yet
    assert "q=" in out

    made = run_cli(env, "db", "analyze", "cases", "--create")
    assert made.returncode == 0, made.stdout + made.stderr
    assert "Created index status_created_at_desc" in made.stdout

    again = run_cli(env, "db", "analyze", "cases")
    assert "status_created_at_desc" in again.stdout  # now it serves the shape
    nothing = run_cli(env, "db", "analyze", "cases", "--create")
    assert "nothing to create" in nothing.stdout

    unknown = run_cli(env, "db", "analyze", "nope")
    assert unknown.returncode == 1
    assert "does not exist" in unknown.stdout

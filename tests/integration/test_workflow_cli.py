"""`deskbase workflow …` as a real process."""

from __future__ import annotations

import json
from pathlib import Path

from deskbase.app import App
from deskbase.kernel.context import Actor, RequestContext
from deskbase.kernel.settings import Settings
from deskbase.schema.payloads import CollectionIn
from tests.integration.conftest import run_cli

WORKFLOW = {
    "name": "Close stale",
    "trigger": {"type": "record_updated", "collection": "tickets", "changed_fields": ["status"]},
    "nodes": [{"id": "n", "type": "calculate", "config": {"expression": "trigger.record.id"}}],
}


async def test_workflow_commands(cli_env: dict[str, str], tmp_path: Path) -> None:
    settings = Settings(
        data_dir=Path(cli_env["DESKBASE_DATA_DIR"]),
        **({"database_url": cli_env["DESKBASE_DATABASE_URL"]} if "DESKBASE_DATABASE_URL" in cli_env else {}),
    )
    app = App(settings)
    await app.start()
    ctx = RequestContext(Actor.system(), source="test")
    await app.schema.create_collection(
        ctx,
        CollectionIn.model_validate({"name": "tickets", "fields": [{"name": "status", "type": "string"}]}),
    )
    await app.stop()
    file = tmp_path / "wf.json"
    file.write_text(json.dumps(WORKFLOW), encoding="utf-8")
    made = run_cli(cli_env, "workflow", "create", str(file))
    assert made.returncode == 0, made.stderr + made.stdout
    assert "Created workflow 1 (Close stale), disabled" in made.stdout
    listed = run_cli(cli_env, "workflow", "list")
    assert "Close stale" in listed.stdout
    assert "record_updated" in listed.stdout
    on = run_cli(cli_env, "workflow", "enable", "1")
    assert "is enabled" in on.stdout, on.stderr
    shown = run_cli(cli_env, "workflow", "show", "1")
    assert json.loads(shown.stdout)["enabled"] is True
    runs = run_cli(cli_env, "workflow", "executions", "1")
    assert runs.returncode == 0, runs.stderr
    missing = run_cli(cli_env, "workflow", "show", "9")
    assert missing.returncode == 1
    assert "Workflow 9 does not exist" in missing.stdout + missing.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    refused = run_cli(cli_env, "workflow", "create", str(bad))
    assert refused.returncode == 1
    assert "not valid JSON" in refused.stdout

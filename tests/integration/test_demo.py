"""The demo workspace of `make run`: what a new user finds after signing in."""

from __future__ import annotations

import json

import httpx

from deskbase.app import App
from deskbase.cli.demo import install_demo


async def test_the_demo_has_its_collections_records_and_a_dashboard_whose_blocks_answer(
    app: App, client: httpx.AsyncClient
) -> None:
    assert await install_demo(app) is True
    names = {c["name"] for c in (await client.get("/api/collections")).json()["data"]}
    assert {"customers", "tags", "tickets", "ticket_repair"} <= names
    tickets = (await client.get("/api/data/tickets", params={"count": "true"})).json()
    assert tickets["meta"]["total"] == 4

    boards = (await client.get("/api/dashboards")).json()["data"]
    assert [(b["name"], b["shared"]) for b in boards] == [("Service desk", True)]
    for block in boards[0]["blocks"]:
        query = block["query"]
        params = {"measures": ",".join(query["measures"])}
        if "group_by" in query:
            params["group_by"] = ",".join(query["group_by"])
        if "filter" in query:
            params["filter"] = json.dumps(query["filter"])
        answer = await client.get(f"/api/data/{block['collection']}/aggregate", params=params)
        assert answer.status_code == 200, (block["id"], answer.text)
        assert answer.json()["data"], block["id"]

    # A second start leaves the workspace as it is.
    assert await install_demo(app) is False
    assert len((await client.get("/api/dashboards")).json()["data"]) == 1

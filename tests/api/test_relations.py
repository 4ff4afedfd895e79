"""Relations through HTTP: appends, writes by id, referential rules on delete, filters
through relation paths, and T-shaped master / extension collections."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.factories import (
    assert_problem,
    call,
    choices,
    error_codes,
    list_all,
    list_ids,
    make_collection,
    make_record,
    make_records,
    problem_issue,
    total,
)

# -- a small service desk ------------------------------------------------------------------


async def desk(client: httpx.AsyncClient) -> dict[str, Any]:
    """companies ← customers ← tickets → tags (m2m); tickets ← comments → people.

    customers.company: set_null; tickets.customer: restrict; comments.ticket: cascade.
    """
    await make_collection(client, "companies", [{"name": "name", "type": "string"}])
    await make_collection(
        client,
        "customers",
        [
            {"name": "name", "type": "string"},
            {
                "name": "company",
                "type": "many_to_one",
                "options": {"target": "companies", "on_delete": "set_null"},
            },
        ],
    )
    await make_collection(client, "tags", [{"name": "name", "type": "string"}])
    await make_collection(client, "people", [{"name": "name", "type": "string"}])
    await make_collection(
        client,
        "tickets",
        [
            {"name": "title", "type": "string"},
            {
                "name": "customer",
                "type": "many_to_one",
                "options": {"target": "customers", "on_delete": "restrict"},
            },
            {"name": "tags", "type": "many_to_many", "options": {"target": "tags"}},
        ],
    )
    await make_collection(
        client,
        "comments",
        [
            {"name": "body", "type": "string"},
            {
                "name": "ticket",
                "type": "many_to_one",
                "options": {"target": "tickets", "on_delete": "cascade"},
            },
            {"name": "author", "type": "many_to_one", "options": {"target": "people"}},
        ],
    )
    resp = await client.post(
        "/api/collections/tickets/fields",
        json={
            "name": "comments",
            "type": "one_to_many",
            "options": {"target": "comments", "inverse": "ticket"},
        },
    )
    assert resp.status_code == 201, resp.text

    companies = await make_records(client, "companies", [{"name": "Acme Group"}, {"name": "Globex"}])
    customers = await make_records(
        client,
        "customers",
        [
            {"name": "ACME Shanghai", "company": companies[0]["id"]},
            {"name": "Globex Ltd", "company": {"id": companies[1]["id"]}},
            {"name": "Initech"},
        ],
    )
    tags = await make_records(client, "tags", [{"name": n} for n in ("printer", "network", "vip")])
    people = await make_records(client, "people", [{"name": "Ann"}, {"name": "Bob"}])
    t_ids = [t["id"] for t in tags]
    tickets = await make_records(
        client,
        "tickets",
        [
            {"title": "t0", "customer": customers[0]["id"], "tags": [t_ids[0], t_ids[1]]},
            {"title": "t1", "customer": customers[1]["id"], "tags": [t_ids[1]]},
            {"title": "t2", "customer": customers[2]["id"], "tags": []},
            {"title": "t3", "tags": [t_ids[2], t_ids[0], t_ids[1]]},
            {"title": "t4", "customer": {"id": customers[0]["id"]}},
        ],
    )
    comments = await make_records(
        client,
        "comments",
        [
            {"body": "first", "ticket": tickets[0]["id"], "author": people[0]["id"]},
            {"body": "second", "ticket": tickets[0]["id"], "author": people[1]["id"]},
            {"body": "urgent please", "ticket": tickets[1]["id"]},
            {"body": "orphan"},
        ],
    )
    return {
        "companies": companies,
        "customers": customers,
        "tags": tags,
        "people": people,
        "tickets": tickets,
        "comments": comments,
    }


def ids(records: list[dict[str, Any]], *indexes: int) -> set[int]:
    return {records[i]["id"] for i in indexes}


async def filtered(client: httpx.AsyncClient, name: str, flt: Any) -> set[int]:
    return set(await list_ids(client, name, filter=flt))


# -- many_to_one ---------------------------------------------------------------------------


async def test_many_to_one_ids_and_appends(client: httpx.AsyncClient) -> None:
    d = await desk(client)
    t0 = d["tickets"][0]
    assert t0["customer"] == d["customers"][0]["id"]
    assert d["tickets"][4]["customer"] == d["customers"][0]["id"]  # written as {"id": …}
    assert d["tickets"][3]["customer"] is None

    resp = await client.get(f"/api/data/tickets/{t0['id']}", params={"appends": "customer"})
    assert resp.status_code == 200, resp.text
    customer = resp.json()["data"]["customer"]
    assert isinstance(customer, dict)
    assert customer["id"] == d["customers"][0]["id"]
    assert customer["name"] == "ACME Shanghai"
    assert customer["company"] == d["companies"][0]["id"]

    records = await list_all(client, "tickets", appends="customer,customer.company")
    by_title = {r["title"]: r for r in records}
    assert by_title["t0"]["customer"]["company"]["name"] == "Acme Group"
    assert by_title["t1"]["customer"]["company"]["name"] == "Globex"
    assert by_title["t2"]["customer"]["company"] is None
    assert by_title["t3"]["customer"] is None
    # Without appends the list holds ids.
    records = await list_all(client, "tickets")
    assert {r["title"]: r["customer"] for r in records}["t1"] == d["customers"][1]["id"]


async def test_many_to_one_update_and_clear(client: httpx.AsyncClient) -> None:
    d = await desk(client)
    t3 = d["tickets"][3]
    resp = await client.patch(
        f"/api/data/tickets/{t3['id']}", json={"customer": {"id": d["customers"][2]["id"]}}
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["customer"] == d["customers"][2]["id"]
    resp = await client.patch(f"/api/data/tickets/{t3['id']}", json={"customer": None})
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["customer"] is None


# -- one_to_many ---------------------------------------------------------------------------


async def test_one_to_many_appends(client: httpx.AsyncClient) -> None:
    d = await desk(client)
    t0, t1, t2 = d["tickets"][:3]
    c = d["comments"]
    resp = await client.get(f"/api/data/tickets/{t0['id']}", params={"appends": "comments"})
    assert resp.status_code == 200, resp.text
    comments = resp.json()["data"]["comments"]
    assert [x["body"] for x in comments] == ["first", "second"]
    assert all(x["ticket"] == t0["id"] for x in comments)

    records = await list_all(client, "tickets", appends="comments,comments.author")
    by_title = {r["title"]: r for r in records}
    assert [x["author"]["name"] for x in by_title["t0"]["comments"]] == ["Ann", "Bob"]
    assert [x["id"] for x in by_title["t1"]["comments"]] == [c[2]["id"]]
    assert by_title["t1"]["comments"][0]["author"] is None
    assert by_title["t2"]["comments"] == []

    # Without appends a one_to_many, if shown at all, holds ids.
    plain = (await client.get(f"/api/data/tickets/{t0['id']}")).json()["data"]
    if "comments" in plain:
        assert sorted(plain["comments"]) == sorted(ids(c, 0, 1))
    _ = t1, t2


async def test_one_to_many_write_links_children(client: httpx.AsyncClient) -> None:
    d = await desk(client)
    c = d["comments"]
    t2 = d["tickets"][2]
    resp = await client.patch(
        f"/api/data/tickets/{t2['id']}", json={"comments": [c[3]["id"], {"id": c[2]["id"]}]}
    )
    assert resp.status_code == 200, resp.text
    orphan = (await client.get(f"/api/data/comments/{c[3]['id']}")).json()["data"]
    assert orphan["ticket"] == t2["id"]
    moved = (await client.get(f"/api/data/comments/{c[2]['id']}")).json()["data"]
    assert moved["ticket"] == t2["id"]
    # Replacing the list unlinks the ones left out.
    resp = await client.patch(f"/api/data/tickets/{t2['id']}", json={"comments": [c[3]["id"]]})
    assert resp.status_code == 200, resp.text
    moved = (await client.get(f"/api/data/comments/{c[2]['id']}")).json()["data"]
    assert moved["ticket"] is None
    # Creating a ticket with children.
    new = await make_record(client, "tickets", {"title": "new", "comments": [c[2]["id"]]})
    got = await client.get(f"/api/data/tickets/{new['id']}", params={"appends": "comments"})
    assert [x["id"] for x in got.json()["data"]["comments"]] == [c[2]["id"]]


# -- many_to_many --------------------------------------------------------------------------


async def test_many_to_many_ids_and_appends(client: httpx.AsyncClient) -> None:
    d = await desk(client)
    tag_ids = [t["id"] for t in d["tags"]]
    t0, _, t2, t3 = d["tickets"][:4]
    assert sorted(t0["tags"]) == sorted(tag_ids[:2])
    assert t2["tags"] == []
    assert sorted(t3["tags"]) == sorted(tag_ids)

    got = (await client.get(f"/api/data/tickets/{t0['id']}")).json()["data"]
    assert sorted(got["tags"]) == sorted(tag_ids[:2])
    got = (await client.get(f"/api/data/tickets/{t0['id']}", params={"appends": "tags"})).json()
    assert sorted(t["name"] for t in got["data"]["tags"]) == ["network", "printer"]
    assert all(isinstance(t, dict) and "id" in t for t in got["data"]["tags"])

    # PATCH replaces the set; duplicates collapse; [] clears it.
    resp = await client.patch(
        f"/api/data/tickets/{t0['id']}", json={"tags": [tag_ids[2], tag_ids[2], {"id": tag_ids[1]}]}
    )
    assert resp.status_code == 200, resp.text
    assert sorted(resp.json()["data"]["tags"]) == sorted([tag_ids[1], tag_ids[2]])
    resp = await client.patch(f"/api/data/tickets/{t0['id']}", json={"tags": []})
    assert resp.json()["data"]["tags"] == []
    # A PATCH that does not name tags leaves them alone.
    resp = await client.patch(f"/api/data/tickets/{t3['id']}", json={"title": "renamed"})
    assert sorted(resp.json()["data"]["tags"]) == sorted(tag_ids)
    # fields= keeps a many_to_many when asked for it.
    records = await list_all(client, "tickets", fields="tags")
    assert all(set(r) == {"id", "tags"} for r in records)


async def test_nested_appends_through_many_to_many(client: httpx.AsyncClient) -> None:
    d = await desk(client)
    records = await list_all(client, "tickets", appends="tags,customer.company,comments.author")
    by_title = {r["title"]: r for r in records}
    assert sorted(t["name"] for t in by_title["t3"]["tags"]) == ["network", "printer", "vip"]
    assert by_title["t4"]["customer"]["company"]["name"] == "Acme Group"
    assert by_title["t0"]["comments"][1]["author"]["name"] == "Bob"
    _ = d


async def test_bad_relation_id_is_invalid_reference(client: httpx.AsyncClient) -> None:
    await desk(client)
    issues = []
    for collection, payload, field in (
        ("tickets", {"title": "x", "customer": 999}, "customer"),
        ("tickets", {"title": "x", "customer": {"id": 999}}, "customer"),
        ("tickets", {"title": "x", "tags": [1, 999]}, "tags"),
        ("tickets", {"title": "x", "comments": [999]}, "comments"),
        ("comments", {"body": "x", "ticket": 999}, "ticket"),
        ("tickets", {"title": "x", "customer": 2**63 - 1}, "customer"),
        ("tickets", {"title": "x", "customer": 2**70}, "customer"),
        ("tickets", {"title": "x", "tags": [2**70]}, "tags"),
    ):
        resp = await call(client, "POST", f"/api/data/{collection}", json=payload)
        if issue := problem_issue(resp, 422):
            issues.append(f"{payload}: {issue}")
        elif not any(e["field"] == field for e in resp.json()["errors"]):
            issues.append(f"{payload}: errors do not name {field}")
    assert not issues, "\n".join(issues)
    assert await total(client, "tickets") == 5
    assert await total(client, "comments") == 4


async def test_bad_relation_ids_in_bulk_and_patch(client: httpx.AsyncClient) -> None:
    d = await desk(client)
    before = await total(client, "tickets")
    rows = [{"title": "ok"}, {"title": "bad", "customer": 777}, {"title": "bad", "tags": [888]}]
    body = assert_problem(await client.post("/api/data/tickets", json=rows), 422)
    codes = error_codes(body)
    assert (1, "customer", "invalid_reference") in codes
    assert (2, "tags", "invalid_reference") in codes
    assert await total(client, "tickets") == before
    t0 = d["tickets"][0]
    body = assert_problem(await client.patch(f"/api/data/tickets/{t0['id']}", json={"customer": 999}), 422)
    assert (None, "customer", "invalid_reference") in error_codes(body)
    got = (await client.get(f"/api/data/tickets/{t0['id']}")).json()["data"]
    assert got["customer"] == t0["customer"]


async def test_relation_value_of_the_wrong_type(client: httpx.AsyncClient) -> None:
    await desk(client)
    issues = []
    for value in ("abc", "1", 0, -1, True, 1.5, [1], {"name": "x"}, {"id": "x"}):
        for payload, field in (
            ({"title": "x", "customer": value}, "customer"),
            ({"title": "x", "tags": [value]}, "tags"),
        ):
            if payload.get("customer") == "1" or payload.get("tags") == ["1"]:
                continue  # a numeric string may be accepted as an id
            resp = await call(client, "POST", "/api/data/tickets", json=payload)
            if issue := problem_issue(resp, 422):
                issues.append(f"{payload}: {issue}")
            elif not any(e["field"] == field for e in resp.json()["errors"]):
                issues.append(f"{payload}: errors do not name {field}")
    for payload in ({"title": "x", "tags": 1}, {"title": "x", "tags": {"id": 1}}):
        resp = await call(client, "POST", "/api/data/tickets", json=payload)
        if issue := problem_issue(resp, 422):
            issues.append(f"{payload}: {issue}")
    assert not issues, "\n".join(issues)
    assert await total(client, "tickets") == 5


# -- on_delete -----------------------------------------------------------------------------


async def test_on_delete_restrict(client: httpx.AsyncClient) -> None:
    d = await desk(client)
    acme = d["customers"][0]
    resp = await client.delete(f"/api/data/customers/{acme['id']}")
    assert_problem(resp, 409, "record_referenced")
    assert (await client.get(f"/api/data/customers/{acme['id']}")).status_code == 200
    assert await total(client, "tickets", {"customer": acme["id"]}) == 2
    # By filter too: nothing is deleted, not even the unreferenced ones.
    before = await total(client, "customers")
    resp = await client.delete(
        "/api/data/customers", params={"filter": json.dumps({"name": {"$notEmpty": True}})}
    )
    assert_problem(resp, 409, "record_referenced")
    assert await total(client, "customers") == before
    # Once no ticket refers to it, it can go.
    for t in (d["tickets"][0], d["tickets"][4]):
        resp = await client.patch(f"/api/data/tickets/{t['id']}", json={"customer": None})
        assert resp.status_code == 200
    assert (await client.delete(f"/api/data/customers/{acme['id']}")).status_code == 204


async def test_on_delete_cascade(client: httpx.AsyncClient) -> None:
    d = await desk(client)
    t0 = d["tickets"][0]
    c = d["comments"]
    assert (await client.delete(f"/api/data/tickets/{t0['id']}")).status_code == 204
    for i in (0, 1):
        assert_problem(await client.get(f"/api/data/comments/{c[i]['id']}"), 404, "record_not_found")
    assert await total(client, "comments") == 2
    assert await total(client, "tags") == 3  # many_to_many targets stay
    # Cascade by filter.
    resp = await client.delete(
        "/api/data/tickets", params={"filter": json.dumps({"title": {"$in": ["t1", "t2"]}})}
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["deleted"] == 2
    assert set(await list_ids(client, "comments")) == {c[3]["id"]}


async def test_on_delete_set_null(client: httpx.AsyncClient) -> None:
    d = await desk(client)
    acme_group = d["companies"][0]
    assert (await client.delete(f"/api/data/companies/{acme_group['id']}")).status_code == 204
    got = (await client.get(f"/api/data/customers/{d['customers'][0]['id']}")).json()["data"]
    assert got["company"] is None
    got = (await client.get(f"/api/data/customers/{d['customers'][1]['id']}")).json()["data"]
    assert got["company"] == d["companies"][1]["id"]
    # The default rule is set_null too (comments.author).
    ann = d["people"][0]
    assert (await client.delete(f"/api/data/people/{ann['id']}")).status_code == 204
    got = (await client.get(f"/api/data/comments/{d['comments'][0]['id']}")).json()["data"]
    assert got["author"] is None


async def test_deleting_a_many_to_many_target_unlinks_it(client: httpx.AsyncClient) -> None:
    d = await desk(client)
    printer = d["tags"][0]
    assert (await client.delete(f"/api/data/tags/{printer['id']}")).status_code == 204
    t0 = (await client.get(f"/api/data/tickets/{d['tickets'][0]['id']}")).json()["data"]
    assert t0["tags"] == [d["tags"][1]["id"]]
    resp = await client.get(f"/api/data/tickets/{d['tickets'][0]['id']}", params={"appends": "tags"})
    assert [t["name"] for t in resp.json()["data"]["tags"]] == ["network"]


async def test_cascade_into_a_restrict_is_refused_whole(client: httpx.AsyncClient) -> None:
    await make_collection(client, "orgs", [{"name": "name", "type": "string"}])
    await make_collection(
        client,
        "members",
        [
            {"name": "name", "type": "string"},
            {
                "name": "org",
                "type": "many_to_one",
                "options": {"target": "orgs", "on_delete": "cascade"},
            },
        ],
    )
    await make_collection(
        client,
        "loans",
        [
            {
                "name": "member",
                "type": "many_to_one",
                "options": {"target": "members", "on_delete": "restrict"},
            }
        ],
    )
    org = await make_record(client, "orgs", {"name": "o"})
    members = await make_records(
        client, "members", [{"name": "a", "org": org["id"]}, {"name": "b", "org": org["id"]}]
    )
    await make_record(client, "loans", {"member": members[1]["id"]})
    assert_problem(await client.delete(f"/api/data/orgs/{org['id']}"), 409, "record_referenced")
    assert await total(client, "orgs") == 1
    assert await total(client, "members") == 2
    assert await total(client, "loans") == 1


async def test_self_reference_cascade(client: httpx.AsyncClient) -> None:
    await make_collection(client, "nodes", [{"name": "name", "type": "string"}])
    resp = await client.post(
        "/api/collections/nodes/fields",
        json={
            "name": "parent",
            "type": "many_to_one",
            "options": {"target": "nodes", "on_delete": "cascade"},
        },
    )
    assert resp.status_code == 201, resp.text
    root = await make_record(client, "nodes", {"name": "root"})
    child = await make_record(client, "nodes", {"name": "child", "parent": root["id"]})
    await make_record(client, "nodes", {"name": "grandchild", "parent": child["id"]})
    other = await make_record(client, "nodes", {"name": "other"})
    assert (await client.delete(f"/api/data/nodes/{root['id']}")).status_code == 204
    assert await list_ids(client, "nodes") == [other["id"]]


# -- filters through relations -------------------------------------------------------------


async def test_filter_through_many_to_one(client: httpx.AsyncClient) -> None:
    d = await desk(client)
    t = d["tickets"]
    assert await filtered(client, "tickets", {"customer.name": {"$includes": "acme"}}) == ids(t, 0, 4)
    assert await filtered(client, "tickets", {"customer.name": {"$startsWith": "glob"}}) == ids(t, 1)
    # Depth 2.
    assert await filtered(client, "tickets", {"customer.company.name": {"$eq": "Globex"}}) == ids(t, 1)
    assert await filtered(client, "tickets", {"customer.company.name": {"$includes": "group"}}) == ids(
        t, 0, 4
    )
    # Negations hold only where the related record exists and its value does not match;
    # $not of a positive path also takes the tickets without a customer.
    assert await filtered(client, "tickets", {"customer.name": {"$notIncludes": "acme"}}) == ids(t, 1, 2)
    assert await filtered(client, "tickets", {"$not": {"customer.name": {"$includes": "acme"}}}) == ids(
        t, 1, 2, 3
    )
    assert await filtered(client, "tickets", {"customer.company.name": {"$empty": True}}) == set()
    assert await filtered(client, "tickets", {"customer": {"$empty": True}}) == ids(t, 3)
    assert await filtered(client, "tickets", {"customer": {"$in": [d["customers"][1]["id"], 999]}}) == ids(
        t, 1
    )
    # A comment's ticket's customer (depth 2 from comments).
    assert await filtered(client, "comments", {"ticket.customer.name": {"$endsWith": "SHANGHAI"}}) == ids(
        d["comments"], 0, 1
    )


async def test_filter_through_to_many(client: httpx.AsyncClient) -> None:
    d = await desk(client)
    t = d["tickets"]
    assert await filtered(client, "tickets", {"comments.body": {"$includes": "urgent"}}) == ids(t, 1)
    assert await filtered(client, "tickets", {"comments.author.name": "Bob"}) == ids(t, 0)
    assert await filtered(client, "tickets", {"tags.name": "vip"}) == ids(t, 3)
    assert await filtered(client, "tickets", {"tags.name": {"$in": ["vip", "network"]}}) == ids(t, 0, 1, 3)


async def test_filter_many_to_many_set_operators(client: httpx.AsyncClient) -> None:
    d = await desk(client)
    t = d["tickets"]
    printer, network, vip = (x["id"] for x in d["tags"])
    cases: list[tuple[dict[str, Any], set[int]]] = [
        ({"tags": {"$anyOf": [printer]}}, ids(t, 0, 3)),
        ({"tags": {"$anyOf": [vip, network]}}, ids(t, 0, 1, 3)),
        ({"tags": {"$allOf": [printer, network]}}, ids(t, 0, 3)),
        ({"tags": {"$allOf": [printer, network, vip]}}, ids(t, 3)),
        ({"tags": {"$allOf": [network]}}, ids(t, 0, 1, 3)),
        ({"tags": {"$noneOf": [printer]}}, ids(t, 1, 2, 4)),
        ({"tags": {"$noneOf": [vip, 999]}}, ids(t, 0, 1, 2, 4)),
        ({"tags": {"$empty": True}}, ids(t, 2, 4)),
        ({"tags": {"$notEmpty": True}}, ids(t, 0, 1, 3)),
        ({"comments": {"$empty": True}}, ids(t, 2, 3, 4)),
        ({"comments": {"$anyOf": [d["comments"][2]["id"]]}}, ids(t, 1)),
        ({"$not": {"tags": {"$anyOf": [printer, vip]}}}, ids(t, 1, 2, 4)),
    ]
    for flt, expected in cases:
        assert await filtered(client, "tickets", flt) == expected, flt


async def test_bad_relation_filters_are_4xx(client: httpx.AsyncClient) -> None:
    await desk(client)
    issues = []
    for flt in (
        {"customer.nope": "x"},
        {"nope.name": "x"},
        {"title.name": "x"},
        {"customer.company.name.x.y": "x"},
        {"tags": {"$includes": "x"}},
        {"tags": {"$eq": 1}},
        {"tags": {"$anyOf": ["abc"]}},
        {"tags": {"$anyOf": [2**70]}},
        {"customer": {"$anyOf": [1]}},
        {"customer": "abc"},
        {"customer": {"$eq": 2**70}},
        {"customer": {"$in": [1, "x"]}},
        {"customer": {"$eq": {"id": 1, "name": "x"}}},
        {"comments": {"$gt": 1}},
    ):
        resp = await call(client, "GET", "/api/data/tickets", params={"filter": json.dumps(flt)})
        if issue := problem_issue(resp):
            issues.append(f"{flt}: {issue}")
    assert not issues, "\n".join(issues)


async def test_sort_through_many_to_one(client: httpx.AsyncClient) -> None:
    d = await desk(client)
    t = d["tickets"]
    got = await list_ids(client, "tickets", sort="customer.name,title")
    # NULLs (no customer) first, then ACME Shanghai (t0, t4), Globex Ltd (t1), Initech (t2).
    assert got == [t[i]["id"] for i in (3, 0, 4, 1, 2)]
    got = await list_ids(client, "tickets", sort="-customer.company.name,-title")
    assert got == [t[i]["id"] for i in (1, 4, 0, 3, 2)]
    assert_problem(await client.get("/api/data/tickets", params={"sort": "tags.name"}), 422)
    assert_problem(await client.get("/api/data/tickets", params={"sort": "customer.nope"}), 422)


# -- T-shaped collections ------------------------------------------------------------------

MASTER_FIELDS: list[dict[str, Any]] = [
    {"name": "title", "type": "string", "required": True},
    {
        "name": "biz_type",
        "type": "select",
        "default": "general",
        "options": choices("general", "repair", "install"),
    },
]


async def t_shaped(client: httpx.AsyncClient) -> None:
    await make_collection(client, "tickets", MASTER_FIELDS)
    await make_collection(
        client,
        "ticket_repair",
        [
            {"name": "serial_no", "type": "string", "required": True},
            {"name": "fault_code", "type": "select", "options": choices("power", "display")},
        ],
        extends={"master": "tickets", "discriminator": "biz_type", "value": "repair"},
    )


async def test_extension_create_and_read_nested(client: httpx.AsyncClient) -> None:
    await t_shaped(client)
    rec = await make_record(
        client,
        "tickets",
        {
            "title": "printer",
            "biz_type": "repair",
            "ticket_repair": {"serial_no": "HP-1", "fault_code": "power"},
        },
    )
    assert rec["biz_type"] == "repair"
    assert rec["ticket_repair"] == {"serial_no": "HP-1", "fault_code": "power"}
    got = (await client.get(f"/api/data/tickets/{rec['id']}")).json()["data"]
    assert got == rec
    listed = await list_all(client, "tickets")
    assert listed == [rec]
    # A general ticket has no extension part.
    general = await make_record(client, "tickets", {"title": "question"})
    assert general["biz_type"] == "general"
    assert general.get("ticket_repair") is None
    # fields= can pick the extension as one unit.
    records = await list_all(client, "tickets", fields="title,ticket_repair")
    assert {r["id"]: r.get("ticket_repair") for r in records} == {
        rec["id"]: {"serial_no": "HP-1", "fault_code": "power"},
        general["id"]: None,
    }


async def test_extension_filter_and_sort(client: httpx.AsyncClient) -> None:
    await t_shaped(client)
    recs = await make_records(
        client,
        "tickets",
        [
            {"title": "a", "biz_type": "repair", "ticket_repair": {"serial_no": "HP-2"}},
            {"title": "b"},
            {"title": "c", "biz_type": "repair", "ticket_repair": {"serial_no": "DL-9"}},
            {"title": "d", "biz_type": "repair", "ticket_repair": {"serial_no": "HP-1"}},
        ],
    )
    a, b, c, dd = (r["id"] for r in recs)
    assert await filtered(client, "tickets", {"ticket_repair.serial_no": {"$startsWith": "hp"}}) == {a, dd}
    assert await filtered(client, "tickets", {"ticket_repair.serial_no": "DL-9"}) == {c}
    assert await filtered(client, "tickets", {"ticket_repair.serial_no": {"$notIncludes": "HP"}}) == {c}
    assert await filtered(
        client,
        "tickets",
        {"$or": [{"ticket_repair.serial_no": "HP-1"}, {"biz_type": "general"}]},
    ) == {b, dd}
    assert await list_ids(client, "tickets", sort="ticket_repair.serial_no") == [b, c, dd, a]
    assert await list_ids(client, "tickets", sort="-ticket_repair.serial_no") == [a, dd, c, b]
    # Cursor paging over an extension sort.
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"sort": "-ticket_repair.serial_no", "page_size": 1}
        if cursor:
            params["cursor"] = cursor
        body = (await client.get("/api/data/tickets", params=params)).json()
        seen += [r["id"] for r in body["data"]]
        cursor = body["meta"]["next_cursor"]
        if not cursor:
            break
    assert seen == [a, dd, c, b]
    assert_problem(await client.get("/api/data/tickets", params={"sort": "ticket_repair.nope"}), 422)
    assert_problem(
        await client.get("/api/data/tickets", params={"filter": json.dumps({"ticket_repair.nope": 1})}),
        422,
    )


async def test_extension_update_nested_fields(client: httpx.AsyncClient) -> None:
    await t_shaped(client)
    rec = await make_record(
        client,
        "tickets",
        {"title": "x", "biz_type": "repair", "ticket_repair": {"serial_no": "S1"}},
    )
    resp = await client.patch(
        f"/api/data/tickets/{rec['id']}", json={"ticket_repair": {"fault_code": "display"}}
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["ticket_repair"] == {"serial_no": "S1", "fault_code": "display"}
    resp = await client.patch(
        f"/api/data/tickets/{rec['id']}",
        json={"title": "y", "ticket_repair": {"serial_no": "S2"}},
    )
    assert resp.status_code == 200, resp.text
    data = resp.json()["data"]
    assert data["title"] == "y"
    assert data["ticket_repair"] == {"serial_no": "S2", "fault_code": "display"}
    # A master-only PATCH keeps the extension.
    resp = await client.patch(f"/api/data/tickets/{rec['id']}", json={"title": "z"})
    assert resp.json()["data"]["ticket_repair"] == {"serial_no": "S2", "fault_code": "display"}
    # Nested validation names the nested path.
    for bad, code in (
        ({"serial_no": None}, "required"),
        ({"fault_code": "bogus"}, "invalid_choice"),
        ({"nope": 1}, "unknown_field"),
    ):
        resp = await client.patch(f"/api/data/tickets/{rec['id']}", json={"ticket_repair": bad})
        body = assert_problem(resp, 422)
        field = f"ticket_repair.{next(iter(bad))}"
        assert (None, field, code) in error_codes(body), body
    got = (await client.get(f"/api/data/tickets/{rec['id']}")).json()["data"]
    assert got["ticket_repair"] == {"serial_no": "S2", "fault_code": "display"}
    # Bulk PATCH by filter can reach nested fields too.
    resp = await client.patch(
        "/api/data/tickets",
        params={"filter": json.dumps({"ticket_repair.serial_no": "S2"})},
        json={"ticket_repair": {"fault_code": "power"}},
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["updated"] == 1
    got = (await client.get(f"/api/data/tickets/{rec['id']}")).json()["data"]
    assert got["ticket_repair"]["fault_code"] == "power"


async def test_extension_mismatch(client: httpx.AsyncClient) -> None:
    await t_shaped(client)
    resp = await client.post("/api/data/tickets", json={"title": "x", "ticket_repair": {"serial_no": "S"}})
    body = assert_problem(resp, 422)
    assert any(e["code"] == "extension_mismatch" for e in body["errors"]), body
    resp = await client.post(
        "/api/data/tickets",
        json={"title": "x", "biz_type": "install", "ticket_repair": {"serial_no": "S"}},
    )
    body = assert_problem(resp, 422)
    assert any(e["code"] == "extension_mismatch" for e in body["errors"]), body
    assert await total(client, "tickets") == 0
    general = await make_record(client, "tickets", {"title": "g"})
    resp = await client.patch(
        f"/api/data/tickets/{general['id']}", json={"ticket_repair": {"serial_no": "S"}}
    )
    body = assert_problem(resp, 422)
    assert any(e["code"] == "extension_mismatch" for e in body["errors"]), body
    # In a bulk create the error names the row.
    rows = [
        {"title": "ok", "biz_type": "repair", "ticket_repair": {"serial_no": "S"}},
        {"title": "bad", "ticket_repair": {"serial_no": "S"}},
    ]
    body = assert_problem(await client.post("/api/data/tickets", json=rows), 422)
    assert any(e["code"] == "extension_mismatch" and e.get("index") == 1 for e in body["errors"]), body
    assert await total(client, "tickets") == 1


async def test_extension_required_field(client: httpx.AsyncClient) -> None:
    await t_shaped(client)
    for payload in (
        {"title": "x", "biz_type": "repair"},
        {"title": "x", "biz_type": "repair", "ticket_repair": {}},
        {"title": "x", "biz_type": "repair", "ticket_repair": {"serial_no": ""}},
        {"title": "x", "biz_type": "repair", "ticket_repair": {"fault_code": "power"}},
    ):
        body = assert_problem(await client.post("/api/data/tickets", json=payload), 422)
        assert (None, "ticket_repair.serial_no", "required") in error_codes(body), (payload, body)
    rows = [
        {"title": "ok", "biz_type": "repair", "ticket_repair": {"serial_no": "S"}},
        {"title": "bad", "biz_type": "repair"},
    ]
    body = assert_problem(await client.post("/api/data/tickets", json=rows), 422)
    assert (1, "ticket_repair.serial_no", "required") in error_codes(body), body
    assert await total(client, "tickets") == 0
    # Switching a general ticket to repair needs the extension's required fields.
    general = await make_record(client, "tickets", {"title": "g"})
    resp = await client.patch(f"/api/data/tickets/{general['id']}", json={"biz_type": "repair"})
    body = assert_problem(resp, 422)
    assert (None, "ticket_repair.serial_no", "required") in error_codes(body), body
    got = (await client.get(f"/api/data/tickets/{general['id']}")).json()["data"]
    assert got["biz_type"] == "general"
    resp = await client.patch(
        f"/api/data/tickets/{general['id']}",
        json={"biz_type": "repair", "ticket_repair": {"serial_no": "NEW"}},
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["ticket_repair"] == {"serial_no": "NEW", "fault_code": None}


async def test_changing_biz_type_away_removes_the_extension(client: httpx.AsyncClient) -> None:
    await t_shaped(client)
    rec = await make_record(
        client,
        "tickets",
        {
            "title": "x",
            "biz_type": "repair",
            "ticket_repair": {"serial_no": "OLD", "fault_code": "power"},
        },
    )
    resp = await client.patch(f"/api/data/tickets/{rec['id']}", json={"biz_type": "general"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"].get("ticket_repair") is None
    got = (await client.get(f"/api/data/tickets/{rec['id']}")).json()["data"]
    assert got.get("ticket_repair") is None
    assert await filtered(client, "tickets", {"ticket_repair.serial_no": "OLD"}) == set()
    # Back to repair: the old data is gone for good, the new data is required.
    resp = await client.patch(f"/api/data/tickets/{rec['id']}", json={"biz_type": "repair"})
    assert_problem(resp, 422)
    resp = await client.patch(
        f"/api/data/tickets/{rec['id']}",
        json={"biz_type": "repair", "ticket_repair": {"serial_no": "NEW"}},
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["ticket_repair"] == {"serial_no": "NEW", "fault_code": None}
    # Changing the type and sending the extension of the old type is a mismatch.
    resp = await client.patch(
        f"/api/data/tickets/{rec['id']}",
        json={"biz_type": "general", "ticket_repair": {"serial_no": "X"}},
    )
    body = assert_problem(resp, 422)
    assert any(e["code"] == "extension_mismatch" for e in body["errors"]), body
    # Through a bulk PATCH too.
    resp = await client.patch(
        "/api/data/tickets",
        params={"filter": json.dumps({"id": rec["id"]})},
        json={"biz_type": "install"},
    )
    assert resp.status_code == 200, resp.text
    got = (await client.get(f"/api/data/tickets/{rec['id']}")).json()["data"]
    assert got["biz_type"] == "install"
    assert got.get("ticket_repair") is None
    assert await filtered(client, "tickets", {"ticket_repair.serial_no": {"$notEmpty": True}}) == (set())


async def test_extension_collection_refuses_direct_writes(client: httpx.AsyncClient) -> None:
    await t_shaped(client)
    rec = await make_record(
        client, "tickets", {"title": "x", "biz_type": "repair", "ticket_repair": {"serial_no": "S"}}
    )
    resp = await client.post("/api/data/ticket_repair", json={"serial_no": "S"})
    assert_problem(resp, 400, "extension_write")
    resp = await client.post("/api/data/ticket_repair", json=[{"serial_no": "S"}])
    assert_problem(resp, 400, "extension_write")
    resp = await client.delete(f"/api/data/ticket_repair/{rec['id']}")
    assert_problem(resp, 400, "extension_write")
    got = (await client.get(f"/api/data/tickets/{rec['id']}")).json()["data"]
    assert got["ticket_repair"]["serial_no"] == "S"


async def test_deleting_a_master_deletes_its_extension(client: httpx.AsyncClient) -> None:
    await t_shaped(client)
    rec = await make_record(
        client, "tickets", {"title": "x", "biz_type": "repair", "ticket_repair": {"serial_no": "S"}}
    )
    assert (await client.delete(f"/api/data/tickets/{rec['id']}")).status_code == 204
    resp = await client.get(f"/api/data/ticket_repair/{rec['id']}")
    assert resp.status_code == 404, resp.text
    # A new master (which may get the same id again on SQLite) starts afresh.
    new = await make_record(
        client, "tickets", {"title": "y", "biz_type": "repair", "ticket_repair": {"serial_no": "T"}}
    )
    assert new["ticket_repair"] == {"serial_no": "T", "fault_code": None}
    plain = await make_record(client, "tickets", {"title": "z"})
    assert plain.get("ticket_repair") is None


async def test_second_business_type_leaves_the_master_alone(client: httpx.AsyncClient) -> None:
    await t_shaped(client)
    repair = await make_record(
        client, "tickets", {"title": "r", "biz_type": "repair", "ticket_repair": {"serial_no": "S"}}
    )
    before = (await client.get("/api/collections/tickets")).json()["data"]
    await make_collection(
        client,
        "ticket_install",
        [
            {"name": "site", "type": "string", "required": True},
            {"name": "install_on", "type": "date"},
        ],
        extends={"master": "tickets", "discriminator": "biz_type", "value": "install"},
    )
    after = (await client.get("/api/collections/tickets")).json()["data"]
    assert after["fields"] == before["fields"]
    assert sorted(after["extensions"]) == ["ticket_install", "ticket_repair"]

    inst = await make_record(
        client,
        "tickets",
        {"title": "i", "biz_type": "install", "ticket_install": {"site": "HQ", "install_on": "2026-05-01"}},
    )
    assert inst["ticket_install"] == {"site": "HQ", "install_on": "2026-05-01"}
    assert inst.get("ticket_repair") is None
    got = (await client.get(f"/api/data/tickets/{repair['id']}")).json()["data"]
    assert got["ticket_repair"] == {"serial_no": "S", "fault_code": None}
    assert got.get("ticket_install") is None
    # Each extension is only for its own type.
    resp = await client.post(
        "/api/data/tickets",
        json={
            "title": "x",
            "biz_type": "repair",
            "ticket_install": {"site": "HQ"},
            "ticket_repair": {"serial_no": "S"},
        },
    )
    body = assert_problem(resp, 422)
    assert any(
        e["code"] == "extension_mismatch" and e["field"].startswith("ticket_install") for e in body["errors"]
    ), body
    # Switching repair → install swaps one extension for the other.
    resp = await client.patch(
        f"/api/data/tickets/{repair['id']}",
        json={"biz_type": "install", "ticket_install": {"site": "Lab"}},
    )
    assert resp.status_code == 200, resp.text
    data = resp.json()["data"]
    assert data.get("ticket_repair") is None
    assert data["ticket_install"] == {"site": "Lab", "install_on": None}
    assert await filtered(client, "tickets", {"ticket_install.site": {"$notEmpty": True}}) == {
        inst["id"],
        repair["id"],
    }
    records = await list_all(client, "tickets", sort="ticket_install.site")
    assert [r["id"] for r in records] == [inst["id"], repair["id"]]


async def test_extension_definition_errors_are_4xx(client: httpx.AsyncClient) -> None:
    await t_shaped(client)
    for extends in (
        {"master": "nope", "discriminator": "biz_type", "value": "x"},
        {"master": "tickets", "discriminator": "nope", "value": "x"},
        {"master": "tickets", "discriminator": "biz_type", "value": "not_a_choice"},
        {"master": "ticket_repair", "discriminator": "serial_no", "value": "x"},
        {"master": "tickets", "discriminator": "biz_type", "value": "repair"},
    ):
        resp = await client.post(
            "/api/collections",
            json={"name": "ext_x", "fields": [{"name": "a", "type": "string"}], "extends": extends},
        )
        assert 400 <= resp.status_code < 500, (extends, resp.text)
        assert_problem(resp, resp.status_code)
    # A relation cannot point at an extension.
    resp = await client.post(
        "/api/collections",
        json={
            "name": "refs_x",
            "fields": [{"name": "r", "type": "many_to_one", "options": {"target": "ticket_repair"}}],
        },
    )
    assert 400 <= resp.status_code < 500, resp.text


async def test_relation_inside_an_extension(client: httpx.AsyncClient) -> None:
    await make_collection(client, "parts", [{"name": "name", "type": "string"}])
    await make_collection(client, "tickets", MASTER_FIELDS)
    await make_collection(
        client,
        "ticket_repair",
        [
            {"name": "serial_no", "type": "string", "required": True, "unique": True},
            {
                "name": "part",
                "type": "many_to_one",
                "options": {"target": "parts", "on_delete": "restrict"},
            },
        ],
        extends={"master": "tickets", "discriminator": "biz_type", "value": "repair"},
    )
    parts = await make_records(client, "parts", [{"name": "fan"}, {"name": "board"}])
    fan, board = parts[0]["id"], parts[1]["id"]
    recs = await make_records(
        client,
        "tickets",
        [
            {"title": "a", "biz_type": "repair", "ticket_repair": {"serial_no": "A", "part": fan}},
            {"title": "b", "biz_type": "repair", "ticket_repair": {"serial_no": "B", "part": board}},
            {"title": "c"},
        ],
    )
    a, b, c = (r["id"] for r in recs)
    assert recs[0]["ticket_repair"] == {"serial_no": "A", "part": fan}
    assert await filtered(client, "tickets", {"ticket_repair.part.name": "board"}) == {b}
    assert await list_ids(client, "tickets", sort="ticket_repair.part.name") == [c, b, a]
    # Nested reference and unique checks name the nested path.
    body = assert_problem(
        await client.post(
            "/api/data/tickets",
            json={"title": "x", "biz_type": "repair", "ticket_repair": {"serial_no": "Z", "part": 999}},
        ),
        422,
    )
    assert (None, "ticket_repair.part", "invalid_reference") in error_codes(body), body
    resp = await client.post(
        "/api/data/tickets",
        json={"title": "x", "biz_type": "repair", "ticket_repair": {"serial_no": "A"}},
    )
    assert resp.status_code in (409, 422), resp.text
    body = assert_problem(resp, resp.status_code)
    if resp.status_code == 422:
        assert any(e["field"] == "ticket_repair.serial_no" for e in body["errors"]), body
    resp = await client.patch(f"/api/data/tickets/{b}", json={"ticket_repair": {"serial_no": "A"}})
    assert resp.status_code in (409, 422), resp.text
    assert await total(client, "tickets") == 3
    # restrict from an extension field protects the part.
    assert_problem(await client.delete(f"/api/data/parts/{fan}"), 409, "record_referenced")
    # Once the ticket is no longer a repair, nothing refers to the part any more.
    resp = await client.patch(f"/api/data/tickets/{a}", json={"biz_type": "general"})
    assert resp.status_code == 200, resp.text
    assert (await client.delete(f"/api/data/parts/{fan}")).status_code == 204


async def test_cursor_paging_over_a_relation_sort(client: httpx.AsyncClient) -> None:
    d = await desk(client)
    extra = [{"title": f"x{i}", "customer": d["customers"][i % 3]["id"]} for i in range(9)]
    await make_records(client, "tickets", extra)
    for sort in ("customer.name", "-customer.name,title", "customer.company.name,-id"):
        everything = await list_ids(client, "tickets", sort=sort)
        assert len(everything) == 14
        for page_size in (1, 3, 5):
            seen: list[int] = []
            cursor = None
            for _ in range(50):
                params: dict[str, Any] = {"sort": sort, "page_size": page_size}
                if cursor:
                    params["cursor"] = cursor
                resp = await client.get("/api/data/tickets", params=params)
                assert resp.status_code == 200, resp.text
                seen += [r["id"] for r in resp.json()["data"]]
                cursor = resp.json()["meta"]["next_cursor"]
                if not cursor:
                    break
            assert seen == everything, (sort, page_size)

"""Checking a formula without saving it: the errors adding the field would give, named `expression`."""

from __future__ import annotations

import httpx

from tests.api.accounts import bearer, make_user, sign_in
from tests.factories import assert_problem

URL = "/api/collections/orders/formula-check"


async def _orders(client: httpx.AsyncClient) -> None:
    resp = await client.post(
        "/api/collections",
        json={
            "name": "orders",
            "fields": [
                {"name": "price", "type": "decimal"},
                {"name": "qty", "type": "integer"},
                {"name": "total", "type": "formula", "options": {"expression": "price * qty"}},
            ],
        },
    )
    assert resp.status_code == 201, resp.text


async def test_a_good_formula_is_ok_and_nothing_is_saved(client: httpx.AsyncClient) -> None:
    await _orders(client)
    for expression, result_type in (
        ("round(price * qty, 2)", "number"),
        ('IF(qty > 1, "many", "one")', "text"),
    ):
        resp = await client.post(URL, json={"expression": expression, "result_type": result_type})
        assert resp.status_code == 200, resp.text
        assert resp.json() == {"data": {"ok": True}}
    fields = (await client.get("/api/collections/orders")).json()["data"]["fields"]
    assert not [f["name"] for f in fields if f["name"].startswith("formula_check")]


async def test_bad_formulas_name_the_expression(client: httpx.AsyncClient) -> None:
    await _orders(client)
    cases = [
        ({"expression": "nope * 2"}, "expression", "invalid_expression", "unknown field 'nope'"),
        ({"expression": "total * 2"}, "expression", "invalid_expression", "unknown field 'total'"),
        ({"expression": "price *"}, "expression", None, "invalid expression"),
        ({"expression": "price.real"}, "expression", None, "attribute access"),
        ({"expression": "evil(price)"}, "expression", None, "unknown function 'evil'"),
        ({"expression": ""}, "expression", None, ""),
        ({"expression": "price", "result_type": "money"}, "result_type", None, ""),
    ]
    for body, field, code, message in cases:
        problem = assert_problem(await client.post(URL, json=body), 422)
        error = problem["errors"][0]
        assert error["field"] == field, (body, problem)
        assert code is None or error["code"] == code, (body, problem)
        assert message in error["message"], (body, problem)
        assert "formula_check" not in problem["detail"], problem


async def test_unknown_collection_and_non_admins(client: httpx.AsyncClient) -> None:
    await _orders(client)
    resp = await client.post("/api/collections/nope/formula-check", json={"expression": "1"})
    assert_problem(resp, 404, "collection_not_found")
    await make_user(client, "lou@example.com")
    token = await sign_in(client, "lou@example.com")
    resp = await client.post(URL, json={"expression": "price"}, headers=bearer(token))
    assert_problem(resp, 403, "permission_denied")

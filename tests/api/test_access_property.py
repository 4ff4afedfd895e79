"""The leak test: random roles, scopes and field rules over random data. For every read path,
what a user receives is exactly what a plain Python model of the rules allows; every write the
model refuses is refused, and every write it allows goes through.

Rules modelled (docs/user-guide.md, "Roles and permissions"):
- an action is allowed if any of the user's roles has it; scopes are ORed, field sets merged
  (no `fields` = every field); `id` is always readable;
- scopes: all; own (`created_by` is the user); department (`created_by` is in one of the
  user's departments or below); or a filter with `{{currentUser.…}}` variables;
- a filter path through a relation reaches only the related records the user may list;
- a field that is not readable cannot be filtered, sorted or grouped on (403), and a field
  that is not writable cannot be written (403); a record outside the scope is 404.

Scenarios are drawn from a seeded `random.Random` and by Hypothesis (derandomized), then run.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.api.access_support import as_user, grant_role, make_user
from tests.factories import choices, make_collection, make_record

N_RANDOM = 14
N_HYPOTHESIS = 10
ITEM_FIELDS = ["title", "status", "amount", "secret", "owner_tag", "account"]
STATUSES = ["s1", "s2", "s3"]
TIERS = ["a", "b", "c"]
WORDS = ["alpha", "beta", "gamma", "delta"]
USERS = ["u0@example.com", "u1@example.com", "u2@example.com"]
READ = ["list", "get", "export"]
ACTIONS = [*READ, "create", "update"]

Row = dict[str, Any]


@dataclass
class Scope:
    """A scope as sent, and the model's test for it (item, user) → bool."""

    wire: Any
    test: Callable[[Row, Row], bool] = field(repr=False)


def _scopes(rnd: Callable[[list[Any]], Any], ranged: Callable[[int, int], int]) -> Scope:
    kind = rnd(["all", "own", "department", "status", "amount", "tier", "tag"])
    if kind == "all":
        return Scope("all", lambda item, user: True)
    if kind == "own":
        return Scope("own", lambda item, user: item["created_by"] == user["id"])
    if kind == "department":
        return Scope("department", lambda item, user: bool(item["_depts"] & user["_reach"]))
    if kind == "status":
        status = rnd(STATUSES)
        return Scope({"status": status}, lambda item, user: item["status"] == status)
    if kind == "amount":
        k = ranged(0, 10)
        return Scope(
            {"amount": {"$gt": k}}, lambda item, user: item["amount"] is not None and item["amount"] > k
        )
    if kind == "tier":
        tier = rnd(TIERS)
        return Scope({"account.tier": tier}, lambda item, user: item["_tier"] == tier)
    return Scope(
        {"owner_tag": "{{currentUser.email}}"}, lambda item, user: item["owner_tag"] == user["email"]
    )


@dataclass
class Rule:
    scope: Scope
    fields: list[str] | None  # None: all

    def wire(self) -> dict[str, Any]:
        out: dict[str, Any] = {"scope": self.scope.wire}
        if self.fields is not None:
            out["fields"] = self.fields
        return out


@dataclass
class Role:
    items: dict[str, Rule] = field(default_factory=dict)
    accounts: Rule | None = None  # list and get on accounts

    def wire(self) -> dict[str, Any]:
        out: dict[str, Any] = {"items": {a: r.wire() for a, r in self.items.items()}}
        if self.accounts is not None:
            out["accounts"] = {"list": self.accounts.wire(), "get": self.accounts.wire()}
        return out


@dataclass
class Scenario:
    roles: list[Role]
    user: int  # index into USERS
    filter_field: str
    new_status: str


def draw(rnd: Callable[[list[Any]], Any], ranged: Callable[[int, int], int]) -> Scenario:
    def fields() -> list[str] | None:
        if ranged(0, 3) == 0:
            return None
        return [f for f in ITEM_FIELDS if ranged(0, 1)]

    roles = []
    for _ in range(ranged(1, 2)):
        role = Role()
        for action in ACTIONS:
            if ranged(0, 3):
                role.items[action] = Rule(_scopes(rnd, ranged), fields())
        if ranged(0, 2):
            acc_fields = None if ranged(0, 1) else ["name"]
            role.accounts = Rule(_scopes_accounts(rnd), acc_fields)
        roles.append(role)
    return Scenario(roles, ranged(0, 2), rnd([*ITEM_FIELDS, "account.name"]), rnd(STATUSES))


def _scopes_accounts(rnd: Callable[[list[Any]], Any]) -> Scope:
    tier = rnd([None, *TIERS])
    if tier is None:
        return Scope("all", lambda acc, user: True)
    return Scope({"tier": tier}, lambda acc, user: acc["tier"] == tier)


def _random_scenarios() -> list[Scenario]:
    rng = random.Random(20261123)
    return [draw(rng.choice, rng.randint) for _ in range(N_RANDOM)]


def _hypothesis_scenarios() -> list[Scenario]:
    found: list[Scenario] = []

    @settings(
        max_examples=N_HYPOTHESIS,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )
    @given(st.data())
    def collect(data: st.DataObject) -> None:
        found.append(
            draw(
                lambda xs: data.draw(st.sampled_from(xs)),
                lambda lo, hi: data.draw(st.integers(lo, hi)),
            )
        )

    collect()
    return found


# -- the model ---------------------------------------------------------------------------------


class Model:
    def __init__(
        self, roles: list[Role], user: Row, items: list[Row], accounts: list[Row], all_fields: list[str]
    ):
        self.roles, self.user, self.items, self.accounts = roles, user, items, accounts
        self.all_fields = all_fields

    def rules(self, action: str) -> list[Rule]:
        return [r.items[action] for r in self.roles if action in r.items]

    def allowed(self, action: str) -> bool:
        return bool(self.rules(action))

    def fields(self, action: str) -> set[str]:
        rules = self.rules(action)
        if any(r.fields is None for r in rules):
            return set(self.all_fields)
        return {"id"} | {f for r in rules for f in r.fields or []}

    def ids(self, action: str) -> set[int]:
        rules = self.rules(action)
        return {i["id"] for i in self.items if any(r.scope.test(i, self.user) for r in rules)}

    def visible_accounts(self) -> set[int]:
        rules = [r.accounts for r in self.roles if r.accounts is not None]
        return {a["id"] for a in self.accounts if any(r.scope.test(a, self.user) for r in rules)}

    def account_fields(self) -> set[str] | None:
        rules = [r.accounts for r in self.roles if r.accounts is not None]
        if not rules:
            return None
        if any(r.fields is None for r in rules):
            return {"id", "name", "tier", "created_at", "updated_at", "created_by", "updated_by"}
        return {"id", "name"}


# -- the world -------------------------------------------------------------------------------


async def _world(admin: httpx.AsyncClient) -> tuple[list[Row], list[Row], list[Row], list[str]]:
    await make_collection(
        admin,
        "accounts",
        [{"name": "name", "type": "string"}, {"name": "tier", "type": "select", "options": choices(*TIERS)}],
    )
    await make_collection(
        admin,
        "items",
        [
            {"name": "title", "type": "string"},
            {"name": "status", "type": "select", "options": choices(*STATUSES)},
            {"name": "amount", "type": "integer"},
            {"name": "secret", "type": "string"},
            {"name": "owner_tag", "type": "string"},
            {"name": "account", "type": "many_to_one", "options": {"target": "accounts"}},
        ],
    )
    root = (await admin.post("/api/departments", json={"name": "Root"})).json()["data"]["id"]
    child = (await admin.post("/api/departments", json={"name": "Child", "parent_id": root})).json()["data"][
        "id"
    ]
    await grant_role(admin, "maker", {"items": {"create": {}}, "accounts": {"list": {}}})
    depts = [{root}, {child}, set()]
    reach = [{root, child}, {child}, set()]
    users: list[Row] = []
    for i, email in enumerate(USERS):
        made = await make_user(admin, email, ["maker"], departments=sorted(depts[i]))
        users.append({"id": made["id"], "email": email, "_depts": depts[i], "_reach": reach[i]})
    rng = random.Random(7)
    accounts = []
    for i in range(4):
        acc = await make_record(admin, "accounts", {"name": f"A{i}", "tier": TIERS[i % 3]})
        accounts.append(acc)
    items: list[Row] = []
    makers: list[tuple[httpx.AsyncClient | None, Row | None]] = [(admin, None)]
    async with as_user(admin, USERS[0]) as c0, as_user(admin, USERS[1]) as c1, as_user(admin, USERS[2]) as c2:
        makers += [(c0, users[0]), (c1, users[1]), (c2, users[2])]
        for n in range(16):
            client, maker = makers[n % 4]
            assert client is not None
            acc = rng.choice([None, *accounts])
            row = {
                "title": f"{rng.choice(WORDS)} {rng.choice(WORDS)}",
                "status": rng.choice(STATUSES),
                "amount": rng.choice([None, *range(0, 12)]),
                "secret": f"secret-{n}",
                "owner_tag": rng.choice(USERS),
                "account": acc["id"] if acc else None,
            }
            made = await make_record(client, "items", row)
            items.append(
                {
                    **row,
                    "id": made["id"],
                    "created_by": maker["id"] if maker else None,
                    "_depts": maker["_depts"] if maker else set(),
                    "_tier": acc["tier"] if acc else None,
                }
            )
    coll = (await admin.get("/api/collections/items")).json()["data"]
    all_fields = [f["name"] for f in coll["fields"]]
    return users, items, accounts, all_fields


async def test_what_a_user_gets_is_what_the_model_allows(client: httpx.AsyncClient) -> None:
    users, items, accounts, all_fields = await _world(client)
    scenarios = _random_scenarios() + _hypothesis_scenarios()
    role_names = ["r0", "r1"]
    for number, sc in enumerate(scenarios):
        for name, role in zip(role_names, sc.roles, strict=False):
            await grant_role(client, name, role.wire())
        user = users[sc.user]
        resp = await client.patch(f"/api/users/{user['id']}", json={"roles": role_names[: len(sc.roles)]})
        assert resp.status_code == 200, resp.text
        model = Model(sc.roles, user, items, accounts, all_fields)
        async with as_user(client, user["email"]) as me:
            await _check_reads(me, model, sc, f"scenario {number}: {sc}")
            await _check_writes(me, client, model, sc, f"scenario {number}: {sc}")


async def _check_reads(me: httpx.AsyncClient, model: Model, sc: Scenario, why: str) -> None:
    resp = await me.get("/api/data/items", params={"page_size": 100, "count": "true"})
    if not model.allowed("list"):
        assert resp.status_code == 403, why
    else:
        body = resp.json()
        assert {r["id"] for r in body["data"]} == model.ids("list"), why
        assert body["meta"]["total"] == len(model.ids("list")), why
        for r in body["data"]:
            assert set(r) == model.fields("list"), why
        # a filter on one field: refused if unreadable, else exactly the model's rows
        path = sc.filter_field
        flt = {path: {"$notEmpty": True}}
        resp = await me.get("/api/data/items", params={"filter": json.dumps(flt), "page_size": 100})
        head = path.split(".")[0]
        acc_fields = model.account_fields()
        readable = head in model.fields("list") and (
            "." not in path or (acc_fields is not None and "name" in acc_fields)
        )
        if not readable:
            assert resp.status_code == 403, why
        else:
            assert resp.status_code == 200, (why, resp.text)
            got = {r["id"] for r in resp.json()["data"]}
            if "." in path:
                visible = model.visible_accounts()
                want = {i for i in model.ids("list") if _item(model, i)["account"] in visible}
            else:
                want = {i for i in model.ids("list") if _item(model, i)[path] is not None}
            assert got == want, why
        # appends: only the accounts the user may list, with their readable fields
        if "account" in model.fields("list"):
            resp = await me.get("/api/data/items", params={"page_size": 100, "appends": "account"})
            if model.account_fields() is None:
                assert resp.status_code == 403, why
            else:
                visible = model.visible_accounts()
                for r in resp.json()["data"]:
                    acc = r["account"]
                    real = _item(model, r["id"])["account"]
                    if real in visible:
                        assert acc is not None, why
                        assert set(acc) == model.account_fields(), why
                    else:
                        assert acc is None, why
        # aggregate: counts over the list scope, grouping only on readable fields
        resp = await me.get("/api/data/items/aggregate", params={"group_by": "status", "measures": "count"})
        if "status" not in model.fields("list"):
            assert resp.status_code == 403, why
        else:
            counts: dict[str, int] = {}
            for i in model.ids("list"):
                s = _item(model, i)["status"]
                counts[s] = counts.get(s, 0) + 1
            assert {r["status"]: r["count"] for r in resp.json()["data"]} == counts, why
    for item in model.items:
        resp = await me.get(f"/api/data/items/{item['id']}")
        if not model.allowed("get"):
            assert resp.status_code == 403, why
        elif item["id"] in model.ids("get"):
            assert resp.status_code == 200, why
            assert set(resp.json()["data"]) == model.fields("get"), why
        else:
            assert resp.status_code == 404, why
    resp = await me.get("/api/data/items/export", params={"format": "csv"})
    if not model.allowed("export"):
        assert resp.status_code == 403, why
    else:
        rows = list(csv.reader(io.StringIO(resp.text)))
        assert len(rows) - 1 == len(model.ids("export")), why
        assert not any(f"secret-{n}" in resp.text for n in range(16)) or "secret" in model.fields("export"), (
            why
        )


async def _check_writes(
    me: httpx.AsyncClient, admin: httpx.AsyncClient, model: Model, sc: Scenario, why: str
) -> None:
    for item in model.items:
        resp = await me.patch(f"/api/data/items/{item['id']}", json={"status": sc.new_status})
        if not model.allowed("update") or "status" not in model.fields("update"):
            assert resp.status_code == 403, why
            continue
        if item["id"] not in model.ids("update"):
            assert resp.status_code == 404, why
            continue
        assert resp.status_code == 200, (why, resp.text)
        back = await admin.patch(f"/api/data/items/{item['id']}", json={"status": item["status"]})
        assert back.status_code == 200
    payload = {"title": "new one", "status": sc.new_status}
    resp = await me.post("/api/data/items", json=payload)
    if not model.allowed("create") or not {"title", "status"} <= model.fields("create"):
        assert resp.status_code == 403, why
        return
    user = model.user
    candidate = {
        "id": 0, "title": "new one", "status": sc.new_status, "amount": None, "secret": None,
        "owner_tag": None, "account": None, "created_by": user["id"], "_depts": user["_depts"], "_tier": None,
    }  # fmt: skip
    inside = any(r.scope.test(candidate, user) for r in model.rules("create"))
    if inside:
        assert resp.status_code == 201, (why, resp.text)
        gone = await admin.delete(f"/api/data/items/{resp.json()['data']['id']}")
        assert gone.status_code == 204
    else:
        assert resp.status_code == 403, why


def _item(model: Model, item_id: int) -> Row:
    return next(i for i in model.items if i["id"] == item_id)

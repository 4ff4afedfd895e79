"""Property test of the filter language: for many generated filters, the ids the API
returns equal the ids a plain Python evaluator of the same filter returns over the same rows.

The rows (40, with NULLs) and the filters are deterministic: rows from a seeded
`random.Random`, filters from the same generator driven once by a seeded `random.Random` and
once by Hypothesis (`derandomize=True`), which only collects them; the HTTP calls happen
afterwards in the async test.

Semantics modelled (DESIGN.md, "Filter language", and the operator docstrings):
- a comparison with NULL is false; the negative operators (`$ne`, `$notIn`, `$notIncludes`,
  `$noneOf`) are true for NULL; `$not` is the exact complement;
- `$empty` is NULL (or '' for text, or [] for multi_select); `$notEmpty` its complement;
- `$includes` / `$notIncludes` / `$startsWith` / `$endsWith` ignore ASCII case, `$eq` is exact;
- `customer.name` holds when the related customer exists and its name matches;
- `$dateOn` / `$dateBefore` / `$dateAfter` on a datetime use the UTC day (the server's time
  zone is UTC by default); `$dateBefore` / `$dateAfter` exclude the day itself.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Protocol, TypeVar

import httpx
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.factories import choices, list_all, make_collection, make_records

T = TypeVar("T")

N_ROWS = 40
N_RANDOM = 150
N_HYPOTHESIS = 150

MIXED_CASE = ["a", "b", "A", "B", "ab", "Ab", "aB", "ba", "BA", "abb", "bab", "x"]
LOWER = ["a", "b", "c", "ab", "ba", "abc", "cab", "bca", "cc"]
KINDS = ["a", "b", "c"]
MARKS = ["x", "y", "z"]
CUSTOMER_NAMES = ["Ab", "abba", "BAB", "b", None]
TAG_NAMES = ["ab", "Ba", "bab", None]
PRICES = ["-1.50", "0.00", "0.25", "1.00", "2.50", "10.00"]

# Which generator/evaluator "kind" each filterable path has.
PATHS: dict[str, str] = {
    "word": "text",
    "code": "ordered_text",
    "kind": "ordered_text",
    "qty": "number",
    "price": "number",
    "flag": "bool",
    "day": "date",
    "moment": "datetime",
    "marks": "array",
    "customer": "ref",
    "customer.name": "text",
    "tags": "refs",
    "tags.name": "text_many",
}
TEXT_OPS = [
    "$eq", "$ne", "$in", "$notIn", "$includes", "$notIncludes", "$startsWith", "$endsWith",
    "$empty", "$notEmpty",
]  # fmt: skip
ORDER_OPS = ["$gt", "$gte", "$lt", "$lte"]
OPS: dict[str, list[str]] = {
    "text": TEXT_OPS,
    "ordered_text": TEXT_OPS + ORDER_OPS,
    "number": ["$eq", "$ne", "$in", "$notIn", *ORDER_OPS, "$between", "$empty", "$notEmpty"],
    "bool": ["$eq", "$ne", "$empty", "$notEmpty"],  # $in on booleans is refused (422)
    "date": [
        "$eq",
        "$ne",
        "$in",
        "$notIn",
        *ORDER_OPS,
        "$between",
        "$dateOn",
        "$dateBefore",
        "$dateAfter",
        "$empty",
        "$notEmpty",
    ],
    "array": ["$anyOf", "$allOf", "$noneOf", "$empty", "$notEmpty"],
    "ref": ["$eq", "$ne", "$in", "$notIn", "$empty", "$notEmpty"],
    "refs": ["$anyOf", "$allOf", "$noneOf", "$empty", "$notEmpty"],
    "text_many": TEXT_OPS,
}
OPS["datetime"] = OPS["date"]


# -- data ----------------------------------------------------------------------------------


async def build(
    client: httpx.AsyncClient,
) -> tuple[list[dict[str, Any]], dict[int, Any], dict[int, Any]]:
    """The collections and rows; returns the rows as the API lists them, and the names of
    customers and of tags by id."""
    await make_collection(client, "customers", [{"name": "name", "type": "string"}])
    await make_collection(client, "tags", [{"name": "name", "type": "string"}])
    await make_collection(
        client,
        "rows",
        [
            {"name": "word", "type": "string"},
            {"name": "code", "type": "string"},
            {"name": "kind", "type": "select", "options": choices(*KINDS)},
            {"name": "qty", "type": "integer"},
            {"name": "price", "type": "decimal", "options": {"precision": 10, "scale": 2}},
            {"name": "flag", "type": "boolean"},
            {"name": "day", "type": "date"},
            {"name": "moment", "type": "datetime"},
            {"name": "marks", "type": "multi_select", "options": choices(*MARKS)},
            {"name": "customer", "type": "many_to_one", "options": {"target": "customers"}},
            {"name": "tags", "type": "many_to_many", "options": {"target": "tags"}},
        ],
    )
    customers = await make_records(client, "customers", [{"name": n} for n in CUSTOMER_NAMES])
    tags = await make_records(client, "tags", [{"name": n} for n in TAG_NAMES])
    tag_ids = [t["id"] for t in tags]
    rnd = random.Random(20261123)

    def maybe(make: Callable[[], Any], null_rate: float = 0.2) -> Any:
        return None if rnd.random() < null_rate else make()

    rows = []
    for _ in range(N_ROWS):
        rows.append(
            {
                "word": maybe(lambda: rnd.choice(MIXED_CASE) + rnd.choice(["", "a", "B"])),
                "code": maybe(lambda: rnd.choice(LOWER)),
                "kind": maybe(lambda: rnd.choice(KINDS)),
                "qty": maybe(lambda: rnd.randint(-3, 5)),
                "price": maybe(lambda: rnd.choice(PRICES)),
                "flag": maybe(lambda: rnd.random() < 0.5),
                "day": maybe(lambda: f"2026-01-{rnd.randint(1, 8):02d}"),
                "moment": maybe(
                    lambda: (
                        f"2026-01-0{rnd.randint(1, 5)}T{rnd.randint(0, 23):02d}:"
                        f"{rnd.choice(['00', '30'])}:00{rnd.choice(['Z', '+08:00', '-05:00', '+00:00'])}"
                    )
                ),
                "marks": maybe(lambda: rnd.sample(MARKS, rnd.randint(0, 3)), 0.15),
                "customer": maybe(lambda: rnd.choice(customers)["id"], 0.25),
                "tags": rnd.sample(tag_ids, rnd.choice([0, 0, 1, 1, 2, 3])),
            }
        )
    await make_records(client, "rows", rows)
    stored = await list_all(client, "rows")
    assert len(stored) == N_ROWS
    names = {c["id"]: c["name"] for c in await list_all(client, "customers")}
    tag_names = {t["id"]: t["name"] for t in await list_all(client, "tags")}
    return stored, names, tag_names


# -- filter generation ---------------------------------------------------------------------


class Source(Protocol):
    def choice(self, seq: Sequence[T]) -> T: ...
    def integer(self, lo: int, hi: int) -> int: ...


class RandomSource:
    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd

    def choice(self, seq: Sequence[T]) -> T:
        return self.rnd.choice(list(seq))

    def integer(self, lo: int, hi: int) -> int:
        return self.rnd.randint(lo, hi)


class DrawSource:
    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def choice(self, seq: Sequence[T]) -> T:
        return self.data.draw(st.sampled_from(list(seq)))

    def integer(self, lo: int, hi: int) -> int:
        return self.data.draw(st.integers(lo, hi))


class Generator:
    """Random filters over PATHS, with values taken near the data so that matches happen."""

    def __init__(self, rows: list[dict[str, Any]], customer_ids: list[int], tag_ids: list[int]) -> None:
        moments = sorted({r["moment"] for r in rows if r["moment"]})
        self.instants = [*moments[:: max(1, len(moments) // 8)], "2026-01-02T12:00:00+08:00",
                         "2026-01-03T00:00:00Z", "2026-01-04T23:59:59-05:00", "2026-01-03"]  # fmt: skip
        self.days = [f"2026-01-{d:02d}" for d in range(1, 10)] + ["2025-12-31"]
        self.customer_ids = customer_ids
        self.tag_ids = tag_ids

    def filter(self, src: Source, depth: int = 0) -> dict[str, Any]:
        roll = src.integer(0, 9)
        if depth < 3 and roll < 3:
            logic = src.choice(["$and", "$or", "$not"])
            if logic == "$not":
                return {"$not": self.filter(src, depth + 1)}
            return {logic: [self.filter(src, depth + 1) for _ in range(src.integer(1, 3))]}
        if depth < 3 and roll == 3:
            return self.merged(src, depth)
        return self.condition(src)

    def merged(self, src: Source, depth: int) -> dict[str, Any]:
        """Two conditions in one object: an implicit $and (two paths, or two operators)."""
        first, second = self.condition(src), self.condition(src)
        (p1, v1), (p2, v2) = next(iter(first.items())), next(iter(second.items()))
        if p1 != p2:
            return {p1: v1, p2: v2}
        if isinstance(v1, dict) and isinstance(v2, dict) and not (set(v1) & set(v2)):
            ops1, ops2 = [k for k in v1 if k.startswith("$")], [k for k in v2 if k.startswith("$")]
            if ops1 and ops2:
                return {p1: {**v1, **v2}}
        return {"$and": [first, second]}

    def condition(self, src: Source) -> dict[str, Any]:
        path = src.choice(list(PATHS))
        kind = PATHS[path]
        op = src.choice(OPS[kind])
        if op in ("$empty", "$notEmpty"):
            return {path: {op: True}}
        if op in ("$in", "$notIn", "$anyOf", "$allOf", "$noneOf"):
            value: Any = [self.value(src, path, kind, op) for _ in range(src.integer(1, 3))]
        elif op == "$between":
            value = [self.value(src, path, kind, op), self.value(src, path, kind, op)]
        else:
            value = self.value(src, path, kind, op)
        if op == "$eq" and src.integer(0, 3) == 0:
            return {path: value}  # the short form
        return {path: {op: value}}

    def value(self, src: Source, path: str, kind: str, op: str) -> Any:
        if kind in ("text", "text_many"):
            return src.choice([*MIXED_CASE, "", "zz"])
        if kind == "ordered_text":
            return src.choice([*KINDS, "d"] if path == "kind" else [*LOWER, ""])
        if kind == "number":
            if path == "qty":
                return src.choice([-3, -1, 0, 1, 2, 3, 5, 7, 2.5, -0.5, "2", "1.5"])
            return src.choice([*PRICES, "0.255", "2.5", 1, 0, -1.5, 10, "0.3", 2.49])
        if kind == "bool":
            return src.choice([True, False])
        if kind == "date":
            return src.choice(self.days)
        if kind == "datetime":
            if op in ("$dateOn", "$dateBefore", "$dateAfter"):
                return src.choice(self.days)
            return src.choice(self.instants)
        if kind == "array":
            return src.choice([*MARKS, "w"])
        if kind in ("ref", "refs"):
            target = src.choice([*(self.customer_ids if kind == "ref" else self.tag_ids), 999])
            form = src.integer(0, 3)
            return {"id": target} if form == 0 else str(target) if form == 1 else target
        raise AssertionError(kind)


# -- the Python evaluator ------------------------------------------------------------------


def _instant(text: str) -> datetime:
    if len(text) == 10:  # a date: midnight UTC
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _scalar(kind: str, value: Any) -> Any:
    """The filter operand as a comparable Python value."""
    if kind == "number":
        return Decimal(str(value))
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "datetime":
        return _instant(value)
    if kind in ("ref", "refs"):
        return int(value["id"] if isinstance(value, dict) else value)
    return value


def _field(kind: str, value: Any) -> Any:
    """A row's value (as the API returns it) as a comparable Python value."""
    if value is None:
        return None
    if kind == "number":
        return Decimal(str(value))
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "datetime":
        return _instant(value)
    return value


def _test(kind: str, op: str, x: Any, operand: Any) -> bool:
    """One operator on one value `x` (None for NULL)."""
    if op == "$empty":
        return x is None or x == "" or x == []
    if op == "$notEmpty":
        return not _test(kind, "$empty", x, operand)
    if op in ("$in", "$notIn", "$anyOf", "$allOf", "$noneOf"):
        items = [_scalar(kind, v) for v in operand]
        if op == "$in":
            return x is not None and x in items
        if op == "$notIn":
            return x is None or x not in items
        if op == "$anyOf":
            return x is not None and any(i in x for i in items)
        if op == "$allOf":
            return x is not None and all(i in x for i in items)
        return x is None or not any(i in x for i in items)
    if op == "$between":
        low, high = (_scalar(kind, v) for v in operand)
        return x is not None and low <= x <= high
    if op in ("$dateOn", "$dateBefore", "$dateAfter"):
        if x is None:
            return False
        day = x.astimezone(UTC).date() if isinstance(x, datetime) else x
        target = date.fromisoformat(operand)
        return {"$dateOn": day == target, "$dateBefore": day < target, "$dateAfter": day > target}[op]
    v = _scalar(kind, operand)
    if op == "$ne":
        return x is None or x != v
    if op == "$notIncludes":
        return x is None or v.lower() not in x.lower()
    if x is None:
        return False
    if op == "$eq":
        return bool(x == v)
    if op == "$includes":
        return v.lower() in x.lower()
    if op == "$startsWith":
        return bool(x.lower().startswith(v.lower()))
    if op == "$endsWith":
        return bool(x.lower().endswith(v.lower()))
    compare: dict[str, Callable[[Any, Any], bool]] = {
        "$gt": lambda a, b: a > b,
        "$gte": lambda a, b: a >= b,
        "$lt": lambda a, b: a < b,
        "$lte": lambda a, b: a <= b,
    }
    return compare[op](x, v)


def evaluate(flt: dict[str, Any], row: dict[str, Any], names: dict[int, Any], tags: dict[int, Any]) -> bool:
    for key, value in flt.items():
        if key == "$and":
            ok = all(evaluate(child, row, names, tags) for child in value)
        elif key == "$or":
            ok = any(evaluate(child, row, names, tags) for child in value)
        elif key == "$not":
            ok = not evaluate(value, row, names, tags)
        else:
            kind = PATHS[key]
            kind = "text" if kind == "ordered_text" else kind
            is_ops = isinstance(value, dict) and all(k.startswith("$") for k in value)
            conditions = list(value.items()) if is_ops else [("$eq", value)]
            if key == "customer.name":
                # The related customer exists and its name matches; no customer, no match.
                cid = row["customer"]
                ok = cid is not None and all(
                    _test(kind, op, names[cid], operand) for op, operand in conditions
                )
            elif key == "tags.name":
                # Each condition holds for some related tag (not necessarily the same one).
                ok = all(
                    any(_test("text", op, tags[t], operand) for t in row["tags"])
                    for op, operand in conditions
                )
            elif key == "tags":
                ok = all(_test("refs", op, row["tags"], operand) for op, operand in conditions)
            else:
                x = _field(kind, row[key])
                ok = all(_test(kind, op, x, operand) for op, operand in conditions)
        if not ok:
            return False
    return True


# -- the test ------------------------------------------------------------------------------


def collect_filters(gen: Generator) -> list[dict[str, Any]]:
    filters: list[dict[str, Any]] = []
    rnd = RandomSource(random.Random(7))
    filters += [gen.filter(rnd) for _ in range(N_RANDOM)]

    drawn: list[dict[str, Any]] = []

    @settings(
        max_examples=N_HYPOTHESIS,
        database=None,
        deadline=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def collect(data: st.DataObject) -> None:
        drawn.append(gen.filter(DrawSource(data)))

    collect()
    assert len(drawn) >= N_HYPOTHESIS // 2
    return filters + drawn


async def test_filters_match_a_python_model(client: httpx.AsyncClient) -> None:
    rows, names, tags = await build(client)
    gen = Generator(rows, sorted(names), sorted(tags))
    filters = collect_filters(gen)
    assert len(filters) >= N_RANDOM + N_HYPOTHESIS // 2

    # The model itself must be discriminating: most filters match some rows but not all.
    matching = [sum(evaluate(f, r, names, tags) for r in rows) for f in filters]
    assert sum(1 for m in matching if 0 < m < N_ROWS) > len(filters) // 2

    failures: list[tuple[int, str, str]] = []
    for flt in filters:
        expected = sorted(r["id"] for r in rows if evaluate(flt, r, names, tags))
        text = json.dumps(flt)
        try:
            resp = await client.get(
                "/api/data/rows", params={"filter": text, "fields": "id", "page_size": 500}
            )
        except Exception as exc:  # a 500 surfaces as the app's exception through ASGITransport
            failures.append((len(text), text, f"exception {type(exc).__name__}: {exc}"))
            continue
        if resp.status_code != 200:
            failures.append((len(text), text, f"HTTP {resp.status_code}: {resp.text[:300]}"))
            continue
        got = sorted(r["id"] for r in resp.json()["data"])
        if got != expected:
            extra, missing = sorted(set(got) - set(expected)), sorted(set(expected) - set(got))
            failures.append((len(text), text, f"API also returned {extra}, lacked {missing}"))
    failures.sort()
    report = "\n".join(f"{flt}\n    -> {why}" for _, flt, why in failures[:8])
    assert not failures, f"{len(failures)} of {len(filters)} filters disagree, smallest:\n{report}"


def test_the_model_on_known_cases() -> None:
    """The evaluator itself, on hand-made rows: NULL semantics, case, relation paths, days."""
    names = {1: "Ab", 2: None}
    tags = {1: "ab", 2: None, 3: "Ba"}
    row = {
        "word": None, "code": "ab", "kind": "a", "qty": None, "price": "0.25", "flag": False,
        "day": "2026-01-02", "moment": "2026-01-02T23:30:00+00:00", "marks": [],
        "customer": 1, "tags": [1, 2],
    }  # fmt: skip
    assert evaluate({"word": {"$ne": "a"}}, row, names, tags)
    assert not evaluate({"word": {"$eq": "a"}}, row, names, tags)
    assert evaluate({"word": {"$notIncludes": "a"}}, row, names, tags)
    assert evaluate({"word": {"$empty": True}}, row, names, tags)
    assert evaluate({"qty": {"$notIn": [1]}}, row, names, tags)
    assert not evaluate({"qty": {"$lt": 100}}, row, names, tags)
    assert evaluate({"price": {"$between": ["0.25", 1]}}, row, names, tags)
    assert evaluate({"price": {"$gt": "0.249"}}, row, names, tags)
    assert evaluate({"code": {"$includes": "AB"}}, row, names, tags)
    assert not evaluate({"code": {"$eq": "AB"}}, row, names, tags)
    assert evaluate({"marks": {"$empty": True}}, row, names, tags)
    assert evaluate({"marks": {"$noneOf": ["x"]}}, row, names, tags)
    assert not evaluate({"marks": {"$anyOf": ["x"]}}, row, names, tags)
    assert evaluate({"customer.name": {"$startsWith": "a"}}, row, names, tags)
    assert evaluate({"customer": {"$eq": {"id": 1}}}, row, names, tags)
    assert evaluate({"customer": "1"}, row, names, tags)
    assert evaluate({"moment": {"$dateOn": "2026-01-02"}}, row, names, tags)
    assert evaluate({"moment": {"$dateAfter": "2026-01-01"}}, row, names, tags)
    assert not evaluate({"moment": {"$dateBefore": "2026-01-02"}}, row, names, tags)
    assert evaluate({"moment": {"$gt": "2026-01-03T07:00:00+08:00"}}, row, names, tags)
    assert evaluate({"day": {"$dateOn": "2026-01-02"}}, row, names, tags)
    row_without = {**row, "customer": None}
    assert not evaluate({"customer.name": {"$notIncludes": "zz"}}, row_without, names, tags)
    assert evaluate({"$not": {"customer.name": {"$includes": "a"}}}, row_without, names, tags)
    row_nameless = {**row, "customer": 2}
    assert evaluate({"customer.name": {"$empty": True}}, row_nameless, names, tags)
    assert evaluate({"customer.name": {"$ne": "Ab"}}, row_nameless, names, tags)
    assert evaluate({"qty": {"$ne": 1}, "flag": False}, row, names, tags)
    assert not evaluate({"$or": [{"flag": True}, {"qty": 1}]}, row, names, tags)
    assert evaluate({"moment": "2026-01-03T07:30:00+08:00"}, row, names, tags)
    assert evaluate({"tags": {"$allOf": [1, "2"]}}, row, names, tags)
    assert not evaluate({"tags": {"$anyOf": [{"id": 3}]}}, row, names, tags)
    assert evaluate({"tags": {"$noneOf": [3]}}, row, names, tags)
    assert evaluate({"tags.name": {"$empty": True}}, row, names, tags)  # tag 2 has no name
    assert evaluate({"tags.name": {"$ne": "ab"}}, row, names, tags)  # tag 2 (NULL) qualifies
    assert evaluate({"tags.name": {"$eq": "ab", "$empty": True}}, row, names, tags)
    assert not evaluate({"tags.name": {"$includes": "b"}}, {**row, "tags": []}, names, tags)
    assert not evaluate({"tags.name": {"$ne": "zz"}}, {**row, "tags": []}, names, tags)

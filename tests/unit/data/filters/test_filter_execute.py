"""Filters run against real SQLite and PostgreSQL: which tickets match, NULLs included.

Every case also checks that `$not` selects exactly the other tickets: conditions are
never SQL NULL, so negation is exact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from deskbase.data.filters import MATCH_ALL, parse_filter
from deskbase.kernel.errors import ValidationFailed
from deskbase.kernel.types import JSONValue

if TYPE_CHECKING:
    from .conftest import Database

pytestmark = pytest.mark.asyncio(loop_scope="module")

ALL = [1, 2, 3, 4]

# (filter, matching ticket ids); the rows are in conftest.ROWS.
CASES: list[tuple[JSONValue, list[int]]] = [
    # text
    ({"status": "open"}, [1, 4]),
    ({"status": "OPEN"}, []),
    ({"status": {"$ne": "open"}}, [2, 3]),
    ({"status": {"$in": ["open", "closed"]}}, [1, 2, 4]),
    ({"status": {"$notIn": ["open"]}}, [2, 3]),
    ({"status": {"$gt": "closed"}}, [1, 4]),
    ({"title": {"$includes": "JAM"}}, [1]),
    ({"title": {"$includes": "%"}}, [2]),
    ({"title": {"$includes": "_"}}, [2]),
    ({"title": {"$notIncludes": "jam"}}, [2, 3, 4]),
    ({"title": {"$startsWith": "print"}}, [1]),
    ({"title": {"$startsWith": "100%"}}, [2]),
    ({"title": {"$endsWith": "SCREEN"}}, [2]),
    ({"title": {"$empty": True}}, [3, 4]),
    ({"title": {"$notEmpty": True}}, [1, 2]),
    # number
    ({"priority": {"$gte": 3}}, [1, 4]),
    ({"priority": {"$gt": 2.5}}, [1, 4]),
    ({"priority": {"$lt": "3"}}, [2]),
    ({"priority": {"$lte": 1.5}}, [2]),
    ({"priority": {"$between": [1, 3]}}, [1, 2]),
    ({"priority": {"$in": [1, 5]}}, [2, 4]),
    ({"priority": {"$empty": True}}, [3]),
    ({"amount": {"$gt": 10.5}}, [2]),
    ({"amount": {"$lte": "10.50"}}, [1, 4]),
    ({"amount": 0}, [4]),
    ({"amount": 99.99}, [2]),
    # bool
    ({"done": True}, [2]),
    ({"done": False}, [1, 4]),
    ({"done": {"$ne": True}}, [1, 3, 4]),
    ({"done": {"$empty": True}}, [3]),
    # date (now is 2024-05-02 12:00 UTC)
    ({"due": "2024-05-01"}, [1]),
    ({"due": {"$lt": "2024-05-01"}}, [4]),
    ({"due": {"$gte": "-1d"}}, [1, 2]),
    ({"due": {"$between": ["2024-04-30", "2024-05-01"]}}, [1, 4]),
    ({"due": {"$dateOn": "yesterday"}}, [1]),
    ({"due": {"$dateBefore": "today"}}, [1, 4]),
    ({"due": {"$dateAfter": "2024-05-01"}}, [2]),
    # datetime
    ({"created_at": {"$dateOn": "2024-05-01"}}, [1, 2]),
    ({"created_at": {"$dateOn": "yesterday"}}, [1, 2]),
    ({"created_at": {"$gte": "2024-05-01"}}, [1, 2]),
    ({"created_at": {"$lt": "2024-05-01T12:00:00+02:00"}}, [4]),
    ({"created_at": {"$gte": "-1d"}}, [2]),
    ({"created_at": {"$dateBefore": "2024-05-01"}}, [4]),
    ({"created_at": {"$dateAfter": "2024-04-30"}}, [1, 2]),
    ({"created_at": {"$lt": "{{now}}"}}, [1, 2, 4]),
    ({"created_at": {"$between": ["2024-05-01T10:00:00Z", "2024-05-01T23:30:00Z"]}}, [1, 2]),
    # time
    ({"start_time": {"$lt": "12:00"}}, [1]),
    # ref
    ({"customer": 1}, [1, 4]),
    ({"customer": {"id": 2}}, [2]),
    ({"customer": {"$ne": 1}}, [2, 3]),
    ({"customer": {"$in": [2, 3]}}, [2]),
    ({"customer": {"$empty": True}}, [3]),
    # variables
    ({"assignee": "{{ currentUser.id }}"}, [1, 4]),
    ({"assignee": {"$in": ["{{currentUser.id}}", 8]}}, [1, 2, 4]),
    # paths: any related record matches
    ({"customer.name": {"$includes": "acme"}}, [1, 4]),
    ({"customer.vip": True}, [1, 4]),
    ({"customer.vip": {"$ne": True}}, [2]),
    ({"comments.body": {"$includes": "acme"}}, [1]),
    ({"tags.name": "blue"}, [1, 2]),
    ({"tags.name": {"$ne": "blue"}}, [1, 4]),
    ({"ticket_repair.serial_no": "SN-1"}, [1]),
    ({"ticket_repair.serial_no": "SN-2"}, []),
    ({"ticket_repair.serial_no": {"$empty": True}}, [4]),
    ({"parent.title": {"$startsWith": "printer"}}, [2, 3]),
    ({"parent.parent.title": {"$includes": "jam"}}, [4]),
    ({"children.title": {"$includes": "screen"}}, [1]),
    ({"parent.customer.name": "Globex"}, [4]),
    ({"tags.name": "blue", "customer.name": {"$startsWith": "glob"}}, [2]),
    # to-many relations (refs)
    ({"tags": {"$anyOf": [1, 3]}}, [1, 4]),
    ({"tags": {"$allOf": [1, 2]}}, [1]),
    ({"tags": {"$allOf": [2]}}, [1, 2]),
    ({"tags": {"$noneOf": [2]}}, [3, 4]),
    ({"tags": {"$empty": True}}, [3]),
    ({"tags": {"$notEmpty": True}}, [1, 2, 4]),
    ({"comments": {"$anyOf": [3]}}, [2]),
    ({"comments": {"$allOf": [1, 2]}}, [1]),
    ({"comments": {"$allOf": [1, 3]}}, []),
    ({"comments": {"$empty": True}}, [3, 4]),
    ({"children": {"$anyOf": [2]}}, [1]),
    ({"children": {"$empty": True}}, [3, 4]),
    # arrays (multi-select)
    ({"labels": {"$anyOf": ["hw", "sw"]}}, [1, 2]),
    ({"labels": {"$allOf": ["hw", "urgent"]}}, [1]),
    ({"labels": {"$allOf": ["hw", "sw"]}}, []),
    ({"labels": {"$noneOf": ["hw"]}}, [2, 3, 4]),
    ({"labels": {"$empty": True}}, [3, 4]),
    ({"labels": {"$notEmpty": True}}, [1, 2]),
    # json and attachments: SQL NULL and JSON null are both empty
    ({"data": {"$empty": True}}, [2, 3]),
    ({"data": {"$notEmpty": True}}, [1, 4]),
    ({"files": {"$empty": True}}, [2, 3, 4]),
    ({"files": {"$notEmpty": True}}, [1]),
    # logic
    ({}, ALL),
    ({"$or": []}, ALL),
    ({"$or": [{"status": "closed"}, {"priority": 5}]}, [2, 4]),
    ({"$and": [{"status": "open"}, {"priority": {"$gte": 4}}]}, [4]),
    ({"priority": {"$gte": 1, "$lte": 3}}, [1, 2]),
    ({"$not": {"$or": [{"status": "open"}, {"priority": 1}]}}, [3]),
    ({"$not": {"$not": {"status": "open"}}}, [1, 4]),
]


def _id(case: Any) -> str:
    return str(case[0]) if isinstance(case, tuple) else str(case)


@pytest.mark.parametrize("case", CASES, ids=_id)
async def test_matches(db: Database, case: tuple[JSONValue, list[int]]) -> None:
    raw, expected = case
    assert await db.ids(raw) == expected
    if parse_filter(raw) != MATCH_ALL:  # the complement, exactly: nothing lost to SQL NULL
        assert await db.ids({"$not": raw}) == [i for i in ALL if i not in expected]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # 2024-05-01 in Shanghai runs from 2024-04-30 16:00 to 2024-05-01 16:00 UTC.
        ({"created_at": {"$dateOn": "2024-05-01"}}, [1, 4]),
        ({"created_at": {"$dateBefore": "2024-05-01"}}, []),
        ({"created_at": {"$dateAfter": "2024-05-01"}}, [2]),
        ({"created_at": {"$gte": "today"}}, [2]),  # today began at 2024-05-01 16:00 UTC
    ],
)
async def test_day_boundaries_follow_the_time_zone(db: Database, raw: JSONValue, expected: list[int]) -> None:
    assert await db.ids(raw, timezone="Asia/Shanghai") == expected


async def test_variables_come_from_the_caller(db: Database) -> None:
    raw: JSONValue = {"assignee": "{{currentUser.id}}"}
    assert await db.ids(raw, variables={"currentUser": {"id": 8}}) == [2]
    with pytest.raises(ValidationFailed) as info:
        await db.ids(raw, variables={"currentUser": {"id": None}})
    assert info.value.errors[0].code == "invalid_value"


@pytest.mark.parametrize(
    "raw",
    [{"nope": 1}, {"status": {"$nope": 1}}, {"priority": "x"}, {"tags": {"$anyOf": []}}],
)
async def test_errors_raise_before_any_sql(db: Database, raw: JSONValue) -> None:
    with pytest.raises(ValidationFailed):
        await db.ids(raw)

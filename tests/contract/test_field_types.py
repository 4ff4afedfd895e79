"""Contract tests for every built-in field type: options, to_db/to_api, and a round trip
through real SQLite and PostgreSQL columns; then the behaviour specific to each type."""

from __future__ import annotations

import json
import typing
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from deskbase.kernel.context import Actor, RequestContext
from deskbase.kernel.errors import FieldValueError
from deskbase.kernel.types import JSONValue, ValueKind
from deskbase.schema.field_types import builtin_field_types
from deskbase.schema.field_types.base import FieldType, GeneratedValue, SequenceFieldType
from deskbase.schema.field_types.formula import FormulaFieldType, FormulaOptions
from deskbase.schema.field_types.sqltypes import ExactDecimal, JSONValueType, UTCDateTime

__all__: list[str] = []

TYPES: dict[str, FieldType[Any]] = {t.key: t for t in builtin_field_types()}
CHOICES = {
    "choices": [
        {"value": "new", "label": "New", "color": "blue"},
        {"value": "open", "label": "Open", "color": "#FFaa00"},
        {"value": "closed", "label": "Closed"},
    ]
}
DIALECTS: dict[str, sa.Dialect] = {"sqlite": sqlite.dialect(), "postgresql": postgresql.dialect()}
CTX = RequestContext(actor=Actor(id=7), now=datetime(2026, 11, 23, 8, 0, tzinfo=UTC))


@dataclass(frozen=True)
class Case:
    options: dict[str, Any]
    sample: JSONValue  # what a client sends
    expected: JSONValue  # what the API returns after storing it (None: the sample)
    bad: Any  # a value of the wrong JSON type
    # False where the records service transforms the value between to_db and storage.
    round_trip: bool = True


CASES: dict[str, Case] = {
    "string": Case({"max_length": 20}, "héllo wörld", "héllo wörld", 42),
    "text": Case({}, "line 1\nline 2 " * 200, "line 1\nline 2 " * 200, ["x"]),
    "rich_text": Case({}, "<p>Hi <b>there</b></p>", "<p>Hi <b>there</b></p>", 1),
    "email": Case({}, "Ann@Example.COM", "Ann@example.com", 5),
    "phone": Case({}, " +86 (10) 1234-5678 ", "+86 (10) 1234-5678", 8613800000000),
    "url": Case({}, "https://example.com/a?b=1#c", "https://example.com/a?b=1#c", True),
    "integer": Case({}, 9007199254740993, 9007199254740993, True),
    "decimal": Case({"precision": 12, "scale": 2}, "1234567890.125", "1234567890.12", False),
    "percent": Case({}, 0.25, "0.2500", []),
    "currency": Case({"currency": "USD"}, -12.5, "-12.50", {"amount": 1}),
    "boolean": Case({}, False, False, "true"),
    "date": Case({}, "2026-11-23", "2026-11-23", 20261123),
    "datetime": Case({}, "2026-11-23T16:00:00+08:00", "2026-11-23T08:00:00+00:00", 1.5),
    "time": Case({}, "08:30", "08:30:00", 830),
    "select": Case(CHOICES, "Open", "open", 1),
    "multi_select": Case(CHOICES, ["closed", "New", "closed"], ["new", "closed"], "new"),
    "json": Case({}, {"a": [1, 2.5, None, "x"], "b": {"c": True}}, None, float("nan")),
    "auto_number": Case({"pattern": "TK-{YYYY}-{seq:6}"}, "TK-2026-000001", None, 1),
    "formula": Case({"expression": "a * 2"}, 3.5, 3.5, "3.5"),
    "created_at": Case({}, "2026-11-23T08:00:00Z", "2026-11-23T08:00:00+00:00", 1),
    "updated_at": Case({}, "2026-11-23T08:00:00", "2026-11-23T08:00:00+00:00", False),
    "created_by": Case({}, 7, 7, "7"),
    "updated_by": Case({}, 7, 7, 7.0),
    "many_to_one": Case({"target": "customers"}, {"id": 5}, 5, "5"),
    "one_to_many": Case({"target": "tickets", "inverse": "customer"}, [3, {"id": 1}, 3], [3, 1], 3),
    "many_to_many": Case({"target": "tags"}, [2, 2], [2], {"id": 2}),
    "attachment": Case({}, [4], None, "a.png", round_trip=False),  # ids become metadata
}
KEYS = sorted(CASES)
STORED = [key for key in KEYS if TYPES[key].stored]
ROUND_TRIP = [key for key in STORED if CASES[key].round_trip]


def expected(key: str) -> JSONValue:
    case = CASES[key]
    return case.sample if case.expected is None else case.expected


def options(key: str) -> Any:
    return TYPES[key].parse_options(CASES[key].options)


# -- the contract, for every registered type ------------------------------------------------


def test_every_registered_type_has_a_case() -> None:
    assert set(TYPES) - set(CASES) == set(), "add a Case for each new field type"
    assert set(CASES) - set(TYPES) == set()
    assert len(TYPES) == len(builtin_field_types()), "duplicate keys"


@pytest.mark.parametrize("key", KEYS)
def test_declares_its_capabilities(key: str) -> None:
    field_type = TYPES[key]
    assert field_type.key == key
    assert field_type.kind(options(key)) in typing.get_args(ValueKind)
    if isinstance(field_type, GeneratedValue | SequenceFieldType):
        assert not field_type.writable


@pytest.mark.parametrize("key", KEYS)
def test_options_parse_and_survive_json(key: str) -> None:
    field_type = TYPES[key]
    parsed = options(key)
    assert field_type.parse_options(parsed.model_dump(mode="json")) == parsed
    with pytest.raises(ValidationError):
        field_type.parse_options({**CASES[key].options, "no_such_option": 1})
    required = [n for n, f in field_type.Options.model_fields.items() if f.is_required()]
    if required:
        with pytest.raises(ValidationError):
            field_type.parse_options({})
    else:
        field_type.parse_options({})  # every option has a default


@pytest.mark.parametrize("key", KEYS)
def test_to_db_rejects_a_wrong_type(key: str) -> None:
    with pytest.raises(FieldValueError) as info:
        TYPES[key].to_db(CASES[key].bad, options(key))
    assert info.value.code == "type"
    assert info.value.message[:1].islower()  # short, lowercase messages


@pytest.mark.parametrize("key", [key for key in KEYS if CASES[key].round_trip])
def test_to_db_then_to_api(key: str) -> None:
    field_type, opts = TYPES[key], options(key)
    api = field_type.to_api(field_type.to_db(CASES[key].sample, opts), opts)
    assert api == expected(key)
    json.dumps(api, allow_nan=False)
    assert field_type.to_api(None, opts) is None


@pytest.mark.parametrize("key", STORED)
@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_column_type_compiles(key: str, dialect: str) -> None:
    column_type = TYPES[key].column_type(options(key))
    assert column_type.compile(dialect=DIALECTS[dialect])


async def test_round_trip_one_column_per_type(engine: AsyncEngine) -> None:
    metadata = sa.MetaData()
    table = sa.Table(
        "every_type",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        *(sa.Column(key, TYPES[key].column_type(options(key))) for key in ROUND_TRIP),
    )
    row = {key: TYPES[key].to_db(CASES[key].sample, options(key)) for key in ROUND_TRIP}
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
        await conn.execute(table.insert(), [row, dict.fromkeys(ROUND_TRIP)])
        stored, empty = (await conn.execute(sa.select(table).order_by(table.c.id))).mappings()
    got = {key: TYPES[key].to_api(stored[key], options(key)) for key in ROUND_TRIP}
    assert got == {key: expected(key) for key in ROUND_TRIP}
    assert all(TYPES[key].to_api(empty[key], options(key)) is None for key in ROUND_TRIP)


# -- column types ------------------------------------------------------------------------


async def test_exact_decimal_compares_exactly(engine: AsyncEngine) -> None:
    metadata = sa.MetaData()
    table = sa.Table("amounts", metadata, sa.Column("amount", ExactDecimal(12, 2), unique=True))
    values = ["-3.5", "1.5", "1.56", "2", "0.1", "9999999999.99"]
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
        await conn.execute(table.insert(), [{"amount": v} for v in values])

        async def amounts(where: sa.ColumnElement[bool]) -> list[Decimal]:
            query = sa.select(table.c.amount).where(where).order_by(table.c.amount)
            return list((await conn.execute(query)).scalars())

        everything = await amounts(sa.true())
        assert [str(d) for d in everything] == [
            "-3.50", "0.10", "1.50", "1.56", "2.00", "9999999999.99",
        ]  # fmt: skip
        assert await amounts(table.c.amount > Decimal("1.5")) == everything[3:]
        assert await amounts(table.c.amount >= 1.5) == everything[2:]
        assert await amounts(table.c.amount > Decimal("1.555")) == everything[3:]
        assert await amounts(table.c.amount == Decimal("0.10")) == [Decimal("0.10")]
        assert await amounts(table.c.amount.in_([Decimal("1.5"), 2, "1.555", -3.5])) == [
            Decimal("-3.50"), Decimal("1.50"), Decimal("2.00"),
        ]  # fmt: skip
        assert await amounts(table.c.amount.between(0, 2)) == everything[1:5]
        total = (await conn.execute(sa.select(sa.func.sum(table.c.amount)))).scalar_one()
        assert total == Decimal("10000000001.65")
        with pytest.raises(sa.exc.IntegrityError):
            await conn.execute(table.insert(), [{"amount": Decimal("1.50")}])


async def test_utc_datetime_round_trip(engine: AsyncEngine) -> None:
    metadata = sa.MetaData()
    table = sa.Table("instants", metadata, sa.Column("at", UTCDateTime()))
    shanghai = datetime(2026, 11, 23, 16, 0, 0, 123456, tzinfo=timezone(timedelta(hours=8)))
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
        await conn.execute(table.insert(), [{"at": shanghai}, {"at": datetime(2026, 1, 1)}])
        query = sa.select(table.c.at).order_by(table.c.at)
        first, second = (await conn.execute(query)).scalars()
        later = sa.select(table.c.at).where(table.c.at > datetime(2026, 11, 23, 7, 59, tzinfo=UTC))
        assert list((await conn.execute(later)).scalars()) == [shanghai]
    assert first == datetime(2026, 1, 1, tzinfo=UTC)
    assert second == shanghai
    assert second.tzinfo is UTC
    assert (second.hour, second.microsecond) == (8, 123456)


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
async def test_json_arrays_support_has_any_on_postgres(engine: AsyncEngine) -> None:
    metadata = sa.MetaData()
    table = sa.Table(
        "tags",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tags", JSONValueType()),
    )
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
        await conn.execute(table.insert(), [{"tags": ["a", "b"]}, {"tags": ["c"]}])
        any_of = sa.select(table.c.id).where(table.c.tags.has_any(["b", "c"]))
        all_of = sa.select(table.c.id).where(table.c.tags.has_all(["a", "b"]))
        assert list((await conn.execute(any_of.order_by(table.c.id))).scalars()) == [1, 2]
        assert list((await conn.execute(all_of)).scalars()) == [1]


# -- text ----------------------------------------------------------------------------------


def test_string_length_and_nul() -> None:
    string = TYPES["string"]
    with pytest.raises(FieldValueError, match="at most 3") as info:
        string.to_db("abcd", string.parse_options({"max_length": 3}))
    assert info.value.code == "too_long"
    with pytest.raises(FieldValueError):
        string.to_db("a\x00b", string.parse_options({}))
    with pytest.raises(ValidationError):
        string.parse_options({"max_length": 10001})


def test_rich_text_is_sanitized() -> None:
    rich = TYPES["rich_text"]
    html = rich.to_db(
        '<p onclick="steal()">Hi<script>alert(1)</script></p>'
        '<img src="https://x.test/a.png" onerror="alert(1)" alt="a">'
        '<a href="javascript:alert(1)">bad</a><a href="https://x.test">good</a>'
        "<table><tr><td colspan=2>cell</td></tr></table><style>p{}</style>",
        rich.parse_options({}),
    )
    assert isinstance(html, str)
    for gone in ("<script", "alert", "onerror", "onclick", "javascript:", "<style"):
        assert gone not in html
    for kept in ('<img src="https://x.test/a.png" alt="a">', 'href="https://x.test"', "<td"):
        assert kept in html


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("email", "not-an-email"),
        ("email", "a@b"),
        ("phone", "1234"),
        ("phone", "call me maybe"),
        ("phone", "+1 (555) 010-0000 ext. 2"),
        ("url", "ftp://example.com"),
        ("url", "javascript:alert(1)"),
        ("url", "example.com"),
        ("url", "https://"),
    ],
)
def test_text_formats_are_validated(key: str, value: str) -> None:
    with pytest.raises(FieldValueError) as info:
        TYPES[key].to_db(value, options(key))
    assert info.value.code == "invalid_format"


# -- numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "result"),
    [(42, 42), ("-17", -17), (" 5 ", 5), (3.0, 3), (-(2**63) + 1, -(2**63) + 1)],
)
def test_integer_accepts(value: JSONValue, result: int) -> None:
    assert TYPES["integer"].to_db(value, options("integer")) == result


@pytest.mark.parametrize(
    ("value", "code"),
    [(True, "type"), (1.5, "type"), ("1.0", "invalid_format"), ("1e3", "invalid_format"),
     (2**63, "out_of_range"), (None, "type")],
)  # fmt: skip
def test_integer_rejects(value: JSONValue, code: str) -> None:
    with pytest.raises(FieldValueError) as info:
        TYPES["integer"].to_db(value, options("integer"))
    assert info.value.code == code


@pytest.mark.parametrize(
    ("value", "api"),
    [("0.125", "0.12"), ("0.135", "0.14"), (7, "7.00"), ("1e3", "1000.00"), ("-0.001", "0.00"),
     (0.1, "0.10"), ("+9999999999.994", "9999999999.99"), (" 2.5 ", "2.50")],
)  # fmt: skip
def test_decimal_rounds_half_even(value: JSONValue, api: str) -> None:
    decimal = TYPES["decimal"]
    assert decimal.to_api(decimal.to_db(value, options("decimal")), options("decimal")) == api


@pytest.mark.parametrize(
    ("value", "code"),
    [("10000000000", "out_of_range"), ("9999999999.995", "out_of_range"), ("1e400", "out_of_range"),
     ("1_000", "invalid_format"), ("NaN", "invalid_format"), ("Infinity", "invalid_format"),
     ("١٢", "invalid_format"), ("", "invalid_format"), (float("inf"), "invalid_format")],
)  # fmt: skip
def test_decimal_rejects(value: JSONValue, code: str) -> None:
    with pytest.raises(FieldValueError) as info:
        TYPES["decimal"].to_db(value, options("decimal"))
    assert info.value.code == code


def test_decimal_options() -> None:
    assert TYPES["percent"].parse_options({}).model_dump() == {"precision": 9, "scale": 4}
    assert TYPES["currency"].parse_options({}).model_dump()["currency"] == "CNY"
    fraction = TYPES["decimal"].parse_options({"precision": 2, "scale": 2})
    assert TYPES["decimal"].to_db("0.99", fraction) == Decimal("0.99")
    assert TYPES["decimal"].to_db(0, fraction) == Decimal("0.00")
    for bad in ({"precision": 19}, {"precision": 4, "scale": 5}, {"scale": -1}):
        with pytest.raises(ValidationError):
            TYPES["decimal"].parse_options(bad)
    with pytest.raises(ValidationError):
        TYPES["currency"].parse_options({"currency": "usd"})


@given(st.decimals(min_value=-(10**10) + 1, max_value=10**10 - 1, places=2))
def test_decimal_api_strings_are_exact(value: Decimal) -> None:
    decimal, opts = TYPES["decimal"], options("decimal")
    api = decimal.to_api(decimal.to_db(str(value), opts), opts)
    assert isinstance(api, str)
    assert Decimal(api) == value
    assert decimal.to_api(decimal.to_db(api, opts), opts) == api


# -- dates and times ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "api"),
    [("2026-11-23T08:00:00Z", "2026-11-23T08:00:00+00:00"),
     ("2026-11-23 03:00-05:00", "2026-11-23T08:00:00+00:00"),
     ("2026-11-23T08:00:00.5", "2026-11-23T08:00:00.500000+00:00")],
)  # fmt: skip
def test_datetime_normalizes_to_utc(value: str, api: str) -> None:
    assert (
        TYPES["datetime"].to_api(TYPES["datetime"].to_db(value, options("datetime")), options("datetime"))
        == api
    )


@pytest.mark.parametrize(
    ("key", "value"),
    [("datetime", "2026-11-23"), ("datetime", "yesterday"), ("datetime", "2026-13-01T00:00"),
     ("date", "2026-02-30"), ("date", "20261123"), ("date", "2026-11-23T08:00"),
     ("time", "24:00"), ("time", "8:30"), ("time", "08:30:00+01:00")],
)  # fmt: skip
def test_dates_and_times_reject_bad_formats(key: str, value: str) -> None:
    with pytest.raises(FieldValueError) as info:
        TYPES[key].to_db(value, options(key))
    assert info.value.code == "invalid_format"


@pytest.mark.parametrize(
    ("key", "on_update", "value"),
    [("created_at", False, CTX.now), ("updated_at", True, CTX.now),
     ("created_by", False, 7), ("updated_by", True, 7)],
)  # fmt: skip
def test_generated_values(key: str, on_update: bool, value: object) -> None:
    field_type = TYPES[key]
    assert isinstance(field_type, GeneratedValue)
    assert field_type.on_create
    assert field_type.on_update is on_update
    assert not field_type.writable
    assert field_type.generate(CTX) == value


# -- choices -----------------------------------------------------------------------------


def test_select_takes_values_or_labels() -> None:
    select, opts = TYPES["select"], options("select")
    assert select.to_db("new", opts) == "new"
    assert select.to_db("Closed", opts) == "closed"
    with pytest.raises(FieldValueError, match="new, open, closed") as info:
        select.to_db("pending", opts)
    assert info.value.code == "invalid_choice"


def test_multi_select_orders_and_dedupes() -> None:
    multi, opts = TYPES["multi_select"], options("multi_select")
    assert multi.to_db(["Closed", "open", "new", "Open"], opts) == ["new", "open", "closed"]
    assert multi.to_db([], opts) == []
    with pytest.raises(FieldValueError) as info:
        multi.to_db(["new", "nope"], opts)
    assert info.value.code == "invalid_choice"
    assert not multi.sortable
    assert not multi.can_be_unique


def test_choice_options_are_validated() -> None:
    select = TYPES["select"]
    parsed = select.parse_options({"choices": [{"value": "a"}, {"value": "b", "color": "#ABCDEF"}]})
    assert parsed.model_dump(mode="json")["choices"] == [
        {"value": "a", "label": "a", "color": None},
        {"value": "b", "label": "b", "color": "#abcdef"},
    ]
    bad: dict[str, Any]
    for bad in (
        {"choices": []},
        {"choices": [{"value": "a"}, {"value": "a", "label": "A2"}]},
        {"choices": [{"value": "a", "label": "Same"}, {"value": "b", "label": "Same"}]},
        {"choices": [{"value": ""}]},
        {"choices": [{"value": "x" * 65}]},
        {"choices": [{"value": "a", "color": "chartreuse"}]},
        {"choices": [{"value": "a", "color": "#abc"}]},
    ):
        with pytest.raises(ValidationError):
            select.parse_options(bad)


# -- auto numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "scope", "rendered"),
    [("TK-{YYYY}-{seq:6}", "2026", "TK-2026-000042"),
     ("{seq:6}", "", "000042"),
     ("{YY}{MM}{DD}/{seq}", "26-11-23", "261123/42"),
     ("#{seq:2}", "", "#42")],
)  # fmt: skip
def test_auto_number_render_and_scope(pattern: str, scope: str, rendered: str) -> None:
    auto = TYPES["auto_number"]
    assert isinstance(auto, SequenceFieldType)
    opts = auto.parse_options({"pattern": pattern})
    assert auto.scope(opts, CTX) == scope
    assert auto.render(opts, 42, CTX) == rendered
    assert str(auto.render(opts, 1234567, CTX)).endswith("1234567")  # wider than its padding


def test_auto_number_scope_follows_utc_date() -> None:
    auto = TYPES["auto_number"]
    assert isinstance(auto, SequenceFieldType)
    opts = auto.parse_options({"pattern": "{YYYY}-{seq}"})
    eve = RequestContext(actor=Actor(id=1), now=datetime(2027, 1, 1, 7, tzinfo=timezone(timedelta(hours=8))))
    assert auto.scope(opts, eve) == "2026"


@pytest.mark.parametrize(
    "pattern",
    [
        "",
        "no-seq",
        "{seq}-{seq}",
        "{YYY}-{seq}",
        "{seq:0}",
        "{seq:19}",
        "x{" + "{seq}",
        "X" * 60 + "{seq}",
    ],
)
def test_auto_number_rejects_bad_patterns(pattern: str) -> None:
    with pytest.raises(ValidationError):
        TYPES["auto_number"].parse_options({"pattern": pattern})


# -- formulas ----------------------------------------------------------------------------


def formula(expression: str, result_type: str = "number") -> tuple[FormulaFieldType, FormulaOptions]:
    field_type = TYPES["formula"]
    assert isinstance(field_type, FormulaFieldType)
    return field_type, field_type.parse_options({"expression": expression, "result_type": result_type})


@pytest.mark.parametrize(
    ("expression", "result_type", "values", "result"),
    [("price * qty", "number", {"price": Decimal("2.50"), "qty": 3}, 7.5),
     ("round(price / 3, 2)", "number", {"price": 10}, 3.33),
     ("price / qty", "number", {"price": 1, "qty": 0}, None),
     ("price + qty", "number", {"price": 1, "qty": None}, None),
     ("coalesce(qty, 0) + 1", "number", {"qty": None}, 1.0),
     ("missing + 1", "number", {}, None),
     ("max(a, b) - min(a, b) + abs(-1)", "number", {"a": 2, "b": 5}, 4.0),
     ("concat(upper(code), '-', n)", "text", {"code": "tk", "n": 7}, "TK-7"),
     ("IF(len(name) > 3, lower(name), 'short')", "text", {"name": "ALICE"}, "alice"),
     ("qty > 2 and not done", "boolean", {"qty": 3, "done": False}, True),
     ("due", "date", {"due": date(2026, 11, 23)}, date(2026, 11, 23)),
     ("'oops'", "number", {}, None),
     ("2 ** 10000 * 1.0", "number", {}, None)],
)  # fmt: skip
def test_formula_compute(
    expression: str, result_type: str, values: dict[str, object], result: object
) -> None:
    field_type, opts = formula(expression, result_type)
    assert field_type.compute(opts, values) == result


def test_formula_kind_and_column_follow_result_type() -> None:
    for result_type, kind in [
        ("number", "number"),
        ("text", "text"),
        ("boolean", "bool"),
        ("date", "date"),
    ]:
        field_type, opts = formula("a", result_type)
        assert field_type.kind(opts) == kind
    assert not TYPES["formula"].writable


def test_formula_names_and_check() -> None:
    field_type, opts = formula("IF(price > 10, round(price * qty), coalesce(discount, 0))")
    assert field_type.names(opts) == {"price", "qty", "discount"}
    field_type.check(opts, {"price", "qty", "discount", "title"})
    with pytest.raises(FieldValueError, match="unknown field 'discount'"):
        field_type.check(opts, {"price", "qty"})


@pytest.mark.parametrize(
    ("expression", "message"),
    [("a.b", "attribute"), ("a[0]", "subscript"), ("(lambda: 1)()", "named functions"),
     ("lambda: 1", "lambda"), ("[x for x in a]", "comprehension"),
     ("open('x')", "unknown function"),
     ("__import__('os')", "unknown function"), ("a; b", "invalid expression"),
     ("(a := 1)", "NamedExpr"), ("round(a, ndigits=1)", "keyword")],
)  # fmt: skip
def test_formula_rejects_unsafe_syntax(expression: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        TYPES["formula"].parse_options({"expression": expression})

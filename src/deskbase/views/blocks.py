"""A dashboard's blocks: checked whole on save, every problem with its path (`blocks.3.layout.w`).

A block's `query` is what `GET /api/data/{c}/aggregate` takes, as lists: its syntax is checked
with the aggregate API's own parsers and its field paths against the collection; the kinds of
the fields and the reader's rights are checked by the aggregate API when the block is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from deskbase.data.aggregate import MAX_LIMIT
from deskbase.data.aggregate.spec import parse_groups, parse_measures, parse_order
from deskbase.data.filters import Operator, build_where, resolve_path
from deskbase.kernel.context import RequestContext
from deskbase.kernel.errors import FieldError, ValidationFailed
from deskbase.kernel.registry import Registry
from deskbase.kernel.types import JSONValue
from deskbase.schema.catalog import Catalog
from deskbase.schema.model import Collection
from deskbase.views.block_types import BlockType
from deskbase.views.members import Problems, is_int, moved

__all__ = [
    "BLOCK_KEYS",
    "LAYOUT",
    "MAX_BLOCKS",
    "MAX_BLOCK_ID",
    "MAX_TITLE",
    "QUERY_KEYS",
    "BlockChecker",
    "BlockQuery",
]

MAX_BLOCKS = 50
MAX_BLOCK_ID = 64
MAX_TITLE = 200
BLOCK_KEYS = ("id", "type", "title", "collection", "query", "layout")
QUERY_KEYS = ("group_by", "measures", "filter", "order", "limit", "tz")
# On a 12-column grid; `h` in grid rows. `y` is capped only to keep numbers sane.
LAYOUT: dict[str, tuple[int, int]] = {"x": (0, 11), "y": (0, 10_000), "w": (1, 12), "h": (1, 20)}


@dataclass(frozen=True, slots=True)
class BlockQuery:
    """A block's aggregation, as stored and answered: every member present."""

    group_by: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    filter: JSONValue = None
    order: tuple[str, ...] = ()
    limit: int | None = None
    tz: str | None = None

    def to_json(self) -> dict[str, JSONValue]:
        return {
            "group_by": list(self.group_by),
            "measures": list(self.measures),
            "filter": self.filter,
            "order": list(self.order),
            "limit": self.limit,
            "tz": self.tz,
        }


@dataclass(frozen=True, slots=True)
class BlockChecker:
    catalog: Catalog
    operators: Registry[Operator]
    block_types: Registry[BlockType]
    dialect: str
    timezone: str

    def check(self, raw: JSONValue, ctx: RequestContext, problems: Problems) -> list[JSONValue]:
        """The blocks to store (`null` is no blocks); problems are added to `problems`."""
        if raw is None:
            return []
        if not isinstance(raw, list):
            problems.add("blocks", "a list of blocks", "invalid_type")
            return []
        if len(raw) > MAX_BLOCKS:
            problems.add("blocks", f"at most {MAX_BLOCKS} blocks", "too_many")
            return []
        seen: set[str] = set()
        out: list[JSONValue] = []
        for i, item in enumerate(raw):
            block = self._block(item, f"blocks.{i}", ctx, seen, problems)
            if block is not None:
                out.append(block)
        return out

    def _block(
        self, item: JSONValue, at: str, ctx: RequestContext, seen: set[str], problems: Problems
    ) -> dict[str, JSONValue] | None:
        if not isinstance(item, dict):
            problems.add(at, "a block object", "invalid_type")
            return None
        before = len(problems.errors)
        for key in item:
            if key not in BLOCK_KEYS:
                problems.add(f"{at}.{key}", f"unknown member {key!r}", "unknown_key")
        block_id = self._id(item, at, seen, problems)
        btype = self._type(item, at, problems)
        title = item.get("title") or ""
        if not isinstance(title, str):
            problems.add(f"{at}.title", "a string", "invalid_type")
        elif len(title) > MAX_TITLE:
            problems.add(f"{at}.title", f"at most {MAX_TITLE} characters", "too_long")
        name, coll = item.get("collection"), None
        if name is None:
            problems.add(f"{at}.collection", "the collection the block aggregates", "required")
        elif not isinstance(name, str):
            problems.add(f"{at}.collection", "a collection name", "invalid_type")
        elif (coll := self.catalog.find(name)) is None:
            problems.add(f"{at}.collection", f"no collection {name!r}", "unknown_collection")
        query = self._query(item.get("query"), f"{at}.query", coll, btype, ctx, problems)
        layout = _layout(item.get("layout"), f"{at}.layout", problems)
        if len(problems.errors) > before or btype is None or query is None:
            return None
        return {
            "id": block_id,
            "type": btype.key,
            "title": title,
            "collection": name,
            "query": query.to_json(),
            "layout": layout,
        }

    def _id(self, item: dict[str, Any], at: str, seen: set[str], problems: Problems) -> str | None:
        block_id = item.get("id")
        if block_id is None:
            problems.add(f"{at}.id", "an id, unique in the dashboard", "required")
        elif not isinstance(block_id, str) or not 1 <= len(block_id) <= MAX_BLOCK_ID:
            problems.add(f"{at}.id", f"a string of 1 to {MAX_BLOCK_ID} characters", "invalid_value")
        elif block_id in seen:
            problems.add(f"{at}.id", f"block id {block_id!r} is used twice", "duplicate")
        else:
            seen.add(block_id)
            return block_id
        return None

    def _type(self, item: dict[str, Any], at: str, problems: Problems) -> BlockType | None:
        kind = item.get("type")
        if kind is None:
            problems.add(f"{at}.type", "a block type", "required")
        elif not isinstance(kind, str) or kind not in self.block_types:
            known = ", ".join(self.block_types.keys())
            problems.add(f"{at}.type", f"unknown block type {kind!r}; use one of {known}", "unknown_key")
        else:
            return self.block_types.get(kind)
        return None

    def _query(
        self,
        raw: JSONValue,
        at: str,
        coll: Collection | None,
        btype: BlockType | None,
        ctx: RequestContext,
        problems: Problems,
    ) -> BlockQuery | None:
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            problems.add(at, "an object like the aggregate API's parameters", "invalid_type")
            return None
        for key in raw:
            if key not in QUERY_KEYS:
                problems.add(f"{at}.{key}", f"unknown member {key!r}", "unknown_key")
        group_by = _keys(raw.get("group_by"), f"{at}.group_by", problems)
        measures = _keys(raw.get("measures"), f"{at}.measures", problems)
        order = _keys(raw.get("order"), f"{at}.order", problems)
        errors: list[FieldError] = []  # the aggregate parsers' own, on `group_by.0` etc.
        groups = parse_groups(group_by, errors)
        specs = parse_measures(measures, errors)
        parse_order(order, {g.key for g in groups} | {m.key for m in specs}, errors)
        for i, key in enumerate(group_by):
            if key in group_by[:i]:
                errors.append(FieldError(f"group_by.{i}", f"{key!r} is grouped on twice", "duplicate"))
        if btype is not None and not btype.min_groups <= len(group_by) <= btype.max_groups:
            message = btype.groups_message or (
                f"a {btype.key} block takes {btype.min_groups} to {btype.max_groups} group keys"
            )
            errors.append(FieldError("group_by", message, "invalid_value"))
        if coll is not None:
            paths = [(g.path, g.where) for g in groups] + [(m.path, m.where) for m in specs if m.path]
            for path, where in paths:
                try:
                    resolve_path(coll, self.catalog, path, where=where)
                except ValidationFailed as exc:
                    errors += exc.errors
        problems.extend(FieldError(f"{at}.{e.field}", e.message, e.code) for e in errors)
        limit = raw.get("limit")
        if limit is not None and not (is_int(limit) and 1 <= limit <= MAX_LIMIT):
            problems.add(f"{at}.limit", f"null or 1 to {MAX_LIMIT}", "out_of_range")
        tz = raw.get("tz")
        if tz is not None and not _zone(tz):
            problems.add(f"{at}.tz", f"unknown time zone {tz!r} (use an IANA name)", "invalid_value")
        condition = raw.get("filter")
        if condition is not None and not isinstance(condition, dict):
            problems.add(f"{at}.filter", "a filter object or null", "invalid_type")
        elif condition is not None and coll is not None:
            self._filter(condition, at, coll, ctx, problems)
        query = BlockQuery(
            group_by,
            measures,
            condition,
            order,
            limit if is_int(limit) else None,
            tz if isinstance(tz, str) else None,
        )
        if btype is not None:
            problems.extend(btype.check(query, at))
        return query

    def _filter(
        self, raw: JSONValue, at: str, coll: Collection, ctx: RequestContext, problems: Problems
    ) -> None:
        # Shape and names only: each reader's rights apply when the block is drawn.
        try:
            build_where(
                raw,
                coll,
                self.catalog,
                self.operators,
                dialect=self.dialect,
                variables=ctx.variables(),
                now=ctx.now,
                timezone=self.timezone,
            )
        except ValidationFailed as exc:
            problems.extend(moved(exc, at).errors)


def _keys(raw: JSONValue, at: str, problems: Problems) -> tuple[str, ...]:
    """A list of keys such as `status` or `sum:amount`; the web app joins them with commas."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.add(at, "a list of strings", "invalid_type")
        return ()
    out: list[str] = []
    for i, key in enumerate(raw):
        if not isinstance(key, str):
            problems.add(f"{at}.{i}", "a string", "invalid_type")
        elif not key.strip() or "," in key:
            problems.add(f"{at}.{i}", "a non-empty key without commas", "invalid_value")
        else:
            out.append(key.strip())
    return tuple(out)


def _zone(name: JSONValue) -> bool:
    if not isinstance(name, str) or not 0 < len(name) <= 64:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _layout(raw: JSONValue, at: str, problems: Problems) -> dict[str, JSONValue]:
    if raw is None:
        problems.add(at, "the block's place: x, y, w, h", "required")
        return {}
    if not isinstance(raw, dict):
        problems.add(at, "an object of x, y, w, h", "invalid_type")
        return {}
    for key in raw:
        if key not in LAYOUT:
            problems.add(f"{at}.{key}", f"unknown member {key!r}", "unknown_key")
    out: dict[str, JSONValue] = {}
    for key, (low, high) in LAYOUT.items():
        value = raw.get(key)
        if value is None:
            problems.add(f"{at}.{key}", "required", "required")
        elif not isinstance(value, int) or isinstance(value, bool):
            problems.add(f"{at}.{key}", "an integer", "invalid_type")
        elif not low <= value <= high:
            problems.add(f"{at}.{key}", f"from {low} to {high}", "out_of_range")
        else:
            out[key] = value
    return out

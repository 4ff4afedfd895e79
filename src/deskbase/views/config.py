"""A saved view's `config`: checked against its collection on save, pruned of stale names on read.

```python
config = check_config(raw, Checking(ctx, grant, records), problems)   # on save: 422 / 403
config = prune_config(stored, coll, catalog)                          # on read: never fails
```
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from deskbase.data.access import Grant
from deskbase.data.filters import resolve_path
from deskbase.data.query import parse_list, parse_sort
from deskbase.data.records import RecordService
from deskbase.data.search import search_terms
from deskbase.data.sorting import plan_sort
from deskbase.kernel.context import RequestContext
from deskbase.kernel.errors import AppError, FieldError, FieldForbidden, ValidationFailed
from deskbase.kernel.types import JSONValue
from deskbase.schema.catalog import Catalog
from deskbase.schema.model import Collection
from deskbase.views.fields import ROLES, find_field
from deskbase.views.members import Problems, moved

__all__ = [
    "CONFIG_KEYS",
    "MAX_FIELDS",
    "MAX_WIDTH",
    "MIN_WIDTH",
    "VIEW_KINDS",
    "Checking",
    "check_config",
    "left_out",
    "prune_config",
    "prune_filter",
]

VIEW_KINDS = ("grid", "kanban", "calendar", "gantt", "gallery", "form")
CONFIG_KEYS = ("filter", "sort", "q", "fields", "widths", "type", *ROLES)
MIN_WIDTH, MAX_WIDTH = 40, 1000
MAX_FIELDS = 500


@dataclass(frozen=True, slots=True)
class Checking:
    """Who saves the view, with their `list` grant on its collection: a filter, sort or field
    their role may not read is refused as it is by the list API (403 `field_forbidden`)."""

    ctx: RequestContext
    grant: Grant
    records: RecordService

    @property
    def coll(self) -> Collection:
        return self.grant.coll


def check_config(raw: JSONValue, checking: Checking, problems: Problems) -> dict[str, JSONValue]:
    """The config to store; a key set to null is left out, as if it was not sent."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.add("config", "an object", "invalid_type")
        return {}
    out: dict[str, JSONValue] = {}
    for key, value in raw.items():
        at = f"config.{key}"
        if key not in CONFIG_KEYS:
            problems.add(at, f"unknown setting {key!r}", "unknown_key")
        elif value is not None and _CHECKS[key](value, at, checking, problems):
            out[key] = value.strip() if isinstance(value, str) and key in ("sort", "q") else value
    return out


def _filter(value: JSONValue, at: str, checking: Checking, problems: Problems) -> bool:
    if not isinstance(value, dict):
        problems.add(at, "a filter object", "invalid_type")
        return False
    return _collect(lambda: checking.records.user_filter(checking.ctx, checking.grant, value), problems)


def _sort(value: JSONValue, at: str, checking: Checking, problems: Problems) -> bool:
    if not isinstance(value, str):
        problems.add(at, 'a string like "-created_at,priority"', "invalid_type")
        return False
    guard, ctx = checking.records.guard, checking.ctx

    def check() -> None:
        keys = parse_sort(value)
        for key in keys:
            guard.check_path(ctx, checking.grant, key.path, "sort")
        restrict = None if checking.grant.unrestricted else guard.restrict(ctx)
        plan_sort(checking.coll, checking.records.catalog, keys, restrict)

    return _collect(check, problems)


def _search(value: JSONValue, at: str, checking: Checking, problems: Problems) -> bool:
    if not isinstance(value, str):
        problems.add(at, "a string", "invalid_type")
        return False
    return _collect(lambda: search_terms(value), problems)


def _fields(value: JSONValue, at: str, checking: Checking, problems: Problems) -> bool:
    if not isinstance(value, list):
        problems.add(at, "a list of field names", "invalid_type")
        return False
    if len(value) > MAX_FIELDS:
        problems.add(at, f"at most {MAX_FIELDS} fields", "too_many")
        return False
    before = len(problems.errors)
    seen: set[str] = set()
    for i, name in enumerate(value):
        if _named(name, f"{at}.{i}", checking, problems) and isinstance(name, str):
            if name in seen:
                problems.add(f"{at}.{i}", f"{name!r} is listed twice", "duplicate")
            seen.add(name)
    return len(problems.errors) == before


def _widths(value: JSONValue, at: str, checking: Checking, problems: Problems) -> bool:
    if not isinstance(value, dict):
        problems.add(at, "an object of field: width in pixels", "invalid_type")
        return False
    before = len(problems.errors)
    for name, width in value.items():
        where = f"{at}.{name}"
        if find_field(checking.coll, name) is None:
            problems.add(where, f"{checking.coll.name} has no field {name!r}", "unknown_field")
        elif not isinstance(width, int) or isinstance(width, bool):
            problems.add(where, "a whole number of pixels", "invalid_type")
        elif not MIN_WIDTH <= width <= MAX_WIDTH:
            problems.add(where, f"from {MIN_WIDTH} to {MAX_WIDTH} pixels", "out_of_range")
    return len(problems.errors) == before


def _type(value: JSONValue, at: str, checking: Checking, problems: Problems) -> bool:
    """A business type: an extension collection of this one (its records of that type)."""
    if not isinstance(value, str):
        problems.add(at, "the name of a business type", "invalid_type")
        return False
    if not _is_type(checking.coll, value):
        problems.add(at, f"{checking.coll.name} has no business type {value!r}", "unknown_type")
        return False
    return True


def _is_type(coll: Collection, name: JSONValue) -> bool:
    ext = coll.extensions.get(name) if isinstance(name, str) else None
    return ext is not None and ext.extends is not None


def _role(key: str) -> Callable[[JSONValue, str, Checking, Problems], bool]:
    """The check of `kanban_field`, `date_field`, …: a field that suits the role."""
    role = ROLES[key]

    def check(value: JSONValue, at: str, checking: Checking, problems: Problems) -> bool:
        if not _named(value, at, checking, problems) or not isinstance(value, str):
            return False
        fld = find_field(checking.coll, value)
        if fld is not None and not role.accepts(fld):
            problems.add(at, f"needs {role.needs}; {value!r} is a {fld.type.key} field", "invalid_value")
            return False
        return True

    return check


def _named(name: JSONValue, at: str, checking: Checking, problems: Problems) -> bool:
    """`name` is a field (or `extension.field`) of the collection the saver may read."""
    if not isinstance(name, str):
        problems.add(at, "a field name", "invalid_type")
        return False
    if find_field(checking.coll, name) is None:
        problems.add(at, f"{checking.coll.name} has no field {name!r}", "unknown_field")
        return False
    if not checking.grant.allows(name):
        raise FieldForbidden(
            f"Your role may not read {name} of {checking.coll.name}",
            errors=[FieldError(at, "not allowed for your role", "field_forbidden")],
        )
    return True


def _collect(check: Callable[[], object], problems: Problems) -> bool:
    """Run a check of the data layer; its 422 problems are kept under `config.`, a 403 is raised."""
    try:
        check()
    except ValidationFailed as exc:
        problems.extend(moved(exc, "config").errors)
        return False
    except FieldForbidden as exc:
        raise moved(exc, "config") from None
    return True


_CHECKS: dict[str, Callable[[JSONValue, str, Checking, Problems], bool]] = {
    "filter": _filter,
    "sort": _sort,
    "q": _search,
    "fields": _fields,
    "widths": _widths,
    "type": _type,
    **{key: _role(key) for key in ROLES},
}


# -- reading -------------------------------------------------------------------------------


def prune_config(
    config: Mapping[str, JSONValue],
    coll: Collection,
    catalog: Catalog,
    readable: Callable[[str], bool] = lambda _path: True,
) -> dict[str, JSONValue]:
    """The stored config without the names of fields removed since it was saved, nor those the
    reader may not read (`readable`: a shared view, or a field hidden from a role since): what is
    left opens for that reader as the list API takes it, instead of a 403."""

    def exists(name: JSONValue) -> bool:
        return isinstance(name, str) and find_field(coll, name) is not None and readable(name)

    def reaches(path: str) -> bool:
        try:
            resolve_path(coll, catalog, path)
        except AppError:
            return False
        return readable(path)

    out: dict[str, JSONValue] = {}
    for key, value in config.items():
        if key == "fields" and isinstance(value, list):
            out[key] = [n for n in value if exists(n)]
        elif key == "widths" and isinstance(value, dict):
            out[key] = {n: w for n, w in value.items() if exists(n)}
        elif key in ROLES:
            if exists(value):
                out[key] = value
        elif key == "sort" and isinstance(value, str):
            kept = [k for k in parse_list(value) if reaches(k.lstrip("-+"))]
            if kept:
                out[key] = ",".join(kept)
        elif key == "filter":
            out[key] = prune_filter(value, reaches)
        elif key == "type":
            if _is_type(coll, value):  # (a business type deleted since: all the records again)
                out[key] = value
        else:
            out[key] = value
    return out


def left_out(stored: Mapping[str, JSONValue], pruned: Mapping[str, JSONValue]) -> list[str]:
    """The keys of `stored` that `prune_config` changed or dropped, in order: what a reader's
    app should say was left out. Column widths go with `fields` and are not reported alone."""
    return [k for k, v in stored.items() if k != "widths" and v is not None and pruned.get(k) != v]


def prune_filter(raw: JSONValue, reaches: Callable[[str], bool]) -> JSONValue:
    """The filter without its conditions on paths that no longer lead to a field; a group left
    empty means no condition, as the filter language reads it."""
    if not isinstance(raw, dict):
        return raw
    out: dict[str, JSONValue] = {}
    for key, value in raw.items():
        if key in ("$and", "$or") and isinstance(value, list):
            out[key] = [c for c in (prune_filter(v, reaches) for v in value) if c != {}]
        elif key == "$not":
            child = prune_filter(value, reaches)
            if child != {}:
                out[key] = child
        elif key.startswith("$") or reaches(key):
            out[key] = value
    return out

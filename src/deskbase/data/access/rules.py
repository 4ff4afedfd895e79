"""Permission rules: per role, collection and action, a record scope and the fields allowed.

Wire format (DESIGN.md): `{"tickets": {"list": {"scope": "own", "fields": ["title"]},
"update": {"scope": {"assignee": "{{currentUser.id}}"}, "fields": ["status"]}}}`. A scope
is "all", "own" (`created_by` is the user), "department" (`created_by` is in the user's
departments or below) or a filter; no `fields` means every field; an absent action is denied.

`fields` names the collection's fields, an extension (all its fields) or `extension.field`.
For list, get and export they are the fields that can be read (and filtered, sorted, grouped
and searched on); for create, update and import the fields that can be written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from deskbase.data.filters import parse_filter
from deskbase.kernel.errors import AppError, FieldError, ValidationFailed
from deskbase.kernel.types import JSONValue
from deskbase.schema.catalog import Catalog
from deskbase.schema.model import Collection

__all__ = [
    "ACTIONS",
    "READ_ACTIONS",
    "WRITE_ACTIONS",
    "Permissions",
    "Rule",
    "ScopeKind",
    "parse_permissions",
    "permissions_to_json",
]

ScopeKind = Literal["all", "own", "department", "filter"]
READ_ACTIONS = frozenset({"list", "get", "export"})
WRITE_ACTIONS = frozenset({"create", "update", "import"})
ACTIONS = ("list", "get", "create", "update", "delete", "import", "export")
_CUSTOM = re.compile(r"^[a-z][a-z0-9_]{0,63}$")  # named custom actions (buttons, workflows)


@dataclass(frozen=True, slots=True)
class Rule:
    """One action's rule: `scope` is a kind, `filter` the filter of a "filter" scope."""

    scope: ScopeKind
    filter: JSONValue = None
    fields: frozenset[str] | None = None

    def to_json(self) -> dict[str, JSONValue]:
        out: dict[str, JSONValue] = {"scope": self.filter if self.scope == "filter" else self.scope}
        if self.fields is not None:
            out["fields"] = list[JSONValue](sorted(self.fields))
        return out


# collection → action → rule
Permissions = dict[str, dict[str, Rule]]


def permissions_to_json(perms: Mapping[str, Mapping[str, Rule]]) -> dict[str, JSONValue]:
    return {
        coll: {action: rule.to_json() for action, rule in sorted(actions.items())}
        for coll, actions in sorted(perms.items())
    }


def parse_permissions(raw: JSONValue, catalog: Catalog) -> Permissions:
    """Check and parse the wire format; every problem is reported at once (422)."""
    errors: list[FieldError] = []
    out: Permissions = {}
    if not isinstance(raw, dict):
        raise ValidationFailed(
            "Permissions are an object of collections",
            errors=[FieldError("body", "an object like {collection: {action: rule}}", "invalid_type")],
        )
    for coll_name, actions in raw.items():
        coll = catalog.find(coll_name)
        if coll is None:
            errors.append(FieldError(coll_name, f"no collection {coll_name!r}", "unknown_collection"))
            continue
        if not isinstance(actions, dict):
            errors.append(FieldError(coll_name, "an object of actions", "invalid_type"))
            continue
        rules: dict[str, Rule] = {}
        for action, rule_raw in actions.items():
            where = f"{coll_name}.{action}"
            if action not in ACTIONS and not _CUSTOM.match(action):
                errors.append(FieldError(where, "not an action name", "invalid_action"))
                continue
            rule = _rule(rule_raw, coll, where, errors)
            if rule is not None:
                rules[action] = rule
        out[coll_name] = rules
    if errors:
        raise ValidationFailed("Invalid permissions", errors=errors)
    return out


def _rule(raw: JSONValue, coll: Collection, where: str, errors: list[FieldError]) -> Rule | None:
    if raw is True:
        raw = {}
    if not isinstance(raw, dict):
        errors.append(FieldError(where, 'a rule like {"scope": "all", "fields": [...]}', "invalid_type"))
        return None
    unknown = sorted(set(raw) - {"scope", "fields"})
    if unknown:
        errors.append(FieldError(f"{where}.{unknown[0]}", "unknown key", "unknown_key"))
        return None
    scope_raw = raw.get("scope", "all")
    scope: ScopeKind
    flt: JSONValue = None
    if scope_raw in ("all", "own", "department"):
        scope = scope_raw  # type: ignore[assignment]
        if scope != "all" and "created_by" not in coll.fields:
            errors.append(
                FieldError(f"{where}.scope", f"{coll.name} has no created_by field", "invalid_scope")
            )
            return None
    elif isinstance(scope_raw, dict):
        try:
            parse_filter(scope_raw)
        except AppError as exc:
            for e in exc.errors:
                errors.append(FieldError(f"{where}.scope", e.message, e.code))
            return None
        scope, flt = "filter", scope_raw
    else:
        errors.append(FieldError(f"{where}.scope", '"all", "own", "department" or a filter', "invalid_scope"))
        return None
    fields_raw = raw.get("fields")
    fields: frozenset[str] | None = None
    if fields_raw is not None:
        if not isinstance(fields_raw, list) or not all(isinstance(f, str) for f in fields_raw):
            errors.append(FieldError(f"{where}.fields", "a list of field names", "invalid_type"))
            return None
        bad = [f for f in fields_raw if isinstance(f, str) and not _known(coll, f)]
        for name in bad:
            errors.append(FieldError(f"{where}.fields", f"no field {name!r}", "unknown_field"))
        if bad:
            return None
        fields = frozenset(str(f) for f in fields_raw) | {"id"}
    return Rule(scope, flt, fields)


def _known(coll: Collection, name: str) -> bool:
    head, _, rest = name.partition(".")
    if not rest:
        return head in coll.fields or head in coll.extensions
    ext = coll.extensions.get(head)
    return ext is not None and rest in ext.fields

"""Whole-catalog checks: relations, extensions and formulas must point at real fields."""

from __future__ import annotations

from deskbase.kernel.errors import FieldError, ValidationFailed
from deskbase.schema.field_types.base import ComputedValue
from deskbase.schema.model import Collection

__all__ = ["check_catalog"]


def check_catalog(collections: dict[str, Collection]) -> None:
    errors: list[FieldError] = []
    for coll in collections.values():
        errors += _check_extension(coll, collections)
        for fld in coll.fields.values():
            path = f"{coll.name}.{fld.name}"
            rel = fld.relation
            if rel is not None:
                target = collections.get(rel.target)
                if target is None:
                    errors.append(
                        FieldError(
                            path,
                            f"target collection {rel.target!r} does not exist",
                            "unknown_target",
                        )
                    )
                elif target.extends is not None:
                    errors.append(
                        FieldError(
                            path,
                            "relations point to master collections, not extensions",
                            "invalid_target",
                        )
                    )
                elif rel.kind == "one_to_many":
                    inverse = target.fields.get(rel.inverse or "")
                    if (
                        inverse is None
                        or inverse.relation is None
                        or inverse.relation.kind != "many_to_one"
                        or inverse.relation.target != coll.name
                    ):
                        errors.append(
                            FieldError(
                                path,
                                f"inverse must be a many_to_one field of {rel.target!r} "
                                f"pointing to {coll.name!r}",
                                "invalid_inverse",
                            )
                        )
            if isinstance(fld.type, ComputedValue):
                available = {
                    f.name
                    for f in coll.fields.values()
                    if f.column is not None and not isinstance(f.type, ComputedValue)
                }
                try:
                    fld.type.check(fld.options, available)
                except ValueError as exc:
                    errors.append(FieldError(path, str(exc), "invalid_expression"))
    if errors:
        raise ValidationFailed("; ".join(f"{e.field}: {e.message}" for e in errors), errors=errors)


def _check_extension(coll: Collection, collections: dict[str, Collection]) -> list[FieldError]:
    ext = coll.extends
    if ext is None:
        return []
    path = f"{coll.name}.extends"
    master = collections.get(ext.master)
    if master is None:
        return [FieldError(f"{path}.master", f"collection {ext.master!r} does not exist", "unknown_target")]
    if master.extends is not None:
        return [
            FieldError(f"{path}.master", "an extension cannot extend another extension", "invalid_target")
        ]
    disc = master.fields.get(ext.discriminator)
    if disc is None or disc.value_kind != "text" or disc.column is None:
        return [
            FieldError(
                f"{path}.discriminator",
                f"{ext.discriminator!r} must be a text or select field of {ext.master!r}",
                "invalid_discriminator",
            )
        ]
    choices = getattr(disc.options, "choices", None)
    if choices is not None and ext.value not in {c.value for c in choices}:
        return [
            FieldError(
                f"{path}.value",
                f"{ext.value!r} is not a choice of {ext.discriminator!r}",
                "invalid_choice",
            )
        ]
    for other in collections.values():
        if (
            other is not coll
            and other.extends
            and other.extends.master == ext.master
            and (other.extends.discriminator != ext.discriminator or other.extends.value == ext.value)
        ):
            if other.extends.value == ext.value:
                return [
                    FieldError(
                        f"{path}.value",
                        f"{other.name!r} already extends {ext.master} for {ext.value!r}",
                        "duplicate",
                    )
                ]
            return [
                FieldError(
                    f"{path}.discriminator",
                    f"{ext.master}'s extensions use {other.extends.discriminator!r}",
                    "invalid_discriminator",
                )
            ]
    return []

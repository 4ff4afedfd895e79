"""Forms of manual tasks and action buttons: the values a user sends, checked."""

from __future__ import annotations

from typing import Any

from deskbase.kernel.errors import FieldError, ValidationFailed
from deskbase.kernel.types import JSONValue

__all__ = ["check_form"]


def check_form(form: list[Any], values: JSONValue) -> dict[str, JSONValue]:
    """The values of a form (manual task, action button), checked against its fields (422)."""
    if not isinstance(values, dict):
        raise ValidationFailed(
            "Send the form as an object", errors=[FieldError("body", "an object", "invalid_type")]
        )
    known = {f["name"]: f for f in form if isinstance(f, dict)}
    errors = [FieldError(k, "not a field of this form", "unknown_key") for k in values if k not in known]
    for name, spec in known.items():
        value = values.get(name)
        if value in (None, "") and spec.get("required"):
            errors.append(FieldError(name, "this field is required", "required"))
        elif (
            value is not None
            and spec.get("type") == "number"
            and (isinstance(value, bool) or not isinstance(value, (int, float)))
        ):
            errors.append(FieldError(name, "a number", "invalid_type"))
        elif value is not None and spec.get("type") == "boolean" and not isinstance(value, bool):
            errors.append(FieldError(name, "true or false", "invalid_type"))
        elif value is not None and spec.get("type") == "choice" and value not in (spec.get("choices") or []):
            errors.append(FieldError(name, f"one of {spec.get('choices')}", "invalid_choice"))
    if errors:
        raise ValidationFailed("The form is not complete", errors=errors)
    return {k: values.get(k) for k in known}

/** The API's per-field errors in the user's language, on the form fields they name. */

import type { FormInstance } from "antd";

import { ApiError } from "../api/client";
import type { FieldErrorItem } from "../api/types";
import type { MessageKey, Translate } from "../i18n";

/** Stable error codes (docs/api.md) with a message of their own; the others show the server's. */
const CODES: Record<string, MessageKey> = {
  missing: "admin.error.required",
  required: "admin.error.required",
  too_short: "admin.error.tooShort",
  too_weak: "admin.error.tooWeak",
  contains_email: "admin.error.containsEmail",
  wrong_password: "admin.error.wrongPassword",
  unchanged: "admin.error.unchanged",
  duplicate: "admin.error.duplicate",
  invalid_format: "admin.error.invalidFormat",
  invalid_name: "admin.error.invalidName",
  not_in_roles: "admin.error.notInRoles",
  unknown_role: "admin.error.unknownRole",
  unknown_department: "admin.error.unknownDepartment",
  cycle: "admin.error.cycle",
  in_the_past: "admin.error.inThePast",
  unknown_field: "admin.error.unknownField",
  unknown_collection: "admin.error.unknownCollection",
  invalid_action: "admin.error.invalidAction",
  invalid_scope: "admin.error.invalidScope",
  empty_filter: "admin.error.emptyFilter",
};

/** One error's message: ours for a known code (a number in the server's message is kept, as in
 * "at least {n} characters"), else the server's own. */
export function errorMessage(t: Translate, e: FieldErrorItem): string {
  const key = CODES[e.code];
  if (!key) return e.message;
  const n = /\d+/.exec(e.message)?.[0];
  return t(key, { n: n ?? "", detail: e.message });
}

/** `roles.1` → `roles`: list items are shown on their list's field. */
export function formField(path: string): string {
  return path.replace(/\.\d+$/, "");
}

/** Puts an ApiError's field errors on the form's `fields` (the API's path → the form's name via
 * `rename`) and returns the messages that found no field (shown above the form), with the
 * problem's detail when no message came. */
export function showFormErrors(
  t: Translate,
  form: FormInstance,
  error: unknown,
  fields: readonly string[],
  rename: Record<string, string> = {},
): string[] {
  if (!(error instanceof ApiError)) return [problemText(error)];
  const known = new Set(fields);
  const byField = new Map<string, string[]>();
  const rest: string[] = [];
  for (const e of error.errors) {
    const name = rename[formField(e.field)] ?? formField(e.field);
    const text = errorMessage(t, e);
    if (known.has(name)) byField.set(name, [...(byField.get(name) ?? []), text]);
    else rest.push(text);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  if (byField.size === 0 && rest.length === 0) rest.push(error.message);
  return rest;
}

/** A message for an error that is not about a form field (409, 403, network). */
export function problemText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

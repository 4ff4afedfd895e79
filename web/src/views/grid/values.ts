/** Comparing and writing values: relations and attachments are compared and sent as ids. */

import type { Field, JSONValue } from "../../api/types";
import { valueKind } from "../../fields/registry";
import { refId, refIds } from "../../fields/values";

export function toWrite(field: Field, value: JSONValue | undefined): JSONValue {
  const kind = valueKind(field);
  if (kind === "ref") return refId(value);
  if (kind === "refs" || kind === "file") return refIds(value);
  return value === undefined ? null : value;
}

function normal(field: Field, value: JSONValue | undefined): string {
  const v = toWrite(field, value);
  if (v === "" || (Array.isArray(v) && v.length === 0)) return "null";
  return JSON.stringify(v);
}

export function sameValue(field: Field, a: JSONValue | undefined, b: JSONValue | undefined): boolean {
  return normal(field, a) === normal(field, b);
}

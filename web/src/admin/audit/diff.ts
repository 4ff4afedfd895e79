/** An audit entry's changes as rows of a readable diff: nested objects (a role's permissions) are
 * walked down to the values that differ, each named by its path. */

import type { JSONValue } from "../../api/types";

export type DiffKind = "added" | "removed" | "changed";

export interface DiffRow {
  path: string;
  before: JSONValue | undefined;
  after: JSONValue | undefined;
  kind: DiffKind;
}

type Obj = { [key: string]: JSONValue };
const isObject = (v: JSONValue | undefined): v is Obj => v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v);
const isBlank = (v: JSONValue | undefined) => v === undefined || v === null;

function same(a: JSONValue | undefined, b: JSONValue | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Values read best whole (a filter), however deep they are. */
const WHOLE = new Set(["scope", "filter", "condition", "config"]);

function walk(path: string, before: JSONValue | undefined, after: JSONValue | undefined, out: DiffRow[]): void {
  if (same(before, after)) return;
  if (WHOLE.has(path.slice(path.lastIndexOf(".") + 1)) && path.includes(".")) {
    out.push({ path, before, after, kind: isBlank(before) ? "added" : isBlank(after) ? "removed" : "changed" });
    return;
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    for (const key of keys) walk(path ? `${path}.${key}` : key, before[key], after[key], out);
    return;
  }
  // A whole object appearing or going: one row per leaf, so each value is readable on its own.
  if (isObject(after) && isBlank(before) && Object.keys(after).length) {
    for (const key of Object.keys(after)) walk(path ? `${path}.${key}` : key, undefined, after[key], out);
    return;
  }
  if (isObject(before) && isBlank(after) && Object.keys(before).length) {
    for (const key of Object.keys(before)) walk(path ? `${path}.${key}` : key, before[key], undefined, out);
    return;
  }
  out.push({ path, before, after, kind: isBlank(before) ? "added" : isBlank(after) ? "removed" : "changed" });
}

/** The rows of `changes` (`{field: [before, after]}`), in the entry's order. */
export function diffChanges(changes: Record<string, [JSONValue, JSONValue]> | null | undefined): DiffRow[] {
  const out: DiffRow[] = [];
  for (const [field, pair] of Object.entries(changes ?? {})) {
    const [before, after] = Array.isArray(pair) ? pair : [undefined, pair];
    const start = out.length;
    walk(field, before, after, out);
    // A change that is the same value (a forced write) still shows, once.
    if (out.length === start && !Array.isArray(pair)) out.push({ path: field, before: undefined, after: pair, kind: "added" });
  }
  return out;
}

/** A value as one line of text: lists joined, objects as JSON, nothing as an empty string. */
export function showValue(value: JSONValue | undefined): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value) && value.every((v) => typeof v !== "object" || v === null)) return value.map((v) => String(v)).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Paths as shown: segments joined by " › ", without the one top key every row shares (a role's
 * `permissions`), so that what differs comes first. */
export function shownPath(row: DiffRow, rows: readonly DiffRow[]): string {
  const tops = new Set(rows.map((r) => r.path.split(".")[0]));
  const parts = row.path.split(".");
  const strip = tops.size === 1 && rows.every((r) => r.path.includes("."));
  return (strip ? parts.slice(1) : parts).join(" › ");
}

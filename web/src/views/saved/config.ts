/** Saved views' config <-> the grid's state: the API's filter JSON read back into the filter
 * builder's groups, sorts parsed, and configs compared to tell unsaved changes. */

import type { Field, JSONValue, ViewConfig } from "../../api/types";
import { ARITY, emptyGroup, newId, operatorsFor, toApiFilter, toApiSort, type Condition, type Group, type OperatorKey, type SortKey } from "../../filters/model";
import { clampWidth } from "../grid/columns";
import { andFilters } from "../grid/query";
import { initialGridState, type GridState } from "../grid/state";

type Obj = { [key: string]: JSONValue };

function isObject(v: JSONValue | undefined): v is Obj {
  return v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v);
}

/** One field's conditions (`{"status": {"$in": [...]}}`, or the `{"status": "open"}` shorthand);
 * null when the builder cannot show them. */
function conditionsOf(name: string, value: JSONValue, fields: Map<string, Field>): Condition[] | null {
  const field = fields.get(name);
  if (!field) return null;
  const ops: [string, JSONValue][] = isObject(value) && Object.keys(value).every((k) => k.startsWith("$")) ? Object.entries(value) : [["$eq", value]];
  if (ops.length === 0) return null;
  const offered = operatorsFor(field);
  const out: Condition[] = [];
  for (const [op, arg] of ops) {
    if (!(op in ARITY) || !offered.includes(op as OperatorKey)) return null;
    const operator = op as OperatorKey;
    const arity = ARITY[operator];
    if (arity === "none") {
      if (arg !== true) return null;
      out.push({ type: "condition", id: newId(), field: name, operator, value: null });
      continue;
    }
    if ((arity === "list" || arity === "pair") !== Array.isArray(arg)) return null;
    if (arity === "pair" && (arg as JSONValue[]).length !== 2) return null;
    if (arity === "one" && isObject(arg)) return null;
    out.push({ type: "condition", id: newId(), field: name, operator, value: arg });
  }
  return out;
}

/** The parts of a filter object joined by `$and` (several keys in one object mean "and"). */
function andParts(node: Obj): JSONValue[] {
  const keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === "$and" && Array.isArray(node.$and)) return node.$and;
  return keys.map((k) => ({ [k]: node[k] ?? null }));
}

/** A filter node as builder items; null when any part of it cannot be shown. */
function itemsOf(node: JSONValue, fields: Map<string, Field>): (Condition | Group)[] | null {
  if (!isObject(node)) return null;
  const keys = Object.keys(node);
  if (keys.length === 1 && (keys[0] === "$and" || keys[0] === "$or")) {
    const group = groupOf(keys[0], node[keys[0]] ?? null, fields);
    return group ? [group] : null;
  }
  const out: (Condition | Group)[] = [];
  for (const key of keys) {
    if (key.startsWith("$")) return null; // $not, or an unknown operator
    const conds = conditionsOf(key, node[key] ?? null, fields);
    if (!conds) return null;
    out.push(...conds);
  }
  return out;
}

function groupOf(logic: "$and" | "$or", list: JSONValue, fields: Map<string, Field>): Group | null {
  if (!Array.isArray(list) || list.length === 0) return null;
  const items: (Condition | Group)[] = [];
  for (const part of list) {
    const got = itemsOf(part, fields);
    if (!got) return null;
    // Several conditions of one part under "or" keep their "and" as a nested group.
    if (logic === "$or" && got.length > 1) items.push({ type: "group", id: newId(), logic: "$and", items: got });
    else items.push(...got);
  }
  return { type: "group", id: newId(), logic, items };
}

/** The API's filter as the builder's root group; what the builder cannot show is kept apart in
 * `extra` (top-level "and" parts one by one, else the whole filter). */
export function parseFilter(filter: JSONValue | undefined, fields: Field[]): { group: Group; extra: JSONValue | undefined } {
  const root = emptyGroup();
  if (filter === undefined || filter === null) return { group: root, extra: undefined };
  const byName = new Map(fields.map((f) => [f.name, f]));
  if (isObject(filter) && Object.keys(filter).length === 1 && Array.isArray(filter.$or)) {
    const group = groupOf("$or", filter.$or, byName);
    return group ? { group, extra: undefined } : { group: root, extra: filter };
  }
  if (!isObject(filter)) return { group: root, extra: filter };
  const extra: JSONValue[] = [];
  for (const part of andParts(filter)) {
    const items = itemsOf(part, byName);
    if (items) root.items.push(...items);
    else extra.push(part);
  }
  return { group: root, extra: andFilters(...extra) };
}

export function parseSort(sort: string | undefined): SortKey[] {
  if (!sort) return [];
  return sort
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (s.startsWith("-") ? { field: s.slice(1), desc: true } : { field: s, desc: false }));
}

/** The grid's state for a saved view's config (or the default grid for none). */
export function stateFromConfig(config: ViewConfig | undefined, fields: Field[]): GridState {
  const state = initialGridState();
  if (!config) return state;
  const { group, extra } = parseFilter(config.filter, fields);
  const widths: Record<string, number> = {};
  for (const [k, v] of Object.entries(config.widths ?? {})) if (typeof v === "number") widths[k] = clampWidth(v);
  return {
    filter: group,
    extraFilter: extra,
    sorts: parseSort(config.sort),
    q: config.q ?? "",
    columns: config.fields && config.fields.length > 0 ? [...config.fields] : null,
    widths,
    groupBy: config.group_by || null,
  };
}

const GRID_KEYS = ["filter", "sort", "q", "fields", "widths", "group_by"] as const;

/** The config that saves `state`: only what differs from the default grid, and the keys other
 * views read (`kanban_field`, …) kept from `base`. */
export function configFromState(state: GridState, base?: ViewConfig): ViewConfig {
  const out: ViewConfig = { ...(base ?? {}) };
  for (const key of GRID_KEYS) delete out[key];
  const filter = andFilters(toApiFilter(state.filter), state.extraFilter);
  if (filter !== undefined) out.filter = filter;
  const sort = toApiSort(state.sorts);
  if (sort) out.sort = sort;
  if (state.q.trim()) out.q = state.q.trim();
  if (state.columns) out.fields = [...state.columns];
  if (Object.keys(state.widths).length > 0) out.widths = { ...state.widths };
  if (state.groupBy) out.group_by = state.groupBy;
  return out;
}

/** JSON with keys sorted, so two configs compare by content. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function sameConfig(a: ViewConfig, b: ViewConfig): boolean {
  return canonical(a) === canonical(b);
}

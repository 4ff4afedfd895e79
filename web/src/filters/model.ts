/** The filter builder's model: groups of conditions, the operators of each value kind, and the API's
 * filter JSON (docs/api.md, "The filter language"). */

import type { Field, JSONValue } from "../api/types";
import { valueKind } from "../fields/registry";
import type { ValueKind } from "../fields/types";

export type OperatorKey =
  | "$eq"
  | "$ne"
  | "$gt"
  | "$gte"
  | "$lt"
  | "$lte"
  | "$in"
  | "$notIn"
  | "$includes"
  | "$notIncludes"
  | "$startsWith"
  | "$endsWith"
  | "$empty"
  | "$notEmpty"
  | "$between"
  | "$anyOf"
  | "$allOf"
  | "$noneOf"
  | "$dateOn"
  | "$dateBefore"
  | "$dateAfter";

/** How an operator takes its value: none, one value, a list, or a pair. */
export type Arity = "none" | "one" | "list" | "pair";

export const ARITY: Record<OperatorKey, Arity> = {
  $eq: "one",
  $ne: "one",
  $gt: "one",
  $gte: "one",
  $lt: "one",
  $lte: "one",
  $in: "list",
  $notIn: "list",
  $includes: "one",
  $notIncludes: "one",
  $startsWith: "one",
  $endsWith: "one",
  $empty: "none",
  $notEmpty: "none",
  $between: "pair",
  $anyOf: "list",
  $allOf: "list",
  $noneOf: "list",
  $dateOn: "one",
  $dateBefore: "one",
  $dateAfter: "one",
};

const TEXT: OperatorKey[] = ["$includes", "$notIncludes", "$eq", "$ne", "$startsWith", "$endsWith", "$in", "$notIn", "$empty", "$notEmpty"];
const CHOICE: OperatorKey[] = ["$eq", "$ne", "$in", "$notIn", "$empty", "$notEmpty"];
const RANGE: OperatorKey[] = ["$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$between", "$empty", "$notEmpty"];
const DATES: OperatorKey[] = ["$dateOn", "$dateBefore", "$dateAfter", ...RANGE];
const ARRAY: OperatorKey[] = ["$anyOf", "$allOf", "$noneOf", "$empty", "$notEmpty"];

const BY_KIND: Record<ValueKind, OperatorKey[]> = {
  text: TEXT,
  number: RANGE,
  date: DATES,
  datetime: DATES,
  time: RANGE,
  bool: ["$eq", "$ne", "$empty", "$notEmpty"],
  ref: ["$eq", "$ne", "$in", "$notIn", "$empty", "$notEmpty"],
  refs: ARRAY,
  array: ARRAY,
  json: ["$empty", "$notEmpty"],
  file: ["$empty", "$notEmpty"],
};

/** The operators offered for a field (selects compare whole values, so no substring operators). */
export function operatorsFor(field: Field): OperatorKey[] {
  if (field.type === "select") return CHOICE;
  return BY_KIND[valueKind(field)];
}

export interface Condition {
  type: "condition";
  id: string;
  field: string;
  operator: OperatorKey;
  value: JSONValue;
}

export interface Group {
  type: "group";
  id: string;
  logic: "$and" | "$or";
  items: (Condition | Group)[];
}

let counter = 0;
export function newId(): string {
  counter += 1;
  return `f${counter}`;
}

export function emptyGroup(logic: "$and" | "$or" = "$and"): Group {
  return { type: "group", id: newId(), logic, items: [] };
}

export function newCondition(field: Field): Condition {
  const operator = operatorsFor(field)[0] ?? "$eq";
  return { type: "condition", id: newId(), field: field.name, operator, value: defaultValue(operator) };
}

export function defaultValue(operator: OperatorKey): JSONValue {
  const arity = ARITY[operator];
  return arity === "list" ? [] : arity === "pair" ? [null, null] : null;
}

/** Whether a condition has what its operator needs (incomplete ones are left out, not sent). */
export function isComplete(c: Condition): boolean {
  const arity = ARITY[c.operator];
  if (arity === "none") return true;
  if (arity === "list") return Array.isArray(c.value) && c.value.length > 0;
  if (arity === "pair") return Array.isArray(c.value) && c.value.length === 2 && c.value.every((v) => v !== null && v !== "");
  return c.value !== null && c.value !== "";
}

/** The API's filter JSON, or undefined when nothing is complete. */
export function toApiFilter(group: Group): JSONValue | undefined {
  const parts: JSONValue[] = [];
  for (const item of group.items) {
    if (item.type === "group") {
      const sub = toApiFilter(item);
      if (sub !== undefined) parts.push(sub);
    } else if (isComplete(item)) {
      const value = ARITY[item.operator] === "none" ? true : item.value;
      parts.push({ [item.field]: { [item.operator]: value } });
    }
  }
  if (parts.length === 0) return undefined;
  if (parts.length === 1 && group.logic === "$and") return parts[0];
  return { [group.logic]: parts };
}

/** How many complete conditions a group holds (shown on the Filter button). */
export function countConditions(group: Group): number {
  return group.items.reduce(
    (n, item) => n + (item.type === "group" ? countConditions(item) : isComplete(item) ? 1 : 0),
    0,
  );
}

export function updateItem(group: Group, id: string, change: (item: Condition | Group) => Condition | Group | null): Group {
  const items: (Condition | Group)[] = [];
  for (const item of group.items) {
    if (item.id === id) {
      const next = change(item);
      if (next) items.push(next);
    } else if (item.type === "group") {
      items.push(updateItem(item, id, change));
    } else {
      items.push(item);
    }
  }
  return { ...group, items };
}

/** Fields a filter may use (JSON values have only the empty checks, not worth a row). */
export function filterableFields(fields: Field[]): Field[] {
  return fields.filter((f) => f.type !== "json");
}

/** Sort keys: `-created_at,priority` from an ordered list. */
export interface SortKey {
  field: string;
  desc: boolean;
}

export function toApiSort(keys: SortKey[]): string | undefined {
  if (keys.length === 0) return undefined;
  return keys.map((k) => (k.desc ? `-${k.field}` : k.field)).join(",");
}

export function sortableFields(fields: Field[]): Field[] {
  const unsortable = new Set(["multi_select", "one_to_many", "many_to_many", "json", "attachment"]);
  return fields.filter((f) => !unsortable.has(f.type));
}

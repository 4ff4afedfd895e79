/** A filter scope as the editor shows it: the filter builder's conditions, plus conditions on the
 * signed-in user (`{{currentUser.id}}`, …) that the builder's value inputs cannot hold. */

import type { Field, JSONValue } from "../../api/types";
import { valueKind } from "../../fields/registry";
import type { ValueKind } from "../../fields/types";
import { emptyGroup, newId, operatorsFor, toApiFilter, type Condition, type Group, type OperatorKey } from "../../filters/model";

/** The variables a scope filter may name (docs/api.md, "The filter language"), the value kinds
 * they compare with, and the operators that make sense for them. */
export const VARIABLES = [
  { key: "currentUser.id", kinds: ["ref", "number"], operators: ["$eq", "$ne"] },
  { key: "currentUser.email", kinds: ["text"], operators: ["$eq", "$ne", "$includes"] },
  { key: "currentUser.name", kinds: ["text"], operators: ["$eq", "$ne", "$includes"] },
  { key: "currentUser.department_ids", kinds: ["number"], operators: ["$in", "$notIn"] },
  { key: "currentUser.roles", kinds: ["text"], operators: ["$in", "$notIn"] },
  { key: "now", kinds: ["date", "datetime"], operators: ["$lt", "$lte", "$gt", "$gte"] },
] as const satisfies readonly { key: string; kinds: readonly ValueKind[]; operators: readonly OperatorKey[] }[];

export type VariableKey = (typeof VARIABLES)[number]["key"];

/** `field operator {{variable}}`. */
export interface VariableCondition {
  id: string;
  field: string;
  operator: OperatorKey;
  variable: VariableKey;
}

export interface ScopeForm {
  group: Group;
  variables: VariableCondition[];
}

const TEMPLATE = /^\{\{\s*([A-Za-z_][\w.]*)\s*\}\}$/;

function variableOf(value: JSONValue): VariableKey | null {
  if (typeof value !== "string") return null;
  const m = TEMPLATE.exec(value);
  const key = m?.[1];
  return VARIABLES.find((v) => v.key === key)?.key ?? null;
}

function hasTemplate(value: JSONValue): boolean {
  if (typeof value === "string") return value.includes("{{");
  if (Array.isArray(value)) return value.some(hasTemplate);
  return false;
}

/** The variables that suit a field. */
export function variablesFor(field: Field): (typeof VARIABLES)[number][] {
  const kind = valueKind(field);
  return VARIABLES.filter((v) => (v.kinds as readonly ValueKind[]).includes(kind));
}

/** Fields that some variable suits, those holding users first (`created_by`); never `id`. */
export function variableFields(fields: Field[]): Field[] {
  const usable = fields.filter((f) => f.name !== "id" && variablesFor(f).length > 0);
  const users = usable.filter((f) => valueKind(f) === "ref");
  return [...users, ...usable.filter((f) => !users.includes(f))];
}

export function newVariableCondition(field: Field): VariableCondition | null {
  const variable = variablesFor(field)[0];
  if (!variable) return null;
  return { id: newId(), field: field.name, operator: variable.operators[0], variable: variable.key };
}

type Part = { kind: "condition"; condition: Condition } | { kind: "variable"; condition: VariableCondition } | { kind: "group"; group: Group };

const isObject = (v: JSONValue): v is { [key: string]: JSONValue } => v !== null && typeof v === "object" && !Array.isArray(v);

/** One `{field: …}` entry: `{field: value}` is `$eq`; several operators are several conditions. */
function fieldParts(name: string, raw: JSONValue, fields: Field[]): Part[] | null {
  const field = fields.find((f) => f.name === name);
  if (!field) return null;
  const ops: [string, JSONValue][] = isObject(raw) ? Object.entries(raw) : [["$eq", raw]];
  if (ops.length === 0) return null;
  const parts: Part[] = [];
  for (const [op, value] of ops) {
    const operator = op as OperatorKey;
    const variable = variableOf(value);
    if (variable) {
      parts.push({ kind: "variable", condition: { id: newId(), field: name, operator, variable } });
      continue;
    }
    if (hasTemplate(value) || !operatorsFor(field).includes(operator)) return null;
    if ((operator === "$empty" || operator === "$notEmpty") && value !== true) return null;
    const v = operator === "$empty" || operator === "$notEmpty" ? null : value;
    parts.push({ kind: "condition", condition: { type: "condition", id: newId(), field: name, operator, value: v } });
  }
  return parts;
}

/** Parts of an AND: `$and` lists and several keys in one object are the same thing. */
function andParts(filter: JSONValue, fields: Field[]): Part[] | null {
  if (!isObject(filter)) return null;
  const parts: Part[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === "$and") {
      if (!Array.isArray(value)) return null;
      for (const item of value) {
        const sub = andParts(item, fields);
        if (!sub) return null;
        parts.push(...sub);
      }
    } else if (key === "$or") {
      const group = orGroup(value, fields);
      if (!group) return null;
      parts.push({ kind: "group", group });
    } else if (key.startsWith("$")) {
      return null; // $not, or anything the builder does not draw
    } else {
      const sub = fieldParts(key, value, fields);
      if (!sub) return null;
      parts.push(...sub);
    }
  }
  return parts;
}

/** A group as the builder holds it (conditions and groups; no variables inside). */
function toGroup(logic: "$and" | "$or", parts: Part[]): Group | null {
  const items: (Condition | Group)[] = [];
  for (const p of parts) {
    if (p.kind === "variable") return null;
    items.push(p.kind === "group" ? p.group : p.condition);
  }
  return { ...emptyGroup(logic), items };
}

function orGroup(value: JSONValue, fields: Field[]): Group | null {
  if (!Array.isArray(value)) return null;
  const items: (Condition | Group)[] = [];
  for (const branch of value) {
    const parts = andParts(branch, fields);
    if (!parts || parts.length === 0) return null;
    const only = parts.length === 1 ? parts[0] : undefined;
    if (only?.kind === "group") items.push(only.group);
    else if (only?.kind === "condition") items.push(only.condition);
    else {
      const group = toGroup("$and", parts);
      if (!group) return null;
      items.push(group);
    }
  }
  return { ...emptyGroup("$or"), items };
}

/** The editor's form of a scope filter, or null when the builder cannot draw it (then it is edited
 * as JSON): `$not`, unknown fields or operators, variables below the top level. */
export function fromScopeFilter(filter: JSONValue, fields: Field[]): ScopeForm | null {
  if (filter === null || (isObject(filter) && Object.keys(filter).length === 0)) return { group: emptyGroup(), variables: [] };
  const parts = andParts(filter, fields);
  if (!parts) return null;
  const variables = parts.flatMap((p) => (p.kind === "variable" ? [p.condition] : []));
  const rest = parts.filter((p) => p.kind !== "variable");
  // A lone OR group is the root itself, so that the builder shows it without nesting.
  const only = rest[0];
  if (rest.length === 1 && only?.kind === "group") return { group: only.group, variables };
  const group = toGroup("$and", rest);
  return group ? { group, variables } : null;
}

/** The scope filter of the form: the builder's filter AND each variable condition. */
export function toScopeFilter(form: ScopeForm): JSONValue {
  const parts: JSONValue[] = [];
  const built = toApiFilter(form.group);
  if (built !== undefined) {
    if (isObject(built) && Object.keys(built).length === 1 && Array.isArray(built.$and)) parts.push(...built.$and);
    else parts.push(built);
  }
  for (const v of form.variables) parts.push({ [v.field]: { [v.operator]: `{{${v.variable}}}` } });
  if (parts.length === 0) return {};
  if (parts.length === 1) return parts[0] ?? {};
  return { $and: parts };
}

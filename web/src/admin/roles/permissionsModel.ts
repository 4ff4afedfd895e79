/** The permissions editor's model: a role's rules as the form holds them, and the wire format of
 * `GET|PUT /api/roles/{name}/permissions` (docs/user-guide.md, "Permissions"). */

import type { Collection, FieldErrorItem, JSONValue, Permissions, PermissionRule } from "../../api/types";

export const STANDARD_ACTIONS = ["list", "get", "create", "update", "delete", "import", "export"] as const;
/** Actions whose `fields` are the fields that can be read; for WRITE_ACTIONS, written. */
export const READ_ACTIONS: readonly string[] = ["list", "get", "export"];
export const WRITE_ACTIONS: readonly string[] = ["create", "update", "import"];
/** A named custom action (buttons, workflows), as the server accepts it. */
export const CUSTOM_ACTION = /^[a-z][a-z0-9_]{0,63}$/;

export type ScopeKind = "all" | "own" | "department" | "filter";

/** One action's rule. A denied action keeps its settings, so allowing it again restores them. */
export interface ActionRule {
  allowed: boolean;
  scope: ScopeKind;
  /** The filter of a "filter" scope (kept while another scope is chosen). */
  filter: JSONValue;
  /** The fields read (or written); null: every field, now and later. */
  fields: string[] | null;
}

/** collection → action → rule. */
export type RoleModel = Record<string, Record<string, ActionRule>>;

export function hasFieldRules(action: string): boolean {
  return READ_ACTIONS.includes(action) || WRITE_ACTIONS.includes(action);
}

export function emptyRule(): ActionRule {
  return { allowed: false, scope: "all", filter: null, fields: null };
}

/** The names a rule's `fields` may hold, in the collection's order: its fields (without `id`, which
 * is always readable) and its extensions' fields as `extension.field`. */
export function ruleFieldNames(collection: Collection, all: readonly Collection[]): string[] {
  const own = collection.fields.map((f) => f.name).filter((n) => n !== "id");
  const ext = (collection.extensions ?? []).flatMap((name) => {
    const c = all.find((x) => x.name === name);
    return c ? c.fields.filter((f) => !f.system && f.name !== "id").map((f) => `${name}.${f.name}`) : [];
  });
  return [...own, ...ext];
}

function parseScope(raw: JSONValue | undefined): { scope: ScopeKind; filter: JSONValue } {
  if (raw === "own" || raw === "department" || raw === "all") return { scope: raw, filter: null };
  if (raw && typeof raw === "object" && !Array.isArray(raw)) return { scope: "filter", filter: raw };
  return { scope: "all", filter: null };
}

/** Fields as the form holds them: no `id`, an extension's name stands for each of its fields. */
function parseFields(raw: string[] | undefined, names: readonly string[] | undefined): string[] | null {
  if (!raw) return null;
  const out: string[] = [];
  for (const name of raw) {
    if (name === "id") continue;
    const members = names?.filter((n) => n.startsWith(`${name}.`)) ?? [];
    for (const n of members.length ? members : [name]) if (!out.includes(n)) out.push(n);
  }
  return names ? sortLike(out, names) : out;
}

function sortLike(fields: string[], order: readonly string[]): string[] {
  const rank = (f: string) => {
    const i = order.indexOf(f);
    return i === -1 ? order.length : i;
  };
  return [...fields].sort((a, b) => rank(a) - rank(b));
}

/** The wire format → the model; every standard action of every collection named gets a rule. */
export function fromWire(perms: Permissions, fieldNames: (collection: string) => readonly string[] | undefined): RoleModel {
  const model: RoleModel = {};
  for (const [coll, actions] of Object.entries(perms)) {
    const names = fieldNames(coll);
    const rules = withStandard({});
    for (const [action, rule] of Object.entries(actions)) {
      rules[action] = { allowed: true, ...parseScope(rule.scope), fields: parseFields(rule.fields, names) };
    }
    model[coll] = rules;
  }
  return model;
}

function withStandard(rules: Record<string, ActionRule>): Record<string, ActionRule> {
  const out = { ...rules };
  for (const action of STANDARD_ACTIONS) out[action] ??= emptyRule();
  return out;
}

/** The model → the wire format: allowed actions only; collections that allow nothing are left out. */
export function toWire(model: RoleModel): Permissions {
  const out: Permissions = {};
  for (const [coll, actions] of Object.entries(model)) {
    const rules: Record<string, PermissionRule> = {};
    for (const [action, rule] of Object.entries(actions)) {
      if (!rule.allowed) continue;
      const wire: PermissionRule = { scope: rule.scope === "filter" ? (rule.filter ?? {}) : rule.scope };
      if (rule.fields !== null && hasFieldRules(action)) wire.fields = [...rule.fields];
      rules[action] = wire;
    }
    if (Object.keys(rules).length > 0) out[coll] = rules;
  }
  return out;
}

/** The rules of one collection, with every standard action present. */
export function collectionRules(model: RoleModel, coll: string): Record<string, ActionRule> {
  return withStandard(model[coll] ?? {});
}

export function setRule(model: RoleModel, coll: string, action: string, change: Partial<ActionRule>): RoleModel {
  const rules = collectionRules(model, coll);
  return { ...model, [coll]: { ...rules, [action]: { ...(rules[action] ?? emptyRule()), ...change } } };
}

/** Allows (or denies) an action. An action allowed anew with every field takes the fields of an
 * allowed action of its kind, so that a field hidden from List is not exported by a newly allowed
 * Export. */
export function allowAction(model: RoleModel, coll: string, action: string, on: boolean): RoleModel {
  const rules = collectionRules(model, coll);
  const rule = rules[action] ?? emptyRule();
  const change: Partial<ActionRule> = { allowed: on };
  if (on && rule.fields === null && hasFieldRules(action)) {
    const kind: Access = READ_ACTIONS.includes(action) ? "read" : "write";
    const peer = accessActions(kind)
      .filter((a) => a !== action)
      .map((a) => rules[a])
      .find((r) => r?.allowed && r.fields !== null);
    if (peer?.fields) change.fields = [...peer.fields];
  }
  return setRule(model, coll, action, change);
}

/** Whether `field` is in an action's fields (null means every field). */
export function allows(rule: ActionRule, field: string): boolean {
  return rule.fields === null || rule.fields.includes(field);
}

/** `field` added to or taken from one action's fields; all of `names` again means "every field". */
export function toggleField(rule: ActionRule, field: string, on: boolean, names: readonly string[]): ActionRule {
  const current = rule.fields ?? [...names];
  const next = on ? (current.includes(field) ? current : [...current, field]) : current.filter((f) => f !== field);
  const every = names.every((n) => next.includes(n));
  return { ...rule, fields: every ? null : sortLike(next, names) };
}

export type Access = "read" | "write";
export type Tri = "on" | "off" | "mixed";

export function accessActions(access: Access): readonly string[] {
  return access === "read" ? READ_ACTIONS : WRITE_ACTIONS;
}

/** Whether the role may read (or write) `field`, over the read (or write) actions it is allowed;
 * over all of them when it is allowed none, so the matrix can be set up before the actions. */
export function fieldAccess(rules: Record<string, ActionRule>, access: Access, field: string): Tri {
  const all = accessActions(access).map((a) => rules[a] ?? emptyRule());
  const allowed = all.filter((r) => r.allowed);
  const considered = allowed.length ? allowed : all;
  const on = considered.filter((r) => allows(r, field)).length;
  return on === considered.length ? "on" : on === 0 ? "off" : "mixed";
}

/** Sets a field readable (or writable) for the allowed read (or write) actions; for all of them
 * when none is allowed yet. An action allowed later takes its peers' fields (allowAction). */
export function setFieldAccess(
  model: RoleModel,
  coll: string,
  access: Access,
  field: string,
  on: boolean,
  names: readonly string[],
): RoleModel {
  const rules = collectionRules(model, coll);
  const actions = accessActions(access);
  const allowed = actions.filter((a) => rules[a]?.allowed);
  for (const action of allowed.length ? allowed : actions) rules[action] = toggleField(rules[action] ?? emptyRule(), field, on, names);
  return { ...model, [coll]: rules };
}

/** The role's problems before saving, in the server's format (`tickets.get.scope`). */
export function validate(model: RoleModel): FieldErrorItem[] {
  const errors: FieldErrorItem[] = [];
  for (const [coll, actions] of Object.entries(model)) {
    for (const [action, rule] of Object.entries(actions)) {
      if (!rule.allowed) continue;
      const filter = rule.filter;
      const empty = !filter || typeof filter !== "object" || Object.keys(filter).length === 0;
      if (rule.scope === "filter" && empty) errors.push({ field: `${coll}.${action}.scope`, message: "", code: "empty_filter" });
    }
  }
  return errors;
}

/** Where an error belongs: a collection, or an action's row and column (`scope`, `fields`, or the row). */
export interface ErrorPlace {
  collection: string;
  action?: string;
  part?: "scope" | "fields" | "row";
}

/** Places the API's error paths: `tickets`, `tickets.list`, `tickets.list.scope`, `tickets.list.fields`.
 * Collection names have no dots, so the first segment is always the collection. */
export function placeError(path: string): ErrorPlace | null {
  const [collection, action, part] = path.split(".");
  if (!collection || collection === "body") return null;
  if (!action) return { collection };
  if (part === "scope" || part === "fields") return { collection, action, part };
  return { collection, action, part: "row" };
}

/** The custom actions to show for a collection: those the workflows' buttons use and those the role
 * already names, in that order. */
export function customActions(rules: Record<string, ActionRule> | undefined, fromWorkflows: readonly string[]): string[] {
  const out = [...fromWorkflows];
  for (const action of Object.keys(rules ?? {})) {
    if (!(STANDARD_ACTIONS as readonly string[]).includes(action) && !out.includes(action)) out.push(action);
  }
  return out;
}

/** The number of actions a collection allows (shown on its panel). */
export function allowedCount(rules: Record<string, ActionRule> | undefined): number {
  return Object.values(rules ?? {}).filter((r) => r.allowed).length;
}

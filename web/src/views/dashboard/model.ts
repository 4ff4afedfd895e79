/** Dashboard blocks: what each chart type asks of the aggregate API (`GET /api/data/{c}/aggregate`),
 * the editor's form and the block it saves, and the groups' labels as users read them. */

import type { AggregateRow, BlockQuery, BlockType, Collection, DashboardBlock, Field, JSONValue } from "../../api/types";
import { valueKind } from "../../fields/registry";
import { choiceLabel, fieldTitle, toText } from "../../fields/values";
import { emptyGroup, toApiFilter, type Group } from "../../filters/model";
import type { Translate } from "../../i18n";
import { parseFilter } from "../saved/config";
import { placeNew, type Item } from "./layout";

export const BLOCK_TYPES: readonly BlockType[] = ["number", "bar", "line", "pie", "funnel", "sankey"];
export const BUCKETS = ["day", "week", "month", "quarter", "year"] as const;
export type Bucket = (typeof BUCKETS)[number];
export type Order = "keys" | "desc" | "asc";

/** Group keys a type takes: none for a number, a source and a target for a Sankey, else one. */
export function keysFor(type: BlockType): number {
  return type === "number" ? 0 : type === "sankey" ? 2 : 1;
}

export function defaultSize(type: BlockType): { w: number; h: number } {
  if (type === "number") return { w: 3, h: 2 };
  if (type === "sankey") return { w: 8, h: 5 };
  return { w: 6, h: 4 };
}

export interface GroupKey {
  field: string;
  bucket: Bucket | null;
}

export function parseKey(key: string): GroupKey {
  const [field = "", bucket] = key.split(":");
  return { field, bucket: BUCKETS.find((b) => b === bucket) ?? null };
}

const UNGROUPABLE = new Set(["multi_select", "json", "attachment", "one_to_many", "many_to_many", "rich_text", "text", "formula"]);

export function groupableFields(c: Collection): Field[] {
  return c.fields.filter((f) => !UNGROUPABLE.has(f.type) && f.name !== "id");
}

export function measurableFields(c: Collection): Field[] {
  return c.fields.filter((f) => valueKind(f) === "number" && f.name !== "id" && f.type !== "formula");
}

export function isDated(field: Field | undefined): boolean {
  const kind = field ? valueKind(field) : "text";
  return kind === "date" || kind === "datetime";
}

/** `count`, or `sum:f`, `avg:f`, `min:f`, `max:f` over a number field. */
export function measureOptions(c: Collection | undefined, t: Translate): { value: string; label: string }[] {
  const out = [{ value: "count", label: t("dashboard.count") }];
  for (const f of c ? measurableFields(c) : []) {
    for (const fn of ["sum", "avg", "min", "max"] as const) out.push({ value: `${fn}:${f.name}`, label: measureLabel(`${fn}:${f.name}`, c, t) });
  }
  return out;
}

export function measureLabel(measure: string, c: Collection | undefined, t: Translate): string {
  if (measure === "count") return t("dashboard.count");
  const [fn = "", name = ""] = measure.split(":");
  const field = c?.fields.find((f) => f.name === name);
  const title = field ? fieldTitle(field) : name;
  if (fn === "sum") return t("dashboard.sumOf", { field: title });
  if (fn === "avg") return t("dashboard.avgOf", { field: title });
  if (fn === "min") return t("dashboards.minOf", { field: title });
  if (fn === "max") return t("dashboards.maxOf", { field: title });
  return measure;
}

/** What the block editor edits. */
export interface BlockForm {
  type: BlockType;
  title: string;
  collection: string;
  /** Two keys are kept whatever the type, so switching to a Sankey and back loses nothing. */
  keys: GroupKey[];
  measure: string;
  filter: Group;
  /** A filter the builder cannot show (written by hand through the API): kept as it is. */
  rawFilter: JSONValue | null;
  order: Order;
  limit: number | null;
}

export function defaultForm(c: Collection | undefined, type: BlockType = "bar"): BlockForm {
  const groupable = c ? groupableFields(c) : [];
  const first = groupable.find((f) => f.type === "select") ?? groupable.find((f) => !f.system) ?? groupable[0];
  const second = groupable.find((f) => f !== first && !f.system) ?? groupable.find((f) => f !== first);
  const key = (f: Field | undefined): GroupKey => ({ field: f?.name ?? "", bucket: isDated(f) ? "month" : null });
  return {
    type,
    title: "",
    collection: c?.name ?? "",
    keys: [key(first), key(second)],
    measure: "count",
    filter: emptyGroup(),
    rawFilter: null,
    order: type === "funnel" ? "desc" : "keys",
    limit: null,
  };
}

export function formFromBlock(block: DashboardBlock, c: Collection | undefined): BlockForm {
  const base = defaultForm(c, block.type);
  const keys = block.query.group_by.map(parseKey);
  const measure = block.query.measures[0] ?? "count";
  const order = block.query.order[0];
  // The saved views' reading of filters; a filter the builder cannot show whole is kept as it is.
  const { group, extra } = parseFilter(block.query.filter ?? undefined, c?.fields ?? []);
  const parsed = extra === undefined ? group : null;
  return {
    ...base,
    title: block.title,
    collection: block.collection,
    keys: [keys[0] ?? base.keys[0] ?? { field: "", bucket: null }, keys[1] ?? base.keys[1] ?? { field: "", bucket: null }],
    measure,
    filter: parsed ?? emptyGroup(),
    rawFilter: parsed ? null : block.query.filter,
    order: order === `-${measure}` ? "desc" : order === measure ? "asc" : "keys",
    limit: block.query.limit,
  };
}

/** The browser's IANA time zone, which datetime buckets are cut in. */
export function browserZone(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}

/** The aggregate query a form asks for. Date keys carry their bucket; the time zone is sent when a
 * datetime is bucketed (a date has none). */
export function blockQuery(form: BlockForm, c: Collection | undefined, tz: string | null = browserZone()): BlockQuery {
  const fields = new Map((c?.fields ?? []).map((f) => [f.name, f]));
  const keys = form.keys.slice(0, keysFor(form.type));
  const group_by = keys.map((k) => (k.bucket && isDated(fields.get(k.field)) ? `${k.field}:${k.bucket}` : k.field));
  const zoned = keys.some((k) => k.bucket && fields.get(k.field) && valueKind(fields.get(k.field) as Field) === "datetime");
  const grouped = form.type !== "number";
  return {
    group_by,
    measures: [form.measure],
    filter: form.rawFilter ?? toApiFilter(form.filter) ?? null,
    order: !grouped || form.order === "keys" ? [] : [form.order === "desc" ? `-${form.measure}` : form.measure],
    limit: grouped ? form.limit : null,
    tz: zoned ? tz : null,
  };
}

export function newBlockId(): string {
  return `b${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export function blockFromForm(form: BlockForm, c: Collection | undefined, id: string, placed: Item[], layout?: DashboardBlock["layout"]): DashboardBlock {
  const size = defaultSize(form.type);
  return {
    id,
    type: form.type,
    title: form.title.trim(),
    collection: form.collection,
    query: blockQuery(form, c),
    layout: layout ?? { ...placeNew(placed, size.w, size.h), ...size },
  };
}

/** A missing piece of the form, as a message key, or null when it can be saved. */
export function formProblem(form: BlockForm): "dashboards.needCollection" | "dashboards.needGroup" | null {
  if (!form.collection) return "dashboards.needCollection";
  const keys = form.keys.slice(0, keysFor(form.type));
  if (keys.some((k) => !k.field)) return "dashboards.needGroup";
  if (form.type === "sankey" && keys[0]?.field === keys[1]?.field && keys[0]?.bucket === keys[1]?.bucket) return "dashboards.needGroup";
  return null;
}

/** A group's label: a bucket's period, a choice's label, a relation's id. */
export function groupLabel(value: JSONValue | undefined, field: Field | undefined, bucket: Bucket | null, emptyLabel: string): string {
  if (value === null || value === undefined || value === "") return emptyLabel;
  if (bucket && typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value)) {
    const [y, m] = value.split("-");
    if (bucket === "year") return y ?? value;
    if (bucket === "month") return `${y}-${m}`;
    if (bucket === "quarter") return `${y} Q${Math.floor((Number(m) - 1) / 3) + 1}`;
    return value.slice(0, 10);
  }
  if (field?.type === "select" && typeof value === "string") return choiceLabel(field, value);
  if (field && (field.type === "many_to_one" || field.type === "created_by" || field.type === "updated_by")) return `#${toText(value)}`;
  if (typeof value === "boolean") return value ? "✓" : "✗";
  return toText(value);
}

export function numeric(value: JSONValue | undefined): number {
  if (typeof value === "number") return value;
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}

export interface Series {
  labels: string[];
  values: number[];
  /** A select's choice colors (antd color names), where it has them. */
  colors: (string | null)[];
}

export function toSeries(rows: AggregateRow[], key: string, measure: string, field: Field | undefined, emptyLabel: string): Series {
  const { bucket } = parseKey(key);
  return {
    labels: rows.map((row) => groupLabel(row[key], field, bucket, emptyLabel)),
    values: rows.map((row) => numeric(row[measure])),
    colors: rows.map((row) => field?.options?.choices?.find((c) => c.value === row[key])?.color ?? null),
  };
}

export interface Flow {
  /** Node names are made unique per side (`1:` sources, `2:` targets); `label` is what shows. */
  nodes: { name: string; label: string; color: string | null }[];
  links: { source: string; target: string; value: number }[];
}

/** A Sankey's nodes and links from rows grouped by two keys (source, then target). */
export function toFlow(rows: AggregateRow[], keys: [string, string], measure: string, fields: [Field | undefined, Field | undefined], emptyLabel: string): Flow {
  const nodes = new Map<string, { label: string; color: string | null }>();
  const links: Flow["links"] = [];
  for (const row of rows) {
    const value = numeric(row[measure]);
    if (value <= 0) continue;
    const ends = keys.map((key, i) => {
      const label = groupLabel(row[key], fields[i], parseKey(key).bucket, emptyLabel);
      const name = `${i + 1}:${label}`;
      nodes.set(name, { label, color: fields[i]?.options?.choices?.find((c) => c.value === row[key])?.color ?? null });
      return name;
    });
    links.push({ source: ends[0] ?? "", target: ends[1] ?? "", value });
  }
  return { nodes: [...nodes].map(([name, node]) => ({ name, ...node })), links };
}

export function autoTitle(block: DashboardBlock, c: Collection | undefined, t: Translate): string {
  const parts = [c?.title || block.collection];
  for (const key of block.query.group_by) {
    const { field } = parseKey(key);
    const f = c?.fields.find((x) => x.name === field);
    parts.push(f ? fieldTitle(f) : field);
  }
  parts.push(measureLabel(block.query.measures[0] ?? "count", c, t));
  return parts.join(" · ");
}

// The dashboard once lived in the browser (localStorage, per user): its charts move to the server.
interface LegacyBlock {
  id: string;
  title?: string;
  collection: string;
  groupBy: string;
  measure: string;
  chart: "bar" | "pie" | "line";
}

const LEGACY_KEY = "deskbase.dashboard";

export function legacyBlocks(userId: number, fieldsOf: (collection: string) => Field[]): DashboardBlock[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(localStorage.getItem(`${LEGACY_KEY}.${userId}`) ?? "[]");
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const out: DashboardBlock[] = [];
  for (const b of parsed as LegacyBlock[]) {
    if (!b || typeof b.collection !== "string" || typeof b.groupBy !== "string") continue;
    const field = fieldsOf(b.collection).find((f) => f.name === b.groupBy);
    const size = defaultSize(b.chart);
    out.push({
      id: typeof b.id === "string" && b.id ? b.id.slice(0, 64) : newBlockId(),
      type: b.chart === "pie" || b.chart === "line" ? b.chart : "bar",
      title: b.title ?? "",
      collection: b.collection,
      query: {
        group_by: [isDated(field) ? `${b.groupBy}:month` : b.groupBy],
        measures: [b.measure || "count"],
        filter: null,
        order: [],
        limit: 50,
        tz: isDated(field) && field && valueKind(field) === "datetime" ? browserZone() : null,
      },
      layout: { ...placeNew(out.map((x) => ({ id: x.id, ...x.layout })), size.w, size.h), ...size },
    });
  }
  return out;
}

export function forgetLegacy(userId: number): void {
  localStorage.removeItem(`${LEGACY_KEY}.${userId}`);
}

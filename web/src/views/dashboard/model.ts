/** Dashboard blocks: a chart over `GET /api/data/{c}/aggregate`, kept per user in this browser. */

import type { AggregateRow, Collection, Field, JSONValue } from "../../api/types";
import { valueKind } from "../../fields/registry";
import { choiceLabel, fieldTitle, toText } from "../../fields/values";

export type ChartKind = "bar" | "pie" | "line";

export interface ChartBlock {
  id: string;
  title?: string;
  collection: string;
  groupBy: string;
  /** `count`, or `sum:field` / `avg:field` over a number field. */
  measure: string;
  chart: ChartKind;
}

const KEY = "deskbase.dashboard";

export function loadBlocks(userId: number): ChartBlock[] {
  try {
    const raw = localStorage.getItem(`${KEY}.${userId}`);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? (parsed as ChartBlock[]) : [];
  } catch {
    return [];
  }
}

export function saveBlocks(userId: number, blocks: ChartBlock[]): void {
  localStorage.setItem(`${KEY}.${userId}`, JSON.stringify(blocks));
}

const UNGROUPABLE = new Set(["multi_select", "json", "attachment", "one_to_many", "many_to_many", "rich_text", "text"]);

export function groupableFields(c: Collection): Field[] {
  return c.fields.filter((f) => !UNGROUPABLE.has(f.type) && f.name !== "id");
}

export function measurableFields(c: Collection): Field[] {
  return c.fields.filter((f) => valueKind(f) === "number" && f.name !== "id" && f.type !== "formula");
}

/** A date field is grouped by month, else every day would be its own bar. */
export function groupKey(field: Field | undefined, name: string): string {
  const kind = field ? valueKind(field) : "text";
  return kind === "date" || kind === "datetime" ? `${name}:month` : name;
}

export interface Series {
  labels: string[];
  values: number[];
  /** A select's choice colors (antd color names), where it has them. */
  colors: (string | null)[];
}

export function toSeries(rows: AggregateRow[], key: string, measure: string, field: Field | undefined, emptyLabel: string): Series {
  const labels: string[] = [];
  const values: number[] = [];
  const colors: (string | null)[] = [];
  for (const row of rows) {
    const raw = row[key];
    labels.push(label(raw, field, emptyLabel));
    const v = row[measure];
    values.push(typeof v === "number" ? v : Number(v ?? 0));
    colors.push(field?.options?.choices?.find((c) => c.value === raw)?.color ?? null);
  }
  return { labels, values, colors };
}

function label(value: JSONValue | undefined, field: Field | undefined, emptyLabel: string): string {
  if (value === null || value === undefined || value === "") return emptyLabel;
  if (field?.type === "select" && typeof value === "string") return choiceLabel(field, value);
  if (field && (field.type === "many_to_one" || field.type === "created_by" || field.type === "updated_by")) return `#${toText(value)}`;
  if (typeof value === "boolean") return value ? "✓" : "✗";
  return toText(value);
}

export function blockTitle(block: ChartBlock, c: Collection | undefined, measureLabel: string): string {
  if (block.title) return block.title;
  const field = c?.fields.find((f) => f.name === block.groupBy);
  return `${c?.title || block.collection} · ${field ? fieldTitle(field) : block.groupBy} · ${measureLabel}`;
}

/** Grouping the grid by a field: which fields can group, a group's filter, and the flat list of
 * rows the virtual table shows (a header per group, its loaded records, and a row that loads
 * more when it scrolls into view). */

import type { Field, JSONValue, RecordData } from "../../api/types";

/** Types whose records hold one value each (the aggregate API groups only on those). */
const UNGROUPABLE = new Set(["multi_select", "many_to_many", "one_to_many", "json", "attachment", "rich_text", "text"]);

export function groupableFields<F extends Field>(fields: F[]): F[] {
  return fields.filter((f) => !UNGROUPABLE.has(f.type) && f.type !== "formula");
}

/** A group's key for React and for the maps below (values are strings, numbers, booleans or null). */
export function groupKey(value: JSONValue | undefined): string {
  return value === null || value === undefined ? "∅" : JSON.stringify(value);
}

/** The records of one group: the field equals the value, or is empty for the empty group. */
export function groupFilter(field: string, value: JSONValue): JSONValue {
  return value === null ? { [field]: { $empty: true } } : { [field]: { $eq: value } };
}

export interface GroupInfo {
  key: string;
  value: JSONValue;
  count: number;
}

export interface GroupPage {
  rows: RecordData[];
  cursor: string | null;
  hasMore: boolean;
  loading: boolean;
  /** The first page was asked for. */
  started: boolean;
  error: unknown;
}

export const FRESH_GROUP: GroupPage = { rows: [], cursor: null, hasMore: true, loading: false, started: false, error: null };

/** A group's header row in the table. */
export class GroupRow {
  constructor(
    readonly group: GroupInfo,
    readonly collapsed: boolean,
  ) {}
}

/** The row under a group's loaded records that loads its next page when it is drawn. */
export class MoreRow {
  constructor(
    readonly group: GroupInfo,
    readonly page: GroupPage,
  ) {}
}

export type GridRow = RecordData | GroupRow | MoreRow;

export function isRecord(row: GridRow): row is RecordData {
  return !(row instanceof GroupRow) && !(row instanceof MoreRow);
}

export function rowKey(row: GridRow): string | number {
  if (row instanceof GroupRow) return `g:${row.group.key}`;
  if (row instanceof MoreRow) return `m:${row.group.key}`;
  return row.id;
}

/** The table's rows: each group's header, then (unless collapsed) its records and a loader. */
export function flattenGroups(groups: GroupInfo[], pages: Record<string, GroupPage>, collapsed: ReadonlySet<string>): GridRow[] {
  const out: GridRow[] = [];
  for (const group of groups) {
    const closed = collapsed.has(group.key);
    out.push(new GroupRow(group, closed));
    if (closed) continue;
    const page = pages[group.key] ?? FRESH_GROUP;
    for (const row of page.rows) out.push(row);
    if (page.hasMore || page.error) out.push(new MoreRow(group, page));
  }
  return out;
}

/** The import's column mapping as the wizard shows it: the dry run's `result.mapping` and
 * `result.ignored` become one row per column of the file, the rows become the `mapping` JSON the
 * import takes (docs/api.md "Import"), and the targets a column can go to are listed from the
 * schema (fields, relations matched by a field of their target, extensions' fields). */

import type { Collection, Field, ImportResult } from "../api/types";
import { isWritable } from "../fields/registry";

/** `{"column header": target}`; null ignores the column. */
export type ImportMapping = Record<string, string | null>;

export interface MappingRow {
  column: string;
  /** A field path (`title`, `customer.name`, `ticket_repair.serial_no`), or null: not imported. */
  target: string | null;
  /** Why an ignored column is ignored, as the server says it. */
  reason?: string;
}

/** One row per column of the dry run's result. Columns keep the order of `sent` (the mapping the
 * dry run was given, which follows the table's order), so a change does not move rows around;
 * without it the mapped columns come first, then the ignored ones. */
export function rowsFromResult(result: ImportResult, sent?: ImportMapping | null): MappingRow[] {
  const rows: MappingRow[] = [];
  for (const [column, target] of Object.entries(result.mapping ?? {})) rows.push({ column, target });
  for (const { column, reason } of result.ignored ?? []) {
    if (!rows.some((r) => r.column === column)) rows.push({ column, target: null, reason });
  }
  if (!sent) return rows;
  const order = Object.keys(sent);
  const rank = (column: string) => {
    const at = order.indexOf(column);
    return at < 0 ? order.length : at;
  };
  return rows.map((row, index) => ({ row, index })).sort((a, b) => rank(a.row.column) - rank(b.row.column) || a.index - b.index).map((x) => x.row);
}

/** The `mapping` form field: every column of the table, ignored ones as null. */
export function mappingJson(rows: readonly MappingRow[]): ImportMapping {
  return Object.fromEntries(rows.map((r) => [r.column, r.target]));
}

/** The rows with one column sent elsewhere (null: ignored). */
export function retarget(rows: readonly MappingRow[], column: string, target: string | null): MappingRow[] {
  return rows.map((r) => (r.column === column ? { column, target } : r));
}

/** Field types an import never writes (their columns are ignored by the server). */
const NOT_IMPORTED = new Set(["attachment", "one_to_many"]);
/** Field types a related record cannot be matched by. */
const NOT_A_LOOKUP = new Set(["attachment", "json", "multi_select", "many_to_many", "one_to_many", "formula"]);
const RELATIONS = new Set(["many_to_one", "many_to_many"]);

export function importable(field: Field): boolean {
  return isWritable(field) && !NOT_IMPORTED.has(field.type);
}

/** Fields of a relation's target that its records can be matched by: its own fields (the id is
 * the relation by id; system fields make poor keys). */
export function lookupFields(target: Collection): Field[] {
  return target.fields.filter((f) => !f.system && f.name !== "id" && !NOT_A_LOOKUP.has(f.type));
}

export type TargetKind = "field" | "byId" | "matchedBy" | "extension";

export interface TargetOption {
  value: string;
  kind: TargetKind;
  /** The field (or relation) the target writes. */
  field: Field;
  /** matchedBy: the target collection's field; extension: the extension. */
  lookup?: Field;
  extension?: Collection;
}

/** Every target a column can go to, in the collection's field order: a field; a relation by id and
 * then matched by each field of its target; then each extension's fields. `collections` is the
 * schema (relations' targets and extensions are looked up in it; those missing are skipped). */
export function targetOptions(collection: Collection, collections: readonly Collection[]): TargetOption[] {
  const byName = new Map(collections.map((c) => [c.name, c]));
  const out: TargetOption[] = [];
  for (const field of collection.fields.filter(importable)) {
    if (!RELATIONS.has(field.type)) {
      out.push({ value: field.name, kind: "field", field });
      continue;
    }
    const related = field.options?.target ? byName.get(field.options.target) : undefined;
    out.push({ value: field.name, kind: "byId", field });
    for (const lookup of related ? lookupFields(related) : []) {
      out.push({ value: `${field.name}.${lookup.name}`, kind: "matchedBy", field, lookup });
    }
  }
  for (const name of collection.extensions ?? []) {
    const extension = byName.get(name);
    for (const field of extension?.fields.filter(importable) ?? []) {
      out.push({ value: `${name}.${field.name}`, kind: "extension", field, extension });
    }
  }
  return out;
}

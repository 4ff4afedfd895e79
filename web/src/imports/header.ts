/** The mapping table before any check: the server refused the file (a required field without a
 * column) and sent its header row with the refusal (`columns`, CSV or XLSX alike). */

import { ApiError } from "../api/client";
import type { Collection } from "../api/types";
import { importable, type MappingRow } from "./mapping";

/** The file's header row sent with a refusal of its columns, or null. */
export function refusedHeader(error: unknown): string[] | null {
  if (!(error instanceof ApiError) || !error.errors.some((e) => e.field.startsWith("mapping."))) return null;
  const columns = error.problem.columns;
  return Array.isArray(columns) ? columns.filter((c): c is string => typeof c === "string") : null;
}

/** Rows for the header: each column matched to a field by name or title (ignoring case), as the
 * server would; the server's own match replaces these after the next check. */
export function rowsFromHeader(headers: readonly string[], collection: Collection): MappingRow[] {
  const fields = collection.fields.filter(importable);
  const rows: MappingRow[] = [];
  for (const column of headers) {
    if (!column || rows.some((r) => r.column === column)) continue;
    const folded = column.toLowerCase();
    const field = fields.find((f) => f.name.toLowerCase() === folded) ?? fields.find((f) => (f.title ?? "").trim().toLowerCase() === folded);
    rows.push({ column, target: field?.name ?? null });
  }
  return rows;
}

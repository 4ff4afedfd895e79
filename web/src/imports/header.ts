/** A CSV file's header row, read in the browser: for when the server refuses the file before any
 * job runs (a required field without a column), so the user can still map its columns. Mirrors
 * the server's reading (docs/api.md "Import"): UTF-8 with or without BOM, UTF-16 with a BOM or
 * GB18030; `,`, tab or `;`, whichever the header line uses. XLSX headers are not read here. */

import type { Collection } from "../api/types";
import { importable, type MappingRow } from "./mapping";

const HEAD_BYTES = 64 * 1024;

export function decodeHead(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  // The first line only (a cut inside a character further on does not matter).
  const end = bytes.indexOf(0x0a);
  const line = end < 0 ? bytes : bytes.subarray(0, end);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(line);
  } catch {
    return new TextDecoder("gb18030").decode(line); // what Chinese Excel saves as "CSV"
  }
}

/** The header row's cells (RFC 4180 quotes; the delimiter the line uses most). */
export function parseHeader(text: string): string[] {
  const first = text.replace(/^\ufeff/, "").split(/\r\n|\n|\r/, 1)[0] ?? "";
  const count = (d: string) => first.split(d).length;
  const delimiter = [",", "\t", ";"].reduce((best, d) => (count(d) > count(best) ? d : best), ",");
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      cells.push(cell);
      cell = "";
    } else if (ch === "\r" || ch === "\n") break;
    else if (!(i === 0 && ch === "\ufeff")) cell += ch;
  }
  cells.push(cell);
  return cells.map((c) => c.trim());
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

/** The header of a CSV file, or null for other files. */
export async function readCsvHeader(file: File): Promise<string[] | null> {
  if (!/\.(csv|txt)$/i.test(file.name)) return null;
  const bytes = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
  return parseHeader(decodeHead(bytes));
}

/** The gallery's choices: which fields can title a card or give its cover, and a record's cover
 * (the first image among an attachment field's files). */

import type { Collection, Field, JSONValue, RecordData } from "../../api/types";
import { fieldType } from "../../fields/registry";

const TITLE_TYPES = new Set(["string", "text", "auto_number", "email", "phone", "url", "select", "integer", "date", "datetime"]);

export function attachmentFields(collection: Collection, readable: Set<string> | null = null): Field[] {
  return collection.fields.filter((f) => f.type === "attachment" && (readable === null || readable.has(f.name)));
}

/** Fields a card's title can show: short, readable values. */
export function titleFields(collection: Collection, readable: Set<string> | null = null): Field[] {
  return collection.fields.filter((f) => !f.system && TITLE_TYPES.has(f.type) && (readable === null || readable.has(f.name)));
}

/** A few more fields under the title (not the title or cover, nothing bulky). */
export function detailFields(collection: Collection, title: string | null, cover: string | null, readable: Set<string> | null): Field[] {
  return collection.fields
    .filter(
      (f) =>
        !f.system &&
        f.name !== title &&
        f.name !== cover &&
        !["json", "rich_text", "text", "attachment", "one_to_many"].includes(f.type) &&
        fieldType(f.type).kind !== "json" &&
        (readable === null || readable.has(f.name)),
    )
    .slice(0, 3);
}

export interface Cover {
  id: number;
  url: string;
  filename: string;
}

/** The first image of the record's attachment field, or null. */
export function coverOf(record: RecordData, field: string | null): Cover | null {
  if (!field) return null;
  const files = record[field];
  if (!Array.isArray(files)) return null;
  for (const file of files) {
    if (!isObject(file)) continue;
    const mime = typeof file.mime_type === "string" ? file.mime_type : "";
    const id = file.id;
    if (typeof id !== "number" || !mime.startsWith("image/")) continue;
    return {
      id,
      url: typeof file.url === "string" ? file.url : `/api/attachments/${id}`,
      filename: typeof file.filename === "string" ? file.filename : "",
    };
  }
  return null;
}

function isObject(value: JSONValue): value is { [key: string]: JSONValue } {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

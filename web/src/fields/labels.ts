/** How a related record is named: its collection's title field, else its first text field. */

import type { Collection, JSONValue, RecordData } from "../api/types";
import { toText } from "./values";

const LABEL_TYPES = new Set(["string", "auto_number", "email", "phone", "url", "text"]);

/** The field that names a record of `collection`: its `title_field`, else its first text field. */
export function labelField(collection: Collection | undefined, hint?: string | null): string | null {
  if (!collection) return null;
  if (hint && collection.fields.some((f) => f.name === hint)) return hint;
  return collection.fields.find((f) => !f.system && LABEL_TYPES.has(f.type))?.name ?? null;
}

export function recordLabel(record: RecordData | Record<string, JSONValue>, label: string | null): string {
  const id = record.id;
  const text = label ? toText(record[label]) : "";
  return text ? text : `#${toText(id)}`;
}

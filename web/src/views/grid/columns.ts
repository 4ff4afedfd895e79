/** The grid's column model: which fields show, in what order and how wide; extension fields
 * (T-shaped collections) are offered as `ext.field` columns, hidden until chosen. */

import type { Collection, Field, JSONValue, RecordData } from "../../api/types";
import { fieldType } from "../../fields/registry";
import { fieldTitle } from "../../fields/values";

export const MIN_WIDTH = 40;
export const MAX_WIDTH = 1000;

/** A column's field; an extension's field carries the extension's name and is named `ext.field`. */
export interface GridField extends Field {
  extension?: string;
  /** An extension's field shown without being chosen (the grid of one business type). */
  byDefault?: boolean;
}

/** Every field the grid may show: the collection's own (system stamps last), then its extensions'. */
export function gridFields(
  collection: Collection,
  extensions: Collection[],
  readable: (collection: string, field: string) => boolean,
): GridField[] {
  const own = collection.fields.filter((f) => f.name !== "id" && readable(collection.name, f.name));
  const out: GridField[] = [...own.filter((f) => !f.system), ...own.filter((f) => f.system)];
  for (const ext of extensions) {
    for (const f of ext.fields) {
      if (f.system || !readable(ext.name, f.name)) continue;
      out.push({ ...f, name: `${ext.name}.${f.name}`, title: `${ext.title || ext.name}: ${fieldTitle(f)}`, extension: ext.name });
    }
  }
  return out;
}

/** The columns shown by default: the collection's own fields (and a business type's, on its grid). */
export function defaultColumns(fields: GridField[]): string[] {
  return fields.filter((f) => !f.extension || f.byDefault).map((f) => f.name);
}

/** The visible fields in display order: `chosen` (null: the default), less names that no longer exist. */
export function visibleFields(fields: GridField[], chosen: string[] | null): GridField[] {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const names = chosen ?? defaultColumns(fields);
  const out: GridField[] = [];
  for (const name of names) {
    const f = byName.get(name);
    if (f && !out.includes(f)) out.push(f);
  }
  return out;
}

/** Shows or hides a column: shown ones go at the end; the result is always an explicit list. */
export function toggleColumn(fields: GridField[], chosen: string[] | null, name: string, visible: boolean): string[] {
  const current = visibleFields(fields, chosen).map((f) => f.name);
  if (visible) return current.includes(name) ? current : [...current, name];
  return current.filter((n) => n !== name);
}

/** Moves column `name` to the place of `target` (before it when moving up, after it when moving down). */
export function moveColumn(order: string[], name: string, target: string): string[] {
  const from = order.indexOf(name);
  const to = order.indexOf(target);
  if (from < 0 || to < 0 || from === to) return order;
  const next = order.filter((n) => n !== name);
  next.splice(to, 0, name);
  return next;
}

/** `null` when `order` is the default order, so an untouched grid saves no `fields`. */
export function normalColumns(fields: GridField[], order: string[] | null): string[] | null {
  if (order === null) return null;
  const def = defaultColumns(fields);
  return order.length === def.length && order.every((n, i) => n === def[i]) ? null : order;
}

export function clampWidth(width: number): number {
  return Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width)));
}

export function columnWidth(field: Field, widths: Record<string, number>): number {
  const set = widths[field.name];
  return typeof set === "number" ? clampWidth(set) : fieldType(field.type).width;
}

/** A cell's value: an extension's field is read from the nested object of its extension. */
export function cellValue(record: RecordData, field: GridField): JSONValue | undefined {
  if (!field.extension) return record[field.name];
  const nested = record[field.extension];
  if (!nested || typeof nested !== "object" || Array.isArray(nested)) return undefined;
  return nested[field.name.slice(field.extension.length + 1)];
}

/** Whether a record has the extension of this field (its discriminator matches). */
export function hasExtension(record: RecordData, field: GridField): boolean {
  if (!field.extension) return true;
  const nested = record[field.extension];
  return Boolean(nested && typeof nested === "object" && !Array.isArray(nested));
}

/** The body of a write of one column's value (nested under its extension for extension fields). */
export function writeBody(field: GridField, value: JSONValue): Record<string, JSONValue> {
  if (!field.extension) return { [field.name]: value };
  return { [field.extension]: { [field.name.slice(field.extension.length + 1)]: value } };
}

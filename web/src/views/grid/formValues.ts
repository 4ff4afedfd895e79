/** The record form's values: what it starts with, the body it sends (only changes of an existing
 * record; an extension's fields nested under its name), and where the API's errors go. */

import type { Collection, Field, FieldErrorItem, JSONValue, RecordData } from "../../api/types";
import { isEmpty } from "../../fields/values";
import { sameValue, toWrite } from "./values";

export type FormValues = Record<string, JSONValue>;

/** An extension of the master whose fields the form shows when the discriminator matches. */
export interface FormExtension {
  collection: Collection;
  /** The extension's fields the user may write. */
  editable: Field[];
}

function nested(value: JSONValue | undefined): Record<string, JSONValue> {
  return value && typeof value === "object" && !Array.isArray(value) ? value : {};
}

/** The extension chosen by the discriminator's value in `values`, if any. */
export function activeExtension(extensions: FormExtension[], values: FormValues): FormExtension | undefined {
  return extensions.find((e) => {
    const ext = e.collection.extends;
    return ext !== null && ext !== undefined && values[ext.discriminator] === ext.value;
  });
}

export function initialValues(editable: Field[], extensions: FormExtension[], record: RecordData | null): FormValues {
  const values: FormValues = {};
  for (const f of editable) {
    const v = record ? record[f.name] : f.default;
    values[f.name] = v === undefined ? null : v;
  }
  for (const e of extensions) {
    const held = record ? nested(record[e.collection.name]) : {};
    const out: Record<string, JSONValue> = {};
    for (const f of e.editable) {
      const v = record ? held[f.name] : f.default;
      out[f.name] = v === undefined ? null : v;
    }
    values[e.collection.name] = out;
  }
  return values;
}

/** What to send: a new record's filled values, or an existing record's changed ones. An
 * extension's values go nested under its name, all of them when the record takes that business
 * type now (new, or its discriminator changed), else the changed ones. */
export function recordBody(editable: Field[], extensions: FormExtension[], values: FormValues, record: RecordData | null): FormValues {
  const body: FormValues = {};
  for (const f of editable) {
    const v = values[f.name];
    if (record === null) {
      if (!isEmpty(v)) body[f.name] = toWrite(f, v);
    } else if (!sameValue(f, v, record[f.name])) {
      body[f.name] = toWrite(f, v);
    }
  }
  const active = activeExtension(extensions, values);
  if (active) {
    const name = active.collection.name;
    const held = record ? record[name] : undefined;
    const fresh = record === null || held === undefined || held === null;
    const mine = nested(values[name]);
    const before = nested(held);
    const out: Record<string, JSONValue> = {};
    for (const f of active.editable) {
      const v = mine[f.name];
      if (fresh ? !isEmpty(v) : !sameValue(f, v, before[f.name])) out[f.name] = toWrite(f, v);
    }
    if (fresh || Object.keys(out).length > 0) body[name] = out;
  }
  return body;
}

/** Where each of the API's errors shows: on a field of the form (`["title"]`, or
 * `["ticket_repair", "serial_no"]` for an extension's), or in the form's message (`null`). */
export function errorPlaces(errors: FieldErrorItem[], editable: Field[], extensions: FormExtension[]): { name: string[] | null; message: string }[] {
  const own = new Set(editable.map((f) => f.name));
  return errors.map((e) => {
    const [head = "", second = ""] = e.field.split(".");
    if (own.has(head)) return { name: [head], message: e.message };
    const ext = extensions.find((x) => x.collection.name === head);
    if (ext && ext.editable.some((f) => f.name === second)) return { name: [head, second], message: e.message };
    return { name: null, message: e.field ? `${e.field}: ${e.message}` : e.message };
  });
}

/** The field types the web app knows, by key; an unknown key is shown as text and not edited. */

import type { Field } from "../api/types";
import { attachmentTypes } from "./attachment";
import { booleanTypes } from "./boolean";
import { choiceTypes } from "./choice";
import { datetimeTypes } from "./datetime";
import { miscTypes } from "./misc";
import { numberTypes } from "./number";
import { relationTypes } from "./relation";
import { textTypes } from "./text";
import type { FieldTypeUI, ValueKind } from "./types";
import { userTypes } from "./user";
import { toText } from "./values";

const ALL: FieldTypeUI[] = [
  ...textTypes,
  ...numberTypes,
  ...booleanTypes,
  ...datetimeTypes,
  ...choiceTypes,
  ...relationTypes,
  ...userTypes,
  ...miscTypes,
  ...attachmentTypes,
];

const BY_KEY = new Map(ALL.map((t) => [t.key, t]));

const UNKNOWN: FieldTypeUI = {
  key: "unknown",
  kind: "text",
  writable: false,
  inline: false,
  creatable: false,
  width: 160,
  render: (value) => toText(value),
};

export function fieldType(key: string): FieldTypeUI {
  return BY_KEY.get(key) ?? UNKNOWN;
}

export function fieldTypes(): readonly FieldTypeUI[] {
  return ALL;
}

/** A formula's kind follows its result type (as on the server). */
export function valueKind(field: Field): ValueKind {
  if (field.type === "formula") {
    const rt = field.options?.result_type;
    if (rt === "text") return "text";
    if (rt === "boolean") return "bool";
    if (rt === "date") return "date";
    return "number";
  }
  return fieldType(field.type).kind;
}

/** How much of the record form's width the field takes. */
export function fieldLayout(field: Field): "half" | "full" {
  return fieldType(field.type).layout ?? "half";
}

/** Users write this field (not system, not computed, and a type the web app can edit). */
export function isWritable(field: Field): boolean {
  return !field.system && fieldType(field.type).writable && fieldType(field.type).Editor !== undefined;
}

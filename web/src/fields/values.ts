/** Small helpers over API values, shared by the field families. */

import type { Field, JSONValue } from "../api/types";

export function isEmpty(value: JSONValue | undefined): boolean {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

/** A relation value as the API gives it: an id, or the related record with `appends`. */
export function refId(value: JSONValue | undefined): number | null {
  if (typeof value === "number") return value;
  if (value && typeof value === "object" && !Array.isArray(value) && typeof value.id === "number") return value.id;
  return null;
}

export function refIds(value: JSONValue | undefined): number[] {
  if (!Array.isArray(value)) return [];
  return value.map(refId).filter((id): id is number => id !== null);
}

export function fieldTitle(field: Field): string {
  return field.title || field.name;
}

export function choiceLabel(field: Field, value: string): string {
  const choice = field.options?.choices?.find((c) => c.value === value);
  return choice?.label || value;
}

export function toText(value: JSONValue | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

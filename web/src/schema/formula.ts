/** The formula editor's model: what a formula may name, and inserting a name at the cursor. */

import type { Collection, Field } from "../api/types";

/** The functions a formula may call (the server's FUNCTIONS), with the text inserted for each. */
export const FORMULA_FUNCTIONS = [
  { name: "round", signature: "round(number, digits)" },
  { name: "abs", signature: "abs(number)" },
  { name: "min", signature: "min(a, b, …)" },
  { name: "max", signature: "max(a, b, …)" },
  { name: "len", signature: "len(text)" },
  { name: "upper", signature: "upper(text)" },
  { name: "lower", signature: "lower(text)" },
  { name: "concat", signature: "concat(a, b, …)" },
  { name: "IF", signature: "IF(condition, then, otherwise)" },
  { name: "coalesce", signature: "coalesce(a, b, …)" },
] as const;

export type FormulaFunction = (typeof FORMULA_FUNCTIONS)[number]["name"];

/** Types without a column of their own: a formula cannot read them. */
const UNSTORED = new Set(["one_to_many", "many_to_many", "formula"]);

/** The fields of `collection` a formula can read: stored, not computed, not `exclude` (the field being edited). */
export function formulaFields(collection: Collection, exclude?: string): Field[] {
  return collection.fields.filter((f) => !UNSTORED.has(f.type) && f.name !== exclude);
}

export interface Inserted {
  text: string;
  /** Where the cursor goes afterwards. */
  cursor: number;
}

/** `snippet` put in place of the selection [start, end) of `text`, with a space before it when it
 * would otherwise run into a name; the cursor lands at `snippet`'s `caret` (default: its end). */
export function insertAt(text: string, start: number, end: number, snippet: string, caret = snippet.length): Inserted {
  const s = Math.max(0, Math.min(start, text.length));
  const e = Math.max(s, Math.min(end, text.length));
  const before = text.slice(0, s);
  const pad = /[\w)]$/.test(before) ? " " : "";
  return { text: before + pad + snippet + text.slice(e), cursor: s + pad.length + caret };
}

/** Inserting a function: its name and parentheses, the cursor between them. */
export function insertFunction(text: string, start: number, end: number, name: string): Inserted {
  return insertAt(text, start, end, `${name}()`, name.length + 1);
}

/** The grid's query as each route takes it: lists search with `q=`, while aggregate, export and the
 * bulk writes take a filter only, so there the quick search becomes the same test written as a
 * filter (every word in some text field, ignoring case: `$includes`). */

import type { Field, JSONValue } from "../../api/types";

/** The types `q=` searches (docs/api.md, "Records"). */
const SEARCHED = new Set(["string", "text", "rich_text", "email", "phone", "url", "auto_number"]);

/** Matches no record: for a search over a collection without text fields. */
const NOTHING: JSONValue = { id: { $empty: true } };

export function searchWords(q: string): string[] {
  return [...new Set(q.split(/\s+/).filter(Boolean))];
}

/** `q` as a filter over the collection's own text fields; undefined for a blank `q`. */
export function searchFilter(fields: Field[], q: string): JSONValue | undefined {
  const words = searchWords(q);
  if (words.length === 0) return undefined;
  const texts = fields.filter((f) => SEARCHED.has(f.type) && !f.name.includes("."));
  if (texts.length === 0) return NOTHING;
  const perWord = words.map((w): JSONValue => {
    const any = texts.map((f): JSONValue => ({ [f.name]: { $includes: w } }));
    return any.length === 1 ? (any[0] as JSONValue) : { $or: any };
  });
  return perWord.length === 1 ? perWord[0] : { $and: perWord };
}

/** The parts joined with `$and`, leaving out the missing ones; undefined when none is left. */
export function andFilters(...parts: (JSONValue | undefined)[]): JSONValue | undefined {
  const present = parts.filter((p): p is JSONValue => p !== undefined);
  if (present.length === 0) return undefined;
  return present.length === 1 ? present[0] : { $and: present };
}

/** The grid's row selection: picked ids, or every record the filter matches less some; ranges by
 * shift-click over the rows in their shown order; and the filters a bulk write sends. */

import type { JSONValue } from "../../api/types";

export interface Selection {
  /** True: every record matching the grid's filter is selected, except `ids`. */
  readonly all: boolean;
  readonly ids: ReadonlySet<number>;
  /** The last row clicked without shift: one end of a shift-click range. */
  readonly anchor: number | null;
}

export const NO_SELECTION: Selection = { all: false, ids: new Set(), anchor: null };

export function isSelected(s: Selection, id: number): boolean {
  return s.all ? !s.ids.has(id) : s.ids.has(id);
}

function setTo(s: Selection, ids: readonly number[], selected: boolean): Set<number> {
  // In "all" mode `ids` holds the exceptions, so selecting removes from it.
  const add = s.all ? !selected : selected;
  const next = new Set(s.ids);
  for (const id of ids) {
    if (add) next.add(id);
    else next.delete(id);
  }
  return next;
}

/** A click on a row's checkbox; with shift, every row between the anchor and this one (in `order`,
 * the rows as shown) takes the clicked row's new state. */
export function toggleRow(s: Selection, id: number, order: readonly number[], shift: boolean): Selection {
  const selected = !isSelected(s, id);
  if (shift && s.anchor !== null && s.anchor !== id) {
    const a = order.indexOf(s.anchor);
    const b = order.indexOf(id);
    if (a >= 0 && b >= 0) {
      const range = order.slice(Math.min(a, b), Math.max(a, b) + 1);
      return { all: s.all, ids: setTo(s, range, selected), anchor: id };
    }
  }
  return { all: s.all, ids: setTo(s, [id], selected), anchor: id };
}

/** The header checkbox: clears a selection, or selects the rows loaded so far. */
export function toggleLoaded(s: Selection, loaded: readonly number[]): Selection {
  if (s.all || s.ids.size > 0) return NO_SELECTION;
  return { all: false, ids: new Set(loaded), anchor: null };
}

export function selectAllMatching(): Selection {
  return { all: true, ids: new Set(), anchor: null };
}

/** How many records are selected (`total`: how many the filter matches, when counted). */
export function selectedCount(s: Selection, total: number | undefined): number {
  if (!s.all) return s.ids.size;
  return Math.max(0, (total ?? 0) - s.ids.size);
}

/** The header checkbox's look: every loaded row picked, some, or none. */
export function headerState(s: Selection, loaded: readonly number[]): "all" | "some" | "none" {
  if (s.all) return s.ids.size === 0 ? "all" : "some";
  if (s.ids.size === 0) return "none";
  return loaded.length > 0 && loaded.every((id) => s.ids.has(id)) ? "all" : "some";
}

/** Matches every record: a bulk write refuses an empty filter, so "all" says it in words. */
const EVERY: JSONValue = { id: { $notEmpty: true } };

function and(parts: JSONValue[]): JSONValue {
  return parts.length === 1 ? (parts[0] as JSONValue) : { $and: parts };
}

/** The filter of a bulk write over the selection (sent in the request's body, so thousands of ids
 * fit, and written in one transaction): the picked ids, or the grid's filter (`base`) less the
 * ids left out of "all matching". */
export function selectionFilter(s: Selection, base: JSONValue | undefined): JSONValue {
  if (!s.all) return { id: { $in: [...s.ids] } };
  const parts: JSONValue[] = base === undefined ? [] : [base];
  if (s.ids.size > 0) parts.push({ id: { $notIn: [...s.ids] } });
  return parts.length === 0 ? EVERY : and(parts);
}

/** What a grid shows, as one value: filter, extra filter, sort, search, columns, widths and grouping.
 * A saved view's config is this state written down (views/saved/config.ts). */

import type { JSONValue } from "../../api/types";
import { emptyGroup, type Group, type SortKey } from "../../filters/model";

export interface GridState {
  filter: Group;
  /** Conditions the filter builder cannot show (a view made through the API), applied as they are. */
  extraFilter: JSONValue | undefined;
  sorts: SortKey[];
  q: string;
  /** Visible fields in display order; null: the default columns. */
  columns: string[] | null;
  widths: Record<string, number>;
  groupBy: string | null;
}

export function initialGridState(): GridState {
  return { filter: emptyGroup(), extraFilter: undefined, sorts: [], q: "", columns: null, widths: {}, groupBy: null };
}

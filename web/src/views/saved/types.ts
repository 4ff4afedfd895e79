/** What a collection's page and its views say to each other about saved views. */

import type { Collection, SavedView, ViewConfig } from "../../api/types";

/** A view's current settings as a config to save, and whether they differ from the saved view's
 * (or, without a saved view, from the view's defaults). */
export interface ViewDraft {
  config: ViewConfig;
  dirty: boolean;
}

/** The props every view of a collection's page takes. */
export interface ViewHostProps {
  collection: Collection;
  /** The saved view open (`?view=` in the URL), or null. */
  view: SavedView | null;
  /** Called when the view's settings change, for the view bar's "save changes". */
  onDraft?: (draft: ViewDraft) => void;
}

/** The slice of the grid's loaded rows that the virtual table holds.
 *
 * antd's virtual table walks its whole data array on every render (row keys, heights, selection
 * maps), so a page appended to 100,000 loaded rows cost twice what it cost at 3,000. The grid keeps
 * every loaded row but gives the table a window of them around the viewport; the window moves by a
 * step when the viewport nears one of its edges, and the scroll position moves with it so that the
 * same rows stay on screen. */

/** Rows the table holds at most. */
export const WINDOW_ROWS = 2000;
/** Rows the window moves by. */
export const WINDOW_STEP = 500;
/** Rows from an edge of the window at which it moves (at the loaded end: the next page is asked for). */
export const WINDOW_EDGE = 20;

/** The rows on screen, as indexes into the window. */
export interface Visible {
  first: number;
  last: number;
}

/** Where the window starts for a window start that may be stale (the rows were reloaded or cut). */
export function clampStart(start: number, loaded: number): number {
  return start > 0 && start + WINDOW_EDGE > loaded ? 0 : start;
}

/** Where the window starts once the viewport shows `visible`.
 *
 * Near the window's end it moves on when rows are loaded past it, or when the next page (of
 * `pageSize` rows, `hasMore` if there is one) would not fit in it; near its start it moves back
 * while rows lie before it. The rows on screen stay in the window either way. */
export function nextStart(start: number, loaded: number, visible: Visible, pageSize: number, hasMore: boolean): number {
  const shown = Math.min(loaded, start + WINDOW_ROWS) - start;
  if (visible.last >= shown - WINDOW_EDGE) {
    const pastEnd = start + shown < loaded;
    const noRoom = hasMore && start + WINDOW_ROWS - loaded < pageSize;
    if (pastEnd || noRoom) return start + Math.min(WINDOW_STEP, Math.max(0, visible.first - WINDOW_EDGE));
    return start;
  }
  if (visible.first < WINDOW_EDGE && start > 0) return Math.max(0, start - WINDOW_STEP);
  return start;
}

/** Whether the viewport is near the last loaded row (time to ask for the next page). */
export function nearLoadedEnd(start: number, loaded: number, visible: Visible): boolean {
  return start + visible.last >= loaded - WINDOW_EDGE;
}

/** The grid's window of rows (rowWindow.ts) as a hook: the slice to give the table, and the scroll
 * handler that moves it and keeps the same rows on screen. */

import type { TableRef } from "antd";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type Key, type RefObject } from "react";

import { clampStart, nearLoadedEnd, nextStart, WINDOW_ROWS, type Visible } from "./rowWindow";

interface Anchor {
  key: Key;
  /** The row's top, from the top of the table's viewport (negative: partly above it). */
  offset: number;
}

interface OnScreen extends Visible {
  anchor: Anchor;
}

export interface RowWindow<R> {
  /** The rows the table holds. */
  shown: R[];
  /** The table's scroll handler (with its scrolled element). */
  onScroll: (holder: HTMLElement) => void;
}

/** The rows on screen (indexes into the window), and the first of them with where it is drawn. */
function onScreen<R>(holder: HTMLElement, shown: R[], indexOf: Map<string, number>, rowKey: (row: R) => Key): OnScreen | null {
  const box = holder.getBoundingClientRect();
  let first = Infinity;
  let last = -1;
  let top = 0;
  for (const row of holder.querySelectorAll<HTMLElement>("[data-row-key]")) {
    const rect = row.getBoundingClientRect();
    if (rect.bottom <= box.top || rect.top >= box.bottom) continue;
    const index = indexOf.get(row.getAttribute("data-row-key") ?? "");
    if (index === undefined) continue;
    if (index < first) [first, top] = [index, rect.top];
    last = Math.max(last, index);
  }
  const row = shown[first];
  return row === undefined ? null : { first, last, anchor: { key: rowKey(row), offset: top - box.top } };
}

/** `resetKey` names the list (its query): a new one starts the window at the top. `onNearEnd` is
 * called when the viewport nears the last loaded row. */
export function useRowWindow<R>(
  rows: R[],
  resetKey: string,
  rowKey: (row: R) => Key,
  table: RefObject<TableRef | null>,
  page: { size: number; hasMore: boolean; onNearEnd: () => void },
): RowWindow<R> {
  const [state, setState] = useState({ key: resetKey, start: 0 });
  const start = state.key === resetKey ? clampStart(state.start, rows.length) : 0;
  const shown = useMemo(() => (start === 0 && rows.length <= WINDOW_ROWS ? rows : rows.slice(start, start + WINDOW_ROWS)), [rows, start]);
  const indexOf = useMemo(() => new Map(shown.map((row, i) => [String(rowKey(row)), i])), [shown, rowKey]);

  const latest = useRef({ start, loaded: rows.length, shown, indexOf, page, resetKey });
  useLayoutEffect(() => {
    latest.current = { start, loaded: rows.length, shown, indexOf, page, resetKey };
  });
  const anchor = useRef<Anchor | null>(null);
  const frame = useRef(0);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  /** Moves the window if the rows on screen ask for it; false when no row is drawn on screen yet. */
  const check = useCallback(
    (holder: HTMLElement) => {
      const { start, loaded, shown, indexOf, page, resetKey } = latest.current;
      const visible = onScreen(holder, shown, indexOf, rowKey);
      if (!visible) return false;
      const next = nextStart(start, loaded, visible, page.size, page.hasMore);
      if (next !== start) {
        anchor.current = visible.anchor;
        latest.current = { ...latest.current, start: next };
        setState({ key: resetKey, start: next });
      }
      if (nearLoadedEnd(start, loaded, visible)) page.onNearEnd();
      return true;
    },
    [rowKey],
  );
  // Scroll events come before the table has drawn the rows of the new position: look a frame
  // later, once it has (a few frames at most).
  const onScroll = useCallback(
    (holder: HTMLElement) => {
      if (frame.current !== 0) return;
      const look = (tries: number) => {
        frame.current = requestAnimationFrame(() => {
          frame.current = 0;
          if (!check(holder) && tries > 0) look(tries - 1);
        });
      };
      look(3);
    },
    [check],
  );

  // The window moved: the row that was first on screen goes back where it was, placed by the
  // table from the heights it has measured (before the browser paints).
  useLayoutEffect(() => {
    const was = anchor.current;
    anchor.current = null;
    if (!was) return;
    // `align` is the virtual table's (rc-table's VirtualScrollConfig), which antd's type leaves out.
    const config: Parameters<TableRef["scrollTo"]>[0] & { align: "start" } = { key: was.key, offset: was.offset, align: "start" };
    table.current?.scrollTo(config);
  }, [start, table]);

  return { shown, onScroll };
}

/** The dashboard's 12-column grid: blocks placed by their layout; the user drags a block by its
 * header to move it and by its corner to resize it (pointer events; the others make room, and the
 * new layout is handed to `onChange` when the pointer is released). Narrow screens stack blocks. */

import { useEffect, useRef, useState, type PointerEvent, type ReactNode } from "react";

import type { DashboardBlock } from "../../api/types";
import { useT } from "../../i18n";
import { useElementSize } from "../../kernel/useElementSize";
import { COLS, MAX_H, placeItem, rowsOf, sameLayout, type Item } from "./layout";

/** One grid row, in pixels (a block of h rows is h × ROW − GAP high). */
export const ROW = 80;
export const GAP = 16;
/** Below this width blocks stack in one column and do not move. */
const NARROW = 720;
/** The card's header and body padding, taken from a block's height for its content. */
const HEAD = 60;

interface Drag {
  id: string;
  mode: "move" | "resize";
  x0: number;
  y0: number;
  dx: number;
  dy: number;
  start: Item[];
  preview: Item[];
}

interface Props {
  blocks: DashboardBlock[];
  editable: boolean;
  onChange: (layout: Item[]) => void;
  /** A block's card, `bodyHeight` pixels for its content; `grab` starts moving it. */
  children: (block: DashboardBlock, size: { height: number }, grab: (e: PointerEvent<HTMLElement>) => void) => ReactNode;
}

export function DashboardGrid({ blocks, editable, onChange, children }: Props) {
  const t = useT();
  const [ref, size] = useElementSize<HTMLDivElement>();
  const [drag, setDrag] = useState<Drag | null>(null);
  const items: Item[] = blocks.map((b) => ({ id: b.id, ...b.layout }));
  const layout = drag?.preview ?? items;
  const pitch = (size.width + GAP) / COLS;
  const narrow = size.width > 0 && size.width < NARROW;

  // Follow the pointer on the window: it leaves the block while dragging.
  const latest = useRef({ drag, pitch, onChange });
  useEffect(() => {
    latest.current = { drag, pitch, onChange };
  });
  const dragging = drag !== null;
  useEffect(() => {
    if (!dragging) return;
    const move = (e: globalThis.PointerEvent) => {
      const d = latest.current.drag;
      if (!d) return;
      const p = latest.current.pitch;
      const dx = e.clientX - d.x0;
      const dy = e.clientY - d.y0;
      const from = d.start.find((i) => i.id === d.id);
      if (!from) return;
      const target =
        d.mode === "move"
          ? { ...from, x: Math.round((from.x * p + dx) / p), y: Math.round((from.y * ROW + dy) / ROW) }
          : { ...from, w: Math.min(COLS - from.x, Math.round((from.w * p + dx) / p)), h: Math.min(MAX_H, Math.round((from.h * ROW + dy) / ROW)) };
      setDrag({ ...d, dx, dy, preview: placeItem(d.start, target) });
    };
    const up = () => {
      const d = latest.current.drag;
      setDrag(null);
      if (d && !sameLayout(d.start, d.preview)) latest.current.onChange(d.preview);
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
    window.addEventListener("pointercancel", up);
    return () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      window.removeEventListener("pointercancel", up);
    };
  }, [dragging]);

  const start = (id: string, mode: Drag["mode"]) => (e: PointerEvent<HTMLElement>) => {
    if (!editable || narrow || e.button !== 0) return;
    if ((e.target as HTMLElement).closest("button, a, input, .ant-popover")) return;
    e.preventDefault();
    setDrag({ id, mode, x0: e.clientX, y0: e.clientY, dx: 0, dy: 0, start: items, preview: items });
  };

  if (narrow) {
    const ordered = [...blocks].sort((a, b) => a.layout.y - b.layout.y || a.layout.x - b.layout.x);
    return (
      <div ref={ref} className="dashboard-stack">
        {ordered.map((b) => (
          <div key={b.id} style={{ height: b.layout.h * ROW - GAP }} data-testid="dashboard-block">
            {children(b, { height: b.layout.h * ROW - GAP - HEAD }, () => undefined)}
          </div>
        ))}
      </div>
    );
  }

  const byId = new Map(layout.map((i) => [i.id, i]));
  const rows = rowsOf(layout) + (drag ? 4 : 0);
  const box = (i: Item) => ({ left: i.x * pitch, top: i.y * ROW, width: i.w * pitch - GAP, height: i.h * ROW - GAP });
  const active = drag ? drag.start.find((i) => i.id === drag.id) : undefined;

  return (
    <div ref={ref} className={drag ? "dashboard-grid dragging" : "dashboard-grid"} style={{ height: Math.max(rows * ROW, ROW) }} data-testid="dashboard-grid">
      {drag && active && byId.get(drag.id) && <div className="dashboard-placeholder" style={box(byId.get(drag.id) as Item)} />}
      {size.width > 0 &&
        blocks.map((b) => {
          const item = byId.get(b.id) ?? { id: b.id, ...b.layout };
          let style = box(item);
          const held = drag?.id === b.id && active;
          if (held) {
            const origin = box(active);
            style =
              drag.mode === "move"
                ? { ...origin, left: origin.left + drag.dx, top: origin.top + drag.dy }
                : { ...origin, width: Math.max(pitch - GAP, origin.width + drag.dx), height: Math.max(ROW - GAP, origin.height + drag.dy) };
          }
          return (
            <div
              key={b.id}
              className={held ? "dashboard-cell held" : "dashboard-cell"}
              style={style}
              data-testid="dashboard-block"
              data-block={b.id}
              data-layout={`${item.x},${item.y},${item.w},${item.h}`}
            >
              {children(b, { height: style.height - HEAD }, start(b.id, "move"))}
              {editable && (
                <div className="dashboard-resize" role="presentation" title={t("dashboards.resize")} onPointerDown={start(b.id, "resize")} data-testid="block-resize" />
              )}
            </div>
          );
        })}
    </div>
  );
}

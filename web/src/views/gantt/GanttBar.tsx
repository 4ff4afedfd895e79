/** One Gantt row: the record's label and its bar, which the pointer drags (the whole bar moves the
 * record; its ends change the start or the end). A click without a drag opens the record. */

import { memo, useRef, type PointerEvent } from "react";

import type { RecordData } from "../../api/types";
import { barOf, dragDays, draggedSpan, type DragMode, type GanttWindow, type Span } from "./model";

export interface Drag {
  id: number;
  mode: DragMode;
  days: number;
}

interface Props {
  record: RecordData;
  label: string;
  span: Span;
  hasEnd: boolean;
  window: GanttWindow;
  width: number;
  /** The drag under way on this row, or null. */
  drag: Drag | null;
  saving: boolean;
  canMoveStart: boolean;
  canMoveEnd: boolean;
  onDrag: (drag: Drag | null) => void;
  onDrop: (record: RecordData, mode: DragMode, days: number) => void;
  onOpen: (record: RecordData) => void;
}

/** Pixels a pointer moves before a press becomes a drag rather than a click. */
const SLOP = 4;
/** Bars narrower than this (pixels) show their label beside them. */
const NARROW = 96;

export const GanttRow = memo(function GanttRow(props: Props) {
  const { record, label, span, hasEnd, window: w, width, drag, saving, canMoveStart, canMoveEnd, onDrag, onDrop, onOpen } = props;
  const press = useRef<{ x: number; mode: DragMode; moved: boolean; days: number } | null>(null);
  const shown = drag ? draggedSpan(span, drag.mode, drag.days) : span;
  const bar = barOf(shown, w);
  const canMove = canMoveStart && (canMoveEnd || !hasEnd);
  // A short bar has no room for its label: it goes after the bar.
  const narrow = bar !== null && bar.width < NARROW;

  const down = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    const handle = (e.target as HTMLElement).dataset.handle;
    const mode: DragMode = handle === "start" ? "start" : handle === "end" ? "end" : "move";
    press.current = { x: e.clientX, mode, moved: false, days: 0 };
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const move = (e: PointerEvent<HTMLDivElement>) => {
    const p = press.current;
    if (!p) return;
    const dx = e.clientX - p.x;
    if (!p.moved && Math.abs(dx) < SLOP) return;
    const allowed = p.mode === "move" ? canMove : p.mode === "start" ? canMoveStart : canMoveEnd;
    if (!allowed) return;
    p.moved = true;
    const days = dragDays(dx, w.px);
    if (days !== p.days || !drag) {
      p.days = days;
      onDrag({ id: record.id, mode: p.mode, days });
    }
  };
  const up = (e: PointerEvent<HTMLDivElement>) => {
    const p = press.current;
    press.current = null;
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
    if (!p) return;
    if (!p.moved) {
      onOpen(record);
      return;
    }
    onDrag(null);
    if (p.days !== 0) onDrop(record, p.mode, p.days);
  };
  const cancel = () => {
    press.current = null;
    onDrag(null);
  };

  const classes = ["gantt-bar"];
  if (!hasEnd) classes.push("open-ended");
  if (drag) classes.push("dragging");
  if (saving) classes.push("saving");
  if (canMove) classes.push("movable");

  return (
    <div className="gantt-row" data-testid={`gantt-row-${record.id}`}>
      <div className="gantt-label" role="button" tabIndex={0} title={label} onClick={() => onOpen(record)} onKeyDown={(e) => e.key === "Enter" && onOpen(record)}>
        {label}
      </div>
      <div className="gantt-track" style={{ width }}>
        {bar && (
          <div
            className={classes.join(" ")}
            style={{ left: bar.left, width: Math.max(bar.width, 6) }}
            data-testid={`gantt-bar-${record.id}`}
            data-start={shown.start}
            data-end={shown.end}
            title={`${label}: ${shown.start} → ${shown.end}`}
            onPointerDown={down}
            onPointerMove={move}
            onPointerUp={up}
            onPointerCancel={cancel}
          >
            {canMoveStart && !bar.clippedStart && <span className="gantt-handle start" data-handle="start" data-testid="gantt-handle-start" />}
            {!narrow && <span className="gantt-bar-label">{label}</span>}
            {canMoveEnd && !bar.clippedEnd && <span className="gantt-handle end" data-handle="end" data-testid="gantt-handle-end" />}
          </div>
        )}
        {bar && narrow && (
          <span className="gantt-outside-label" style={{ left: bar.left + Math.max(bar.width, 6) + 6 }}>
            {label}
          </span>
        )}
      </div>
    </div>
  );
});

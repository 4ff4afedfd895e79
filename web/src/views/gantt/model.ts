/** The Gantt's arithmetic: the window of days a zoom shows, where a record's bar lies, the header's
 * ticks, the records that overlap the window, and the dates a drag gives. Whole days throughout:
 * an end day is included in the bar. */

import type { JSONValue, RecordData } from "../../api/types";
import { addDays, bound, dayOf, daysBetween, parseDay, shiftDays, startOfWeek, type DateKind } from "../calendar/dates";

export type Zoom = "day" | "week" | "month";

interface Scale {
  /** Width of one day, in pixels. */
  px: number;
  /** Days before the anchor's week (or month) the window starts. */
  lead: number;
  /** Length of the window in days (a month zoom shows six calendar months instead). */
  days: number;
}

export const SCALES: Record<Zoom, Scale> = {
  day: { px: 40, lead: 7, days: 35 },
  week: { px: 14, lead: 14, days: 98 },
  month: { px: 5, lead: 0, days: 0 },
};

export interface GanttWindow {
  from: string;
  /** The day after the last one shown. */
  to: string;
  px: number;
}

/** The days a zoom shows around `anchor`: from a Monday a week (day zoom) or two (week zoom)
 * before the anchor's week, or six months from the anchor's month. */
export function windowFor(zoom: Zoom, anchor: string): GanttWindow {
  const scale = SCALES[zoom];
  if (zoom === "month") {
    const from = parseDay(anchor).startOf("month").format("YYYY-MM-DD");
    return { from, to: parseDay(from).add(6, "month").format("YYYY-MM-DD"), px: scale.px };
  }
  const from = addDays(startOfWeek(anchor, 1), -scale.lead);
  return { from, to: addDays(from, scale.days), px: scale.px };
}

/** The anchor one step later (`dir` 1) or earlier (-1): a week, four weeks or a month. */
export function stepAnchor(zoom: Zoom, anchor: string, dir: number): string {
  if (zoom === "month") return parseDay(anchor).add(dir, "month").format("YYYY-MM-DD");
  return addDays(anchor, dir * (zoom === "day" ? 7 : 28));
}

export function windowWidth(w: GanttWindow): number {
  return daysBetween(w.from, w.to) * w.px;
}

/** Records that have a start and overlap the window (one without an end is a one-day bar). */
export function overlapFilter(start: string, startKind: DateKind, end: string, endKind: DateKind, w: GanttWindow): JSONValue {
  return {
    $and: [
      { [start]: { $lt: bound(w.to, startKind) } },
      {
        $or: [
          { [end]: { $gte: bound(w.from, endKind) } },
          { $and: [{ [end]: { $empty: true } }, { [start]: { $gte: bound(w.from, startKind) } }] },
        ],
      },
    ],
  };
}

export interface Span {
  start: string;
  /** The last day, included (the start's day when the record has no end, or an earlier one). */
  end: string;
}

export function spanOf(record: RecordData, start: string, startKind: DateKind, end: string, endKind: DateKind): Span | null {
  const s = dayOf(record[start], startKind);
  if (s === null) return null;
  const e = dayOf(record[end], endKind);
  return { start: s, end: e !== null && e >= s ? e : s };
}

export interface Bar {
  left: number;
  width: number;
  /** The bar goes on before or after the window (its end there is not a handle). */
  clippedStart: boolean;
  clippedEnd: boolean;
}

export function barOf(span: Span, w: GanttWindow): Bar | null {
  const days = daysBetween(w.from, w.to);
  const a = daysBetween(w.from, span.start);
  const b = daysBetween(w.from, span.end) + 1;
  if (b <= 0 || a >= days) return null;
  const left = Math.max(a, 0);
  const right = Math.min(b, days);
  return { left: left * w.px, width: (right - left) * w.px, clippedStart: a < 0, clippedEnd: b > days };
}

export type DragMode = "move" | "start" | "end";

/** Whole days a pointer moved by, at `px` pixels a day. */
export function dragDays(dx: number, px: number): number {
  return Math.round(dx / px);
}

/** The span a drag shows while it goes on (the end never before the start). */
export function draggedSpan(span: Span, mode: DragMode, days: number): Span {
  if (mode === "move") return { start: addDays(span.start, days), end: addDays(span.end, days) };
  if (mode === "start") {
    const start = addDays(span.start, days);
    return { start: start > span.end ? span.end : start, end: span.end };
  }
  const end = addDays(span.end, days);
  return { start: span.start, end: end < span.start ? span.start : end };
}

export interface GanttFields {
  start: string;
  startKind: DateKind;
  end: string;
  endKind: DateKind;
}

/** The values to PATCH after a drag by `days` (empty when nothing changes). Moving a record
 * without an end moves its start only; dragging its end gives it one. Datetimes keep their time
 * of day; an end dragged before the start stops at the start's day. */
export function dragPatch(record: RecordData, f: GanttFields, mode: DragMode, days: number): Record<string, JSONValue> {
  const span = spanOf(record, f.start, f.startKind, f.end, f.endKind);
  if (!span || days === 0) return {};
  const next = draggedSpan(span, mode, days);
  const out: Record<string, JSONValue> = {};
  const hasEnd = dayOf(record[f.end], f.endKind) !== null;
  if (mode !== "end" && next.start !== span.start) {
    out[f.start] = shiftDays(record[f.start], f.startKind, daysBetween(span.start, next.start));
  }
  if (mode === "end" || (mode === "move" && hasEnd)) {
    if (next.end !== span.end || !hasEnd) {
      const base = hasEnd ? record[f.end] : record[f.start];
      const from = hasEnd ? span.end : span.start;
      const kind = hasEnd ? f.endKind : f.startKind;
      const moved = shiftDays(base, kind, daysBetween(from, next.end));
      // A datetime end read from a date start (or the other way round) is written in the end's kind.
      out[f.end] = kind === f.endKind ? moved : convert(moved, kind, f.endKind);
    }
  }
  return out;
}

function convert(value: string | null, from: DateKind, to: DateKind): string | null {
  const day = dayOf(value, from);
  if (day === null) return null;
  return to === "date" ? day : parseDay(day).hour(18).toISOString();
}

export interface Tick {
  key: string;
  label: string;
  left: number;
  width: number;
}

/** The header's two bands: months (years at the month zoom) above, days, weeks or months below. */
export function ticks(zoom: Zoom, w: GanttWindow, locale: string): { top: Tick[]; bottom: Tick[] } {
  const monthName = new Intl.DateTimeFormat(locale, { year: "numeric", month: zoom === "month" ? "short" : "long" });
  const yearName = new Intl.DateTimeFormat(locale, { year: "numeric" });
  const monthOnly = new Intl.DateTimeFormat(locale, { month: "short" });
  const top: Tick[] = [];
  const bottom: Tick[] = [];
  const x = (day: string) => daysBetween(w.from, day) * w.px;
  const span = (from: string, to: string) => {
    const a = Math.max(0, x(from));
    const b = Math.min(windowWidth(w), x(to));
    return { left: a, width: b - a };
  };
  // Months (or years) across the window.
  let cursor = parseDay(w.from).startOf(zoom === "month" ? "year" : "month");
  while (cursor.format("YYYY-MM-DD") < w.to) {
    const from = cursor.format("YYYY-MM-DD");
    const next = cursor.add(1, zoom === "month" ? "year" : "month");
    const label = (zoom === "month" ? yearName : monthName).format(cursor.toDate());
    top.push({ key: from, label, ...span(from, next.format("YYYY-MM-DD")) });
    cursor = next;
  }
  if (zoom === "day") {
    for (let d = w.from; d < w.to; d = addDays(d, 1)) bottom.push({ key: d, label: String(parseDay(d).date()), ...span(d, addDays(d, 1)) });
  } else if (zoom === "week") {
    for (let d = startOfWeek(w.from, 1); d < w.to; d = addDays(d, 7)) {
      bottom.push({ key: d, label: parseDay(d).format("M/D"), ...span(d, addDays(d, 7)) });
    }
  } else {
    for (let m = parseDay(w.from); m.format("YYYY-MM-DD") < w.to; m = m.add(1, "month")) {
      const from = m.format("YYYY-MM-DD");
      bottom.push({ key: from, label: monthOnly.format(m.toDate()), ...span(from, m.add(1, "month").format("YYYY-MM-DD")) });
    }
  }
  return { top: top.filter((t) => t.width > 0), bottom: bottom.filter((t) => t.width > 0) };
}

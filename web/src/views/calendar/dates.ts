/** Days and date fields for the calendar and the Gantt: a record's day, moving it to another day,
 * the filter of a range of days, and the days a month or a week shows. Days are `YYYY-MM-DD`
 * strings in the browser's time zone; a datetime keeps its time of day when it moves. */

import dayjs, { type Dayjs } from "dayjs";

import type { Collection, Field, JSONValue, RecordData } from "../../api/types";
import { isWritable, valueKind } from "../../fields/registry";

export type DateKind = "date" | "datetime";
export type CalendarMode = "month" | "week";
/** 0: weeks start on Sunday; 1: on Monday. */
export type WeekStart = 0 | 1;

const DAY = "YYYY-MM-DD";

export function dateKind(field: Field): DateKind | null {
  const kind = valueKind(field);
  return kind === "date" || kind === "datetime" ? kind : null;
}

/** The fields a calendar or a Gantt can place records by, the user's own before the system stamps. */
export function dateFields(collection: Collection, readable: Set<string> | null = null): Field[] {
  const fields = collection.fields.filter((f) => dateKind(f) !== null && (readable === null || readable.has(f.name)));
  return [...fields.filter((f) => !f.system), ...fields.filter((f) => f.system)];
}

/** Fields a user sets (not system stamps nor formulas): what makes a calendar or a Gantt worth offering. */
export function ownDateFields(collection: Collection): Field[] {
  return collection.fields.filter((f) => dateKind(f) !== null && isWritable(f));
}

export function today(): string {
  return dayjs().format(DAY);
}

export function parseDay(day: string): Dayjs {
  return dayjs(day, DAY);
}

export function addDays(day: string, n: number): string {
  return parseDay(day).add(n, "day").format(DAY);
}

/** Whole days from `a` to `b` (negative when `b` is earlier), by the calendar, not by hours. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.UTC(...ymd(b)) - Date.UTC(...ymd(a))) / 86_400_000);
}

function ymd(day: string): [number, number, number] {
  const [y = 1970, m = 1, d = 1] = day.split("-").map(Number);
  return [y, m - 1, d];
}

/** The day of a date or datetime value (a datetime's day where the user is), or null. */
export function dayOf(value: JSONValue | undefined, kind: DateKind): string | null {
  if (typeof value !== "string" || value === "") return null;
  if (kind === "date") return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;
  const d = dayjs(value);
  return d.isValid() ? d.format(DAY) : null;
}

/** The value to write to put `value` on `day`: a date is the day; a datetime keeps its time of day
 * (a missing one starts at 09:00). */
export function onDay(value: JSONValue | undefined, kind: DateKind, day: string): string {
  if (kind === "date") return day;
  const old = typeof value === "string" && value ? dayjs(value) : null;
  const base = parseDay(day);
  const moved = old?.isValid()
    ? base.hour(old.hour()).minute(old.minute()).second(old.second()).millisecond(old.millisecond())
    : base.hour(9);
  return moved.toISOString();
}

/** `value` moved by `n` days (a datetime keeps its wall-clock time across daylight saving). */
export function shiftDays(value: JSONValue | undefined, kind: DateKind, n: number): string | null {
  const day = dayOf(value, kind);
  return day === null ? null : onDay(value, kind, addDays(day, n));
}

/** A filter bound for a day: the day for a date, its local midnight as an instant for a datetime. */
export function bound(day: string, kind: DateKind): string {
  return kind === "date" ? day : parseDay(day).toISOString();
}

/** Records whose `field` falls on a day from `from` up to (not including) `to`. */
export function rangeFilter(field: string, kind: DateKind, from: string, to: string): JSONValue {
  return { [field]: { $gte: bound(from, kind), $lt: bound(to, kind) } };
}

export function startOfWeek(day: string, weekStart: WeekStart): string {
  const d = parseDay(day);
  return d.subtract((d.day() - weekStart + 7) % 7, "day").format(DAY);
}

export interface DayRange {
  /** The first day shown. */
  from: string;
  /** The day after the last one shown. */
  to: string;
  days: string[];
}

/** The days a month (whole weeks around it: 4 to 6 rows) or a week shows around `anchor`. */
export function visibleRange(mode: CalendarMode, anchor: string, weekStart: WeekStart): DayRange {
  let from: string;
  let count: number;
  if (mode === "week") {
    from = startOfWeek(anchor, weekStart);
    count = 7;
  } else {
    const first = parseDay(anchor).startOf("month");
    from = startOfWeek(first.format(DAY), weekStart);
    const last = first.endOf("month").format(DAY);
    count = Math.ceil((daysBetween(from, last) + 1) / 7) * 7;
  }
  const days = Array.from({ length: count }, (_, i) => addDays(from, i));
  return { from, to: addDays(from, count), days };
}

/** The anchor one month or one week later (`step` 1) or earlier (-1). */
export function stepAnchor(mode: CalendarMode, anchor: string, step: number): string {
  return parseDay(anchor)
    .add(step, mode === "week" ? "week" : "month")
    .format(DAY);
}

/** A record on one of its days: `first` on its start day, `last` on its end day (both for a
 * record of one day). */
export interface Placed {
  record: RecordData;
  first: boolean;
  last: boolean;
}

/** The longest span drawn, in days (a longer one is cut there). */
export const MAX_SPAN_DAYS = 92;

/** The end of a span: a date or datetime field. */
export interface EndField {
  field: string;
  kind: DateKind;
}

/** Records by day, each day's in time order (records without a start are left out). With an end
 * field, a record shows on each day from its start to its end; without an end value, or with one
 * before the start, on its start day alone. */
export function byDay(records: RecordData[], field: string, kind: DateKind, end: EndField | null = null): Map<string, Placed[]> {
  const out = new Map<string, Placed[]>();
  const text = (r: RecordData) => {
    const v = r[field];
    return typeof v === "string" ? v : "";
  };
  const sorted = [...records].sort((a, b) => text(a).localeCompare(text(b)) || a.id - b.id);
  for (const record of sorted) {
    const start = dayOf(record[field], kind);
    if (start === null) continue;
    const last = end ? dayOf(record[end.field], end.kind) : null;
    const span = last === null ? 0 : Math.min(Math.max(daysBetween(start, last), 0), MAX_SPAN_DAYS);
    for (let i = 0; i <= span; i++) {
      const day = i === 0 ? start : addDays(start, i);
      const placed = { record, first: i === 0, last: i === span };
      const list = out.get(day);
      if (list) list.push(placed);
      else out.set(day, [placed]);
    }
  }
  return out;
}

/** Records that show on a day from `from` up to (not including) `to`: starting before `to`, and
 * ending on or after `from` (or, without an end, starting on or after it). */
export function spanFilter(field: string, kind: DateKind, end: EndField, from: string, to: string): JSONValue {
  return {
    $and: [{ [field]: { $lt: bound(to, kind) } }, { $or: [{ [end.field]: { $gte: bound(from, end.kind) } }, { [field]: { $gte: bound(from, kind) } }] }],
  };
}

/** The time of day of a datetime value, as the user reads it (`09:30`). */
export function timeOf(value: JSONValue | undefined): string {
  if (typeof value !== "string" || !value) return "";
  const d = dayjs(value);
  return d.isValid() ? d.format("HH:mm") : "";
}

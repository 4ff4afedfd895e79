import dayjs from "dayjs";
import { describe, expect, it } from "vitest";

import { barOf, dragDays, dragPatch, overlapFilter, spanOf, stepAnchor, ticks, windowFor, windowWidth, type GanttFields } from "./model";

const dates: GanttFields = { start: "start", startKind: "date", end: "end", endKind: "date" };

describe("Gantt window", () => {
  it("starts a week before the anchor's week (days), two (weeks), or at its month", () => {
    expect(windowFor("day", "2026-11-05")).toEqual({ from: "2026-10-26", to: "2026-11-30", px: 40 });
    expect(windowFor("week", "2026-11-05")).toMatchObject({ from: "2026-10-19", to: "2027-01-25" });
    expect(windowFor("month", "2026-11-17")).toMatchObject({ from: "2026-11-01", to: "2027-05-01" });
    expect(windowWidth(windowFor("day", "2026-11-05"))).toBe(35 * 40);
    expect(stepAnchor("day", "2026-11-05", 1)).toBe("2026-11-12");
    expect(stepAnchor("week", "2026-11-05", -1)).toBe("2026-10-08");
    expect(stepAnchor("month", "2026-11-05", 1)).toBe("2026-12-05");
  });

  it("places bars by day, clipped at the window's edges", () => {
    const w = windowFor("day", "2026-11-05"); // from 2026-10-26, 40 px a day
    expect(barOf({ start: "2026-10-28", end: "2026-10-30" }, w)).toEqual({ left: 80, width: 120, clippedStart: false, clippedEnd: false });
    expect(barOf({ start: "2026-10-20", end: "2026-10-26" }, w)).toEqual({ left: 0, width: 40, clippedStart: true, clippedEnd: false });
    expect(barOf({ start: "2026-11-29", end: "2026-12-10" }, w)).toMatchObject({ left: 34 * 40, width: 40, clippedEnd: true });
    expect(barOf({ start: "2026-12-01", end: "2026-12-02" }, w)).toBeNull();
  });

  it("reads spans, a missing or earlier end making a one-day bar", () => {
    expect(spanOf({ id: 1, start: "2026-11-03", end: "2026-11-05" }, "start", "date", "end", "date")).toEqual({ start: "2026-11-03", end: "2026-11-05" });
    expect(spanOf({ id: 1, start: "2026-11-03", end: null }, "start", "date", "end", "date")).toEqual({ start: "2026-11-03", end: "2026-11-03" });
    expect(spanOf({ id: 1, start: "2026-11-03", end: "2026-11-01" }, "start", "date", "end", "date")).toEqual({ start: "2026-11-03", end: "2026-11-03" });
    expect(spanOf({ id: 1, start: null, end: "2026-11-01" }, "start", "date", "end", "date")).toBeNull();
  });

  it("loads the records that overlap the window", () => {
    const w = windowFor("day", "2026-11-05");
    expect(overlapFilter("start", "date", "end", "date", w)).toEqual({
      $and: [
        { start: { $lt: "2026-11-30" } },
        { $or: [{ end: { $gte: "2026-10-26" } }, { $and: [{ end: { $empty: true } }, { start: { $gte: "2026-10-26" } }] }] },
      ],
    });
  });

  it("labels the scale: months above, days below", () => {
    const { top, bottom } = ticks("day", windowFor("day", "2026-11-05"), "en-US");
    expect(top.map((t) => t.label)).toEqual(["October 2026", "November 2026"]);
    expect(top.reduce((n, t) => n + t.width, 0)).toBe(35 * 40);
    expect(bottom).toHaveLength(35);
    expect(bottom[0]).toMatchObject({ label: "26", left: 0, width: 40 });
    expect(ticks("month", windowFor("month", "2026-11-05"), "en-US").bottom.map((t) => t.label)).toEqual(["Nov", "Dec", "Jan", "Feb", "Mar", "Apr"]);
  });
});

describe("Gantt drags", () => {
  const task = { id: 7, start: "2026-11-03", end: "2026-11-05" };

  it("turns pixels into whole days", () => {
    expect(dragDays(59, 40)).toBe(1);
    expect(dragDays(61, 40)).toBe(2);
    expect(dragDays(-21, 40)).toBe(-1);
    expect(dragDays(3, 40)).toBe(0);
  });

  it("moves both dates, or one end", () => {
    expect(dragPatch(task, dates, "move", 3)).toEqual({ start: "2026-11-06", end: "2026-11-08" });
    expect(dragPatch(task, dates, "start", -2)).toEqual({ start: "2026-11-01" });
    expect(dragPatch(task, dates, "end", 4)).toEqual({ end: "2026-11-09" });
    expect(dragPatch(task, dates, "move", 0)).toEqual({});
  });

  it("never puts the end before the start", () => {
    expect(dragPatch(task, dates, "start", 5)).toEqual({ start: "2026-11-05" });
    expect(dragPatch(task, dates, "end", -9)).toEqual({ end: "2026-11-03" });
  });

  it("moves a record without an end by its start, and gives it an end when that is dragged", () => {
    const open = { id: 8, start: "2026-11-03", end: null };
    expect(dragPatch(open, dates, "move", 2)).toEqual({ start: "2026-11-05" });
    expect(dragPatch(open, dates, "end", 2)).toEqual({ end: "2026-11-05" });
  });

  it("keeps datetimes' times of day", () => {
    const f: GanttFields = { start: "a", startKind: "datetime", end: "b", endKind: "datetime" };
    const r = { id: 9, a: dayjs("2026-11-03T08:30").toISOString(), b: dayjs("2026-11-04T17:00").toISOString() };
    const patch = dragPatch(r, f, "move", 1);
    expect(dayjs(patch.a as string).format("YYYY-MM-DD HH:mm")).toBe("2026-11-04 08:30");
    expect(dayjs(patch.b as string).format("YYYY-MM-DD HH:mm")).toBe("2026-11-05 17:00");
  });
});

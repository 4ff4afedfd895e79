import dayjs from "dayjs";
import { describe, expect, it } from "vitest";

import type { Collection, RecordData } from "../../api/types";
import {
  addDays,
  byDay,
  dateFields,
  dayOf,
  daysBetween,
  MAX_SPAN_DAYS,
  onDay,
  ownDateFields,
  rangeFilter,
  shiftDays,
  spanFilter,
  startOfWeek,
  stepAnchor,
  visibleRange,
} from "./dates";

describe("calendar ranges", () => {
  it("shows whole weeks around a month, from the locale's first weekday", () => {
    // 1 November 2026 is a Sunday and the 30th a Monday.
    const sunday = visibleRange("month", "2026-11-17", 0);
    expect(sunday.from).toBe("2026-11-01");
    expect(sunday.to).toBe("2026-12-06");
    expect(sunday.days).toHaveLength(35);
    const monday = visibleRange("month", "2026-11-17", 1);
    expect(monday.from).toBe("2026-10-26");
    expect(monday.to).toBe("2026-12-07");
    expect(monday.days).toHaveLength(42);
    expect(monday.days[0]).toBe("2026-10-26");
    expect(monday.days[41]).toBe("2026-12-06");
    // February 2026 starts on a Sunday and fills exactly four weeks.
    expect(visibleRange("month", "2026-02-10", 0)).toMatchObject({ from: "2026-02-01", to: "2026-03-01" });
  });

  it("shows a week from its first day, and steps by months and weeks", () => {
    expect(visibleRange("week", "2026-11-05", 1)).toMatchObject({ from: "2026-11-02", to: "2026-11-09" });
    expect(visibleRange("week", "2026-11-05", 0)).toMatchObject({ from: "2026-11-01", to: "2026-11-08" });
    expect(startOfWeek("2026-11-02", 1)).toBe("2026-11-02");
    expect(stepAnchor("month", "2026-01-31", 1)).toBe("2026-02-28");
    expect(stepAnchor("week", "2026-12-30", 1)).toBe("2027-01-06");
    expect(stepAnchor("month", "2026-03-15", -1)).toBe("2026-02-15");
  });

  it("counts days by the calendar, across months and daylight saving", () => {
    expect(daysBetween("2026-03-01", "2026-04-01")).toBe(31);
    expect(daysBetween("2026-11-05", "2026-11-01")).toBe(-4);
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-29", -30)).toBe("2026-02-27");
  });

  it("filters a range on the field, as days for a date and local midnights for a datetime", () => {
    expect(rangeFilter("due", "date", "2026-11-01", "2026-12-06")).toEqual({ due: { $gte: "2026-11-01", $lt: "2026-12-06" } });
    expect(rangeFilter("at", "datetime", "2026-11-01", "2026-12-06")).toEqual({
      at: { $gte: dayjs("2026-11-01").toISOString(), $lt: dayjs("2026-12-06").toISOString() },
    });
  });
});

describe("moving records between days", () => {
  it("reads a record's day where the user is", () => {
    expect(dayOf("2026-11-05", "date")).toBe("2026-11-05");
    expect(dayOf(dayjs("2026-11-05T23:30").toISOString(), "datetime")).toBe("2026-11-05");
    expect(dayOf(null, "date")).toBeNull();
    expect(dayOf("soon", "datetime")).toBeNull();
  });

  it("keeps a datetime's time of day, and starts a new one at nine", () => {
    expect(onDay("2026-11-05", "date", "2026-11-20")).toBe("2026-11-20");
    const moved = onDay(dayjs("2026-11-05T14:45").toISOString(), "datetime", "2026-11-20");
    expect(dayjs(moved).format("YYYY-MM-DD HH:mm")).toBe("2026-11-20 14:45");
    expect(dayjs(onDay(null, "datetime", "2026-11-20")).format("YYYY-MM-DD HH:mm")).toBe("2026-11-20 09:00");
    expect(shiftDays("2026-11-30", "date", 2)).toBe("2026-12-02");
    expect(shiftDays(null, "date", 2)).toBeNull();
  });

  it("groups records by day in time order", () => {
    const rows = [
      { id: 3, at: "2026-11-05" },
      { id: 1, at: "2026-11-06" },
      { id: 2, at: "2026-11-05" },
      { id: 4, at: null },
    ];
    const days = byDay(rows, "at", "date");
    expect([...days.keys()]).toEqual(["2026-11-05", "2026-11-06"]);
    expect(days.get("2026-11-05")?.map((p) => p.record.id)).toEqual([2, 3]);
    expect(days.get("2026-11-05")?.every((p) => p.first && p.last)).toBe(true);
  });

  it("spreads a record over the days from its start to its end", () => {
    const rows: RecordData[] = [
      { id: 1, at: "2026-11-05", until: "2026-11-07" },
      { id: 2, at: "2026-11-06", until: null },
      { id: 3, at: "2026-11-06", until: "2026-11-01" }, // an end before the start: its start day
      { id: 4, at: "2026-01-01", until: "2027-12-31" }, // cut after MAX_SPAN_DAYS
    ];
    const days = byDay(rows, "at", "date", { field: "until", kind: "date" });
    const on = (day: string) => days.get(day)?.map((p) => [p.record.id, p.first, p.last]);
    expect(on("2026-11-05")).toEqual([[1, true, false]]);
    expect(on("2026-11-06")).toEqual([
      [1, false, false],
      [2, true, true],
      [3, true, true],
    ]);
    expect(on("2026-11-07")).toEqual([[1, false, true]]);
    expect(on("2026-11-08")).toBeUndefined();
    expect(days.get(addDays("2026-01-01", MAX_SPAN_DAYS))?.[0]?.last).toBe(true);
    expect(days.has(addDays("2026-01-01", MAX_SPAN_DAYS + 1))).toBe(false);
  });

  it("asks for the records that overlap the days on screen", () => {
    expect(spanFilter("at", "date", { field: "until", kind: "date" }, "2026-11-01", "2026-12-06")).toEqual({
      $and: [{ at: { $lt: "2026-12-06" } }, { $or: [{ until: { $gte: "2026-11-01" } }, { at: { $gte: "2026-11-01" } }] }],
    });
  });

  it("offers date fields, the collection's own first", () => {
    const c: Collection = {
      name: "t",
      fields: [
        { name: "created_at", type: "created_at", system: true },
        { name: "title", type: "string" },
        { name: "due", type: "date" },
        { name: "at", type: "datetime" },
      ],
    };
    expect(dateFields(c).map((f) => f.name)).toEqual(["due", "at", "created_at"]);
    expect(dateFields(c, new Set(["at"])).map((f) => f.name)).toEqual(["at"]);
    expect(ownDateFields(c).map((f) => f.name)).toEqual(["due", "at"]);
  });
});

import { describe, expect, it } from "vitest";

import { FRESH_GROUP, flattenGroups, groupFilter, groupKey, groupableFields, GroupRow, isRecord, MoreRow, rowKey } from "./groups";

describe("grouping", () => {
  it("groups only on fields holding one value", () => {
    const fields = [
      { name: "status", type: "select" },
      { name: "tags", type: "multi_select" },
      { name: "customer", type: "many_to_one" },
      { name: "files", type: "attachment" },
    ];
    expect(groupableFields(fields).map((f) => f.name)).toEqual(["status", "customer"]);
  });

  it("filters a group by its value, or by emptiness", () => {
    expect(groupFilter("status", "open")).toEqual({ status: { $eq: "open" } });
    expect(groupFilter("status", null)).toEqual({ status: { $empty: true } });
    expect(groupKey(null)).not.toBe(groupKey("null"));
  });

  it("flattens groups into headers, loaded records and loaders; collapsed groups show no rows", () => {
    const groups = [
      { key: groupKey("open"), value: "open", count: 3 },
      { key: groupKey("done"), value: "done", count: 1 },
      { key: groupKey(null), value: null, count: 5 },
    ];
    const pages = {
      [groupKey("open")]: { ...FRESH_GROUP, rows: [{ id: 1 }, { id: 2 }], hasMore: true, started: true },
      [groupKey("done")]: { ...FRESH_GROUP, rows: [{ id: 3 }], hasMore: false, started: true },
    };
    const rows = flattenGroups(groups, pages, new Set([groupKey(null)]));
    expect(rows.map(rowKey)).toEqual(['g:"open"', 1, 2, 'm:"open"', 'g:"done"', 3, "g:∅"]);
    expect(rows.filter(isRecord).map((r) => r.id)).toEqual([1, 2, 3]);
    expect(rows[0]).toBeInstanceOf(GroupRow);
    expect(rows[3]).toBeInstanceOf(MoreRow);
    expect((rows[6] as GroupRow).collapsed).toBe(true);
    // A group not loaded yet shows its loader, which loads it when drawn.
    expect(flattenGroups(groups.slice(2), {}, new Set()).map(rowKey)).toEqual(["g:∅", "m:∅"]);
  });
});

import { describe, expect, it } from "vitest";

import { diffChanges, showValue, shownPath } from "./diff";

describe("diffChanges", () => {
  it("lists a record's changed fields", () => {
    expect(diffChanges({ status: ["open", "done"], note: [null, "x"], owner: [3, null] })).toEqual([
      { path: "status", before: "open", after: "done", kind: "changed" },
      { path: "note", before: null, after: "x", kind: "added" },
      { path: "owner", before: 3, after: null, kind: "removed" },
    ]);
  });

  it("walks a role's permissions down to what differs", () => {
    const before = { tickets: { list: { scope: "all" }, get: { scope: "all" } } };
    const after = { tickets: { list: { scope: "own", fields: ["id", "title"] }, get: { scope: "all" } }, customers: { list: { scope: "all" } } };
    expect(diffChanges({ permissions: [before, after] })).toEqual([
      { path: "permissions.tickets.list.scope", before: "all", after: "own", kind: "changed" },
      { path: "permissions.tickets.list.fields", before: undefined, after: ["id", "title"], kind: "added" },
      { path: "permissions.customers.list.scope", before: undefined, after: "all", kind: "added" },
    ]);
  });

  it("keeps filters and lists whole", () => {
    const rows = diffChanges({ permissions: [{}, { t: { get: { scope: { assignee: { $eq: "{{currentUser.id}}" } } } } }] });
    expect(rows).toEqual([{ path: "permissions.t.get.scope", before: undefined, after: { assignee: { $eq: "{{currentUser.id}}" } }, kind: "added" }]);
    expect(diffChanges({ tags: [[1], [1, 2]] })).toEqual([{ path: "tags", before: [1], after: [1, 2], kind: "changed" }]);
  });

  it("copes with no changes", () => {
    expect(diffChanges(null)).toEqual([]);
  });
});

describe("showValue", () => {
  it("reads lists, objects and nothing", () => {
    expect(showValue(["id", "title"])).toBe("id, title");
    expect(showValue({ a: 1 })).toBe('{"a":1}');
    expect(showValue(null)).toBe("");
    expect(showValue(false)).toBe("false");
  });
});

describe("shownPath", () => {
  it("drops the key every row shares and reads left to right", () => {
    const rows = diffChanges({ permissions: [{}, { t: { list: { scope: "own" }, get: { scope: "all" } } }] });
    expect(rows.map((r) => shownPath(r, rows))).toEqual(["t › list › scope", "t › get › scope"]);
    const flat = diffChanges({ status: ["a", "b"] });
    expect(shownPath(flat[0]!, flat)).toBe("status");
  });
});

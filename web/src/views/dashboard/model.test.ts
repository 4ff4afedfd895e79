import { describe, expect, it } from "vitest";

import type { Collection, Field } from "../../api/types";
import { groupableFields, groupKey, measurableFields, toSeries } from "./model";

const status: Field = {
  name: "status",
  type: "select",
  options: { choices: [{ value: "open", label: "Open", color: "blue" }, { value: "done", label: "Done" }] },
};

describe("dashboard model", () => {
  it("labels groups as users read them, with choice colors", () => {
    const rows = [
      { status: "open", count: 3 },
      { status: "done", count: 1 },
      { status: null, count: 2 },
    ];
    expect(toSeries(rows, "status", "count", status, "(empty)")).toEqual({
      labels: ["Open", "Done", "(empty)"],
      values: [3, 1, 2],
      colors: ["blue", null, null],
    });
    expect(toSeries([{ amount: "12.50", "sum:x": "12.50" }], "amount", "sum:x", undefined, "-").values).toEqual([12.5]);
  });

  it("groups dates by month and offers only groupable and numeric fields", () => {
    expect(groupKey({ name: "due", type: "date" }, "due")).toBe("due:month");
    expect(groupKey(status, "status")).toBe("status");
    const c: Collection = {
      name: "t",
      fields: [
        { name: "id", type: "integer", system: true },
        status,
        { name: "tags", type: "multi_select" },
        { name: "hours", type: "integer" },
        { name: "cost", type: "currency" },
      ],
    };
    expect(groupableFields(c).map((f) => f.name)).toEqual(["status", "hours", "cost"]);
    expect(measurableFields(c).map((f) => f.name)).toEqual(["hours", "cost"]);
  });
});

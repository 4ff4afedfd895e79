import { describe, expect, it } from "vitest";

import type { Field, ViewConfig } from "../../api/types";
import { toApiFilter } from "../../filters/model";
import { configFromState, parseFilter, parseSort, sameConfig, stateFromConfig } from "./config";

const fields: Field[] = [
  { name: "title", type: "string" },
  { name: "status", type: "select", options: { choices: [{ value: "open" }, { value: "done" }] } },
  { name: "hours", type: "integer" },
  { name: "due", type: "date" },
  { name: "tags", type: "many_to_many", options: { target: "tags" } },
  { name: "ticket_repair.serial_no", type: "string" },
];

/** A config read into the grid and written back. */
const roundTrip = (config: ViewConfig) => configFromState(stateFromConfig(config, fields), config);

describe("view config <-> grid state", () => {
  it("reads every grid setting of a config, and writes the same config back", () => {
    const config: ViewConfig = {
      filter: { $and: [{ status: { $eq: "open" } }, { $or: [{ hours: { $gte: 3 } }, { title: { $includes: "vpn" } }] }] },
      sort: "-due,title",
      q: "printer",
      fields: ["title", "hours", "ticket_repair.serial_no"],
      widths: { title: 300 },
      group_by: "status",
    };
    const state = stateFromConfig(config, fields);
    expect(state.sorts).toEqual([
      { field: "due", desc: true },
      { field: "title", desc: false },
    ]);
    expect(state.q).toBe("printer");
    expect(state.columns).toEqual(["title", "hours", "ticket_repair.serial_no"]);
    expect(state.groupBy).toBe("status");
    expect(state.extraFilter).toBeUndefined();
    expect(state.filter.items).toHaveLength(2);
    expect(state.filter.items[1]).toMatchObject({ type: "group", logic: "$or" });
    expect(roundTrip(config)).toEqual(config);
  });

  it("the default grid saves an empty config, and keeps the keys other views read", () => {
    expect(configFromState(stateFromConfig(undefined, fields))).toEqual({});
    const kanban: ViewConfig = { kanban_field: "status", title_field: "title" };
    expect(roundTrip(kanban)).toEqual(kanban);
    const state = { ...stateFromConfig(kanban, fields), q: "  x " };
    expect(configFromState(state, kanban)).toEqual({ kanban_field: "status", title_field: "title", q: "x" });
  });

  it("reads the shorthand forms of the filter language", () => {
    const { group, extra } = parseFilter({ status: "open", hours: { $gte: 1, $lte: 5 }, due: { $empty: true } }, fields);
    expect(extra).toBeUndefined();
    expect(group.items.map((c) => (c.type === "condition" ? [c.field, c.operator, c.value] : null))).toEqual([
      ["status", "$eq", "open"],
      ["hours", "$gte", 1],
      ["hours", "$lte", 5],
      ["due", "$empty", null],
    ]);
    expect(toApiFilter(group)).toEqual({
      $and: [{ status: { $eq: "open" } }, { hours: { $gte: 1 } }, { hours: { $lte: 5 } }, { due: { $empty: true } }],
    });
    // A filter on an extension's field, and a list operator.
    expect(parseFilter({ "ticket_repair.serial_no": { $startsWith: "SN" }, tags: { $anyOf: [1, 2] } }, fields).extra).toBeUndefined();
  });

  it("keeps apart what the builder cannot show, and applies it as it is", () => {
    const notPart = { $not: { status: "done" } };
    const unknown = { "customer.name": { $includes: "acme" } };
    const { group, extra } = parseFilter({ $and: [{ hours: { $gt: 2 } }, notPart, unknown] }, fields);
    expect(toApiFilter(group)).toEqual({ hours: { $gt: 2 } });
    expect(extra).toEqual({ $and: [notPart, unknown] });
    // Under "or", one part the builder cannot show keeps the whole "or" apart.
    const or = { $or: [{ hours: 1 }, notPart] };
    expect(parseFilter(or, fields)).toMatchObject({ extra: or });
    expect(roundTrip({ filter: { $and: [{ hours: { $gt: 2 } }, notPart] } })).toEqual({ filter: { $and: [{ hours: { $gt: 2 } }, notPart] } });
    // An operator the field's kind does not offer, or a value of the wrong shape.
    expect(parseFilter({ title: { $between: [1, 2] } }, fields).extra).toEqual({ title: { $between: [1, 2] } });
    expect(parseFilter({ status: { $in: "open" } }, fields).extra).toEqual({ status: { $in: "open" } });
  });

  it("parses sorts and compares configs by content", () => {
    expect(parseSort(" -a, b ,")).toEqual([
      { field: "a", desc: true },
      { field: "b", desc: false },
    ]);
    expect(parseSort(undefined)).toEqual([]);
    expect(sameConfig({ sort: "a", q: "x" }, { q: "x", sort: "a" })).toBe(true);
    expect(sameConfig({ widths: { a: 100, b: 200 } }, { widths: { b: 200, a: 100 } })).toBe(true);
    expect(sameConfig({ fields: ["a", "b"] }, { fields: ["b", "a"] })).toBe(false);
  });

  it("clamps saved widths and ignores an empty field list", () => {
    const state = stateFromConfig({ widths: { title: 5 }, fields: [] }, fields);
    expect(state.widths).toEqual({ title: 40 });
    expect(state.columns).toBeNull();
  });
});

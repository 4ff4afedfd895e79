import { describe, expect, it } from "vitest";

import type { Field } from "../api/types";
import {
  countConditions,
  emptyGroup,
  newCondition,
  operatorsFor,
  sortableFields,
  toApiFilter,
  toApiSort,
  updateItem,
  type Condition,
  type Group,
} from "./model";

const status: Field = { name: "status", type: "select", options: { choices: [{ value: "open" }] } };
const title: Field = { name: "title", type: "string" };
const due: Field = { name: "due", type: "datetime" };
const tags: Field = { name: "tags", type: "many_to_many", options: { target: "tags" } };

const cond = (field: string, operator: Condition["operator"], value: Condition["value"]): Condition => ({
  type: "condition",
  id: `${field}${operator}`,
  field,
  operator,
  value,
});

describe("operatorsFor", () => {
  it("follows the value kind", () => {
    expect(operatorsFor(title)).toContain("$includes");
    expect(operatorsFor(status)).not.toContain("$includes");
    expect(operatorsFor(due)).toEqual(expect.arrayContaining(["$dateOn", "$between", "$gt"]));
    expect(operatorsFor(tags)).toEqual(["$anyOf", "$allOf", "$noneOf", "$empty", "$notEmpty"]);
    expect(operatorsFor({ name: "f", type: "formula", options: { result_type: "text" } })).toContain("$includes");
  });

  it("starts a new condition with the first operator and an empty value of its shape", () => {
    expect(newCondition(tags)).toMatchObject({ field: "tags", operator: "$anyOf", value: [] });
    expect(newCondition(title)).toMatchObject({ operator: "$includes", value: null });
  });
});

describe("toApiFilter", () => {
  it("is undefined without complete conditions", () => {
    expect(toApiFilter(emptyGroup())).toBeUndefined();
    const g: Group = { ...emptyGroup(), items: [cond("title", "$includes", null), cond("tags", "$anyOf", [])] };
    expect(toApiFilter(g)).toBeUndefined();
    expect(countConditions(g)).toBe(0);
  });

  it("sends one condition as is, several joined by the group's logic", () => {
    const one: Group = { ...emptyGroup(), items: [cond("status", "$eq", "open")] };
    expect(toApiFilter(one)).toEqual({ status: { $eq: "open" } });
    const two: Group = { ...emptyGroup("$or"), items: [cond("status", "$eq", "open"), cond("title", "$empty", null)] };
    expect(toApiFilter(two)).toEqual({ $or: [{ status: { $eq: "open" } }, { title: { $empty: true } }] });
  });

  it("nests groups and drops the empty ones", () => {
    const inner: Group = { ...emptyGroup("$or"), items: [cond("title", "$includes", "vpn"), cond("title", "$includes", "wifi")] };
    const empty: Group = { ...emptyGroup(), items: [] };
    const root: Group = { ...emptyGroup(), items: [cond("due", "$between", ["2026-01-01", "2026-02-01"]), inner, empty] };
    expect(toApiFilter(root)).toEqual({
      $and: [
        { due: { $between: ["2026-01-01", "2026-02-01"] } },
        { $or: [{ title: { $includes: "vpn" } }, { title: { $includes: "wifi" } }] },
      ],
    });
    expect(countConditions(root)).toBe(3);
  });

  it("a half-filled between is left out", () => {
    const g: Group = { ...emptyGroup(), items: [cond("due", "$between", ["2026-01-01", null])] };
    expect(toApiFilter(g)).toBeUndefined();
  });
});

describe("updateItem", () => {
  it("replaces or removes an item at any depth", () => {
    const inner: Group = { ...emptyGroup(), id: "g2", items: [cond("title", "$includes", "a")] };
    const root: Group = { ...emptyGroup(), items: [cond("status", "$eq", "open"), inner] };
    const changed = updateItem(root, "title$includes", (item) => ({ ...(item as Condition), value: "b" }));
    expect(toApiFilter(changed)).toEqual({ $and: [{ status: { $eq: "open" } }, { title: { $includes: "b" } }] });
    const removed = updateItem(root, "g2", () => null);
    expect(removed.items).toHaveLength(1);
  });
});

describe("sort", () => {
  it("joins keys with - for descending", () => {
    expect(toApiSort([])).toBeUndefined();
    expect(toApiSort([{ field: "status", desc: false }, { field: "created_at", desc: true }])).toBe("status,-created_at");
  });

  it("offers only sortable fields", () => {
    expect(sortableFields([title, tags, { name: "labels", type: "multi_select" }, due]).map((f) => f.name)).toEqual(["title", "due"]);
  });
});

import { describe, expect, it } from "vitest";

import type { Field } from "../../api/types";
import { andFilters, searchFilter, searchWords } from "./query";

const fields: Field[] = [
  { name: "title", type: "string" },
  { name: "notes", type: "text" },
  { name: "hours", type: "integer" },
];

describe("quick search as a filter", () => {
  it("needs every word in some text field", () => {
    expect(searchWords("  printer  jam printer ")).toEqual(["printer", "jam"]);
    expect(searchFilter(fields, "")).toBeUndefined();
    expect(searchFilter(fields, "jam")).toEqual({ $or: [{ title: { $includes: "jam" } }, { notes: { $includes: "jam" } }] });
    expect(searchFilter([fields[0] as Field], "a b")).toEqual({ $and: [{ title: { $includes: "a" } }, { title: { $includes: "b" } }] });
  });

  it("finds nothing in a collection without text fields", () => {
    expect(searchFilter([{ name: "hours", type: "integer" }], "x")).toEqual({ id: { $empty: true } });
  });

  it("joins filters, leaving out missing parts", () => {
    expect(andFilters(undefined, undefined)).toBeUndefined();
    expect(andFilters({ a: 1 }, undefined)).toEqual({ a: 1 });
    expect(andFilters({ a: 1 }, { b: 2 })).toEqual({ $and: [{ a: 1 }, { b: 2 }] });
  });
});

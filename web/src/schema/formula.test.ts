import { describe, expect, it } from "vitest";

import type { Collection } from "../api/types";
import { FORMULA_FUNCTIONS, formulaFields, insertAt, insertFunction } from "./formula";

describe("insertAt", () => {
  it("inserts at the cursor and puts the cursor after the name", () => {
    expect(insertAt("", 0, 0, "price")).toEqual({ text: "price", cursor: 5 });
    expect(insertAt("price * ", 8, 8, "qty")).toEqual({ text: "price * qty", cursor: 11 });
    expect(insertAt("a + b", 0, 0, "c")).toEqual({ text: "ca + b", cursor: 1 });
  });

  it("replaces the selection", () => {
    expect(insertAt("price * nope", 8, 12, "qty")).toEqual({ text: "price * qty", cursor: 11 });
  });

  it("keeps a name from running into the one before it", () => {
    expect(insertAt("price", 5, 5, "qty")).toEqual({ text: "price qty", cursor: 9 });
    expect(insertAt("round(x)", 8, 8, "y")).toEqual({ text: "round(x) y", cursor: 10 });
    expect(insertAt("round(", 6, 6, "x")).toEqual({ text: "round(x", cursor: 7 });
  });

  it("clamps a cursor outside the text", () => {
    expect(insertAt("ab", 10, 12, "c")).toEqual({ text: "ab c", cursor: 4 });
    expect(insertAt("ab", -3, -1, "c")).toEqual({ text: "cab", cursor: 1 });
  });
});

describe("insertFunction", () => {
  it("adds parentheses and puts the cursor between them", () => {
    expect(insertFunction("", 0, 0, "round")).toEqual({ text: "round()", cursor: 6 });
    expect(insertFunction("price * 2", 0, 9, "abs")).toEqual({ text: "abs()", cursor: 4 });
  });
});

describe("formulaFields", () => {
  const orders: Collection = {
    name: "orders",
    fields: [
      { name: "id", type: "integer", system: true },
      { name: "price", type: "decimal" },
      { name: "tags", type: "many_to_many" },
      { name: "lines", type: "one_to_many" },
      { name: "customer", type: "many_to_one" },
      { name: "total", type: "formula" },
      { name: "note", type: "string" },
    ],
  };

  it("lists the stored fields, not computed or relation lists", () => {
    expect(formulaFields(orders).map((f) => f.name)).toEqual(["id", "price", "customer", "note"]);
    expect(formulaFields(orders, "note").map((f) => f.name)).toEqual(["id", "price", "customer"]);
  });

  it("names the server's functions", () => {
    expect(FORMULA_FUNCTIONS.map((f) => f.name)).toEqual(["round", "abs", "min", "max", "len", "upper", "lower", "concat", "IF", "coalesce"]);
    for (const f of FORMULA_FUNCTIONS) expect(f.signature.startsWith(`${f.name}(`)).toBe(true);
  });
});

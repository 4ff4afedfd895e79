import { describe, expect, it } from "vitest";

import type { Collection } from "../api/types";
import { ApiError } from "../api/client";
import { refusedHeader, rowsFromHeader } from "./header";

const tickets: Collection = {
  name: "tickets",
  fields: [
    { name: "id", type: "integer", system: true },
    { name: "title", type: "string", title: "Title", required: true },
    { name: "due", type: "date", title: "截止日期" },
    { name: "number", type: "auto_number", title: "Number" },
  ],
};

describe("the header row sent with a refusal", () => {
  it("is read from a refusal of the file's columns only", () => {
    const refusal = new ApiError(422, "validation_failed", "no column", [{ field: "mapping.title", code: "required", message: "…" }], {
      columns: ["Subject", 3, "金额"],
    });
    expect(refusedHeader(refusal)).toEqual(["Subject", "金额"]);
    expect(refusedHeader(new ApiError(422, "validation_failed", "bad zone", [{ field: "timezone", code: "invalid", message: "…" }], { columns: ["x"] }))).toBeNull();
    expect(refusedHeader(new ApiError(422, "validation_failed", "no columns member", [{ field: "mapping.title", code: "required", message: "…" }]))).toBeNull();
    expect(refusedHeader(new Error("network"))).toBeNull();
  });

  it("matches columns by name or title like the server, leaving the others ignored", () => {
    expect(rowsFromHeader(["Subject", "TITLE", "截止日期", "Number", "", "Subject"], tickets)).toEqual([
      { column: "Subject", target: null },
      { column: "TITLE", target: "title" },
      { column: "截止日期", target: "due" },
      { column: "Number", target: null },
    ]);
  });
});

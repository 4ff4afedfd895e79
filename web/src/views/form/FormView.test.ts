import { describe, expect, it } from "vitest";

import type { Field } from "../../api/types";
import { formFields } from "./FormView";

const fields: Field[] = [
  { name: "title", type: "string", required: true },
  { name: "status", type: "select" },
  { name: "hours", type: "integer" },
];

describe("the fields a form view asks for", () => {
  it("are all of them by default, in the collection's order", () => {
    expect(formFields(fields, null).map((f) => f.name)).toEqual(["title", "status", "hours"]);
  });

  it("follow the view's choice and order, with the required ones left out added at the end", () => {
    expect(formFields(fields, ["hours", "status"]).map((f) => f.name)).toEqual(["hours", "status", "title"]);
    expect(formFields(fields, ["status", "gone"]).map((f) => f.name)).toEqual(["status", "title"]);
  });
});

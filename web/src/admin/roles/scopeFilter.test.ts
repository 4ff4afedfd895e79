import { describe, expect, it } from "vitest";

import type { Field, JSONValue } from "../../api/types";
import { fromScopeFilter, toScopeFilter, variableFields, variablesFor } from "./scopeFilter";

const fields: Field[] = [
  { name: "title", type: "string" },
  { name: "status", type: "select", options: { choices: [{ value: "open" }, { value: "done" }] } },
  { name: "assignee", type: "integer" },
  { name: "due", type: "date" },
  { name: "created_by", type: "created_by", system: true },
];

const roundTrip = (filter: JSONValue) => {
  const form = fromScopeFilter(filter, fields);
  expect(form).not.toBeNull();
  return form ? toScopeFilter(form) : null;
};

describe("scope filters", () => {
  it("split builder conditions from conditions on the signed-in user", () => {
    const form = fromScopeFilter({ status: "open", assignee: { $eq: "{{currentUser.id}}" } }, fields);
    expect(form?.group.items).toMatchObject([{ field: "status", operator: "$eq", value: "open" }]);
    expect(form?.variables).toMatchObject([{ field: "assignee", operator: "$eq", variable: "currentUser.id" }]);
  });

  it("write the same filter back", () => {
    expect(roundTrip({ created_by: { $eq: "{{currentUser.id}}" } })).toEqual({ created_by: { $eq: "{{currentUser.id}}" } });
    expect(roundTrip({ $and: [{ status: { $in: ["open"] } }, { due: { $lt: "{{now}}" } }] })).toEqual({
      $and: [{ status: { $in: ["open"] } }, { due: { $lt: "{{now}}" } }],
    });
    expect(roundTrip({ $or: [{ status: { $eq: "open" } }, { title: { $includes: "vip" } }] })).toEqual({
      $or: [{ status: { $eq: "open" } }, { title: { $includes: "vip" } }],
    });
    expect(roundTrip({ title: { $empty: true } })).toEqual({ title: { $empty: true } });
  });

  it("keep an OR beside a variable as a nested group", () => {
    const filter: JSONValue = { $and: [{ $or: [{ status: { $eq: "open" } }, { status: { $eq: "done" } }] }, { assignee: { $eq: "{{currentUser.id}}" } }] };
    expect(roundTrip(filter)).toEqual(filter);
  });

  it("give up (JSON editing) on what the builder cannot draw", () => {
    expect(fromScopeFilter({ $not: { status: "open" } }, fields)).toBeNull();
    expect(fromScopeFilter({ "customer.name": { $includes: "acme" } }, fields)).toBeNull();
    expect(fromScopeFilter({ $or: [{ assignee: { $eq: "{{currentUser.id}}" } }, { status: "open" }] }, fields)).toBeNull();
    expect(fromScopeFilter({ title: { $eq: "{{currentUser.unknown}}" } }, fields)).toBeNull();
    expect(fromScopeFilter({ title: { $bogus: 1 } }, fields)).toBeNull();
  });

  it("treat an empty filter as no conditions", () => {
    expect(fromScopeFilter({}, fields)).toMatchObject({ group: { items: [] }, variables: [] });
    expect(toScopeFilter({ group: { type: "group", id: "g", logic: "$and", items: [] }, variables: [] })).toEqual({});
  });

  it("offer the variables that suit a field", () => {
    const keys = (name: string) => variablesFor(fields.find((f) => f.name === name) ?? fields[0]!).map((v) => v.key);
    expect(keys("created_by")).toEqual(["currentUser.id"]);
    expect(keys("assignee")).toEqual(["currentUser.id", "currentUser.department_ids"]);
    expect(keys("due")).toEqual(["now"]);
    expect(keys("title")).toContain("currentUser.email");
  });

  it("offer user fields first, and never the id", () => {
    const names = variableFields([{ name: "id", type: "integer", system: true }, ...fields]).map((f) => f.name);
    expect(names[0]).toBe("created_by");
    expect(names).not.toContain("id");
  });
});

import { describe, expect, it } from "vitest";

import type { Collection, Permissions } from "../../api/types";
import {
  allowAction,
  customActions,
  fieldAccess,
  fromWire,
  placeError,
  ruleFieldNames,
  setFieldAccess,
  setRule,
  toWire,
  validate,
} from "./permissionsModel";

const tickets: Collection = {
  name: "tickets",
  extensions: ["ticket_repair"],
  fields: [
    { name: "id", type: "integer", system: true },
    { name: "title", type: "string" },
    { name: "secret", type: "string" },
    { name: "created_by", type: "created_by", system: true },
  ],
};
const repair: Collection = {
  name: "ticket_repair",
  extends: { master: "tickets", discriminator: "kind", value: "repair" },
  fields: [
    { name: "id", type: "integer", system: true },
    { name: "serial_no", type: "string" },
  ],
};
const names = ruleFieldNames(tickets, [tickets, repair]);
const lookup = (c: string) => (c === "tickets" ? names : undefined);

describe("ruleFieldNames", () => {
  it("lists the fields (not id) and the extension's fields by path", () => {
    expect(names).toEqual(["title", "secret", "created_by", "ticket_repair.serial_no"]);
  });
});

describe("wire format", () => {
  const wire: Permissions = {
    tickets: {
      list: { scope: "own", fields: ["id", "title", "ticket_repair"] },
      get: { scope: { created_by: { $eq: "{{currentUser.id}}" } } },
      close: { scope: "department" },
    },
  };

  it("reads every action, drops id and expands an extension to its fields", () => {
    const model = fromWire(wire, lookup);
    const rules = model.tickets ?? {};
    expect(rules.list).toEqual({ allowed: true, scope: "own", filter: null, fields: ["title", "ticket_repair.serial_no"] });
    expect(rules.get).toMatchObject({ allowed: true, scope: "filter", fields: null });
    expect(rules.close).toMatchObject({ allowed: true, scope: "department" });
    expect(rules.delete).toEqual({ allowed: false, scope: "all", filter: null, fields: null });
  });

  it("writes back what it read (allowed actions only)", () => {
    expect(toWire(fromWire(wire, lookup))).toEqual({
      tickets: {
        list: { scope: "own", fields: ["title", "ticket_repair.serial_no"] },
        get: { scope: { created_by: { $eq: "{{currentUser.id}}" } } },
        close: { scope: "department" },
      },
    });
  });

  it("leaves out collections that allow nothing, and keeps a denied action's settings", () => {
    let model = fromWire(wire, lookup);
    model = setRule(model, "tickets", "list", { allowed: false });
    model = setRule(model, "tickets", "get", { allowed: false });
    model = setRule(model, "tickets", "close", { allowed: false });
    expect(toWire(model)).toEqual({});
    model = setRule(model, "tickets", "list", { allowed: true });
    expect(toWire(model).tickets?.list).toEqual({ scope: "own", fields: ["title", "ticket_repair.serial_no"] });
  });

  it("sends no fields for actions without field rules, and keeps the filter while another scope is chosen", () => {
    let model = setRule({}, "tickets", "delete", { allowed: true, scope: "filter", filter: { title: "x" }, fields: ["title"] });
    expect(toWire(model)).toEqual({ tickets: { delete: { scope: { title: "x" } } } });
    model = setRule(model, "tickets", "delete", { scope: "own" });
    model = setRule(model, "tickets", "delete", { scope: "filter" });
    expect(toWire(model).tickets?.delete?.scope).toEqual({ title: "x" });
  });
});

describe("field rules", () => {
  it("hides a field from every read action, and shows it again as 'every field'", () => {
    let model = setRule({}, "tickets", "list", { allowed: true });
    model = setRule(model, "tickets", "get", { allowed: true });
    model = setFieldAccess(model, "tickets", "read", "secret", false, names);
    const wire = toWire(model);
    expect(wire.tickets?.list?.fields).toEqual(["title", "created_by", "ticket_repair.serial_no"]);
    expect(wire.tickets?.get?.fields).toEqual(["title", "created_by", "ticket_repair.serial_no"]);
    expect(fieldAccess(model.tickets ?? {}, "read", "secret")).toBe("off");
    expect(fieldAccess(model.tickets ?? {}, "read", "title")).toBe("on");
    model = setFieldAccess(model, "tickets", "read", "secret", true, names);
    expect(toWire(model).tickets?.list?.fields).toBeUndefined();
  });

  it("never lets a newly allowed export read a field hidden from list", () => {
    let model = setRule({}, "tickets", "list", { allowed: true });
    model = setFieldAccess(model, "tickets", "read", "secret", false, names);
    model = setFieldAccess(model, "tickets", "read", "title", false, names);
    model = allowAction(model, "tickets", "export", true);
    expect(toWire(model).tickets?.export?.fields).toEqual(["created_by", "ticket_repair.serial_no"]);
  });

  it("sets up the fields of every action of a kind before any is allowed", () => {
    let model = setFieldAccess({}, "tickets", "write", "secret", false, names);
    model = allowAction(model, "tickets", "update", true);
    expect(toWire(model).tickets?.update?.fields).toEqual(["title", "created_by", "ticket_repair.serial_no"]);
  });

  it("gives a newly allowed action the fields of its allowed peers", () => {
    let model = setRule({}, "tickets", "list", { allowed: true, fields: ["title"] });
    model = allowAction(model, "tickets", "export", true);
    expect(toWire(model).tickets?.export).toEqual({ scope: "all", fields: ["title"] });
    model = allowAction(model, "tickets", "create", true);
    expect(toWire(model).tickets?.create).toEqual({ scope: "all" });
    model = allowAction(model, "tickets", "export", false);
    expect(toWire(model).tickets?.export).toBeUndefined();
  });

  it("says mixed when the allowed actions disagree", () => {
    let model = setRule({}, "tickets", "list", { allowed: true, fields: ["title"] });
    model = setRule(model, "tickets", "get", { allowed: true });
    expect(fieldAccess(model.tickets ?? {}, "read", "secret")).toBe("mixed");
    expect(fieldAccess(model.tickets ?? {}, "write", "secret")).toBe("on");
  });
});

describe("errors", () => {
  it("places the API's paths on collections, rows and columns", () => {
    expect(placeError("tickets.list.fields")).toEqual({ collection: "tickets", action: "list", part: "fields" });
    expect(placeError("tickets.get.scope")).toEqual({ collection: "tickets", action: "get", part: "scope" });
    expect(placeError("tickets.bogus!")).toEqual({ collection: "tickets", action: "bogus!", part: "row" });
    expect(placeError("nothere")).toEqual({ collection: "nothere" });
    expect(placeError("body")).toBeNull();
  });

  it("refuses a filter scope without conditions before sending it", () => {
    const model = setRule({}, "tickets", "get", { allowed: true, scope: "filter", filter: {} });
    expect(validate(model)).toEqual([{ field: "tickets.get.scope", message: "", code: "empty_filter" }]);
  });
});

describe("customActions", () => {
  it("lists the workflows' buttons, then the role's own custom actions", () => {
    const model = fromWire({ tickets: { close: { scope: "all" }, list: { scope: "all" } } }, lookup);
    expect(customActions(model.tickets, ["escalate"])).toEqual(["escalate", "close"]);
  });
});

import { describe, expect, it } from "vitest";

import type { Collection, ImportResult } from "../api/types";
import { mappingJson, retarget, rowsFromResult, targetOptions } from "./mapping";

const customers: Collection = {
  name: "customers",
  fields: [
    { name: "id", type: "integer", system: true },
    { name: "name", type: "string", title: "Name", unique: true },
    { name: "notes", type: "json" },
    { name: "logo", type: "attachment" },
    { name: "created_at", type: "created_at", system: true },
  ],
};

const repair: Collection = {
  name: "ticket_repair",
  title: "Repair",
  extends: { master: "tickets", discriminator: "kind", value: "repair" },
  fields: [
    { name: "id", type: "integer", system: true },
    { name: "serial_no", type: "string", title: "Serial no" },
  ],
};

const tickets: Collection = {
  name: "tickets",
  extensions: ["ticket_repair"],
  fields: [
    { name: "id", type: "integer", system: true },
    { name: "title", type: "string", title: "Title", required: true },
    { name: "customer", type: "many_to_one", title: "Customer", options: { target: "customers" } },
    { name: "number", type: "auto_number" },
    { name: "total", type: "formula", options: { expression: "1" } },
    { name: "files", type: "attachment" },
    { name: "created_at", type: "created_at", system: true },
  ],
};

const result: ImportResult = {
  rows: 3,
  created: 3,
  updated: 0,
  skipped: 0,
  dry_run: true,
  committed: false,
  mapping: { Title: "title", Customer: "customer.name" },
  ignored: [
    { column: "Serial", reason: "no field of that name or title" },
    { column: "Total", reason: "read-only field" },
  ],
};

describe("import mapping model", () => {
  it("turns a dry run's result into one row per column, mapped ones first", () => {
    expect(rowsFromResult(result)).toEqual([
      { column: "Title", target: "title" },
      { column: "Customer", target: "customer.name" },
      { column: "Serial", target: null, reason: "no field of that name or title" },
      { column: "Total", target: null, reason: "read-only field" },
    ]);
  });

  it("keeps the order of the mapping the dry run was sent", () => {
    const sent = { Serial: "ticket_repair.serial_no", Title: "title", Customer: "customer.name", Total: null };
    const again: ImportResult = {
      ...result,
      mapping: { Title: "title", Customer: "customer.name", Serial: "ticket_repair.serial_no" },
      ignored: [{ column: "Total", reason: "ignored by the mapping" }],
    };
    expect(rowsFromResult(again, sent).map((r) => r.column)).toEqual(["Serial", "Title", "Customer", "Total"]);
  });

  it("sends every column, ignored ones as null, with the user's change", () => {
    const rows = retarget(rowsFromResult(result), "Serial", "ticket_repair.serial_no");
    expect(mappingJson(rows)).toEqual({ Title: "title", Customer: "customer.name", Serial: "ticket_repair.serial_no", Total: null });
    const ignored = retarget(rows, "Customer", null);
    expect(mappingJson(ignored).Customer).toBeNull();
    expect(ignored.find((r) => r.column === "Serial")?.reason).toBeUndefined();
  });

  it("offers writable fields, relations by id or matched by a field of their target, and extensions' fields", () => {
    const options = targetOptions(tickets, [tickets, customers, repair]);
    expect(options.map((o) => [o.value, o.kind])).toEqual([
      ["title", "field"],
      ["customer", "byId"],
      ["customer.name", "matchedBy"],
      ["ticket_repair.serial_no", "extension"],
    ]);
  });

  it("offers a relation by id alone when its target is not known", () => {
    expect(targetOptions(tickets, [tickets]).map((o) => o.value)).toEqual(["title", "customer"]);
  });
});

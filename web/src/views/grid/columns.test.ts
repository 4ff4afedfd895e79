import { describe, expect, it } from "vitest";

import type { Collection } from "../../api/types";
import {
  cellValue,
  clampWidth,
  columnWidth,
  defaultColumns,
  gridFields,
  hasExtension,
  moveColumn,
  normalColumns,
  toggleColumn,
  visibleFields,
  writeBody,
} from "./columns";

const tickets: Collection = {
  name: "tickets",
  extensions: ["ticket_repair"],
  fields: [
    { name: "id", type: "integer", system: true },
    { name: "created_at", type: "created_at", system: true },
    { name: "title", type: "string" },
    { name: "status", type: "select" },
    { name: "secret", type: "string" },
  ],
};
const repair: Collection = {
  name: "ticket_repair",
  title: "Repair",
  extends: { master: "tickets", discriminator: "status", value: "repair" },
  fields: [
    { name: "id", type: "integer", system: true },
    { name: "serial_no", type: "string", title: "Serial no" },
  ],
};
const all = gridFields(tickets, [repair], (_c, f) => f !== "secret");
const names = (fs: { name: string }[]) => fs.map((f) => f.name);

describe("column model", () => {
  it("lists own fields (system stamps last, unreadable ones left out), then extension fields", () => {
    expect(names(all)).toEqual(["title", "status", "created_at", "ticket_repair.serial_no"]);
    expect(all[3]).toMatchObject({ extension: "ticket_repair", title: "Repair: Serial no", type: "string" });
    expect(defaultColumns(all)).toEqual(["title", "status", "created_at"]);
  });

  it("shows the chosen columns in their order, dropping names that are gone", () => {
    expect(names(visibleFields(all, null))).toEqual(["title", "status", "created_at"]);
    expect(names(visibleFields(all, ["status", "gone", "ticket_repair.serial_no", "status"]))).toEqual(["status", "ticket_repair.serial_no"]);
  });

  it("hides and shows columns (shown ones at the end), and moves them", () => {
    const hidden = toggleColumn(all, null, "status", false);
    expect(hidden).toEqual(["title", "created_at"]);
    expect(toggleColumn(all, hidden, "ticket_repair.serial_no", true)).toEqual(["title", "created_at", "ticket_repair.serial_no"]);
    expect(moveColumn(["a", "b", "c", "d"], "d", "b")).toEqual(["a", "d", "b", "c"]);
    expect(moveColumn(["a", "b", "c", "d"], "a", "c")).toEqual(["b", "c", "a", "d"]);
    expect(moveColumn(["a", "b"], "a", "zz")).toEqual(["a", "b"]);
  });

  it("keeps no column list when it is the default one", () => {
    expect(normalColumns(all, ["title", "status", "created_at"])).toBeNull();
    expect(normalColumns(all, ["status", "title", "created_at"])).toEqual(["status", "title", "created_at"]);
  });

  it("clamps widths to 40–1000 px and defaults them by type", () => {
    expect(clampWidth(12)).toBe(40);
    expect(clampWidth(5000)).toBe(1000);
    expect(columnWidth({ name: "title", type: "string" }, { title: 333.4 })).toBe(333);
    expect(columnWidth({ name: "title", type: "string" }, {})).toBe(220);
  });

  it("reads and writes extension fields nested under their extension", () => {
    const serial = all[3];
    if (!serial) throw new Error("no serial column");
    expect(cellValue({ id: 1, ticket_repair: { serial_no: "S-1" } }, serial)).toBe("S-1");
    expect(cellValue({ id: 2 }, serial)).toBeUndefined();
    expect(hasExtension({ id: 2 }, serial)).toBe(false);
    expect(writeBody(serial, "S-2")).toEqual({ ticket_repair: { serial_no: "S-2" } });
    expect(writeBody({ name: "title", type: "string" }, "x")).toEqual({ title: "x" });
  });
});

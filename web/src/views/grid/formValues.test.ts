import { describe, expect, it } from "vitest";

import type { Collection, Field } from "../../api/types";
import { activeExtension, errorPlaces, initialValues, recordBody, type FormExtension } from "./formValues";

const own: Field[] = [
  { name: "title", type: "string" },
  { name: "biz_type", type: "select" },
  { name: "customer", type: "many_to_one", options: { target: "customers" } },
  { name: "files", type: "attachment" },
];
const repair: Collection = {
  name: "ticket_repair",
  extends: { master: "tickets", discriminator: "biz_type", value: "repair" },
  fields: [{ name: "serial_no", type: "string" }, { name: "model", type: "string" }],
};
const exts: FormExtension[] = [{ collection: repair, editable: repair.fields }];

describe("record form values", () => {
  it("start from the record, its extension's values nested", () => {
    const record = { id: 1, title: "A", biz_type: "repair", customer: { id: 4, name: "Acme" }, files: null, ticket_repair: { serial_no: "S1" } };
    expect(initialValues(own, exts, record)).toEqual({
      title: "A",
      biz_type: "repair",
      customer: { id: 4, name: "Acme" },
      files: null,
      ticket_repair: { serial_no: "S1", model: null },
    });
  });

  it("a new record sends its filled values; relations and files as ids", () => {
    const values = { title: "A", biz_type: null, customer: { id: 4 }, files: [{ id: 9, filename: "a.png" }] };
    expect(recordBody(own, exts, values, null)).toEqual({ title: "A", customer: 4, files: [9] });
  });

  it("the business type's fields go nested, all of them when the type is new", () => {
    const values = { title: "A", biz_type: "repair", ticket_repair: { serial_no: "S1", model: null } };
    expect(activeExtension(exts, values)?.collection.name).toBe("ticket_repair");
    expect(recordBody(own, exts, values, null)).toEqual({ title: "A", biz_type: "repair", ticket_repair: { serial_no: "S1" } });
    // An existing record switching to repair sends the extension whole (possibly empty: the API
    // then names the required fields).
    const before = { id: 1, title: "A", biz_type: "it" };
    expect(recordBody(own, exts, { ...values, ticket_repair: { serial_no: null } }, before)).toEqual({ biz_type: "repair", ticket_repair: {} });
  });

  it("an existing record sends only what changed, nested for its extension", () => {
    const record = { id: 1, title: "A", biz_type: "repair", customer: 4, files: [], ticket_repair: { serial_no: "S1", model: "M" } };
    const values = { title: "A", biz_type: "repair", customer: { id: 4 }, files: null, ticket_repair: { serial_no: "S2", model: "M" } };
    expect(recordBody(own, exts, values, record)).toEqual({ ticket_repair: { serial_no: "S2" } });
    expect(recordBody(own, exts, { ...values, ticket_repair: { serial_no: "S1", model: "M" } }, record)).toEqual({});
  });

  it("places the API's errors on their fields, extension paths included", () => {
    const places = errorPlaces(
      [
        { field: "title", message: "required", code: "required" },
        { field: "ticket_repair.serial_no", message: "required", code: "required" },
        { field: "files.0", message: "too big", code: "invalid" },
        { field: "elsewhere", message: "nope", code: "x" },
      ],
      own,
      exts,
    );
    expect(places.map((p) => p.name)).toEqual([["title"], ["ticket_repair", "serial_no"], ["files"], null]);
    expect(places[3]?.message).toBe("elsewhere: nope");
  });
});

import { describe, expect, it } from "vitest";

import type { Collection } from "../../api/types";
import { attachmentFields, coverOf, detailFields, titleFields } from "./model";

const c: Collection = {
  name: "products",
  fields: [
    { name: "id", type: "integer", system: true },
    { name: "name", type: "string" },
    { name: "notes", type: "text" },
    { name: "photos", type: "attachment" },
    { name: "price", type: "currency" },
    { name: "status", type: "select" },
    { name: "meta", type: "json" },
    { name: "due", type: "date" },
  ],
};

describe("gallery", () => {
  it("takes the first image of the cover field", () => {
    const record = {
      id: 1,
      photos: [
        { id: 4, filename: "manual.pdf", mime_type: "application/pdf", url: "/api/attachments/4" },
        { id: 5, filename: "front.png", mime_type: "image/png", url: "/api/attachments/5" },
        { id: 6, filename: "back.jpg", mime_type: "image/jpeg", url: "/api/attachments/6" },
      ],
    };
    expect(coverOf(record, "photos")).toEqual({ id: 5, url: "/api/attachments/5", filename: "front.png" });
    expect(coverOf({ id: 2, photos: [{ id: 4, mime_type: "application/pdf" }] }, "photos")).toBeNull();
    expect(coverOf({ id: 3, photos: [] }, "photos")).toBeNull();
    expect(coverOf(record, null)).toBeNull();
  });

  it("offers short fields as titles, attachments as covers, and a few details", () => {
    expect(titleFields(c).map((f) => f.name)).toEqual(["name", "notes", "status", "due"]);
    expect(attachmentFields(c).map((f) => f.name)).toEqual(["photos"]);
    expect(attachmentFields(c, new Set(["name"]))).toEqual([]);
    expect(detailFields(c, "name", "photos", null).map((f) => f.name)).toEqual(["price", "status", "due"]);
  });
});

import { describe, expect, it } from "vitest";

import type { Collection } from "../api/types";
import { decodeHead, parseHeader, rowsFromHeader } from "./header";

const tickets: Collection = {
  name: "tickets",
  fields: [
    { name: "id", type: "integer", system: true },
    { name: "title", type: "string", title: "Title", required: true },
    { name: "due", type: "date", title: "截止日期" },
    { name: "number", type: "auto_number", title: "Number" },
  ],
};

describe("CSV header read in the browser", () => {
  it("splits on the delimiter the line uses, with RFC 4180 quotes", () => {
    expect(parseHeader('\ufeffSubject,"Hours, est.","say ""hi"""\r\nA,1,2')).toEqual(["Subject", "Hours, est.", 'say "hi"']);
    expect(parseHeader("a;b;c,d\nx")).toEqual(["a", "b", "c,d"]);
    expect(parseHeader("a\tb\n")).toEqual(["a", "b"]);
  });

  it("decodes UTF-8, UTF-16 with a BOM and GB18030", () => {
    expect(decodeHead(new TextEncoder().encode("\ufeff标题,截止日期\n1,2"))).toBe("标题,截止日期");
    const utf16 = new Uint8Array([0xff, 0xfe, ...Array.from("标题,x").flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8])]);
    expect(parseHeader(decodeHead(utf16))).toEqual(["标题", "x"]);
    expect(decodeHead(new Uint8Array([0xb1, 0xea, 0xcc, 0xe2, 0x0a, 0x31]))).toBe("标题"); // GB18030
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

import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { Field } from "../api/types";
import { translator } from "../i18n";
import { formatDate } from "./datetime";
import { formatNumber } from "./number";
import { fieldType, isWritable, valueKind } from "./registry";
import { htmlToText } from "./text";
import { refId, refIds } from "./values";

const t = translator("en-US");

describe("field registry", () => {
  it("knows every server type, and marks system and computed ones read-only", () => {
    const keys = [
      "string", "text", "rich_text", "email", "phone", "url", "integer", "decimal", "currency", "percent",
      "boolean", "date", "datetime", "time", "select", "multi_select", "json", "auto_number", "formula",
      "attachment", "many_to_one", "one_to_many", "many_to_many", "created_at", "updated_at", "created_by", "updated_by",
    ];
    for (const key of keys) expect(fieldType(key).key, key).toBe(key);
    expect(fieldType("no_such_type").key).toBe("unknown");
    expect(isWritable({ name: "code", type: "auto_number" })).toBe(false);
    expect(isWritable({ name: "created_at", type: "created_at", system: true })).toBe(false);
    expect(isWritable({ name: "title", type: "string" })).toBe(true);
    expect(valueKind({ name: "total", type: "formula", options: { result_type: "boolean" } })).toBe("bool");
  });

  it("renders selects as their labels and booleans in words", () => {
    const field: Field = { name: "status", type: "select", options: { choices: [{ value: "open", label: "Open", color: "blue" }] } };
    render(<div>{fieldType("select").render("open", field, t)}</div>);
    expect(screen.getByText("Open")).toBeInTheDocument();
    expect(fieldType("boolean").render(true, { name: "done", type: "boolean" }, t)).toBe("Yes");
  });
});

describe("formatting", () => {
  it("numbers by type", () => {
    document.documentElement.lang = "en-US";
    expect(formatNumber({ name: "n", type: "integer" }, 1234567)).toBe("1,234,567");
    expect(formatNumber({ name: "d", type: "decimal", options: { scale: 2 } }, "12.5")).toBe("12.50");
    expect(formatNumber({ name: "p", type: "percent", options: { scale: 4 } }, "0.125")).toBe("12.5%");
    expect(formatNumber({ name: "c", type: "currency", options: { scale: 2, currency: "CNY" } }, "99")).toMatch(/99\.00/);
    expect(formatNumber({ name: "n", type: "integer" }, null)).toBe("");
  });

  it("dates, date-times and times", () => {
    expect(formatDate("2026-11-23", "date")).toBe("2026-11-23");
    expect(formatDate("08:30:00", "time")).toBe("08:30:00");
    expect(formatDate("not a date", "date")).toBe("not a date");
    expect(formatDate(null, "datetime")).toBe("");
  });

  it("rich text shows its text only", () => {
    expect(htmlToText("<p>Hello <b>world</b></p>")).toBe("Hello world");
  });

  it("relation values are ids, or records with appends", () => {
    expect(refId(5)).toBe(5);
    expect(refId({ id: 7, name: "Acme" })).toBe(7);
    expect(refId(null)).toBeNull();
    expect(refIds([1, { id: 2 }, "x"])).toEqual([1, 2]);
  });
});

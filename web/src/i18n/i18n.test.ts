import { describe, expect, it } from "vitest";

import { en } from "./en";
import { browserLocale, format, translator } from "./index";
import { zh } from "./zh";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("dictionaries", () => {
  it("have the same keys, every string filled", () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of [...Object.entries(en), ...Object.entries(zh)]) {
      expect(text.trim(), key).not.toBe("");
    }
  });

  it("use the same placeholders in both languages", () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const english = [...new Set(placeholders(en[key]))];
      expect([...new Set(placeholders(zh[key]))], key).toEqual(english);
    }
  });

  it("translate Chinese strings into Chinese", () => {
    // A key left in English in zh.ts would still compile; catch the obvious ones.
    const latinOnly = Object.entries(zh).filter(([, text]) => !/[\u4e00-\u9fff]/.test(text));
    const allowed = new Set(["type.json", "common.notFound", "savedViews.leftOut.separator"]); // (punctuation only)
    expect(latinOnly.filter(([key]) => !allowed.has(key)).map(([key]) => key)).toEqual([]);
  });
});

describe("format", () => {
  it("fills placeholders and leaves unknown ones", () => {
    expect(format("Record {id}", { id: 7 })).toBe("Record 7");
    expect(format("{YYYY}-{seq:6}")).toBe("{YYYY}-{seq:6}");
    expect(format("{a} and {b}", { a: 1 })).toBe("1 and {b}");
  });

  it("picks the English plural and groups counts", () => {
    const t = translator("en-US");
    expect(t("grid.count", { count: 1 })).toBe("1 record");
    expect(t("grid.count", { count: 12345 })).toBe("12,345 records");
    expect(translator("zh-CN")("grid.count", { count: 2 })).toBe("共 2 条记录");
  });
});

describe("browserLocale", () => {
  it("takes the first language we have", () => {
    expect(browserLocale(["zh-TW", "en"])).toBe("zh-CN");
    expect(browserLocale(["fr-FR", "en-GB"])).toBe("en-US");
    expect(browserLocale(["de"])).toBe("en-US");
    expect(browserLocale(["en-US", "zh-CN"])).toBe("en-US");
  });
});

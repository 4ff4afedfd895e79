import { describe, expect, it } from "vitest";

import { choiceValue, NAME_PATTERN, suggestName } from "./naming";

describe("suggestName", () => {
  it("makes snake_case names from titles", () => {
    expect(suggestName("Due date")).toBe("due_date");
    expect(suggestName("  Serial No. (vendor) ")).toBe("serial_no_vendor");
    expect(suggestName("2nd line")).toBe("nd_line");
    expect(suggestName("Café")).toBe("cafe");
  });

  it("gives nothing for titles without Latin letters, and stays within 30 characters", () => {
    expect(suggestName("截止日期")).toBe("");
    const long = suggestName("A very long title for a field that goes on and on");
    expect(long.length).toBeLessThanOrEqual(30);
    expect(NAME_PATTERN.test(long)).toBe(true);
  });

  it("numbers choices it cannot name", () => {
    expect(choiceValue("In progress", 0)).toBe("in_progress");
    expect(choiceValue("处理中", 2)).toBe("option_3");
  });
});

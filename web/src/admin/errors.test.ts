import { describe, expect, it } from "vitest";

import { translator } from "../i18n";
import { errorMessage, formField } from "./errors";

describe("errorMessage", () => {
  it("speaks the user's language for known codes, keeping the server's number", () => {
    const zh = translator("zh-CN");
    expect(errorMessage(zh, { field: "new_password", message: "at least 10 characters", code: "too_short" })).toBe("至少 10 个字符");
    expect(errorMessage(translator("en-US"), { field: "new_password", message: "x", code: "too_weak" })).toBe("Use both letters and digits");
  });

  it("falls back to the server's message", () => {
    expect(errorMessage(translator("en-US"), { field: "x", message: "something odd", code: "odd" })).toBe("something odd");
  });
});

describe("formField", () => {
  it("puts list items on their list", () => {
    expect(formField("roles.1")).toBe("roles");
    expect(formField("departments.0")).toBe("departments");
    expect(formField("email")).toBe("email");
  });
});

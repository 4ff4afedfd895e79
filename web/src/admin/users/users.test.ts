import { describe, expect, it } from "vitest";

import type { AdminUser } from "../../api/types";
import { roleName } from "../roles/RolesPage";
import { userBody } from "./UserForm";
import { roleOptions } from "./UsersPage";
import { columnOrder, DEFAULT_SORT, sortAfter, usersQuery, usersView, viewParams } from "./query";

const ann: AdminUser = {
  id: 7,
  email: "ann@example.com",
  name: "Ann Lee",
  phone: "+86 10 1234",
  avatar: null,
  active: true,
  roles: ["agent", "auditor"],
  default_role: "agent",
  departments: [{ id: 2, name: "Level 1" }],
  locale: null,
  theme: null,
  created_at: null,
};

describe("userBody", () => {
  const values = { name: " Bob ", email: "bob@example.com ", phone: "", password: "s3cret-pass", departments: [2], roles: ["agent"], default_role: null };

  it("sends a new user whole, trimmed, the first role as the default", () => {
    expect(userBody(values, null)).toEqual({
      email: "bob@example.com",
      password: "s3cret-pass",
      name: "Bob",
      departments: [2],
      roles: ["agent"],
      default_role: "agent",
    });
  });

  it("sends only what changed for an existing user", () => {
    const same = { name: "Ann Lee", email: ann.email, phone: "+86 10 1234", password: "", departments: [2], roles: ["agent", "auditor"], default_role: "agent" };
    expect(userBody(same, ann)).toEqual({});
    expect(userBody({ ...same, phone: "" }, ann)).toEqual({ phone: null });
    expect(userBody({ ...same, default_role: "auditor" }, ann)).toEqual({ roles: ["agent", "auditor"], default_role: "auditor" });
    expect(userBody({ ...same, roles: ["auditor"] }, ann)).toEqual({ roles: ["auditor"], default_role: "auditor" });
    expect(userBody({ ...same, departments: [], password: "n3w-password" }, ann)).toEqual({ departments: [], password: "n3w-password" });
  });
});

describe("the users page's view", () => {
  it("reads its URL, falling back to the defaults for anything unknown", () => {
    expect(usersView(new URLSearchParams(""))).toEqual({
      q: "",
      status: "all",
      role: undefined,
      department: undefined,
      sort: DEFAULT_SORT,
      page: 1,
      pageSize: 20,
    });
    const view = usersView(new URLSearchParams("q=张 伟&status=inactive&role=agent&department=4&sort=name&page=3&size=50"));
    expect(view).toEqual({ q: "张 伟", status: "inactive", role: "agent", department: 4, sort: "name", page: 3, pageSize: 50 });
    const junk = usersView(new URLSearchParams("status=gone&department=x&sort=password&page=-2&size=7"));
    expect([junk.status, junk.department, junk.sort, junk.page, junk.pageSize]).toEqual(["all", undefined, DEFAULT_SORT, 1, 20]);
  });

  it("writes only what differs from the defaults, and round-trips", () => {
    const view = usersView(new URLSearchParams("q=ann&role=agent&page=2"));
    expect(viewParams(view).toString()).toBe("q=ann&role=agent&page=2");
    expect(viewParams({ ...view, q: "  ", role: undefined, page: 1 }).toString()).toBe("");
    expect(usersView(viewParams(view))).toEqual(view);
  });

  it("asks the server for the search, filters, sort and page", () => {
    const view = usersView(new URLSearchParams("q= ann &status=active&department=4&sort=-name&page=2&size=100"));
    expect(usersQuery(view)).toEqual({ q: "ann", active: true, role: undefined, department: 4, sort: "-name", page: 2, page_size: 100 });
    expect(usersQuery(usersView(new URLSearchParams("status=inactive"))).active).toBe(false);
    expect(usersQuery(usersView(new URLSearchParams(""))).active).toBeUndefined();
  });

  it("maps the table's sorters to the sort and back", () => {
    expect(columnOrder("-created_at", "created_at")).toBe("descend");
    expect(columnOrder("name", "name")).toBe("ascend");
    expect(columnOrder("name", "created_at")).toBeNull();
    expect(sortAfter("name", "descend")).toBe("-name");
    expect(sortAfter("created_at", "ascend")).toBe("created_at");
    expect(sortAfter("name", null)).toBe(DEFAULT_SORT);
    expect(sortAfter(undefined, undefined)).toBe(DEFAULT_SORT);
  });
});

describe("roleOptions", () => {
  it("tells roles of the same title apart by their names", () => {
    const role = (name: string, title: string) => ({ name, title, description: null, builtin: false, created_at: null, updated_at: null });
    expect(roleOptions([role("agent", "Agent"), role("reader_a", "Reader"), role("reader_b", "Reader"), role("x", "")])).toEqual([
      { value: "agent", label: "Agent" },
      { value: "reader_a", label: "Reader (reader_a)" },
      { value: "reader_b", label: "Reader (reader_b)" },
      { value: "x", label: "x" },
    ]);
  });
});

describe("roleName", () => {
  it("suggests an identifier from a title", () => {
    expect(roleName("Night shift")).toBe("night_shift");
    expect(roleName("  2nd-line Support! ")).toBe("nd_line_support");
    expect(roleName("值班")).toBe("");
  });
});

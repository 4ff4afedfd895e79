import { screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { fakeServer, renderApp } from "../test/render";
import { adminMenuKey, RequireAdmin } from "./AdminPage";

afterEach(() => vi.unstubAllGlobals());

function signedInAs(roles: string[]) {
  localStorage.setItem("deskbase.token", "t");
  const server = fakeServer(() => ({ status: 200, body: { data: { id: 2, email: "ann@example.com", name: "Ann", roles, permissions: {} } } }));
  vi.stubGlobal("fetch", server.fetch);
}

describe("RequireAdmin", () => {
  it("shows a 403 page to anyone but an administrator", async () => {
    signedInAs(["member"]);
    renderApp(
      <RequireAdmin>
        <div>secret admin page</div>
      </RequireAdmin>,
    );
    expect(await screen.findByText("403")).toBeInTheDocument();
    expect(screen.queryByText("secret admin page")).toBeNull();
  });

  it("lets administrators in", async () => {
    signedInAs(["admin"]);
    renderApp(
      <RequireAdmin>
        <div>secret admin page</div>
      </RequireAdmin>,
    );
    expect(await screen.findByText("secret admin page")).toBeInTheDocument();
  });
});

describe("adminMenuKey", () => {
  it("selects the page's menu entry", () => {
    expect(adminMenuKey("/admin/roles/agent")).toBe("admin/roles");
    expect(adminMenuKey("/admin/users")).toBe("admin/users");
    expect(adminMenuKey("/c/tickets")).toBeNull();
  });
});

import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { CatalogProvider } from "../kernel/catalog";
import { fakeServer, renderApp } from "../test/render";
import { ProfilePage } from "./ProfilePage";

afterEach(() => vi.unstubAllGlobals());

const me = {
  id: 2,
  email: "ann@example.com",
  name: "Ann",
  roles: ["agent"],
  default_role: "agent",
  departments: [{ id: 3, name: "Level 1" }],
  permissions: { tickets: { list: { scope: ["own", { status: "open" }], fields: ["id", "title"] }, get: { scope: "all" } } },
};

describe("ProfilePage", () => {
  it("shows what the roles allow and puts the password policy's refusal on the field", { timeout: 60_000 }, async () => {
    localStorage.setItem("deskbase.token", "t");
    const server = fakeServer((method, url) => {
      if (url === "/api/me") return { status: 200, body: { data: me } };
      if (url === "/api/collections") return { status: 200, body: { data: [{ name: "tickets", title: "Tickets", fields: [] }] } };
      if (url === "/api/me/password" && method === "POST")
        return {
          status: 422,
          body: { code: "validation_failed", detail: "x", errors: [{ field: "new_password", message: "at least 8 characters", code: "too_short" }] },
        };
      return { status: 404, body: { code: "not_found" } };
    });
    vi.stubGlobal("fetch", server.fetch);
    renderApp(
      <CatalogProvider>
        <ProfilePage />
      </CatalogProvider>,
    );
    expect(await screen.findByText("List · your records or matching records · 1 field", {}, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.getByText("View · all records")).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText("Current password"), { target: { value: "old-pass-1" } });
    fireEvent.change(screen.getByLabelText("New password"), { target: { value: "short1" } });
    fireEvent.change(screen.getByLabelText("New password again"), { target: { value: "short1" } });
    fireEvent.click(screen.getByRole("button", { name: "Change password" }));
    expect(await screen.findByText("At least 8 characters", {}, { timeout: 5000 })).toBeInTheDocument();
    await waitFor(() => expect(server.calls.find((c) => c.method === "POST")?.body).toEqual({ current_password: "old-pass-1", new_password: "short1" }));
  });
});

describe("ProfilePage preferences", () => {
  it("saves the language with the account and switches to it", { timeout: 60_000 }, async () => {
    localStorage.setItem("deskbase.token", "t");
    let saved: Record<string, unknown> = { ...me, role_titles: { agent: "Service agent" }, locale: null, theme: null };
    const server = fakeServer((method, url, body) => {
      if (url === "/api/me" && method === "PATCH") {
        saved = { ...saved, ...(body as object) };
        return { status: 200, body: { data: saved } };
      }
      if (url === "/api/me") return { status: 200, body: { data: saved } };
      if (url === "/api/collections") return { status: 200, body: { data: [] } };
      return { status: 404, body: { code: "not_found" } };
    });
    vi.stubGlobal("fetch", server.fetch);
    renderApp(
      <CatalogProvider>
        <ProfilePage />
      </CatalogProvider>,
    );
    // Role titles, not names; no preference yet: the browser's.
    expect(await screen.findByText("Service agent", {}, { timeout: 5000 })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole("radio", { name: "Browser default" })).toBeChecked());
    fireEvent.click(screen.getByRole("radio", { name: "简体中文" }));
    await waitFor(() => expect(server.calls.find((c) => c.method === "PATCH")?.body).toEqual({ locale: "zh-CN" }));
    expect(await screen.findByText("偏好设置已保存", {}, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.getByText("个人资料")).toBeInTheDocument();
    expect(localStorage.getItem("deskbase.locale")).toBe("zh-CN");
    // Back to the browser's language: null on the server, nothing kept in the browser.
    fireEvent.click(screen.getByRole("radio", { name: "跟随浏览器" }));
    await waitFor(() => expect(server.calls.filter((c) => c.method === "PATCH").at(-1)?.body).toEqual({ locale: null }));
    await waitFor(() => expect(localStorage.getItem("deskbase.locale")).toBeNull());
  });
});

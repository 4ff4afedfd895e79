import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { App as AntApp } from "antd";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { Role } from "../../api/types";
import { I18nProvider } from "../../i18n";
import { CatalogProvider } from "../../kernel/catalog";
import { SessionProvider } from "../../kernel/session";
import { ThemeModeProvider } from "../../kernel/theme";
import { fakeServer } from "../../test/render";
import { RoleEditor } from "./RoleEditor";

afterEach(() => vi.unstubAllGlobals());

const role: Role = { name: "agent", title: "Agent", description: null, builtin: false, created_at: null, updated_at: null };
const tickets = {
  name: "tickets",
  title: "Tickets",
  fields: [
    { name: "id", type: "integer", system: true },
    { name: "title", type: "string", title: "Title" },
    { name: "secret", type: "string", title: "Secret" },
  ],
};

function renderEditor(put: (body: unknown) => { status: number; body?: unknown }) {
  localStorage.setItem("deskbase.token", "t");
  const server = fakeServer((method, url, body) => {
    if (url === "/api/me") return { status: 200, body: { data: { id: 1, email: "root@example.com", roles: ["admin"] } } };
    if (url === "/api/collections") return { status: 200, body: { data: [tickets] } };
    if (url === "/api/workflows") return { status: 200, body: { data: [{ id: 1, name: "Close", enabled: true, trigger: { type: "action", collection: "tickets", name: "close" } }] } };
    if (url === "/api/roles/agent/permissions" && method === "GET") return { status: 200, body: { data: { tickets: { list: { scope: "own" } } } } };
    if (url === "/api/roles/agent/permissions" && method === "PUT") return put(body);
    return { status: 404, body: { code: "not_found", detail: url } };
  });
  vi.stubGlobal("fetch", server.fetch);
  const router = createMemoryRouter([
    {
      path: "*",
      element: (
        <SessionProvider>
          <CatalogProvider>
            <AntApp>
              <RoleEditor role={role} />
            </AntApp>
          </CatalogProvider>
        </SessionProvider>
      ),
    },
  ]);
  render(
    <I18nProvider locale="en-US">
      <ThemeModeProvider>
        <RouterProvider router={router} />
      </ThemeModeProvider>
    </I18nProvider>,
  );
  return server;
}

describe("RoleEditor", () => {
  // A whole editor under antd: slow on a busy machine, hence the longer timeout.
  it("saves the rules in the wire format and shows the API's errors on their row", { timeout: 60_000 }, async () => {
    const server = renderEditor(() => ({
      status: 422,
      body: { code: "validation_failed", detail: "Invalid permissions", errors: [{ field: "tickets.list.fields", message: "no field 'x'", code: "unknown_field" }] },
    }));
    const secret = await screen.findByRole("checkbox", { name: "Secret readable" }, { timeout: 5000 });
    expect(screen.getByText("close")).toBeInTheDocument(); // the workflow's button, as a custom action
    fireEvent.click(secret);
    fireEvent.click(screen.getByTestId("save-permissions"));
    await waitFor(() => expect(server.calls.some((c) => c.method === "PUT")).toBe(true));
    const put = server.calls.find((c) => c.method === "PUT");
    expect(put?.body).toEqual({ tickets: { list: { scope: "own", fields: ["title"] } } });
    expect(await screen.findByText("One of these fields does not exist (any more)")).toBeInTheDocument();
    expect(screen.getByTestId("permissions-errors")).toHaveTextContent("1 problem");
  });
});

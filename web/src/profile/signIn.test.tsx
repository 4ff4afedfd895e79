import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { useI18n } from "../i18n";
import { useSession } from "../kernel/session";
import { useThemeMode } from "../kernel/theme";
import { fakeServer, renderApp } from "../test/render";

afterEach(() => vi.unstubAllGlobals());

function SignIn() {
  const { signIn, user } = useSession();
  const { locale } = useI18n();
  const { mode } = useThemeMode();
  return (
    <div>
      <button onClick={() => void signIn("ann@example.com", "pw")}>go</button>
      <span data-testid="state">{`${user?.email ?? "nobody"} ${locale} ${mode}`}</span>
    </div>
  );
}

describe("signing in", () => {
  it("applies the language and theme kept with the user", async () => {
    localStorage.clear();
    const user = { id: 2, email: "ann@example.com", name: "Ann", roles: ["member"], locale: "zh-CN", theme: "dark" };
    const server = fakeServer((_method, url) => {
      if (url === "/api/auth/login") return { status: 200, body: { token: "t", user } };
      if (url === "/api/me") return { status: 200, body: { data: user } };
      return { status: 404, body: { code: "not_found" } };
    });
    vi.stubGlobal("fetch", server.fetch);
    renderApp(<SignIn />, { locale: "en-US" });
    expect(screen.getByTestId("state")).toHaveTextContent("nobody en-US");
    fireEvent.click(screen.getByRole("button", { name: "go" }));
    await waitFor(() => expect(screen.getByTestId("state")).toHaveTextContent("ann@example.com zh-CN dark"));
    expect([localStorage.getItem("deskbase.locale"), localStorage.getItem("deskbase.theme")]).toEqual(["zh-CN", "dark"]);
  });

  it("leaves this browser's choice alone when the user has none", async () => {
    localStorage.clear();
    const user = { id: 3, email: "bo@example.com", name: "Bo", roles: ["member"], locale: null, theme: null };
    vi.stubGlobal(
      "fetch",
      fakeServer((_method, url) => (url === "/api/auth/login" ? { status: 200, body: { token: "t", user } } : { status: 200, body: { data: user } })).fetch,
    );
    renderApp(<SignIn />, { locale: "en-US" });
    fireEvent.click(screen.getByRole("button", { name: "go" }));
    await waitFor(() => expect(screen.getByTestId("state")).toHaveTextContent("bo@example.com en-US"));
    expect(localStorage.getItem("deskbase.locale")).toBeNull();
  });
});

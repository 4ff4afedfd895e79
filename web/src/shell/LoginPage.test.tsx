import { fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { fakeServer, renderApp } from "../test/render";
import { LoginPage, safeNext } from "./LoginPage";

afterEach(() => vi.unstubAllGlobals());

describe("safeNext", () => {
  it("keeps paths of this app only", () => {
    expect(safeNext("/c/tickets?x=1")).toBe("/c/tickets?x=1");
    expect(safeNext(null)).toBe("/");
    expect(safeNext("https://evil.example")).toBe("/");
    expect(safeNext("//evil.example/x")).toBe("/");
    expect(safeNext("/login?next=/x")).toBe("/");
  });
});

describe("LoginPage", () => {
  it("says so when the password is wrong, in the chosen language", async () => {
    const server = fakeServer(() => ({ status: 401, body: { code: "unauthenticated", detail: "Invalid email or password" } }));
    vi.stubGlobal("fetch", server.fetch);
    renderApp(<LoginPage />, { locale: "zh-CN", path: "/login" });
    fireEvent.change(screen.getByLabelText("邮箱"), { target: { value: "ann@example.com" } });
    fireEvent.change(screen.getByLabelText("密码"), { target: { value: "wrong-password1" } });
    fireEvent.click(screen.getByRole("button", { name: /登\s*录/ }));
    expect(await screen.findByText("邮箱或密码错误。", {}, { timeout: 5000 })).toBeInTheDocument();
    expect(server.calls[0]).toMatchObject({ method: "POST", url: "/api/auth/login", body: { email: "ann@example.com" } });
    expect(localStorage.getItem("deskbase.token")).toBeNull();
  });

  it("asks for both fields before sending anything", async () => {
    const server = fakeServer(() => ({ status: 500 }));
    vi.stubGlobal("fetch", server.fetch);
    renderApp(<LoginPage />, { path: "/login" });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("Enter your email", {}, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.getByText("Enter your password")).toBeInTheDocument();
    expect(server.calls).toEqual([]);
  });
});

import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { Collection } from "../api/types";
import { CatalogProvider } from "../kernel/catalog";
import { fakeServer, renderApp } from "../test/render";
import { MAX_COLLECTIONS, QuickSearch, searchTargets } from "./QuickSearch";

afterEach(() => vi.unstubAllGlobals());

const coll = (name: string, type = "string"): Collection => ({ name, title: name.toUpperCase(), fields: [{ name: "title", type }] });

describe("searchTargets", () => {
  const all = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"].map((n) => coll(n));

  it("asks at most eight collections: the open one, the recent ones, then the menu's order", () => {
    const names = searchTargets(all, () => true, "j", ["c", "a"]).map((c) => c.name);
    expect(names).toEqual(["j", "c", "a", "b", "d", "e", "f", "g"]);
    expect(names).toHaveLength(MAX_COLLECTIONS);
  });

  it("skips what the user may not list, extensions and collections without text", () => {
    const ext: Collection = { ...coll("ext"), extends: { master: "a", discriminator: "k", value: "v" } };
    const names = searchTargets([coll("a"), coll("b"), coll("n", "integer"), ext], (c) => c !== "b", null, []).map((c) => c.name);
    expect(names).toEqual(["a"]);
  });
});

describe("QuickSearch", () => {
  it("searches the collections in parallel, five records each, and lists the hits", async () => {
    localStorage.setItem("deskbase.token", "t");
    const server = fakeServer((_method, url) => {
      if (url === "/api/me") return { status: 200, body: { data: { id: 1, email: "a@example.com", roles: ["admin"] } } };
      if (url === "/api/collections") return { status: 200, body: { data: [coll("tickets"), coll("customers")] } };
      if (url.startsWith("/api/data/tickets")) return { status: 200, body: { data: [{ id: 4, title: "Printer jams" }], meta: { page_size: 5, has_more: false } } };
      return { status: 200, body: { data: [], meta: { page_size: 5, has_more: false } } };
    });
    vi.stubGlobal("fetch", server.fetch);
    renderApp(
      <CatalogProvider>
        <QuickSearch />
      </CatalogProvider>,
    );
    const input = await screen.findByTestId("quick-search");
    await waitFor(() => expect(server.calls.some((c) => c.url === "/api/collections")).toBe(true));
    fireEvent.keyDown(window, { key: "k", ctrlKey: true });
    expect(input).toHaveFocus();
    fireEvent.change(input, { target: { value: "printer" } });
    expect(await screen.findByText("Printer jams", {}, { timeout: 5000 })).toBeInTheDocument();
    const searches = server.calls.filter((c) => c.url.startsWith("/api/data/")).map((c) => c.url);
    expect(searches.sort()).toEqual(["/api/data/customers?q=printer&page_size=5", "/api/data/tickets?q=printer&page_size=5"]);
    expect(screen.getByText("Open TICKETS with this search")).toBeInTheDocument();
  });
});

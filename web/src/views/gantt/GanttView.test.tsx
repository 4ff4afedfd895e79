import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import type { Collection } from "../../api/types";
import { fakeServer, renderApp } from "../../test/render";
import { addDays, today } from "../calendar/dates";
import { GanttView } from "./GanttView";

const tasks: Collection = {
  name: "tasks",
  fields: [
    { name: "title", type: "string" },
    { name: "start", type: "date" },
    { name: "end", type: "date" },
  ],
};

beforeAll(() => {
  // jsdom has no pointer capture; the bar only needs the calls to exist.
  if (!("setPointerCapture" in Element.prototype)) {
    Object.assign(Element.prototype, { setPointerCapture: () => undefined, releasePointerCapture: () => undefined, hasPointerCapture: () => false });
  }
});

afterEach(() => vi.unstubAllGlobals());

function serve(patch: (body: unknown) => { status: number; body?: unknown }) {
  const start = today();
  const record = { id: 1, title: "Move the servers", start, end: addDays(start, 2) };
  const server = fakeServer((method, url, body) => {
    if (url.startsWith("/api/me")) return { status: 200, body: { data: { id: 1, email: "a@example.com", roles: ["admin"] } } };
    if (method === "GET" && url.startsWith("/api/data/tasks?")) return { status: 200, body: { data: [record], meta: { page_size: 500, has_more: false } } };
    if (method === "PATCH" && url === "/api/data/tasks/1") return patch(body);
    return { status: 404, body: { code: "not_found", detail: url } };
  });
  vi.stubGlobal("fetch", server.fetch);
  localStorage.setItem("deskbase.token", "t");
  return { server, record };
}

async function dragEnd(days: number) {
  const bar = await screen.findByTestId("gantt-bar-1");
  const handle = bar.querySelector("[data-handle=end]") as HTMLElement;
  fireEvent.pointerDown(handle, { button: 0, clientX: 300, pointerId: 1 });
  fireEvent.pointerMove(bar, { clientX: 300 + days * 40, pointerId: 1 });
  fireEvent.pointerUp(bar, { clientX: 300 + days * 40, pointerId: 1 });
  return bar;
}

describe("Gantt", () => {
  it("drags a bar's end to change the end date (PATCH)", async () => {
    const { server, record } = serve((body) => ({ status: 200, body: { data: { ...record, ...(body as object) } } }));
    renderApp(<GanttView collection={tasks} view={null} />);
    const bar = await dragEnd(2);
    await waitFor(() => expect(server.calls.some((c) => c.method === "PATCH")).toBe(true));
    expect(server.calls.find((c) => c.method === "PATCH")?.body).toEqual({ end: addDays(record.start, 4) });
    await waitFor(() => expect(bar).toHaveAttribute("data-end", addDays(record.start, 4)));
  });

  it("puts the bar back and shows the API's message when the change is refused", async () => {
    const { record } = serve(() => ({
      status: 422,
      body: { code: "validation_failed", detail: "Validation failed", errors: [{ field: "end", message: "must be a weekday", code: "invalid_value" }] },
    }));
    renderApp(<GanttView collection={tasks} view={null} />);
    const bar = await dragEnd(3);
    expect(await screen.findByText("The dates could not be changed: must be a weekday")).toBeInTheDocument();
    expect(bar).toHaveAttribute("data-end", record.end);
  });
});

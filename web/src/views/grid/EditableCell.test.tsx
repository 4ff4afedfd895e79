import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { Field, RecordData } from "../../api/types";
import { fakeServer, renderApp } from "../../test/render";
import { EditableCell } from "./EditableCell";

const title: Field = { name: "title", type: "string" };
const record: RecordData = { id: 3, title: "Printer jams" };

afterEach(() => vi.unstubAllGlobals());

describe("EditableCell", () => {
  it("saves a changed value with PATCH and hands back the saved record", async () => {
    const server = fakeServer((method, _url, body) =>
      method === "PATCH" ? { status: 200, body: { data: { id: 3, ...(body as object) } } } : { status: 404 },
    );
    vi.stubGlobal("fetch", server.fetch);
    const onSaved = vi.fn();
    renderApp(<EditableCell collection="tickets" record={record} field={title} editable onSaved={onSaved} />);

    fireEvent.doubleClick(screen.getByText("Printer jams"));
    const input = screen.getByRole("textbox");
    await userEvent.clear(input);
    await userEvent.type(input, "Printer fixed{Enter}");

    await waitFor(() => expect(onSaved).toHaveBeenCalledWith({ id: 3, title: "Printer fixed" }));
    expect(server.calls).toEqual([{ method: "PATCH", url: "/api/data/tickets/3", body: { title: "Printer fixed" } }]);
  });

  it("keeps the editor open with the API's message for the field", async () => {
    const server = fakeServer(() => ({
      status: 422,
      body: {
        code: "validation_failed",
        detail: "title: too long",
        errors: [{ field: "title", message: "at most 10 characters", code: "too_long" }],
      },
    }));
    vi.stubGlobal("fetch", server.fetch);
    const onSaved = vi.fn();
    renderApp(<EditableCell collection="tickets" record={record} field={title} editable onSaved={onSaved} />);

    fireEvent.doubleClick(screen.getByText("Printer jams"));
    await userEvent.type(screen.getByRole("textbox"), " and more{Enter}");

    expect(await screen.findByText("at most 10 characters")).toBeInTheDocument();
    expect(screen.getByRole("textbox")).toHaveValue("Printer jams and more");
    expect(onSaved).not.toHaveBeenCalled();
  });

  it("sends nothing when the value did not change, and does not edit read-only cells", async () => {
    const server = fakeServer(() => ({ status: 500 }));
    vi.stubGlobal("fetch", server.fetch);
    const { rerender } = renderApp(<EditableCell collection="tickets" record={record} field={title} editable onSaved={vi.fn()} />);
    fireEvent.doubleClick(screen.getByText("Printer jams"));
    await userEvent.type(screen.getByRole("textbox"), "{Enter}");
    await waitFor(() => expect(screen.queryByRole("textbox")).toBeNull());
    expect(server.calls).toEqual([]);

    rerender(<EditableCell collection="tickets" record={record} field={title} editable={false} onSaved={vi.fn()} />);
    fireEvent.doubleClick(screen.getByText("Printer jams"));
    expect(screen.queryByRole("textbox")).toBeNull();
  });
});

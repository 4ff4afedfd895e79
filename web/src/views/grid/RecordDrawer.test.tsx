import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { Collection } from "../../api/types";
import { fakeServer, renderApp } from "../../test/render";
import { RecordDrawer } from "./RecordDrawer";

const tickets: Collection = {
  name: "tickets",
  fields: [
    { name: "id", type: "integer", system: true },
    { name: "title", type: "string", title: "Title", required: true },
    { name: "hours", type: "integer", title: "Hours" },
    { name: "code", type: "auto_number", title: "Code" },
  ],
};

afterEach(() => vi.unstubAllGlobals());

describe("RecordDrawer", () => {
  it("shows each refused value's message on its field", async () => {
    const server = fakeServer(() => ({
      status: 422,
      body: {
        code: "validation_failed",
        detail: "title: this field is required",
        errors: [{ field: "title", message: "this field is required", code: "required" }],
      },
    }));
    vi.stubGlobal("fetch", server.fetch);
    const onSaved = vi.fn();
    renderApp(
      <RecordDrawer
        collection={tickets}
        record={null}
        canWrite={() => true}
        canDelete={false}
        onClose={vi.fn()}
        onSaved={onSaved}
        onDeleted={vi.fn()}
      />,
    );
    // Computed fields are not offered for writing.
    expect(screen.queryByLabelText("Code")).toBeNull();
    await userEvent.type(screen.getByLabelText("Hours"), "4");
    await userEvent.click(screen.getByTestId("record-save"));

    expect(await screen.findByText("this field is required")).toBeInTheDocument();
    expect(screen.getByText("Some values were refused; see the fields marked in red.")).toBeInTheDocument();
    expect(server.calls[0]).toMatchObject({ method: "POST", url: "/api/data/tickets", body: { hours: 4 } });
    expect(onSaved).not.toHaveBeenCalled();
  });

  it("sends only the changed values of an existing record", async () => {
    const server = fakeServer((_m, _u, body) => ({ status: 200, body: { data: { id: 9, title: "A", hours: 2, ...(body as object) } } }));
    vi.stubGlobal("fetch", server.fetch);
    const onSaved = vi.fn();
    renderApp(
      <RecordDrawer
        collection={tickets}
        record={{ id: 9, title: "A", hours: 2, code: "T-1" }}
        canWrite={() => true}
        canDelete
        onClose={vi.fn()}
        onSaved={onSaved}
        onDeleted={vi.fn()}
      />,
    );
    const hours = screen.getByLabelText("Hours");
    await userEvent.clear(hours);
    await userEvent.type(hours, "5");
    await userEvent.click(screen.getByTestId("record-save"));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(server.calls).toEqual([{ method: "PATCH", url: "/api/data/tickets/9", body: { hours: 5 } }]);
    expect(screen.getByText("T-1")).toBeInTheDocument();
  });
});

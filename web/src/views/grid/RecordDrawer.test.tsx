import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { Collection } from "../../api/types";
import { CatalogProvider } from "../../kernel/catalog";
import { fakeServer, renderApp } from "../../test/render";
import { RecordDrawer } from "./RecordDrawer";

const tickets: Collection = {
  name: "tickets",
  extensions: ["ticket_repair"],
  fields: [
    { name: "id", type: "integer", system: true },
    { name: "title", type: "string", title: "Title", required: true },
    { name: "hours", type: "integer", title: "Hours" },
    { name: "code", type: "auto_number", title: "Code" },
    {
      name: "biz_type",
      type: "select",
      title: "Type",
      options: { choices: [{ value: "repair", label: "Repair" }, { value: "it", label: "IT" }] },
    },
  ],
};
const repair: Collection = {
  name: "ticket_repair",
  title: "Repair",
  extends: { master: "tickets", discriminator: "biz_type", value: "repair" },
  fields: [
    { name: "id", type: "integer", system: true },
    { name: "serial_no", type: "string", title: "Serial no", required: true },
  ],
};

type Respond = Parameters<typeof fakeServer>[0];

/** The server: the catalog's collections, then `respond` for the rest. */
function server(respond: Respond) {
  return fakeServer((method, url, body) =>
    method === "GET" && url === "/api/collections" ? { status: 200, body: { data: [tickets, repair] } } : respond(method, url, body),
  );
}

function drawer(record: Parameters<typeof RecordDrawer>[0]["record"], onSaved = vi.fn()) {
  return renderApp(
    <CatalogProvider>
      <RecordDrawer collection={tickets} record={record} canWrite={() => true} canDelete onClose={vi.fn()} onSaved={onSaved} onDeleted={vi.fn()} />
    </CatalogProvider>,
  );
}

const writes = (calls: { method: string; url: string; body: unknown }[]) => calls.filter((c) => c.method !== "GET");

afterEach(() => vi.unstubAllGlobals());

describe("RecordDrawer", () => {
  it("shows each refused value's message on its field", async () => {
    const fake = server(() => ({
      status: 422,
      body: {
        code: "validation_failed",
        detail: "title: this field is required",
        errors: [{ field: "title", message: "this field is required", code: "required" }],
      },
    }));
    vi.stubGlobal("fetch", fake.fetch);
    const onSaved = vi.fn();
    drawer(null, onSaved);
    // Computed fields are not offered for writing.
    expect(screen.queryByLabelText("Code")).toBeNull();
    await userEvent.type(screen.getByLabelText("Hours"), "4");
    await userEvent.click(screen.getByTestId("record-save"));

    expect(await screen.findByText("this field is required")).toBeInTheDocument();
    expect(screen.getByText("Some values were refused; see the fields marked in red.")).toBeInTheDocument();
    expect(writes(fake.calls)[0]).toMatchObject({ method: "POST", url: "/api/data/tickets", body: { hours: 4 } });
    expect(onSaved).not.toHaveBeenCalled();
  });

  it("sends only the changed values of an existing record", async () => {
    const fake = server((_m, _u, body) => ({ status: 200, body: { data: { id: 9, title: "A", hours: 2, ...(body as object) } } }));
    vi.stubGlobal("fetch", fake.fetch);
    const onSaved = vi.fn();
    drawer({ id: 9, title: "A", hours: 2, code: "T-1", biz_type: "it" }, onSaved);
    const hours = screen.getByLabelText("Hours");
    await userEvent.clear(hours);
    await userEvent.type(hours, "5");
    await userEvent.click(screen.getByTestId("record-save"));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(writes(fake.calls)).toEqual([{ method: "PATCH", url: "/api/data/tickets/9", body: { hours: 5 } }]);
    expect(screen.getByText("T-1")).toBeInTheDocument();
  });

  it("shows the business type's fields when the discriminator matches, with their errors", async () => {
    const fake = server(() => ({
      status: 422,
      body: {
        code: "validation_failed",
        detail: "ticket_repair.serial_no: this field is required",
        errors: [{ field: "ticket_repair.serial_no", message: "a serial number is needed", code: "required" }],
      },
    }));
    vi.stubGlobal("fetch", fake.fetch);
    drawer({ id: 3, title: "Laptop", hours: 1, biz_type: "it" });
    expect(screen.queryByLabelText("Serial no")).toBeNull();

    // Pick "Repair": the repair fields appear.
    await userEvent.click(screen.getByLabelText("Type"));
    await userEvent.click(await screen.findByTitle("Repair"));
    const section = await screen.findByTestId("record-extension");
    expect(within(section).getByText("Repair details")).toBeInTheDocument();
    await userEvent.click(screen.getByTestId("record-save"));
    expect(await within(section).findByText("a serial number is needed")).toBeInTheDocument();
    expect(writes(fake.calls)[0]).toMatchObject({ method: "PATCH", url: "/api/data/tickets/3", body: { biz_type: "repair", ticket_repair: {} } });
  });

  it("lists the record's history, newest first, with the values before and after", async () => {
    const fake = server((method, url) =>
      method === "GET" && url === "/api/data/tickets/3/history"
        ? {
            status: 200,
            body: {
              data: [
                { id: 1, at: "2026-11-23T08:00:00", actor: { id: 1, email: "ann@example.com" }, source: "ui", action: "record.create", collection: "tickets", record_id: 3, changes: { title: [null, "Laptop"] }, detail: null },
                { id: 2, at: "2026-11-23T09:30:00", actor: { id: 2, email: "bob@example.com" }, source: "api", action: "record.update", collection: "tickets", record_id: 3, changes: { hours: [1, 6], updated_at: ["a", "b"] }, detail: null },
              ],
            },
          }
        : { status: 404 },
    );
    vi.stubGlobal("fetch", fake.fetch);
    drawer({ id: 3, title: "Laptop", hours: 6, biz_type: "it" });
    await userEvent.click(screen.getByRole("tab", { name: "History" }));
    const entries = await screen.findAllByTestId("history-entry");
    expect(entries).toHaveLength(2);
    expect(entries[0]).toHaveTextContent("bob@example.com");
    expect(entries[0]).toHaveTextContent("changed");
    expect(entries[0]).toHaveTextContent("Hours");
    expect(entries[0]).not.toHaveTextContent("updated_at");
    expect(entries[1]).toHaveTextContent(/ann@example\.com\s*created the record/);
  });
});

import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import type { SavedView } from "../../api/types";
import { renderApp } from "../../test/render";
import type { SavedViews } from "./useSavedViews";
import { leftOut, mayChange, ViewBar } from "./ViewBar";

const mine: SavedView = { id: 7, collection: "tickets", name: "My open tickets", kind: "grid", shared: false, owner_id: 1, position: 0, config: { q: "x" } };
const team: SavedView = { id: 8, collection: "tickets", name: "Team board", kind: "kanban", shared: true, owner_id: null, position: 1, config: { kanban_field: "status" } };
const odd: SavedView = { ...team, id: 9, name: "A form", kind: "form", shared: false };

function saved(current: SavedView | null, over: Partial<SavedViews> = {}): SavedViews {
  return {
    views: [mine, team, odd],
    loading: false,
    error: null,
    currentId: current?.id ?? null,
    current,
    create: vi.fn((body) => Promise.resolve({ ...mine, id: 10, ...body })),
    update: vi.fn((id: number, body) => Promise.resolve({ ...mine, id, ...body })),
    remove: vi.fn(() => Promise.resolve()),
    ...over,
  };
}

const kinds = [
  { kind: "grid", label: "Grid", icon: null },
  { kind: "kanban", label: "Kanban", icon: null },
];

describe("ViewBar", () => {
  it("lists the views, opens one, and marks the open one's unsaved changes", async () => {
    const onOpen = vi.fn();
    const views = saved(mine);
    renderApp(<ViewBar saved={views} kind="grid" kinds={kinds} draft={{ config: { q: "y" }, dirty: true }} onOpen={onOpen} onDiscard={vi.fn()} />);
    expect(screen.getByRole("tab", { name: /My open tickets/ })).toHaveAttribute("aria-selected", "true");
    expect(screen.getByText("Unsaved changes")).toBeInTheDocument();
    // A view of a kind this app cannot show is listed but not opened.
    expect(screen.getByRole("tab", { name: /A form/ })).toHaveAttribute("aria-disabled", "true");

    await userEvent.click(screen.getByTestId("view-save"));
    await waitFor(() => expect(views.update).toHaveBeenCalledWith(7, { config: { q: "y" } }));
    await userEvent.click(screen.getByRole("tab", { name: /Team board/ }));
    expect(onOpen).toHaveBeenCalledWith(team);
    await userEvent.click(screen.getByRole("tab", { name: "All records" }));
    expect(onOpen).toHaveBeenLastCalledWith(null);
  });

  it("saves the settings as a new personal view and opens it", async () => {
    const onOpen = vi.fn();
    const views = saved(null);
    renderApp(<ViewBar saved={views} kind="kanban" kinds={kinds} draft={{ config: { kanban_field: "priority" }, dirty: false }} onOpen={onOpen} onDiscard={vi.fn()} />);
    expect(screen.queryByText("Unsaved changes")).toBeNull();
    await userEvent.click(screen.getByTestId("view-new"));
    // Only administrators may share (nobody is signed in here).
    expect(screen.queryByText("Shared with everyone")).toBeNull();
    await userEvent.type(screen.getByLabelText("Name"), "By priority");
    await userEvent.click(screen.getByRole("button", { name: "Create" }));
    await waitFor(() => expect(views.create).toHaveBeenCalledWith({ name: "By priority", kind: "kanban", shared: false, config: { kanban_field: "priority" } }));
    await waitFor(() => expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ id: 10, name: "By priority" })));
  });

  it("leaves shared views to administrators", () => {
    expect(mayChange(team, false)).toBe(false);
    expect(mayChange(team, true)).toBe(true);
    expect(mayChange(mine, false)).toBe(true);
    renderApp(<ViewBar saved={saved(team)} kind="kanban" kinds={kinds} draft={{ config: {}, dirty: true }} onOpen={vi.fn()} onDiscard={vi.fn()} />);
    expect(screen.getByText("Unsaved changes")).toBeInTheDocument();
    expect(screen.queryByTestId("view-save")).toBeNull();
    expect(screen.queryByTestId("view-menu")).toBeNull();
    expect(screen.getByTestId("view-new")).toBeInTheDocument();
  });

  it("tells the reader what the server left out of the view, and nothing for a view read as saved", () => {
    const pruned: SavedView = { ...team, left_out: ["filter", "kanban_field", "sort"] };
    const { unmount } = renderApp(<ViewBar saved={saved(pruned)} kind="kanban" kinds={kinds} draft={null} onOpen={vi.fn()} onDiscard={vi.fn()} />);
    expect(screen.getByTestId("view-left-out")).toHaveTextContent("Parts of this view were left out (filter, sort, layout)");
    unmount();
    renderApp(<ViewBar saved={saved({ ...team, left_out: [] })} kind="kanban" kinds={kinds} draft={null} onOpen={vi.fn()} onDiscard={vi.fn()} />);
    expect(screen.queryByTestId("view-left-out")).toBeNull();
  });

  it("names the parts left out, layout keys as one", () => {
    expect(leftOut({ ...mine, left_out: ["fields", "group_by", "date_field", "type"] })).toEqual(["fields", "type", "layout"]);
    expect(leftOut(mine)).toEqual([]);
  });
});

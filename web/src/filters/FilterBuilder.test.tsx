import { fireEvent, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import type { Field } from "../api/types";
import { renderApp } from "../test/render";
import { FilterBuilder } from "./FilterBuilder";
import { emptyGroup, toApiFilter, type Group } from "./model";

const fields: Field[] = [
  { name: "title", type: "string", title: "Title" },
  { name: "hours", type: "integer", title: "Hours" },
];

describe("FilterBuilder", () => {
  it("adds a condition on the first field, then a nested group", () => {
    const onChange = vi.fn<(g: Group) => void>();
    const { rerender } = renderApp(<FilterBuilder fields={fields} value={emptyGroup()} onChange={onChange} />);
    expect(screen.getByText("No conditions: all records are shown.")).toBeInTheDocument();

    fireEvent.click(screen.getByRole("button", { name: /Add condition/ }));
    const withOne = onChange.mock.lastCall?.[0];
    expect(withOne?.items).toHaveLength(1);
    expect(withOne?.items[0]).toMatchObject({ field: "title", operator: "$includes" });

    rerender(<FilterBuilder fields={fields} value={withOne ?? emptyGroup()} onChange={onChange} />);
    fireEvent.change(screen.getByRole("textbox"), { target: { value: "vpn" } });
    const typed = onChange.mock.lastCall?.[0];
    expect(typed && toApiFilter(typed)).toEqual({ title: { $includes: "vpn" } });

    rerender(<FilterBuilder fields={fields} value={typed ?? emptyGroup()} onChange={onChange} />);
    fireEvent.click(screen.getByRole("button", { name: /Add group/ }));
    const nested = onChange.mock.lastCall?.[0];
    expect(nested?.items[1]).toMatchObject({ type: "group", logic: "$or" });
  });
});

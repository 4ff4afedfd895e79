import { fireEvent, screen } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";

import type { Field, JSONValue } from "../../api/types";
import { renderApp } from "../../test/render";
import { ScopeFilterEditor } from "./ScopeFilterEditor";

const fields: Field[] = [
  { name: "id", type: "integer", system: true },
  { name: "title", type: "string", title: "Title" },
  { name: "created_by", type: "created_by", title: "Created by", system: true },
];

/** The editor as the permissions editor holds it: the filter it sends comes back as its value. */
function Controlled({ onChange }: { onChange: (f: JSONValue) => void }) {
  const [value, setValue] = useState<JSONValue>(null);
  return (
    <ScopeFilterEditor
      fields={fields}
      value={value}
      onChange={(f) => {
        setValue(f);
        onChange(f);
      }}
    />
  );
}

describe("ScopeFilterEditor", () => {
  it("adds a condition on the signed-in user and sends the filter", () => {
    const onChange = vi.fn<(f: JSONValue) => void>();
    renderApp(<Controlled onChange={onChange} />);
    fireEvent.click(screen.getByRole("button", { name: /Add a condition on the signed-in user/ }));
    expect(onChange).toHaveBeenLastCalledWith({ created_by: { $eq: "{{currentUser.id}}" } });
    expect(screen.getByText("the signed-in user")).toBeInTheDocument();
  });

  it("follows a filter changed from outside (a revert), and edits what the builder cannot draw as JSON", () => {
    const onChange = vi.fn<(f: JSONValue) => void>();
    const view = renderApp(<ScopeFilterEditor fields={fields} value={{ created_by: { $eq: "{{currentUser.id}}" } }} onChange={onChange} />);
    expect(screen.getByText("the signed-in user")).toBeInTheDocument();
    view.rerender(<ScopeFilterEditor fields={fields} value={{ $not: { title: "x" } }} onChange={onChange} />);
    expect(screen.queryByText("the signed-in user")).toBeNull();
    expect(screen.getByLabelText("Filter as JSON")).toHaveValue(JSON.stringify({ $not: { title: "x" } }, null, 2));
    fireEvent.change(screen.getByLabelText("Filter as JSON"), { target: { value: "{oops" } });
    expect(screen.getByText("Not valid JSON")).toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();
  });
});

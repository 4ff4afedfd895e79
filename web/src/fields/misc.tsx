/** The rest: json (edited as JSON text) and formula (computed). */

import { Input } from "antd";
import { useState } from "react";

import type { JSONValue } from "../api/types";
import type { EditorProps, FieldTypeUI } from "./types";
import { toText } from "./values";

function JsonEditor({ value, onChange, status, id }: EditorProps) {
  const [text, setText] = useState(() => (value === undefined || value === null ? "" : JSON.stringify(value, null, 2)));
  const [bad, setBad] = useState(false);
  return (
    <Input.TextArea
      id={id}
      value={text}
      status={bad ? "error" : status}
      autoSize={{ minRows: 3, maxRows: 12 }}
      style={{ fontFamily: "monospace" }}
      onChange={(e) => {
        setText(e.target.value);
        if (e.target.value.trim() === "") {
          setBad(false);
          onChange(null);
          return;
        }
        try {
          onChange(JSON.parse(e.target.value) as JSONValue);
          setBad(false);
        } catch {
          setBad(true);
        }
      }}
    />
  );
}

export const miscTypes: FieldTypeUI[] = [
  {
    key: "json",
    kind: "json",
    writable: true,
    inline: false,
    creatable: true,
    width: 200,
    layout: "full",
    render: (value) => <code>{value === null || value === undefined ? "" : JSON.stringify(value)}</code>,
    Editor: JsonEditor,
  },
  {
    key: "formula",
    kind: "number",
    writable: false,
    inline: false,
    creatable: true,
    width: 140,
    render: (value) => toText(value),
  },
];

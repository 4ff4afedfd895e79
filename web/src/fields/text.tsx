/** Text types: string, text, rich_text, email, phone, url, auto_number. */

import { Input, Typography } from "antd";

import type { JSONValue } from "../api/types";
import type { EditorProps, FieldTypeUI } from "./types";
import { toText } from "./values";

function LineEditor({ value, onChange, onCommit, onCancel, status, id, field }: EditorProps) {
  const max = field.options?.max_length;
  return (
    <Input
      id={id}
      value={toText(value)}
      onChange={(e) => onChange(e.target.value === "" ? null : e.target.value)}
      onPressEnter={() => onCommit?.()}
      onKeyDown={(e) => e.key === "Escape" && onCancel?.()}
      onBlur={() => onCommit?.()}
      status={status}
      maxLength={typeof max === "number" ? max : undefined}
    />
  );
}

function AreaEditor({ value, onChange, onCommit, onCancel, status, id }: EditorProps) {
  return (
    <Input.TextArea
      id={id}
      value={toText(value)}
      onChange={(e) => onChange(e.target.value === "" ? null : e.target.value)}
      onKeyDown={(e) => {
        if (e.key === "Escape") onCancel?.();
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) onCommit?.();
      }}
      onBlur={() => onCommit?.()}
      status={status}
      autoSize={{ minRows: 2, maxRows: 8 }}
    />
  );
}

/** Rich text is HTML sanitized by the server; the grid shows its text only. */
export function htmlToText(html: string): string {
  const doc = new DOMParser().parseFromString(html, "text/html");
  return doc.body.textContent ?? "";
}

function plain(value: JSONValue | undefined) {
  return toText(value);
}

const line = (key: string, width = 200): FieldTypeUI => ({
  key,
  kind: "text",
  writable: true,
  inline: true,
  creatable: true,
  width,
  render: (value) => plain(value),
  Editor: LineEditor,
});

export const textTypes: FieldTypeUI[] = [
  line("string", 220),
  { ...line("text", 260), layout: "full", Editor: AreaEditor, render: (v) => <Typography.Text ellipsis>{plain(v)}</Typography.Text> },
  {
    ...line("rich_text", 260),
    inline: false,
    layout: "full",
    Editor: AreaEditor,
    render: (v) => <Typography.Text ellipsis>{typeof v === "string" ? htmlToText(v) : ""}</Typography.Text>,
  },
  { ...line("email"), render: (v) => (v ? <a href={`mailto:${plain(v)}`}>{plain(v)}</a> : "") },
  line("phone", 160),
  {
    ...line("url"),
    render: (v) =>
      v ? (
        <a href={plain(v)} target="_blank" rel="noreferrer noopener">
          {plain(v)}
        </a>
      ) : (
        ""
      ),
  },
  { ...line("auto_number", 170), writable: false, inline: false, Editor: undefined },
];

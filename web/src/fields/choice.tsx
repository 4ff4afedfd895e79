/** Choices: select (one value) and multi_select (several), shown as colored tags. */

import { Select, Tag } from "antd";

import type { Field, JSONValue } from "../api/types";
import type { EditorProps, FieldTypeUI } from "./types";
import { choiceLabel } from "./values";

export function ChoiceTag({ field, value }: { field: Field; value: string }) {
  const choice = field.options?.choices?.find((c) => c.value === value);
  return (
    <Tag color={choice?.color ?? undefined} style={{ marginInlineEnd: 4 }}>
      {choiceLabel(field, value)}
    </Tag>
  );
}

function ChoiceEditor({ field, value, onChange, onCommit, onCancel, inline, status, id }: EditorProps) {
  const multiple = field.type === "multi_select";
  const options = (field.options?.choices ?? []).map((c) => ({ value: c.value, label: c.label || c.value }));
  return (
    <Select<JSONValue>
      id={id}
      style={{ width: "100%", minWidth: 120 }}
      mode={multiple ? "multiple" : undefined}
      allowClear
      value={multiple ? (Array.isArray(value) ? value : []) : (value ?? undefined)}
      options={options}
      defaultOpen={inline}
      status={status}
      onChange={(v) => {
        const next = v === undefined ? null : v;
        onChange(next);
        if (!multiple) onCommit?.(next);
      }}
      onKeyDown={(e) => e.key === "Escape" && onCancel?.()}
      onBlur={() => onCommit?.()}
    />
  );
}

export const choiceTypes: FieldTypeUI[] = [
  {
    key: "select",
    kind: "text",
    writable: true,
    inline: true,
    creatable: true,
    width: 140,
    render: (value, field) => (typeof value === "string" && value ? <ChoiceTag field={field} value={value} /> : ""),
    Editor: ChoiceEditor,
  },
  {
    key: "multi_select",
    kind: "array",
    writable: true,
    inline: true,
    creatable: true,
    width: 200,
    layout: "full",
    render: (value, field) =>
      Array.isArray(value)
        ? value.map((v) => (typeof v === "string" ? <ChoiceTag key={v} field={field} value={v} /> : null))
        : "",
    Editor: ChoiceEditor,
  },
];

/** Booleans: a checkbox. */

import { Checkbox } from "antd";

import type { EditorProps, FieldTypeUI } from "./types";

function BooleanEditor({ value, onChange, onCommit, id }: EditorProps) {
  return (
    <Checkbox
      id={id}
      checked={value === true}
      onChange={(e) => {
        onChange(e.target.checked);
        onCommit?.(e.target.checked);
      }}
    />
  );
}

export const booleanTypes: FieldTypeUI[] = [
  {
    key: "boolean",
    kind: "bool",
    writable: true,
    inline: true,
    creatable: true,
    width: 100,
    render: (value, _field, t) => (value === true ? t("value.yes") : value === false ? t("value.no") : ""),
    Editor: BooleanEditor,
  },
];

/** Dates and times: date (`2026-11-23`), datetime (ISO 8601 with offset, shown in local time), time. */

import { DatePicker, TimePicker } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import type { KeyboardEvent } from "react";

import type { JSONValue } from "../api/types";
import type { EditorProps, FieldTypeUI } from "./types";

const DATE = "YYYY-MM-DD";
const DATETIME = "YYYY-MM-DD HH:mm";
const TIME = "HH:mm:ss";

function parsed(value: JSONValue | undefined, kind: "date" | "datetime" | "time"): Dayjs | null {
  if (typeof value !== "string" || value === "") return null;
  const d = kind === "time" ? dayjs(`1970-01-01T${value}`) : dayjs(value);
  return d.isValid() ? d : null;
}

export function formatDate(value: JSONValue | undefined, kind: "date" | "datetime" | "time"): string {
  const d = parsed(value, kind);
  if (!d) return typeof value === "string" ? value : "";
  return d.format(kind === "date" ? DATE : kind === "time" ? TIME : DATETIME);
}

function editor(kind: "date" | "datetime" | "time") {
  return function DateEditor({ value, onChange, onCommit, onCancel, status, id }: EditorProps) {
    const change = (d: Dayjs | null) => {
      const v = !d ? null : kind === "date" ? d.format(DATE) : kind === "time" ? d.format(TIME) : d.toISOString();
      onChange(v);
      onCommit?.(v);
    };
    const common = {
      id,
      value: parsed(value, kind),
      onChange: change,
      status,
      style: { width: "100%" },
      onKeyDown: (e: KeyboardEvent) => e.key === "Escape" && onCancel?.(),
      onOpenChange: (open: boolean) => !open && onCommit?.(),
    };
    if (kind === "time") return <TimePicker {...common} />;
    return <DatePicker {...common} showTime={kind === "datetime" ? { format: "HH:mm" } : false} format={kind === "datetime" ? DATETIME : DATE} />;
  };
}

const dated = (key: string, kind: "date" | "datetime" | "time", writable = true): FieldTypeUI => ({
  key,
  kind,
  writable,
  inline: writable,
  creatable: writable,
  width: kind === "datetime" ? 180 : 130,
  render: (value) => formatDate(value, kind),
  Editor: writable ? editor(kind) : undefined,
});

export const datetimeTypes: FieldTypeUI[] = [
  dated("date", "date"),
  dated("datetime", "datetime"),
  dated("time", "time"),
  dated("created_at", "datetime", false),
  dated("updated_at", "datetime", false),
];

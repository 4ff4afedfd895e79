/** Numbers: integer, decimal, currency, percent (decimals travel as strings). */

import { InputNumber } from "antd";

import type { Field, JSONValue } from "../api/types";
import type { EditorProps, FieldTypeUI } from "./types";
import { toText } from "./values";

function scaleOf(field: Field): number {
  const scale = field.options?.scale;
  return typeof scale === "number" ? scale : 2;
}

function NumberEditor({ field, value, onChange, onCommit, onCancel, status, id }: EditorProps) {
  const integer = field.type === "integer";
  const percent = field.type === "percent";
  const shown =
    value === null || value === undefined || value === ""
      ? null
      : percent
        ? round(Number(value) * 100, Math.max(scaleOf(field) - 2, 0))
        : toText(value);
  return (
    <InputNumber<string>
      id={id}
      stringMode
      style={{ width: "100%" }}
      value={shown}
      precision={integer ? 0 : undefined}
      suffix={percent ? "%" : undefined}
      prefix={field.type === "currency" ? field.options?.currency : undefined}
      onChange={(v) => onChange(toApi(field, v))}
      onPressEnter={() => onCommit?.()}
      onKeyDown={(e) => e.key === "Escape" && onCancel?.()}
      onBlur={() => onCommit?.()}
      status={status}
    />
  );
}

function round(n: number, digits: number): string {
  return String(Number(n.toFixed(digits)));
}

function toApi(field: Field, v: string | null): JSONValue {
  if (v === null || v === "") return null;
  if (field.type === "integer") return Number.parseInt(v, 10);
  if (field.type === "percent") return round(Number(v) / 100, scaleOf(field));
  return v;
}

const locale = () => (document.documentElement.lang || navigator.language || "en-US");

export function formatNumber(field: Field, value: JSONValue | undefined): string {
  if (value === null || value === undefined || value === "") return "";
  const n = Number(value);
  if (Number.isNaN(n)) return toText(value);
  const scale = scaleOf(field);
  switch (field.type) {
    case "integer":
      return n.toLocaleString(locale());
    case "percent":
      return `${(n * 100).toLocaleString(locale(), { maximumFractionDigits: Math.max(scale - 2, 0) })}%`;
    case "currency": {
      const currency = field.options?.currency;
      try {
        return n.toLocaleString(locale(), {
          style: currency ? "currency" : "decimal",
          currency: currency || undefined,
          minimumFractionDigits: scale,
          maximumFractionDigits: scale,
        });
      } catch {
        return `${currency ?? ""} ${n.toFixed(scale)}`.trim();
      }
    }
    default:
      return n.toLocaleString(locale(), { minimumFractionDigits: scale, maximumFractionDigits: scale });
  }
}

const numeric = (key: string): FieldTypeUI => ({
  key,
  kind: "number",
  writable: true,
  inline: true,
  creatable: true,
  width: 140,
  render: (value, field) => <span className="cell-number">{formatNumber(field, value)}</span>,
  Editor: NumberEditor,
});

export const numberTypes: FieldTypeUI[] = [numeric("integer"), numeric("decimal"), numeric("currency"), numeric("percent")];

/** Relations: many_to_one and many_to_many pick records with server-side search; one_to_many is
 * read-only. */

import { Select, Spin, Tag } from "antd";
import { useEffect, useMemo, useRef, useState } from "react";

import * as endpoints from "../api/endpoints";
import type { Field, JSONValue } from "../api/types";
import { useCatalog } from "../kernel/catalog";
import { labelField, recordLabel } from "./labels";
import { useRefLabels } from "./refLabels";
import type { EditorProps, FieldTypeUI } from "./types";
import { refId, refIds, toText } from "./values";

export { labelField, recordLabel };

function RefTags({ field, value }: { field: Field; value: JSONValue | undefined }) {
  const { get } = useCatalog();
  const target = field.options?.target;
  const label = labelField(target ? get(target) : undefined, field.options?.title_field);
  const items = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
  // Bare ids (no `appends`) are named by one batched request per collection.
  const bare = items.filter((item): item is number => typeof item === "number");
  const names = useRefLabels(target && get(target) ? target : undefined, label, bare);
  return (
    <>
      {items.map((item, i) => {
        const isObject = item !== null && typeof item === "object" && !Array.isArray(item);
        const text = isObject ? recordLabel(item, label) : typeof item === "number" ? (names.get(item) ?? `#${item}`) : `#${toText(item)}`;
        return (
          <Tag key={refId(item) ?? i} variant="filled">
            {text}
          </Tag>
        );
      })}
    </>
  );
}

interface Option {
  value: number;
  label: string;
}

/** A record picker over the target collection: 20 records at a time, searched by the server. */
export function RecordPicker({ field, value, onChange, onCommit, onCancel, inline, status, id }: EditorProps) {
  const { get } = useCatalog();
  const multiple = field.type === "many_to_many";
  const targetName = field.options?.target ?? "";
  const target = get(targetName);
  const label = labelField(target, field.options?.title_field);
  const [options, setOptions] = useState<Option[]>([]);
  const [loading, setLoading] = useState(false);
  const [known, setKnown] = useState<Map<number, string>>(() => new Map());
  const seq = useRef(0);

  const selected = useMemo(() => (multiple ? refIds(value) : [refId(value)].filter((v): v is number => v !== null)), [multiple, value]);

  // Labels of the values held (objects from `appends` carry theirs; bare ids are fetched once).
  useEffect(() => {
    const items = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
    const missing: number[] = [];
    const found = new Map<number, string>();
    for (const item of items) {
      const rid = refId(item);
      if (rid === null) continue;
      if (item !== null && typeof item === "object" && !Array.isArray(item)) found.set(rid, recordLabel(item, label));
      else if (!known.has(rid)) missing.push(rid);
    }
    if (found.size) setKnown((prev) => new Map([...prev, ...found]));
    if (missing.length && targetName) {
      void endpoints
        .listRecords(targetName, { filter: { id: { $in: missing } }, pageSize: missing.length })
        .then((page) => setKnown((prev) => new Map([...prev, ...page.data.map((r) => [r.id, recordLabel(r, label)] as const)])))
        .catch(() => undefined);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `known` grows from here only
  }, [value, label, targetName]);

  const search = (text: string) => {
    const mine = ++seq.current;
    setLoading(true);
    const trimmed = text.trim();
    const params = /^\d+$/.test(trimmed)
      ? { filter: { id: Number(trimmed) }, pageSize: 20 }
      : { q: trimmed || undefined, pageSize: 20 };
    endpoints
      .listRecords(targetName, params)
      .then((page) => {
        if (mine !== seq.current) return;
        setOptions(page.data.map((r) => ({ value: r.id, label: recordLabel(r, label) })));
      })
      .catch(() => mine === seq.current && setOptions([]))
      .finally(() => mine === seq.current && setLoading(false));
  };

  const timer = useRef<number | undefined>(undefined);
  const debounced = (text: string) => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => search(text), 250);
  };

  const merged = useMemo(() => {
    const out = new Map<number, string>(options.map((o) => [o.value, o.label]));
    for (const sid of selected) if (!out.has(sid)) out.set(sid, known.get(sid) ?? `#${sid}`);
    return [...out].map(([v, l]) => ({ value: v, label: l }));
  }, [options, selected, known]);

  return (
    <Select<number | number[]>
      id={id}
      style={{ width: "100%", minWidth: 160 }}
      mode={multiple ? "multiple" : undefined}
      showSearch={{ filterOption: false, onSearch: debounced }}
      allowClear
      defaultOpen={inline}
      status={status}
      value={multiple ? selected : (selected[0] ?? undefined)}
      options={merged}
      notFoundContent={loading ? <Spin size="small" /> : undefined}
      onOpenChange={(open) => open && search("")}
      onFocus={() => options.length === 0 && search("")}
      onChange={(v) => {
        const next: JSONValue = v === undefined ? (multiple ? [] : null) : v;
        onChange(next);
        if (!multiple) onCommit?.(next);
      }}
      onKeyDown={(e) => e.key === "Escape" && onCancel?.()}
      onBlur={() => onCommit?.()}
    />
  );
}

const related = (key: string, kind: "ref" | "refs", writable: boolean): FieldTypeUI => ({
  key,
  kind,
  writable,
  inline: writable,
  creatable: true,
  width: 180,
  layout: kind === "refs" ? "full" : "half",
  render: (value, field) => <RefTags field={field} value={value} />,
  Editor: writable ? RecordPicker : undefined,
});

export const relationTypes: FieldTypeUI[] = [
  related("many_to_one", "ref", true),
  related("many_to_many", "refs", true),
  related("one_to_many", "refs", false),
];

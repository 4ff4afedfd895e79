/** The import's column mapping: one row per column of the file, where it goes (a select to change
 * it) and how the last check went for it. */

import { Select, Table, Tag, Typography } from "antd";
import { useEffect, useMemo, useState } from "react";

import * as endpoints from "../api/endpoints";
import type { Collection, ImportRowError } from "../api/types";
import { fieldTitle } from "../fields/values";
import { useT, type Translate } from "../i18n";
import { targetOptions, type MappingRow, type TargetOption } from "./mapping";

/** The select's value for "not imported" (a field name is never empty). */
const IGNORE = "";

/** The schema, for relations' targets and extensions: the collection alone until it is read. */
function useCollections(collection: Collection): Collection[] {
  const [all, setAll] = useState<Collection[] | null>(null);
  useEffect(() => {
    let stopped = false;
    endpoints.listCollections().then(
      (list) => !stopped && setAll(list),
      () => !stopped && setAll(null),
    );
    return () => {
      stopped = true;
    };
  }, []);
  return all ?? [collection];
}

function optionLabel(option: TargetOption, t: Translate): string {
  const field = fieldTitle(option.field);
  if (option.kind === "byId") return t("imports.byId", { field });
  if (option.kind === "matchedBy" && option.lookup) return t("imports.matchedBy", { field, key: fieldTitle(option.lookup) });
  if (option.kind === "extension" && option.extension) return `${option.extension.title || option.extension.name}: ${field}`;
  return field;
}

const REASONS: Record<string, "imports.reasonNoMatch" | "imports.reasonIgnored" | "imports.reasonReadOnly"> = {
  "no field of that name or title": "imports.reasonNoMatch",
  "ignored by the mapping": "imports.reasonIgnored",
  "read-only field": "imports.reasonReadOnly",
};

interface Props {
  collection: Collection;
  rows: MappingRow[];
  /** The last check's row errors (the first 1,000), counted per column. */
  errors: ImportRowError[];
  /** False while a check runs: its counts are not known yet. */
  checked: boolean;
  onChange: (column: string, target: string | null) => void;
}

export function MappingTable({ collection, rows, errors, checked, onChange }: Props) {
  const t = useT();
  const collections = useCollections(collection);
  const groups = useMemo(() => {
    const options = targetOptions(collection, collections);
    const own = options.filter((o) => o.kind !== "extension");
    const extensions = [...new Set(options.filter((o) => o.extension).map((o) => o.extension as Collection))];
    const item = (o: TargetOption) => ({ value: o.value, label: optionLabel(o, t) });
    return [
      { label: t("imports.fields"), options: own.map(item) },
      ...extensions.map((ext) => ({
        label: ext.title || ext.name,
        options: options.filter((o) => o.extension === ext).map(item),
      })),
    ];
  }, [collection, collections, t]);
  const known = new Set(groups.flatMap((g) => g.options.map((o) => o.value)));
  const counts = new Map<string, number>();
  for (const e of errors) if (e.column) counts.set(e.column, (counts.get(e.column) ?? 0) + 1);

  return (
    <div data-testid="import-mapping">
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t("imports.mappingTitle")}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t("imports.mappingHint")}</Typography.Paragraph>
      <Table<MappingRow>
        size="small"
        rowKey="column"
        dataSource={rows}
        pagination={false}
        columns={[
          {
            key: "column",
            title: t("imports.fileColumn"),
            width: 220,
            render: (_, row) => <Typography.Text strong>{row.column}</Typography.Text>,
          },
          {
            key: "target",
            title: t("imports.target"),
            width: 320,
            render: (_, row) => (
              <Select
                aria-label={t("imports.targetOf", { column: row.column })}
                data-testid={`import-map-${row.column}`}
                showSearch={{ optionFilterProp: "label" }}
                style={{ width: "100%" }}
                value={row.target ?? IGNORE}
                onChange={(value: string) => onChange(row.column, value === IGNORE ? null : value)}
                options={[
                  { value: IGNORE, label: t("imports.ignore") },
                  ...(row.target !== null && !known.has(row.target) ? [{ value: row.target, label: row.target }] : []),
                  ...groups,
                ]}
              />
            ),
          },
          {
            key: "status",
            title: t("imports.status"),
            render: (_, row) => {
              if (row.target === null) {
                const reason = row.reason ? REASONS[row.reason] : undefined;
                return (
                  <Typography.Text type="secondary">
                    {t("imports.notImported")}
                    {row.reason && reason !== "imports.reasonIgnored" ? ` · ${reason ? t(reason) : row.reason}` : ""}
                  </Typography.Text>
                );
              }
              if (!checked) return null;
              const count = counts.get(row.column) ?? 0;
              return count > 0 ? <Tag color="error">{t("imports.columnErrors", { count })}</Tag> : <Tag color="success">{t("imports.columnOk")}</Tag>;
            },
          },
        ]}
      />
    </div>
  );
}

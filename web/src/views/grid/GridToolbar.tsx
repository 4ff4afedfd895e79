/** The grid's toolbar: quick search, filter, sort, columns and group by (each a button showing how
 * much of it is set), the record count, export and "new record". */

import { ColumnWidthOutlined, FilterOutlined, GroupOutlined, PlusOutlined, ReloadOutlined, SortAscendingOutlined } from "@ant-design/icons";
import { Badge, Button, Flex, Input, Popover, Select, Space, Tag, Typography } from "antd";
import { memo } from "react";

import type { Field, JSONValue } from "../../api/types";
import { FilterBuilder } from "../../filters/FilterBuilder";
import { countConditions, toApiSort, type Group, type SortKey } from "../../filters/model";
import { fieldTitle } from "../../fields/values";
import { useT } from "../../i18n";
import { ColumnChooser } from "./ColumnChooser";
import { defaultColumns, type GridField } from "./columns";
import { groupableFields } from "./groups";
import { ExportButton } from "./ExportButton";
import { SortEditor } from "./SortEditor";
import type { GridState } from "./state";

interface ToolbarProps {
  collection: string;
  fields: GridField[];
  state: GridState;
  /** The search box's text (the state's `q` follows it after a pause). */
  search: string;
  total: number | undefined;
  exportFilter: JSONValue | undefined;
  exportFields: string[];
  canExport: boolean;
  canCreate: boolean;
  onSearch: (text: string) => void;
  onChange: (change: Partial<GridState>) => void;
  onReload: () => void;
  onNew: () => void;
}

function GridToolbarInner(p: ToolbarProps) {
  const t = useT();
  const { state, fields, onChange } = p;
  return (
    <Flex gap={8} wrap align="center">
      <SearchBox
        value={p.search}
        onChange={p.onSearch}
        onSearch={(v) => {
          p.onSearch(v);
          onChange({ q: v });
        }}
      />
      <FilterButton
        fields={fields}
        value={state.filter}
        onChange={(filter) => onChange({ filter })}
        extra={state.extraFilter !== undefined}
        onClearExtra={() => onChange({ extraFilter: undefined })}
      />
      <SortButton fields={fields} value={state.sorts} onChange={(sorts) => onChange({ sorts })} />
      <ColumnsButton fields={fields} value={state.columns} onChange={(columns) => onChange({ columns })} />
      <GroupButton fields={fields} value={state.groupBy} onChange={(groupBy) => onChange({ groupBy })} />
      <Button icon={<ReloadOutlined />} aria-label={t("common.reload")} onClick={p.onReload} />
      <Typography.Text type="secondary" data-testid="record-count">
        {p.total !== undefined ? t("grid.count", { count: p.total }) : ""}
      </Typography.Text>
      <Space style={{ marginInlineStart: "auto" }}>
        {p.canExport && <ExportButton collection={p.collection} filter={p.exportFilter} sort={toApiSort(state.sorts)} fields={p.exportFields} />}
        {p.canCreate && (
          <Button type="primary" icon={<PlusOutlined />} onClick={p.onNew}>
            {t("record.new")}
          </Button>
        )}
      </Space>
    </Flex>
  );
}

/** Memoized: the grid re-renders with each page of records, its toolbar need not. */
export const GridToolbar = memo(GridToolbarInner);

export function SearchBox({ value, onChange, onSearch }: { value: string; onChange: (v: string) => void; onSearch: (v: string) => void }) {
  const t = useT();
  return (
    <Input.Search
      allowClear
      style={{ width: 180 }}
      placeholder={t("grid.search")}
      aria-label={t("grid.search")}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      onSearch={onSearch}
    />
  );
}

export function FilterButton({
  fields,
  value,
  onChange,
  extra,
  onClearExtra,
}: {
  fields: Field[];
  value: Group;
  onChange: (g: Group) => void;
  extra: boolean;
  onClearExtra: () => void;
}) {
  const t = useT();
  const content = (
    <>
      <FilterBuilder fields={fields} value={value} onChange={onChange} />
      {extra && (
        <Tag closable onClose={onClearExtra} style={{ marginTop: 8 }} data-testid="extra-filter">
          {t("viewFilter.extra")}
        </Tag>
      )}
    </>
  );
  return (
    <Popover trigger="click" placement="bottomLeft" title={t("filter.title")} content={content}>
      <Badge count={countConditions(value) + (extra ? 1 : 0)} size="small">
        <Button icon={<FilterOutlined />} data-testid="filter-button">
          {t("filter.button")}
        </Button>
      </Badge>
    </Popover>
  );
}

export function SortButton({ fields, value, onChange }: { fields: Field[]; value: SortKey[]; onChange: (s: SortKey[]) => void }) {
  const t = useT();
  return (
    <Popover trigger="click" placement="bottomLeft" title={t("sort.title")} content={<SortEditor fields={fields} value={value} onChange={onChange} />}>
      <Badge count={value.length} size="small">
        <Button icon={<SortAscendingOutlined />} data-testid="sort-button">
          {t("sort.button")}
        </Button>
      </Badge>
    </Popover>
  );
}

export function ColumnsButton({ fields, value, onChange }: { fields: GridField[]; value: string[] | null; onChange: (c: string[] | null) => void }) {
  const t = useT();
  const hidden = fields.length - (value ?? defaultColumns(fields)).length;
  return (
    <Popover trigger="click" placement="bottomLeft" title={t("columns.title")} content={<ColumnChooser fields={fields} value={value} onChange={onChange} />}>
      <Badge count={hidden} size="small" color="gray" title={t("columns.buttonHidden", { count: hidden })}>
        <Button icon={<ColumnWidthOutlined />} data-testid="columns-button" aria-label={hidden > 0 ? t("columns.buttonHidden", { count: hidden }) : undefined}>
          {t("columns.button")}
        </Button>
      </Badge>
    </Popover>
  );
}

export function GroupButton({ fields, value, onChange }: { fields: GridField[]; value: string | null; onChange: (f: string | null) => void }) {
  const t = useT();
  const usable = groupableFields(fields);
  const current = usable.find((f) => f.name === value);
  const content = (
    <div style={{ width: 260 }} data-testid="group-editor">
      <Select
        style={{ width: "100%" }}
        allowClear
        aria-label={t("group.field")}
        placeholder={t("group.none")}
        showSearch={{ optionFilterProp: "label" }}
        value={current?.name}
        options={usable.map((f) => ({ value: f.name, label: fieldTitle(f) }))}
        onChange={(name: string | undefined) => onChange(name ?? null)}
      />
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: "8px 0 0" }}>
        {t("group.hint")}
      </Typography.Paragraph>
    </div>
  );
  return (
    <Popover trigger="click" placement="bottomLeft" title={t("group.title")} content={content}>
      <Button icon={<GroupOutlined />} type={current ? "primary" : "default"} ghost={Boolean(current)} data-testid="group-button">
        {current ? t("group.by", { name: fieldTitle(current) }) : t("group.button")}
      </Button>
    </Popover>
  );
}

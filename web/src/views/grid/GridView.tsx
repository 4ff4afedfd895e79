/** The grid view of a collection: virtual rows paged by cursor, inline edits, filter, sort, search,
 * the record drawer and export. */

import { DownloadOutlined, ExpandAltOutlined, FilterOutlined, PlusOutlined, ReloadOutlined, SortAscendingOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Badge, Button, Flex, Input, Popover, Space, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useCallback, useEffect, useMemo, useState } from "react";

import { ApiError, download } from "../../api/client";
import * as endpoints from "../../api/endpoints";
import type { Collection, Field, RecordData } from "../../api/types";
import { fieldType, isWritable } from "../../fields/registry";
import { fieldTitle } from "../../fields/values";
import { FilterBuilder } from "../../filters/FilterBuilder";
import { countConditions, emptyGroup, sortableFields, toApiFilter, toApiSort, type Group, type SortKey } from "../../filters/model";
import { useT } from "../../i18n";
import { allowedFields, can, useSession } from "../../kernel/session";
import { useElementSize } from "../../kernel/useElementSize";
import { EditableCell } from "./EditableCell";
import { RecordDrawer } from "./RecordDrawer";
import { SortEditor } from "./SortEditor";
import { useRecordPages } from "./useRecordPages";

const ROW_HEIGHT = 40;
// The header row and the horizontal scroll bar, which the virtual body's height leaves out.
const CHROME_HEIGHT = 58;

declare global {
  interface Window {
    /** Milliseconds from a page's arrival to its rows on screen (read by the browser tests). */
    __deskbaseGridRenders?: number[];
  }
}

export function GridView({ collection }: { collection: Collection }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const { user } = useSession();
  const name = collection.name;

  const [filter, setFilter] = useState<Group>(() => emptyGroup());
  const [sorts, setSorts] = useState<SortKey[]>([]);
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const [drawer, setDrawer] = useState<RecordData | null | undefined>(undefined);

  useEffect(() => {
    const timer = window.setTimeout(() => setQ(search), 300);
    return () => window.clearTimeout(timer);
  }, [search]);

  const readable = useMemo(() => allowedFields(user, name, "list"), [user, name]);
  const writable = useMemo(() => allowedFields(user, name, "update"), [user, name]);
  const creatable = useMemo(() => allowedFields(user, name, "create"), [user, name]);
  // The collection's own fields first, in their order; the system stamps at the end.
  const fields = useMemo(() => {
    const shown = collection.fields.filter((f) => f.name !== "id" && (readable === null || readable.has(f.name)));
    return [...shown.filter((f) => !f.system), ...shown.filter((f) => f.system)];
  }, [collection, readable]);
  const appends = useMemo(
    () =>
      fields
        .filter((f) => (f.type === "many_to_one" || f.type === "many_to_many") && f.options?.target && can(user, f.options.target, "list"))
        .map((f) => f.name),
    [fields, user],
  );

  const apiFilter = useMemo(() => toApiFilter(filter), [filter]);
  const apiSort = toApiSort(sorts);
  const pages = useRecordPages(name, { filter: apiFilter, sort: apiSort, q: q || undefined, appends });

  // How long a page takes to show once its data is here (requestAnimationFrame: after layout).
  useEffect(() => {
    const arrived = pages.arrivedAt;
    if (arrived === null) return;
    const frame = requestAnimationFrame(() => {
      (window.__deskbaseGridRenders ??= []).push(performance.now() - arrived);
    });
    return () => cancelAnimationFrame(frame);
  }, [pages.arrivedAt]);

  const refresh = useCallback(
    async (record: RecordData) => {
      if (appends.length === 0) return record;
      try {
        return await endpoints.getRecord(name, record.id, appends);
      } catch {
        return record;
      }
    },
    [appends, name],
  );

  const onCellSaved = useCallback(
    (record: RecordData) => {
      void refresh(record).then(pages.replace);
    },
    [refresh, pages.replace],
  );

  const canUpdate = can(user, name, "update");
  const canEdit = useCallback(
    (f: Field) => canUpdate && isWritable(f) && (writable === null || writable.has(f.name)),
    [canUpdate, writable],
  );

  const canCreateField = useCallback((f: Field) => creatable === null || creatable.has(f.name), [creatable]);

  const sortable = useMemo(() => new Set(sortableFields(fields).map((f) => f.name)), [fields]);
  const columns: ColumnsType<RecordData> = useMemo(
    () => [
      {
        key: "__open",
        title: "#",
        width: 100,
        fixed: "left",
        render: (_: unknown, record: RecordData) => (
          <Button
            type="text"
            size="small"
            className="row-open"
            icon={<ExpandAltOutlined />}
            aria-label={t("grid.openRecord", { id: record.id })}
            onClick={() => setDrawer(record)}
          >
            {record.id}
          </Button>
        ),
      },
      ...fields.map((f) => ({
        key: f.name,
        dataIndex: f.name,
        title: <span title={f.name}>{fieldTitle(f)}</span>,
        width: fieldType(f.type).width,
        ellipsis: true,
        sorter: sortable.has(f.name),
        sortOrder: sortOrderOf(sorts, f.name),
        showSorterTooltip: false,
        render: (_: unknown, record: RecordData) => (
          <EditableCell collection={name} record={record} field={f} editable={canEdit(f)} onSaved={onCellSaved} />
        ),
      })),
    ],
    [fields, sorts, sortable, name, canEdit, onCellSaved, t],
  );

  const [box, size] = useElementSize<HTMLDivElement>();
  const scrollX = columns.reduce((w, c) => w + (typeof c.width === "number" ? c.width : 150), 0);
  const conditions = countConditions(filter);

  const exportCsv = async () => {
    try {
      const { blob, filename } = await download(`/api/data/${encodeURIComponent(name)}/export`, {
        format: "csv",
        filter: apiFilter === undefined ? undefined : JSON.stringify(apiFilter),
        sort: apiSort,
      });
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = filename;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      void message.error(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <Flex vertical gap={12} style={{ height: "100%", minHeight: 0 }}>
      <Flex gap={8} wrap align="center">
        <Input.Search
          allowClear
          style={{ width: 240 }}
          placeholder={t("grid.search")}
          aria-label={t("grid.search")}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onSearch={(v) => {
            setSearch(v);
            setQ(v);
          }}
        />
        <Popover
          trigger="click"
          placement="bottomLeft"
          title={t("filter.title")}
          content={<FilterBuilder fields={fields} value={filter} onChange={setFilter} />}
        >
          <Badge count={conditions} size="small">
            <Button icon={<FilterOutlined />} data-testid="filter-button">
              {t("filter.button")}
            </Button>
          </Badge>
        </Popover>
        <Popover trigger="click" placement="bottomLeft" title={t("sort.title")} content={<SortEditor fields={fields} value={sorts} onChange={setSorts} />}>
          <Badge count={sorts.length} size="small">
            <Button icon={<SortAscendingOutlined />} data-testid="sort-button">
              {t("sort.button")}
            </Button>
          </Badge>
        </Popover>
        <Button icon={<ReloadOutlined />} aria-label={t("common.reload")} onClick={pages.reload} />
        <Typography.Text type="secondary" data-testid="record-count">
          {pages.total !== undefined ? t("grid.count", { count: pages.total }) : ""}
        </Typography.Text>
        <Space style={{ marginInlineStart: "auto" }}>
          {can(user, name, "export") && (
            <Button icon={<DownloadOutlined />} onClick={() => void exportCsv()}>
              {t("grid.export")}
            </Button>
          )}
          {can(user, name, "create") && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer(null)}>
              {t("record.new")}
            </Button>
          )}
        </Space>
      </Flex>
      {pages.error !== null && <ErrorAlert error={pages.error} />}
      <div ref={box} style={{ flex: 1, minHeight: 200 }} data-testid="grid">
        {size.height > 0 && (
          <Table<RecordData>
            virtual
            size="small"
            bordered
            rowKey="id"
            columns={columns}
            dataSource={pages.rows}
            pagination={false}
            loading={pages.loading && pages.rows.length === 0}
            scroll={{ x: scrollX, y: Math.max(size.height - CHROME_HEIGHT, 120) }}
            locale={{ emptyText: pages.loading ? " " : t("grid.empty") }}
            onChange={(_p, _f, sorter) => {
              const s = Array.isArray(sorter) ? sorter[0] : sorter;
              const field = typeof s?.columnKey === "string" ? s.columnKey : undefined;
              setSorts(field && s?.order ? [{ field, desc: s.order === "descend" }] : []);
            }}
            onScroll={(e) => {
              const el = e.currentTarget;
              if (el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT * 20) pages.loadMore();
            }}
          />
        )}
      </div>
      <RecordDrawer
        collection={collection}
        record={drawer}
        canWrite={drawer === null ? canCreateField : canEdit}
        canDelete={can(user, name, "delete")}
        onClose={() => setDrawer(undefined)}
        onSaved={(record, created) => {
          setDrawer(undefined);
          void message.success(created ? t("record.created") : t("record.saved"));
          void refresh(record).then(created ? pages.prepend : pages.replace);
        }}
        onDeleted={(id) => {
          setDrawer(undefined);
          void message.success(t("record.deleted"));
          pages.remove(id);
        }}
      />
    </Flex>
  );
}

function sortOrderOf(sorts: SortKey[], field: string): "ascend" | "descend" | null {
  const key = sorts.find((k) => k.field === field);
  return key ? (key.desc ? "descend" : "ascend") : null;
}

export function ErrorAlert({ error }: { error: unknown }) {
  const description =
    error instanceof ApiError && error.errors.length > 0 ? (
      <ul style={{ margin: 0, paddingInlineStart: 18 }}>
        {error.errors.map((e) => (
          <li key={`${e.field}:${e.code}`}>
            <code>{e.field}</code>: {e.message}
          </li>
        ))}
      </ul>
    ) : undefined;
  return <Alert type="error" showIcon title={error instanceof Error ? error.message : String(error)} description={description} />;
}

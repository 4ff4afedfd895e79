/** The grid view of a collection: virtual rows paged by cursor (or grouped by a field, each group
 * paged), inline edits, row selection with bulk edit and delete, filter, multi-sort, search,
 * columns (show, order, width), export and the record drawer. Its settings are a saved view's. */

import { Alert, App as AntApp, Flex, Table, type TableRef } from "antd";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useSearchParams } from "react-router";

import { ApiError } from "../../api/client";
import * as endpoints from "../../api/endpoints";
import type { Collection, Field, RecordData } from "../../api/types";
import { isWritable } from "../../fields/registry";
import { sortableFields, toApiFilter, toApiSort } from "../../filters/model";
import { useT } from "../../i18n";
import { useCatalog } from "../../kernel/catalog";
import { allowedFields, can, useSession } from "../../kernel/session";
import { useElementSize } from "../../kernel/useElementSize";
import { configFromState, sameConfig, stateFromConfig } from "../saved/config";
import type { ViewHostProps } from "../saved/types";
import { clampWidth, gridFields, normalColumns, visibleFields, type GridField } from "./columns";
import "./grid.css";
import { ResizableHeaderCell } from "./GridCells";
import { GridToolbar } from "./GridToolbar";
import { flattenGroups, groupableFields, isRecord, rowKey, type GridRow } from "./groups";
import { andFilters, searchFilter } from "./query";
import { RecordDrawer } from "./RecordDrawer";
import { SelectionBar } from "./SelectionBar";
import { headerState, NO_SELECTION, toggleLoaded, toggleRow, type Selection } from "./selection";
import type { GridState } from "./state";
import { useGridColumns } from "./useGridColumns";
import { useGroupedPages } from "./useGroupedPages";
import { useGroupLabels } from "./useGroupLabels";
import { PAGE_SIZE, useRecordPages } from "./useRecordPages";
import { useRowWindow } from "./useRowWindow";

// The header row and the horizontal scroll bar's strip (grid.css), which the virtual body's
// height leaves out.
const CHROME_HEIGHT = 58;

const HEADER_COMPONENTS = { header: { cell: ResizableHeaderCell } };
const rowClass = (row: GridRow) => (isRecord(row) ? "" : "group-row");

declare global {
  interface Window {
    /** Milliseconds from a page's arrival to its rows on screen (read by the browser tests). */
    __deskbaseGridRenders?: number[];
  }
}

export function GridView({ collection, view, onDraft }: ViewHostProps) {
  const t = useT();
  const { message } = AntApp.useApp();
  const { user } = useSession();
  const { get } = useCatalog();
  const name = collection.name;

  const extensions = useMemo(
    () => (collection.extensions ?? []).map((n) => get(n)).filter((c): c is Collection => c !== undefined),
    [collection, get],
  );
  // `?type=` (an entry of the navigation) shows one business type: the master's records of that
  // discriminator value, with that extension's fields; a view saved there keeps it.
  const [params] = useSearchParams();
  const typeName = params.get("type") ?? view?.config.type ?? null;
  const businessType = typeName ? extensions.find((e) => e.name === typeName && e.extends) : undefined;
  const allFields = useMemo(() => {
    const readable = (c: string, f: string) => {
      const set = allowedFields(user, c, "list");
      return set === null || set.has(f);
    };
    const fields = gridFields(collection, businessType ? [businessType] : extensions, readable);
    return businessType ? fields.map((f) => (f.extension ? { ...f, byDefault: true } : f)) : fields;
  }, [collection, extensions, businessType, user]);
  const typeFilter = useMemo(() => {
    const ext = businessType?.extends;
    return ext ? { [ext.discriminator]: { $eq: ext.value } } : undefined;
  }, [businessType]);

  // `?q=` (the header's quick search sends it) starts the grid searched.
  const urlQ = params.get("q");
  const [state, setState] = useState<GridState>(() => {
    const initial = stateFromConfig(view?.config, allFields);
    return urlQ === null ? initial : { ...initial, q: urlQ };
  });
  const [search, setSearch] = useState(state.q);
  useEffect(() => {
    if (urlQ !== null) setSearch(urlQ);
  }, [urlQ]);
  const [drawer, setDrawer] = useState<RecordData | null | undefined>(undefined);
  const [selection, setSelection] = useState<Selection>(NO_SELECTION);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const [liveWidths, setLiveWidths] = useState<Record<string, number>>({});
  const patch = useCallback((change: Partial<GridState>) => setState((s) => ({ ...s, ...change })), []);

  useEffect(() => {
    const timer = window.setTimeout(() => setState((s) => (s.q === search ? s : { ...s, q: search })), 300);
    return () => window.clearTimeout(timer);
  }, [search]);

  // ---- the saved view: report the settings as a config, and whether they changed
  // The search box as typed (its debounce may not have reached `state` yet when the view is saved).
  const config = useMemo(() => {
    const out = configFromState({ ...state, q: search }, view?.config);
    if (businessType) out.type = businessType.name;
    else delete out.type;
    return out;
  }, [state, search, view, businessType]);
  const savedConfig = useMemo(() => configFromState(stateFromConfig(view?.config, allFields), view?.config), [view, allFields]);
  const dirty = !sameConfig(config, savedConfig);
  const configKey = JSON.stringify(config);
  useEffect(() => {
    onDraft?.({ config, dirty });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `configKey` holds the config
  }, [configKey, dirty, onDraft]);

  // ---- what is shown and how it is asked for
  const fields = useMemo(() => visibleFields(allFields, state.columns), [allFields, state.columns]);
  const ownFields = useMemo(() => allFields.filter((f) => !f.extension), [allFields]);
  const groupField = useMemo(
    () => (state.groupBy ? groupableFields(allFields).find((f) => f.name === state.groupBy) ?? null : null),
    [allFields, state.groupBy],
  );
  const appends = useMemo(
    () =>
      fields
        .filter((f) => !f.extension && (f.type === "many_to_one" || f.type === "many_to_many") && f.options?.target && can(user, f.options.target, "list"))
        .map((f) => f.name),
    [fields, user],
  );
  const apiFilter = useMemo(() => andFilters(toApiFilter(state.filter), state.extraFilter, typeFilter), [state.filter, state.extraFilter, typeFilter]);
  const apiSort = toApiSort(state.sorts);
  const q = state.q.trim();
  // Routes without `q=` (aggregate, export, bulk writes) get the search as a filter.
  const fullFilter = useMemo(() => andFilters(apiFilter, searchFilter(ownFields, q)), [apiFilter, ownFields, q]);
  const query = useMemo(() => ({ filter: apiFilter, sort: apiSort, q: q || undefined, appends }), [apiFilter, apiSort, q, appends]);
  const flat = useRecordPages(name, query, groupField === null);
  const grouped = useGroupedPages(name, groupField?.name ?? null, query, fullFilter);
  const total = groupField ? grouped.total : flat.total;
  const loading = groupField ? grouped.loading : flat.loading;
  const error = groupField ? grouped.error : flat.error;

  const rows: GridRow[] = useMemo(
    () => (groupField ? flattenGroups(grouped.groups, grouped.pages, collapsed) : flat.rows),
    [groupField, grouped.groups, grouped.pages, collapsed, flat.rows],
  );
  const latestRows = useRef(rows);
  useEffect(() => {
    latestRows.current = rows;
  });

  // A new query starts a new selection.
  const queryKey = JSON.stringify([query, groupField?.name]);
  useEffect(() => setSelection(NO_SELECTION), [queryKey]);
  // The table holds a window of the loaded rows (rowWindow.ts): a page costs the same at any depth.
  const tableRef = useRef<TableRef>(null);
  const rowWindow = useRowWindow(rows, queryKey, rowKey, tableRef, {
    size: PAGE_SIZE,
    hasMore: groupField === null && flat.hasMore,
    onNearEnd: groupField === null ? flat.loadMore : () => undefined,
  });

  // How long a page takes to show once its data is here (requestAnimationFrame: after layout).
  const arrivedAt = groupField ? grouped.arrivedAt : flat.arrivedAt;
  useEffect(() => {
    if (arrivedAt === null) return;
    const frame = requestAnimationFrame(() => {
      (window.__deskbaseGridRenders ??= []).push(performance.now() - arrivedAt);
    });
    return () => cancelAnimationFrame(frame);
  }, [arrivedAt]);

  // ---- writes
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
  const replace = groupField ? grouped.replace : flat.replace;
  const onCellSaved = useCallback((record: RecordData) => void refresh(record).then(replace), [refresh, replace]);
  const reload = groupField ? grouped.reload : flat.reload;

  const writable = useMemo(() => allowedFields(user, name, "update"), [user, name]);
  const creatable = useMemo(() => allowedFields(user, name, "create"), [user, name]);
  const canUpdate = can(user, name, "update");
  const canEdit = useCallback(
    (f: Field) => {
      const ext = (f as GridField).extension;
      if (ext) {
        const w = allowedFields(user, ext, "update");
        return canUpdate && isWritable(f) && (w === null || w.has(f.name.slice(ext.length + 1)));
      }
      return canUpdate && isWritable(f) && (writable === null || writable.has(f.name));
    },
    [canUpdate, writable, user],
  );
  const canCreateField = useCallback((f: Field) => creatable === null || creatable.has(f.name), [creatable]);
  const bulkFields = useMemo(() => ownFields.filter((f) => canEdit(f)), [ownFields, canEdit]);

  // ---- columns
  const onToggleRow = useCallback((id: number, shift: boolean) => {
    setSelection((s) => toggleRow(s, id, shift ? latestRows.current.filter(isRecord).map((r) => r.id) : [], shift));
  }, []);
  const loadedIds = useMemo(() => (selection.all || selection.ids.size > 0 ? rows.filter(isRecord).map((r) => r.id) : []), [rows, selection]);
  const header = headerState(selection, loadedIds);
  const onToggleHeader = useCallback(() => setSelection((s) => toggleLoaded(s, latestRows.current.filter(isRecord).map((r) => r.id))), []);
  const onResize = useCallback(
    (field: string, width: number, done: boolean) => {
      if (!done) {
        setLiveWidths((w) => ({ ...w, [field]: width }));
        return;
      }
      setLiveWidths({});
      setState((s) => ({ ...s, widths: { ...s.widths, [field]: clampWidth(width) } }));
    },
    [],
  );
  const groupLabels = useGroupLabels(groupField, grouped.groups);
  const toggleGroup = useCallback(
    (key: string) =>
      setCollapsed((c) => {
        const next = new Set(c);
        if (next.has(key)) next.delete(key);
        else next.add(key);
        return next;
      }),
    [],
  );
  const group = useMemo(
    () => (groupField ? { field: groupField, labels: groupLabels, onToggle: toggleGroup, onLoad: grouped.loadGroup, epoch: grouped.epoch } : null),
    [groupField, groupLabels, toggleGroup, grouped.loadGroup, grouped.epoch],
  );
  const widths = useMemo(() => ({ ...state.widths, ...liveWidths }), [state.widths, liveWidths]);
  const sortable = useMemo(() => new Set(sortableFields(allFields).map((f) => f.name)), [allFields]);
  const columns = useGridColumns({
    collection: name,
    fields,
    widths,
    sorts: state.sorts,
    sortable,
    selection,
    header,
    canEdit,
    onToggleRow,
    onToggleHeader,
    onOpen: setDrawer,
    onCellSaved,
    onResize,
    group,
  });

  // Stable callbacks: the toolbar does not re-render as pages arrive.
  const change = useCallback(
    (c: Partial<GridState>) => {
      if ("groupBy" in c) setCollapsed(new Set());
      if ("columns" in c) c = { ...c, columns: normalColumns(allFields, c.columns ?? null) };
      patch(c);
    },
    [patch, allFields],
  );
  const openNew = useCallback(() => setDrawer(null), []);
  // A record added on a business type's grid is of that type.
  const drawerCollection = useMemo(() => {
    const ext = businessType?.extends;
    if (drawer !== null || !ext) return collection;
    return { ...collection, fields: collection.fields.map((f) => (f.name === ext.discriminator ? { ...f, default: ext.value } : f)) };
  }, [collection, businessType, drawer]);
  const shownNames = useMemo(() => fields.map((f) => f.name), [fields]);

  const [box, size] = useElementSize<HTMLDivElement>();
  const scrollX = columns.reduce((w, c) => w + (typeof c.width === "number" ? c.width : 150), 0);

  return (
    <Flex vertical gap={12} style={{ height: "100%", minHeight: 0 }}>
      <GridToolbar
        collection={name}
        fields={allFields}
        state={state}
        search={search}
        total={total}
        exportFilter={fullFilter}
        exportFields={shownNames}
        canExport={can(user, name, "export")}
        canCreate={can(user, name, "create")}
        onSearch={setSearch}
        onChange={change}
        onReload={reload}
        onNew={openNew}
      />
      <SelectionBar
        collection={name}
        selection={selection}
        total={total}
        filter={fullFilter}
        editable={bulkFields}
        canDelete={can(user, name, "delete")}
        onChange={setSelection}
        onDone={() => {
          setSelection(NO_SELECTION);
          reload();
        }}
      />
      {error !== null && error !== undefined && <ErrorAlert error={error} />}
      {groupField && grouped.truncated && <Alert type="warning" showIcon title={t("group.truncated")} />}
      <div ref={box} style={{ flex: 1, minHeight: 200 }} className={scrollX > size.width ? "grid-hscroll" : undefined} data-testid="grid">
        {size.height > 0 && (
          <Table<GridRow>
            virtual
            size="small"
            bordered
            rowKey={rowKey}
            columns={columns}
            ref={tableRef}
            dataSource={rowWindow.shown}
            pagination={false}
            loading={loading && rows.length === 0}
            scroll={{ x: scrollX, y: Math.max(size.height - CHROME_HEIGHT, 120) }}
            components={HEADER_COMPONENTS}
            rowClassName={rowClass}
            locale={{ emptyText: loading ? " " : t("grid.empty") }}
            onChange={(_p, _f, sorter, extra) => {
              if (extra.action !== "sort") return;
              const s = Array.isArray(sorter) ? sorter[0] : sorter;
              const field = typeof s?.columnKey === "string" ? s.columnKey : undefined;
              patch({ sorts: field && s?.order ? [{ field, desc: s.order === "descend" }] : [] });
            }}
            onScroll={(e) => rowWindow.onScroll(e.currentTarget)}
          />
        )}
      </div>
      <RecordDrawer
        collection={drawerCollection}
        record={drawer}
        canWrite={drawer === null ? canCreateField : canEdit}
        canDelete={can(user, name, "delete")}
        onClose={() => setDrawer(undefined)}
        onSaved={(record, created) => {
          setDrawer(undefined);
          void message.success(created ? t("record.created") : t("record.saved"));
          if (created && !groupField) void refresh(record).then(flat.prepend);
          else if (created) reload();
          else void refresh(record).then(replace);
        }}
        onDeleted={(id) => {
          setDrawer(undefined);
          void message.success(t("record.deleted"));
          if (groupField) grouped.remove(id);
          else flat.remove(id);
        }}
      />
    </Flex>
  );
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

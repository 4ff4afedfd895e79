/** The grid's antd columns: selection, the record's number (opens it), then one per visible field,
 * sortable and resizable; a group's header spans the whole row. */

import { ExpandAltOutlined } from "@ant-design/icons";
import { Button, Checkbox } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useMemo, type HTMLAttributes } from "react";

import type { Field, RecordData } from "../../api/types";
import type { SortKey } from "../../filters/model";
import { fieldTitle } from "../../fields/values";
import { useT } from "../../i18n";
import { columnWidth, type GridField } from "./columns";
import { EditableCell } from "./EditableCell";
import { GroupHeader, GroupLoader, RowCheckbox, type ResizeProps } from "./GridCells";
import { GroupRow, MoreRow, isRecord, type GridRow } from "./groups";
import { isSelected, type Selection } from "./selection";

export const SELECT_WIDTH = 44;
export const OPEN_WIDTH = 90;

interface Options {
  collection: string;
  fields: GridField[];
  widths: Record<string, number>;
  sorts: SortKey[];
  sortable: ReadonlySet<string>;
  selection: Selection;
  header: "all" | "some" | "none";
  canEdit: (field: GridField) => boolean;
  onToggleRow: (id: number, shift: boolean) => void;
  onToggleHeader: () => void;
  onOpen: (record: RecordData) => void;
  onCellSaved: (record: RecordData) => void;
  onResize: (field: string, width: number, done: boolean) => void;
  group: {
    field: Field;
    labels: ReadonlyMap<string, string>;
    onToggle: (key: string) => void;
    onLoad: (key: string) => void;
    epoch: number;
  } | null;
}

const NO_PROPS = {};
const HIDDEN = { colSpan: 0 };

export function useGridColumns(o: Options): ColumnsType<GridRow> {
  const t = useT();
  const { collection, fields, widths, sorts, sortable, selection, header, canEdit, onToggleRow, onToggleHeader, onOpen, onCellSaved, onResize, group } = o;
  return useMemo(() => {
    const span = 2 + fields.length;
    const hideSpecial = (row: GridRow) => (isRecord(row) ? NO_PROPS : HIDDEN);
    return [
      {
        key: "__select",
        width: SELECT_WIDTH,
        fixed: "left",
        align: "center",
        title: (
          <Checkbox
            checked={header === "all"}
            indeterminate={header === "some"}
            aria-label={t("select.page")}
            data-testid="select-all"
            onChange={onToggleHeader}
          />
        ),
        onCell: (row: GridRow) => (isRecord(row) ? NO_PROPS : { colSpan: span, className: "group-cell" }),
        render: (_: unknown, row: GridRow) => {
          if (row instanceof GroupRow) {
            return group ? (
              <GroupHeader field={group.field} group={row.group} label={group.labels.get(row.group.key)} collapsed={row.collapsed} onToggle={group.onToggle} />
            ) : null;
          }
          if (row instanceof MoreRow) return group ? <GroupLoader group={row.group} page={row.page} epoch={group.epoch} onLoad={group.onLoad} /> : null;
          return <RowCheckbox id={row.id} checked={isSelected(selection, row.id)} onToggle={onToggleRow} />;
        },
      },
      {
        key: "__open",
        title: "#",
        width: OPEN_WIDTH,
        fixed: "left",
        onCell: hideSpecial,
        render: (_: unknown, row: GridRow) =>
          isRecord(row) ? (
            <Button type="text" size="small" className="row-open" icon={<ExpandAltOutlined />} aria-label={t("grid.openRecord", { id: row.id })} onClick={() => onOpen(row)}>
              {row.id}
            </Button>
          ) : null,
      },
      ...fields.map((f) => {
        const width = columnWidth(f, widths);
        const sortKey = sorts.find((k) => k.field === f.name);
        return {
          key: f.name,
          title: <span title={f.name}>{fieldTitle(f)}</span>,
          width,
          ellipsis: true,
          sorter: sortable.has(f.name),
          sortOrder: sortKey ? (sortKey.desc ? ("descend" as const) : ("ascend" as const)) : null,
          showSorterTooltip: false,
          onCell: hideSpecial,
          // The header cell (ResizableHeaderCell) takes these besides the usual attributes.
          onHeaderCell: () =>
            ({
              resizeWidth: width,
              onResizeWidth: (w: number, done: boolean) => onResize(f.name, w, done),
              resizeLabel: t("columns.resize", { name: fieldTitle(f) }),
            }) satisfies ResizeProps as HTMLAttributes<HTMLElement>,
          render: (_: unknown, row: GridRow) =>
            isRecord(row) ? <EditableCell collection={collection} record={row} field={f} editable={canEdit(f)} onSaved={onCellSaved} onOpen={onOpen} /> : null,
        };
      }),
    ];
  }, [collection, fields, widths, sorts, sortable, selection, header, canEdit, onToggleRow, onToggleHeader, onOpen, onCellSaved, onResize, group, t]);
}

/** The grid's special cells: the selection checkboxes, a group's header and the row that loads
 * a group's next page, and the header cell whose right edge resizes its column. */

import { CaretDownOutlined, CaretRightOutlined } from "@ant-design/icons";
import { Badge, Button, Checkbox, Flex, Spin, Typography } from "antd";
import { memo, useEffect, useRef, type MouseEvent, type ThHTMLAttributes } from "react";

import type { Field } from "../../api/types";
import { fieldType } from "../../fields/registry";
import { fieldTitle } from "../../fields/values";
import { useT } from "../../i18n";
import { clampWidth } from "./columns";
import type { GroupInfo, GroupPage } from "./groups";

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : typeof e === "string" ? e : JSON.stringify(e);
}

function RowCheckboxInner({ id, checked, onToggle }: { id: number; checked: boolean; onToggle: (id: number, shift: boolean) => void }) {
  const t = useT();
  return (
    // Shift-click must not select the page's text as well.
    <span onMouseDown={(e: MouseEvent) => e.shiftKey && e.preventDefault()}>
      <Checkbox
        checked={checked}
        aria-label={t("select.row", { id })}
        className="row-select"
        onChange={(e) => onToggle(id, e.nativeEvent.shiftKey)}
      />
    </span>
  );
}

/** Rows re-render as pages arrive; a checkbox whose state did not change stays as it is. */
export const RowCheckbox = memo(RowCheckboxInner);

export function GroupHeader({
  field,
  group,
  label,
  collapsed,
  onToggle,
}: {
  field: Field;
  group: GroupInfo;
  label: string | undefined;
  collapsed: boolean;
  onToggle: (key: string) => void;
}) {
  const t = useT();
  const value = group.value;
  return (
    <Flex
      align="center"
      gap={8}
      className="group-header"
      role="button"
      tabIndex={0}
      aria-expanded={!collapsed}
      data-testid="group-header"
      data-group={group.key}
      onClick={() => onToggle(group.key)}
      onKeyDown={(e) => (e.key === "Enter" || e.key === " ") && (e.preventDefault(), onToggle(group.key))}
    >
      {collapsed ? <CaretRightOutlined /> : <CaretDownOutlined />}
      <Typography.Text type="secondary">{fieldTitle(field)}</Typography.Text>
      <span className="group-value">
        {value === null ? <Typography.Text type="secondary">{t("group.empty")}</Typography.Text> : (label ?? fieldType(field.type).render(value, field, t))}
      </span>
      <Badge count={group.count} showZero overflowCount={Number.MAX_SAFE_INTEGER} color="gray" data-testid="group-count" />
    </Flex>
  );
}

/** Loads the group's next page as soon as it is drawn (the virtual table draws the rows in view). */
export function GroupLoader({ group, page, epoch, onLoad }: { group: GroupInfo; page: GroupPage; epoch: number; onLoad: (key: string) => void }) {
  const t = useT();
  // `epoch`: a new query asks again, even when the group's rows look the same.
  useEffect(() => {
    if (!page.loading && page.hasMore && !page.error) onLoad(group.key);
  }, [group.key, page.rows.length, page.loading, page.hasMore, page.error, epoch, onLoad]);
  if (page.error) {
    return (
      <Flex gap={8} align="center" className="group-loader">
        <Typography.Text type="danger">{errorText(page.error)}</Typography.Text>
        <Button size="small" onClick={() => onLoad(group.key)}>
          {t("group.retry")}
        </Button>
      </Flex>
    );
  }
  return (
    <Flex gap={8} align="center" className="group-loader">
      <Spin size="small" />
      <Typography.Text type="secondary">{t("group.loading")}</Typography.Text>
    </Flex>
  );
}

export interface ResizeProps {
  /** The column's width now, and a call with each new width (`done` on release). */
  resizeWidth?: number;
  onResizeWidth?: (width: number, done: boolean) => void;
  resizeLabel?: string;
}

/** A header cell with a handle on its right edge: drag it to resize the column. */
export function ResizableHeaderCell({ resizeWidth, onResizeWidth, resizeLabel, children, ...rest }: ThHTMLAttributes<HTMLTableCellElement> & ResizeProps) {
  const drag = useRef<{ x: number; width: number; last: number; frame: number } | null>(null);
  if (!onResizeWidth || resizeWidth === undefined) return <th {...rest}>{children}</th>;

  const start = (e: MouseEvent) => {
    e.preventDefault();
    e.stopPropagation();
    drag.current = { x: e.clientX, width: resizeWidth, last: resizeWidth, frame: 0 };
    document.body.classList.add("grid-resizing");
    const move = (ev: globalThis.MouseEvent) => {
      const d = drag.current;
      if (!d) return;
      d.last = clampWidth(d.width + ev.clientX - d.x);
      if (!d.frame) {
        d.frame = requestAnimationFrame(() => {
          d.frame = 0;
          onResizeWidth(d.last, false);
        });
      }
    };
    const up = () => {
      const d = drag.current;
      drag.current = null;
      document.body.classList.remove("grid-resizing");
      window.removeEventListener("mousemove", move);
      window.removeEventListener("mouseup", up);
      if (d) {
        cancelAnimationFrame(d.frame);
        onResizeWidth(d.last, true);
      }
    };
    window.addEventListener("mousemove", move);
    window.addEventListener("mouseup", up);
  };

  return (
    <th {...rest}>
      {children}
      <span
        className="col-resize"
        role="separator"
        aria-orientation="vertical"
        aria-label={resizeLabel}
        data-testid="col-resize"
        onMouseDown={start}
        onClick={(e) => e.stopPropagation()}
      />
    </th>
  );
}

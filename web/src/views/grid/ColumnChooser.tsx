/** The column chooser: tick the fields to show, drag the shown ones (or Alt+arrow on a handle)
 * into the order of the grid. */

import { HolderOutlined } from "@ant-design/icons";
import { Button, Checkbox, Flex, Typography } from "antd";
import { useState } from "react";

import { fieldTitle } from "../../fields/values";
import { useT } from "../../i18n";
import { moveColumn, visibleFields, type GridField } from "./columns";

interface Props {
  fields: GridField[];
  /** The visible fields in order; null: the default. */
  value: string[] | null;
  onChange: (columns: string[] | null) => void;
  /** Fields that cannot be hidden (a form's required fields). */
  locked?: (field: GridField) => boolean;
}

export function ColumnChooser({ fields, value, onChange, locked }: Props) {
  const t = useT();
  const shown = visibleFields(fields, value);
  const order = shown.map((f) => f.name);
  const hidden = fields.filter((f) => !order.includes(f.name));
  const [dragging, setDragging] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);

  const move = (name: string, target: string) => onChange(moveColumn(order, name, target));

  return (
    <div className="column-chooser" data-testid="column-chooser">
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t("columns.hint")}
      </Typography.Text>
      <ul className="column-list" aria-label={t("columns.shown")}>
        {shown.map((f, i) => (
          <li
            key={f.name}
            className={["column-item", dragging === f.name ? "dragging" : "", over === f.name && dragging !== f.name ? "drop-target" : ""].join(" ")}
            draggable
            data-testid={`column-item-${f.name}`}
            onDragStart={(e) => {
              e.dataTransfer.setData("text/plain", f.name);
              e.dataTransfer.effectAllowed = "move";
              setDragging(f.name);
            }}
            onDragOver={(e) => {
              if (!dragging) return;
              e.preventDefault();
              if (over !== f.name) setOver(f.name);
            }}
            onDrop={(e) => {
              e.preventDefault();
              if (dragging) move(dragging, f.name);
              setDragging(null);
              setOver(null);
            }}
            onDragEnd={() => {
              setDragging(null);
              setOver(null);
            }}
          >
            <span
              className="column-handle"
              tabIndex={0}
              role="button"
              aria-label={t("columns.move", { name: fieldTitle(f) })}
              onKeyDown={(e) => {
                if (!e.altKey) return;
                const target = e.key === "ArrowUp" ? order[i - 1] : e.key === "ArrowDown" ? order[i + 1] : undefined;
                if (target) {
                  e.preventDefault();
                  move(f.name, target);
                }
              }}
            >
              <HolderOutlined />
            </span>
            <Checkbox
              checked
              disabled={shown.length === 1 || locked?.(f) === true}
              onChange={() => onChange(order.filter((n) => n !== f.name))}
            >
              {fieldTitle(f)}
            </Checkbox>
          </li>
        ))}
      </ul>
      {hidden.length > 0 && (
        <>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t("columns.hidden")}
          </Typography.Text>
          <ul className="column-list" aria-label={t("columns.hidden")}>
            {hidden.map((f) => (
              <li key={f.name} className="column-item" data-testid={`column-item-${f.name}`}>
                <span className="column-handle column-handle-off">
                  <HolderOutlined />
                </span>
                <Checkbox checked={false} onChange={() => onChange([...order, f.name])}>
                  {fieldTitle(f)}
                </Checkbox>
              </li>
            ))}
          </ul>
        </>
      )}
      <Flex gap={8} justify="flex-end">
        <Button size="small" type="link" disabled={value === null} onClick={() => onChange(null)}>
          {t("columns.reset")}
        </Button>
      </Flex>
    </div>
  );
}

/** One dashboard block: its aggregate fetched (again on each refresh, keeping what it shows until
 * the answer comes) and drawn as a number or a chart. */

import { DeleteOutlined, EditOutlined, HolderOutlined } from "@ant-design/icons";
import { Alert, Button, Empty, Popconfirm, Spin, Typography, theme } from "antd";
import type { GlobalToken } from "antd";
import { lazy, Suspense, useEffect, useMemo, useState, type PointerEvent } from "react";

import * as endpoints from "../../api/endpoints";
import type { AggregateRow, Collection, DashboardBlock } from "../../api/types";
import { useI18n } from "../../i18n";
import { useThemeMode } from "../../kernel/theme";
import { autoTitle, measureLabel, numeric, parseKey } from "./model";
import { chartOption } from "./options";

const Chart = lazy(() => import("./Chart").then((m) => ({ default: m.Chart })));

/** antd's preset color (`blue`, `gold`, …) in the current theme, or null to let ECharts choose. */
function colorOf(token: GlobalToken, name: string | null): string | null {
  if (!name) return null;
  const value = (token as unknown as Record<string, unknown>)[name];
  return typeof value === "string" ? value : name === "gray" ? token.colorTextTertiary : null;
}

interface Props {
  block: DashboardBlock;
  collection: Collection | undefined;
  /** Changes to ask the server again (refresh button, auto-refresh). */
  tick: number;
  /** Height of the card's body, in pixels. */
  bodyHeight: number;
  editable: boolean;
  onEdit: () => void;
  onRemove: () => void;
  /** Starts moving the block (the grid's pointer handler), on the card's header. */
  onGrab?: (e: PointerEvent<HTMLElement>) => void;
}

export function BlockCard({ block, collection, tick, bodyHeight, editable, onEdit, onRemove, onGrab }: Props) {
  const { t, locale } = useI18n();
  const { mode } = useThemeMode();
  const { token } = theme.useToken();
  const [rows, setRows] = useState<AggregateRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const query = JSON.stringify(block.query);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    endpoints
      .aggregateBlock(block.collection, JSON.parse(query) as DashboardBlock["query"], controller.signal)
      .then((data) => {
        setRows(data);
        setError(null);
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        setError(e instanceof Error ? e.message : String(e));
        setLoading(false);
      });
    return () => controller.abort();
  }, [block.collection, query, tick]);

  const measure = block.query.measures[0] ?? "count";
  const title = block.title || autoTitle(block, collection, t);
  const format = useMemo(() => {
    const nf = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    return (v: number) => nf.format(v);
  }, [locale]);

  const option = useMemo(() => {
    if (!rows || block.type === "number") return null;
    const fields = block.query.group_by.map((k) => collection?.fields.find((f) => f.name === parseKey(k).field));
    return chartOption(block.type, rows, {
      keys: block.query.group_by,
      measure,
      fields,
      emptyLabel: t("dashboard.noValue"),
      colorOf: (name) => colorOf(token, name),
      format,
    });
  }, [rows, block.type, block.query.group_by, collection, measure, t, token, format]);

  const body = () => {
    if (error && !rows) return <Alert type="error" showIcon title={error} />;
    if (!rows) return <Spin />;
    if (block.type === "number") {
      const value = rows[0]?.[measure];
      return (
        <div className="dashboard-number" data-testid="number-value">
          <div className="dashboard-number-value" style={{ color: token.colorText }}>
            {value === null || value === undefined ? "–" : format(numeric(value))}
          </div>
          <Typography.Text type="secondary">{measureLabel(measure, collection, t)}</Typography.Text>
        </div>
      );
    }
    if (rows.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("dashboard.noData")} />;
    return (
      option && (
        <Suspense fallback={<Spin />}>
          <Chart option={option} mode={mode} height={bodyHeight} label={title} />
        </Suspense>
      )
    );
  };

  return (
    <div className="dashboard-card" style={{ background: token.colorBgContainer, borderColor: token.colorBorderSecondary }} data-testid="chart-card">
      <div className={editable ? "dashboard-card-head grab" : "dashboard-card-head"} onPointerDown={editable ? onGrab : undefined}>
        {editable && <HolderOutlined className="dashboard-grip" aria-hidden />}
        <Typography.Text strong ellipsis className="dashboard-card-title" title={title}>
          {title}
        </Typography.Text>
        {loading && rows && <Spin size="small" />}
        {error && rows && <Typography.Text type="danger" title={error}>!</Typography.Text>}
        {editable && (
          <span className="dashboard-card-actions">
            <Button type="text" size="small" aria-label={t("dashboards.editBlock")} icon={<EditOutlined />} onClick={onEdit} />
            <Popconfirm title={t("dashboards.removeConfirm")} okText={t("common.delete")} cancelText={t("common.cancel")} onConfirm={onRemove}>
              <Button type="text" size="small" aria-label={t("dashboard.remove")} icon={<DeleteOutlined />} />
            </Popconfirm>
          </span>
        )}
      </div>
      <div className="dashboard-card-body" style={{ height: bodyHeight }}>
        {body()}
      </div>
    </div>
  );
}

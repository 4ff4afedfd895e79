/** The dashboard: chart blocks over the aggregate API, added by the user and refreshed in place. */

import { DeleteOutlined, PlusOutlined, ReloadOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Col, Empty, Flex, Form, Input, Modal, Row, Segmented, Select, Spin, Typography, theme } from "antd";
import type { GlobalToken } from "antd";
import { useEffect, useMemo, useState } from "react";

import * as endpoints from "../../api/endpoints";
import type { AggregateRow, Collection } from "../../api/types";
import { fieldTitle } from "../../fields/values";
import { useT, type Translate } from "../../i18n";
import { useCatalog } from "../../kernel/catalog";
import { can, useSession } from "../../kernel/session";
import { useThemeMode } from "../../kernel/theme";
import { Chart } from "./Chart";
import {
  blockTitle,
  groupableFields,
  groupKey,
  loadBlocks,
  measurableFields,
  saveBlocks,
  toSeries,
  type ChartBlock,
  type ChartKind,
} from "./model";

const REFRESH_MS = 60_000;

export function DashboardPage() {
  const t = useT();
  const { user } = useSession();
  const { collections } = useCatalog();
  const userId = user?.id ?? 0;
  const [blocks, setBlocks] = useState<ChartBlock[]>(() => loadBlocks(userId));
  const [adding, setAdding] = useState(false);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const timer = window.setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, []);

  const update = (next: ChartBlock[]) => {
    setBlocks(next);
    saveBlocks(userId, next);
  };
  const usable = collections.filter((c) => can(user, c.name, "list"));

  return (
    <Flex vertical gap={16}>
      <Flex align="center" gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t("dashboard.title")}
        </Typography.Title>
        <Button icon={<ReloadOutlined />} onClick={() => setTick((n) => n + 1)} style={{ marginInlineStart: "auto" }}>
          {t("common.reload")}
        </Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} disabled={usable.length === 0}>
          {t("dashboard.addChart")}
        </Button>
      </Flex>
      {blocks.length === 0 ? (
        <Empty description={t("dashboard.empty")} />
      ) : (
        <Row gutter={[16, 16]}>
          {blocks.map((block) => (
            <Col key={block.id} xs={24} xl={12}>
              <ChartCard
                block={block}
                collection={collections.find((c) => c.name === block.collection)}
                tick={tick}
                onRemove={() => update(blocks.filter((b) => b.id !== block.id))}
              />
            </Col>
          ))}
        </Row>
      )}
      {adding && (
        <AddChartModal
          collections={usable}
          onCancel={() => setAdding(false)}
          onAdd={(block) => {
            update([...blocks, block]);
            setAdding(false);
          }}
        />
      )}
    </Flex>
  );
}

/** antd's preset color (`blue`, `gold`, …) in the current theme, or null to let ECharts choose. */
function colorOf(token: GlobalToken, name: string | null | undefined): string | null {
  if (!name) return null;
  const value = (token as unknown as Record<string, unknown>)[name];
  return typeof value === "string" ? value : name === "gray" ? token.colorTextTertiary : null;
}

function measureLabel(measure: string, c: Collection | undefined, t: Translate): string {
  if (measure === "count") return t("dashboard.count");
  const [fn, name] = measure.split(":");
  const field = c?.fields.find((f) => f.name === name);
  const title = field ? fieldTitle(field) : (name ?? "");
  return fn === "avg" ? t("dashboard.avgOf", { field: title }) : t("dashboard.sumOf", { field: title });
}

function ChartCard({ block, collection, tick, onRemove }: { block: ChartBlock; collection: Collection | undefined; tick: number; onRemove: () => void }) {
  const t = useT();
  const { mode } = useThemeMode();
  const { token } = theme.useToken();
  const [rows, setRows] = useState<AggregateRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const field = collection?.fields.find((f) => f.name === block.groupBy);
  const key = groupKey(field, block.groupBy);

  useEffect(() => {
    const controller = new AbortController();
    endpoints
      .aggregate(block.collection, { groupBy: [key], measures: [block.measure], limit: 50 }, controller.signal)
      .then((data) => {
        setRows(data);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      });
    return () => controller.abort();
  }, [block.collection, block.measure, key, tick]);

  const title = blockTitle(block, collection, measureLabel(block.measure, collection, t));
  const option = useMemo(() => {
    if (!rows) return null;
    const { labels, values, colors } = toSeries(rows, key, block.measure, field, t("dashboard.noValue"));
    // A select's groups keep their choice colors, as in the grid and the kanban.
    const style = (i: number) => {
      const color = colorOf(token, colors[i]);
      return color ? { itemStyle: { color } } : {};
    };
    if (block.chart === "pie") {
      return {
        tooltip: { trigger: "item" as const },
        legend: { bottom: 0, type: "scroll" as const },
        series: [{ type: "pie" as const, radius: ["35%", "65%"], data: labels.map((name, i) => ({ name, value: values[i] ?? 0, ...style(i) })) }],
      };
    }
    return {
      tooltip: { trigger: "axis" as const },
      grid: { left: 48, right: 16, top: 16, bottom: 40 },
      xAxis: { type: "category" as const, data: labels, axisLabel: { interval: 0, hideOverlap: true } },
      yAxis: { type: "value" as const },
      series: [
        block.chart === "bar"
          ? { type: "bar" as const, data: values.map((value, i) => ({ value, ...style(i) })), barMaxWidth: 48, label: { show: true, position: "top" as const } }
          : { type: "line" as const, data: values },
      ],
    };
  }, [rows, key, block.measure, block.chart, field, t, token]);

  return (
    <Card
      size="small"
      title={title}
      data-testid="chart-card"
      extra={<Button type="text" size="small" aria-label={t("dashboard.remove")} icon={<DeleteOutlined />} onClick={onRemove} />}
    >
      {error ? (
        <Alert type="error" showIcon title={error} />
      ) : !option ? (
        <div style={{ height: 280, display: "grid", placeItems: "center" }}>
          <Spin />
        </div>
      ) : rows && rows.length === 0 ? (
        <Empty style={{ height: 248 }} description={t("dashboard.noData")} />
      ) : (
        <Chart option={option} mode={mode} label={title} />
      )}
    </Card>
  );
}

interface AddValues {
  collection: string;
  groupBy: string;
  measure: string;
  chart: ChartKind;
  title?: string;
}

function AddChartModal({ collections, onCancel, onAdd }: { collections: Collection[]; onCancel: () => void; onAdd: (b: ChartBlock) => void }) {
  const t = useT();
  const [form] = Form.useForm<AddValues>();
  const first = collections.find((c) => c.fields.some((f) => f.type === "select")) ?? collections[0];
  const chosen = Form.useWatch("collection", form) ?? first?.name;
  const collection = collections.find((c) => c.name === chosen);
  const groupable = collection ? groupableFields(collection) : [];
  const measurable = collection ? measurableFields(collection) : [];
  const initialGroup = groupable.find((f) => f.type === "select") ?? groupable[0];

  return (
    <Modal
      open
      title={t("dashboard.addChart")}
      okText={t("common.add")}
      cancelText={t("common.cancel")}
      onCancel={onCancel}
      onOk={() => {
        void form.validateFields().then((v) =>
          onAdd({
            id: `b${Date.now().toString(36)}`,
            collection: v.collection,
            groupBy: v.groupBy,
            measure: v.measure,
            chart: v.chart,
            ...(v.title?.trim() ? { title: v.title.trim() } : {}),
          }),
        );
      }}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ collection: first?.name, groupBy: initialGroup?.name, measure: "count", chart: "bar" }}
        onValuesChange={(changed: Partial<AddValues>) => {
          if (changed.collection) {
            const c = collections.find((x) => x.name === changed.collection);
            const g = c ? (groupableFields(c).find((f) => f.type === "select") ?? groupableFields(c)[0]) : undefined;
            form.setFieldsValue({ groupBy: g?.name, measure: "count" });
          }
        }}
      >
        <Form.Item name="collection" label={t("dashboard.collection")} rules={[{ required: true }]}>
          <Select showSearch={{ optionFilterProp: "label" }} options={collections.map((c) => ({ value: c.name, label: c.title || c.name }))} />
        </Form.Item>
        <Form.Item name="groupBy" label={t("dashboard.groupBy")} rules={[{ required: true, message: t("common.required") }]}>
          <Select options={groupable.map((f) => ({ value: f.name, label: fieldTitle(f) }))} />
        </Form.Item>
        <Form.Item name="measure" label={t("dashboard.measure")} rules={[{ required: true }]}>
          <Select
            options={[
              { value: "count", label: t("dashboard.count") },
              ...measurable.flatMap((f) => [
                { value: `sum:${f.name}`, label: t("dashboard.sumOf", { field: fieldTitle(f) }) },
                { value: `avg:${f.name}`, label: t("dashboard.avgOf", { field: fieldTitle(f) }) },
              ]),
            ]}
          />
        </Form.Item>
        <Form.Item name="chart" label={t("dashboard.chartType")}>
          <Segmented
            options={[
              { value: "bar", label: t("dashboard.bar") },
              { value: "pie", label: t("dashboard.pie") },
              { value: "line", label: t("dashboard.line") },
            ]}
          />
        </Form.Item>
        <Form.Item name="title" label={t("dashboard.chartTitle")}>
          <Input placeholder={t("common.optional")} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

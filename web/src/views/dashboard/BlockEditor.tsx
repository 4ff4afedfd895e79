/** The block editor: chart type, collection, group keys (with date buckets), measure, filter, order
 * and limit of a dashboard block. */

import { BarChartOutlined, BranchesOutlined, FieldNumberOutlined, FunnelPlotOutlined, LineChartOutlined, PieChartOutlined } from "@ant-design/icons";
import { Alert, Button, Flex, Form, Input, InputNumber, Modal, Segmented, Select } from "antd";
import { useState, type ReactNode } from "react";

import type { BlockType, Collection, DashboardBlock } from "../../api/types";
import { fieldTitle } from "../../fields/values";
import { FilterBuilder } from "../../filters/FilterBuilder";
import { emptyGroup } from "../../filters/model";
import { useT, type MessageKey } from "../../i18n";
import {
  autoTitle,
  BLOCK_TYPES,
  blockQuery,
  BUCKETS,
  defaultForm,
  formFromBlock,
  formProblem,
  groupableFields,
  isDated,
  keysFor,
  measureOptions,
  type BlockForm,
  type GroupKey,
} from "./model";

const ICONS: Record<BlockType, ReactNode> = {
  number: <FieldNumberOutlined />,
  bar: <BarChartOutlined />,
  line: <LineChartOutlined />,
  pie: <PieChartOutlined />,
  funnel: <FunnelPlotOutlined />,
  sankey: <BranchesOutlined />,
};

const TYPE_LABEL: Record<BlockType, MessageKey> = {
  number: "dashboards.type.number",
  bar: "dashboard.bar",
  line: "dashboard.line",
  pie: "dashboard.pie",
  funnel: "dashboards.type.funnel",
  sankey: "dashboards.type.sankey",
};

interface Props {
  collections: Collection[];
  /** The block being changed, or null for a new one. */
  block: DashboardBlock | null;
  onCancel: () => void;
  onSave: (form: BlockForm) => void;
}

export function BlockEditor({ collections, block, onCancel, onSave }: Props) {
  const t = useT();
  const [form, setForm] = useState<BlockForm>(() => {
    if (block) return formFromBlock(block, collections.find((c) => c.name === block.collection));
    return defaultForm(collections.find((c) => c.fields.some((f) => f.type === "select")) ?? collections[0]);
  });
  const [tried, setTried] = useState(false);
  const collection = collections.find((c) => c.name === form.collection);
  const groupable = collection ? groupableFields(collection) : [];
  const problem = formProblem(form);
  const set = (change: Partial<BlockForm>) => setForm((f) => ({ ...f, ...change }));
  const setKey = (i: number, key: Partial<GroupKey>) =>
    setForm((f) => ({ ...f, keys: f.keys.map((k, j) => (j === i ? { ...k, ...key } : k)) }));
  const preview: DashboardBlock = { id: "preview", type: form.type, title: "", collection: form.collection, query: blockQuery(form, collection), layout: { x: 0, y: 0, w: 1, h: 1 } };

  const keyLabels = (form.type === "sankey" ? (["dashboards.from", "dashboards.to"] as const) : (["dashboard.groupBy"] as const)).slice(
    0,
    keysFor(form.type),
  );

  return (
    <Modal
      open
      width={760}
      title={block ? t("dashboards.editBlock") : t("dashboards.addBlock")}
      okText={block ? t("common.save") : t("common.add")}
      cancelText={t("common.cancel")}
      onCancel={onCancel}
      onOk={() => {
        setTried(true);
        if (!problem) onSave(form);
      }}
    >
      <Form layout="vertical" component="div">
        <Form.Item label={t("dashboard.chartType")}>
          <Segmented
            value={form.type}
            options={BLOCK_TYPES.map((type) => ({ value: type, label: t(TYPE_LABEL[type]), icon: ICONS[type] }))}
            onChange={(type) => set({ type, order: type === "funnel" && form.order === "keys" ? "desc" : form.order })}
          />
        </Form.Item>
        <Form.Item label={t("dashboard.collection")} htmlFor="block-collection" required>
          <Select
            id="block-collection"
            showSearch={{ optionFilterProp: "label" }}
            value={form.collection || undefined}
            options={collections.map((c) => ({ value: c.name, label: c.title || c.name }))}
            onChange={(name: string) => {
              const next = defaultForm(collections.find((c) => c.name === name), form.type);
              set({ collection: name, keys: next.keys, measure: "count", filter: emptyGroup(), rawFilter: null });
            }}
          />
        </Form.Item>
        {keyLabels.map((label, i) => {
          const key = form.keys[i] ?? { field: "", bucket: null };
          const field = groupable.find((f) => f.name === key.field);
          const missing = tried && !key.field;
          return (
            <Form.Item key={label} label={t(label)} htmlFor={`block-key-${i}`} required validateStatus={missing ? "error" : undefined}>
              <Flex gap={8}>
                <Select
                  id={`block-key-${i}`}
                  style={{ flex: 1 }}
                  showSearch={{ optionFilterProp: "label" }}
                  value={key.field || undefined}
                  options={groupable.map((f) => ({ value: f.name, label: fieldTitle(f) }))}
                  onChange={(name: string) => setKey(i, { field: name, bucket: isDated(groupable.find((f) => f.name === name)) ? (key.bucket ?? "month") : null })}
                />
                {isDated(field) && (
                  <Select
                    style={{ width: 140 }}
                    aria-label={t("dashboards.bucket")}
                    value={key.bucket ?? "month"}
                    options={BUCKETS.map((b) => ({ value: b, label: t(`dashboards.bucket.${b}`) }))}
                    onChange={(bucket) => setKey(i, { bucket })}
                  />
                )}
              </Flex>
            </Form.Item>
          );
        })}
        <Form.Item label={t("dashboard.measure")} htmlFor="block-measure">
          <Select id="block-measure" value={form.measure} options={measureOptions(collection, t)} onChange={(measure: string) => set({ measure })} />
        </Form.Item>
        {form.type !== "number" && (
          <Flex gap={16}>
            <Form.Item label={t("dashboards.order")} htmlFor="block-order" style={{ flex: 1 }}>
              <Select
                id="block-order"
                value={form.order}
                options={[
                  { value: "keys", label: t("dashboards.order.keys") },
                  { value: "desc", label: t("dashboards.order.desc") },
                  { value: "asc", label: t("dashboards.order.asc") },
                ]}
                onChange={(order) => set({ order })}
              />
            </Form.Item>
            <Form.Item label={t("dashboards.limit")} htmlFor="block-limit" style={{ width: 180 }}>
              <InputNumber
                id="block-limit"
                style={{ width: "100%" }}
                min={1}
                max={10000}
                precision={0}
                placeholder={t("dashboards.noLimit")}
                value={form.limit}
                onChange={(v) => set({ limit: typeof v === "number" ? v : null })}
              />
            </Form.Item>
          </Flex>
        )}
        <Form.Item label={t("dashboards.filter")}>
          {form.rawFilter !== null ? (
            <Alert
              type="info"
              showIcon
              title={t("dashboards.rawFilter")}
              description={<code>{JSON.stringify(form.rawFilter)}</code>}
              action={<Button size="small" onClick={() => set({ rawFilter: null, filter: emptyGroup() })}>{t("dashboards.clearFilter")}</Button>}
            />
          ) : (
            <div className="dashboard-filter">
              <FilterBuilder fields={collection?.fields ?? []} value={form.filter} onChange={(filter) => set({ filter })} />
            </div>
          )}
        </Form.Item>
        <Form.Item label={t("dashboard.chartTitle")} htmlFor="block-title">
          <Input id="block-title" value={form.title} placeholder={autoTitle(preview, collection, t)} onChange={(e) => set({ title: e.target.value })} />
        </Form.Item>
        {tried && problem && <Alert type="error" showIcon title={t(problem)} />}
      </Form>
    </Modal>
  );
}

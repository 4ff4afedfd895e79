/** Adding or editing a field: title, name, type and the type's options, with the API's errors shown. */

import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, Button, Checkbox, Flex, Form, Input, InputNumber, Modal, Select, Space, Tag } from "antd";
import { useState } from "react";

import { ApiError } from "../api/client";
import * as endpoints from "../api/endpoints";
import type { Choice, Collection, Field, FieldOptions } from "../api/types";
import { fieldTypes } from "../fields/registry";
import { useT, type MessageKey } from "../i18n";
import { FormulaEditor } from "./FormulaEditor";
import { choiceValue, NAME_PATTERN, suggestName } from "./naming";

export const COLORS = ["blue", "cyan", "green", "gold", "orange", "red", "magenta", "purple", "geekblue", "lime", "volcano", "gray"];

interface Values {
  title: string;
  name: string;
  type: string;
  required: boolean;
  unique: boolean;
  indexed: boolean;
  max_length?: number;
  precision?: number;
  scale?: number;
  currency?: string;
  choices?: { label?: string; value?: string; color?: string }[];
  target?: string;
  on_delete?: string;
  inverse?: string;
  pattern?: string;
  expression?: string;
  result_type?: string;
}

export function typeLabel(t: (k: MessageKey) => string, type: string): string {
  return t(`type.${type}` as MessageKey);
}

function optionsOf(v: Values): FieldOptions {
  switch (v.type) {
    case "string":
      return v.max_length ? { max_length: v.max_length } : {};
    case "decimal":
    case "percent":
      return { precision: v.precision ?? 12, scale: v.scale ?? 2 };
    case "currency":
      return { precision: v.precision ?? 12, scale: v.scale ?? 2, ...(v.currency ? { currency: v.currency } : {}) };
    case "select":
    case "multi_select":
      return {
        choices: (v.choices ?? [])
          .filter((c) => c.label?.trim() || c.value?.trim())
          .map((c, i): Choice => {
            const label = c.label?.trim() || c.value?.trim() || "";
            return { value: c.value?.trim() || choiceValue(label, i), label, color: c.color ?? null };
          }),
      };
    case "many_to_one":
      return { target: v.target ?? "", on_delete: v.on_delete ?? "set_null" };
    case "many_to_many":
      return { target: v.target ?? "" };
    case "one_to_many":
      return { target: v.target ?? "", inverse: v.inverse ?? "" };
    case "auto_number":
      return { pattern: v.pattern ?? "{seq:6}" };
    case "formula":
      return { expression: v.expression ?? "", result_type: v.result_type ?? "number" };
    default:
      return {};
  }
}

function initialValues(field: Field | null): Partial<Values> {
  if (!field) return { type: "string", required: false, unique: false, indexed: false, choices: [{}, {}], on_delete: "set_null", pattern: "{seq:6}", result_type: "number" };
  const o = field.options ?? {};
  return {
    title: field.title ?? "",
    name: field.name,
    type: field.type,
    required: field.required ?? false,
    unique: field.unique ?? false,
    indexed: field.indexed ?? false,
    max_length: o.max_length,
    precision: o.precision,
    scale: o.scale,
    currency: o.currency,
    choices: (o.choices ?? []).map((c) => ({ label: c.label ?? c.value, value: c.value, color: c.color ?? undefined })),
    target: o.target,
    on_delete: o.on_delete,
    inverse: o.inverse,
    pattern: o.pattern,
    expression: o.expression,
    result_type: o.result_type,
  };
}

const FORM_FIELDS = new Set(["name", "title", "type", "required", "unique", "indexed"]);

export function FieldModal({
  collection,
  field,
  collections,
  onClose,
  onSaved,
}: {
  collection: Collection;
  field: Field | null;
  collections: Collection[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<ApiError | string | null>(null);
  const [nameTouched, setNameTouched] = useState(field !== null);
  const type = Form.useWatch("type", form) ?? field?.type ?? "string";
  const target = Form.useWatch("target", form);
  const resultType = Form.useWatch("result_type", form);
  const editing = field !== null;
  const creatable = fieldTypes().filter((ft) => ft.creatable);
  const targetCollection = collections.find((c) => c.name === target);

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setProblem(null);
    try {
      const options = optionsOf(v);
      if (editing) {
        await endpoints.updateField(collection.name, field.name, {
          title: v.title,
          required: v.required,
          unique: v.unique,
          indexed: v.indexed,
          ...(Object.keys(options).length ? { options } : {}),
        });
      } else {
        await endpoints.addField(collection.name, {
          name: v.name,
          title: v.title,
          type: v.type,
          required: v.required,
          unique: v.unique,
          indexed: v.indexed,
          ...(Object.keys(options).length ? { options } : {}),
        });
      }
      onSaved();
    } catch (e) {
      if (e instanceof ApiError) {
        const mine = e.errors.filter((x) => FORM_FIELDS.has(x.field));
        form.setFields(mine.map((x) => ({ name: x.field as keyof Values, errors: [x.message] })));
        setProblem(e);
      } else {
        setProblem(String(e));
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      width={640}
      title={editing ? t("schema.editField") : t("schema.addField")}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => void submit()}
      onCancel={onClose}
    >
      {problem && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={typeof problem === "string" ? problem : problem.message}
          description={
            typeof problem !== "string" && problem.errors.length > 0 ? (
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {problem.errors.map((x) => (
                  <li key={`${x.field}:${x.code}`}>
                    <code>{x.field}</code>: {x.message}
                  </li>
                ))}
              </ul>
            ) : undefined
          }
        />
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={initialValues(field)}
        onValuesChange={(changed: Partial<Values>) => {
          if (changed.name !== undefined) setNameTouched(true);
          if (changed.title !== undefined && !nameTouched && !editing) form.setFieldValue("name", suggestName(changed.title));
        }}
      >
        <Flex gap={12}>
          <Form.Item name="title" label={t("schema.fieldTitle")} style={{ flex: 1 }} rules={[{ required: true, message: t("common.required") }]}>
            <Input autoFocus />
          </Form.Item>
          <Form.Item
            name="name"
            label={t("schema.fieldName")}
            style={{ flex: 1 }}
            tooltip={t("schema.nameHint")}
            rules={[
              { required: true, message: t("common.required") },
              { pattern: NAME_PATTERN, message: t("schema.nameInvalid") },
            ]}
          >
            <Input disabled={editing} />
          </Form.Item>
        </Flex>
        <Form.Item name="type" label={t("schema.fieldType")} rules={[{ required: true }]}>
          <Select
            disabled={editing}
            showSearch={{ optionFilterProp: "label" }}
            options={creatable.map((ft) => ({ value: ft.key, label: typeLabel(t, ft.key) }))}
            data-testid="field-type"
          />
        </Form.Item>
        <Space size="large">
          <Form.Item name="required" valuePropName="checked" noStyle>
            <Checkbox>{t("schema.required")}</Checkbox>
          </Form.Item>
          <Form.Item name="unique" valuePropName="checked" noStyle>
            <Checkbox>{t("schema.unique")}</Checkbox>
          </Form.Item>
          <Form.Item name="indexed" valuePropName="checked" noStyle>
            <Checkbox>{t("schema.indexed")}</Checkbox>
          </Form.Item>
        </Space>
        <div style={{ marginTop: 16 }}>
          {type === "string" && (
            <Form.Item name="max_length" label={t("schema.maxLength")}>
              <InputNumber min={1} max={10000} placeholder="255" />
            </Form.Item>
          )}
          {(type === "decimal" || type === "currency" || type === "percent") && (
            <Flex gap={12}>
              <Form.Item name="precision" label={t("schema.precision")}>
                <InputNumber min={1} max={18} placeholder="12" />
              </Form.Item>
              <Form.Item name="scale" label={t("schema.scale")}>
                <InputNumber min={0} max={10} placeholder="2" />
              </Form.Item>
              {type === "currency" && (
                <Form.Item name="currency" label={t("schema.currency")}>
                  <Input placeholder="CNY" maxLength={3} style={{ width: 100 }} />
                </Form.Item>
              )}
            </Flex>
          )}
          {(type === "select" || type === "multi_select") && <ChoicesEditor />}
          {(type === "many_to_one" || type === "many_to_many" || type === "one_to_many") && (
            <Flex gap={12}>
              <Form.Item name="target" label={t("schema.target")} style={{ flex: 1 }} rules={[{ required: true, message: t("common.required") }]}>
                <Select disabled={editing} options={collections.map((c) => ({ value: c.name, label: c.title || c.name }))} />
              </Form.Item>
              {type === "many_to_one" && (
                <Form.Item name="on_delete" label={t("schema.onDelete")} style={{ flex: 1 }}>
                  <Select
                    options={[
                      { value: "set_null", label: t("schema.onDelete.set_null") },
                      { value: "restrict", label: t("schema.onDelete.restrict") },
                      { value: "cascade", label: t("schema.onDelete.cascade") },
                    ]}
                  />
                </Form.Item>
              )}
              {type === "one_to_many" && (
                <Form.Item name="inverse" label={t("schema.inverse")} style={{ flex: 1 }} rules={[{ required: true, message: t("common.required") }]}>
                  <Select
                    disabled={editing}
                    options={(targetCollection?.fields ?? [])
                      .filter((f) => f.type === "many_to_one" && f.options?.target === collection.name)
                      .map((f) => ({ value: f.name, label: f.title || f.name }))}
                  />
                </Form.Item>
              )}
            </Flex>
          )}
          {type === "auto_number" && (
            <Form.Item name="pattern" label={t("schema.pattern")} extra={t("schema.patternHint")}>
              <Input placeholder="TK-{YYYY}-{seq:6}" />
            </Form.Item>
          )}
          {type === "formula" && (
            <>
              <Form.Item name="expression" label={t("schema.expression")} extra={t("schema.expressionHint")} rules={[{ required: true, message: t("common.required") }]}>
                <FormulaEditor collection={collection} exclude={field?.name} resultType={resultType ?? "number"} />
              </Form.Item>
              <Form.Item name="result_type" label={t("schema.resultType")}>
                <Select
                  options={["number", "text", "boolean", "date"].map((rt) => ({ value: rt, label: t(`schema.result.${rt}` as MessageKey) }))}
                />
              </Form.Item>
            </>
          )}
        </div>
      </Form>
    </Modal>
  );
}

function ChoicesEditor() {
  const t = useT();
  return (
    <Form.Item label={t("schema.choices")} required>
      <Form.List name="choices">
        {(items, { add, remove }) => (
          <>
            {items.map((item, index) => (
              <Flex key={item.key} gap={8} style={{ marginBottom: 8 }} data-testid="choice-row">
                <Form.Item name={[item.name, "label"]} noStyle>
                  <Input placeholder={t("schema.choiceLabel")} aria-label={t("schema.choiceLabel")} style={{ flex: 2 }} />
                </Form.Item>
                <Form.Item name={[item.name, "value"]} noStyle>
                  <Input placeholder={t("schema.choiceValueAuto")} aria-label={t("schema.choiceValue")} style={{ flex: 2 }} />
                </Form.Item>
                <Form.Item name={[item.name, "color"]} noStyle initialValue={COLORS[index % COLORS.length]}>
                  <Select
                    style={{ width: 130 }}
                    aria-label={t("schema.choiceColor")}
                    options={COLORS.map((c) => ({
                      value: c,
                      label: <Tag color={c}>{t(`color.${c}` as MessageKey)}</Tag>,
                    }))}
                  />
                </Form.Item>
                <Button type="text" aria-label={t("schema.removeChoice")} icon={<DeleteOutlined />} onClick={() => remove(item.name)} />
              </Flex>
            ))}
            <Button size="small" icon={<PlusOutlined />} onClick={() => add({ color: COLORS[items.length % COLORS.length] })}>
              {t("schema.addChoice")}
            </Button>
          </>
        )}
      </Form.List>
    </Form.Item>
  );
}

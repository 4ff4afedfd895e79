/** Creating a collection: a plain one, or an extension (business type) of a master collection. */

import { Alert, Checkbox, Form, Input, Modal, Select, Typography } from "antd";
import { useState } from "react";

import { ApiError } from "../api/client";
import type { Collection, Extends } from "../api/types";
import { useT } from "../i18n";
import { collectionTitle } from "../kernel/catalog";
import { NAME_PATTERN, suggestName } from "./naming";
import { createCollection } from "./schemaApi";

interface Values {
  title: string;
  name: string;
  extension: boolean;
  master?: string;
  discriminator?: string;
  value?: string;
}

/** Types a master's discriminator may have (the server also takes other text fields). */
const DISCRIMINATOR_TYPES = new Set(["select", "string"]);

const discriminators = (c: Collection) => c.fields.filter((f) => DISCRIMINATOR_TYPES.has(f.type) && !f.system);

/** The extensions of `master` among `collections`. */
export function extensionsOf(master: string, collections: Collection[]): (Collection & { extends: Extends })[] {
  return collections.filter((c): c is Collection & { extends: Extends } => c.extends?.master === master);
}

export function NewCollectionModal({
  collections,
  onClose,
  onCreated,
}: {
  collections: Collection[];
  onClose: () => void;
  onCreated: (c: Collection) => Promise<void>;
}) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const [touched, setTouched] = useState(false);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const extension = Form.useWatch("extension", form) ?? false;
  const masterName = Form.useWatch("master", form);
  const discName = Form.useWatch("discriminator", form);
  const masters = collections.filter((c) => !c.extends && discriminators(c).length > 0);
  const master = masters.find((c) => c.name === masterName);
  const siblings = master ? extensionsOf(master.name, collections) : [];
  const fixedDisc = siblings[0]?.extends.discriminator;
  const disc = master?.fields.find((f) => f.name === discName);

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      const ext = v.extension && v.master && v.discriminator && v.value ? { master: v.master, discriminator: v.discriminator, value: v.value } : undefined;
      const c = await createCollection({ name: v.name, title: v.title, ...(ext ? { extends: ext } : {}) });
      await onCreated(c);
    } catch (e) {
      if (e instanceof ApiError) {
        const own: Record<string, keyof Values> = {
          name: "name",
          title: "title",
          "extends.master": "master",
          "extends.discriminator": "discriminator",
          "extends.value": "value",
        };
        const errors = e.errors.map((x) => ({ name: own[x.field.replace(/^[a-z0-9_]+\.extends\./, "extends.")], errors: [x.message] }));
        form.setFields(errors.filter((x): x is { name: keyof Values; errors: string[] } => x.name !== undefined));
        setProblem(e.message);
      } else setProblem(String(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open title={t("schema.newCollection")} okText={t("common.create")} cancelText={t("common.cancel")} confirmLoading={saving} onOk={() => void submit()} onCancel={onClose}>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ extension: false }}
        onValuesChange={(changed: Partial<Values>) => {
          if (changed.name !== undefined) setTouched(true);
          if (changed.title !== undefined && !touched) form.setFieldValue("name", suggestName(changed.title));
          if (changed.master !== undefined) {
            const m = masters.find((c) => c.name === changed.master);
            const fixed = m ? extensionsOf(m.name, collections)[0]?.extends.discriminator : undefined;
            const first = m && (discriminators(m).find((f) => f.type === "select") ?? discriminators(m)[0]);
            form.setFieldsValue({ discriminator: fixed ?? first?.name, value: undefined });
          }
          if (changed.discriminator !== undefined) form.setFieldValue("value", undefined);
        }}
      >
        <Form.Item name="title" label={t("schema.collectionTitle")} rules={[{ required: true, message: t("common.required") }]}>
          <Input autoFocus />
        </Form.Item>
        <Form.Item
          name="name"
          label={t("schema.collectionName")}
          tooltip={t("schema.nameHint")}
          rules={[
            { required: true, message: t("common.required") },
            { pattern: NAME_PATTERN, message: t("schema.nameInvalid") },
          ]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="extension" valuePropName="checked" extra={extension ? t("schema.ext.asExtensionHint") : undefined}>
          <Checkbox>{t("schema.ext.asExtension")}</Checkbox>
        </Form.Item>
        {extension && masters.length === 0 && <Alert type="info" showIcon title={t("schema.ext.noMasters")} />}
        {extension && masters.length > 0 && (
          <>
            <Form.Item name="master" label={t("schema.ext.master")} rules={[{ required: true, message: t("common.required") }]}>
              <Select
                showSearch={{ optionFilterProp: "search" }}
                options={masters.map((c) => ({
                  value: c.name,
                  search: `${collectionTitle(c)} ${c.name}`,
                  label: (
                    <span>
                      {collectionTitle(c)} <Typography.Text type="secondary">{c.name}</Typography.Text>
                    </span>
                  ),
                }))}
              />
            </Form.Item>
            <Form.Item name="discriminator" label={t("schema.ext.discriminator")} rules={[{ required: true, message: t("common.required") }]}>
              <Select
                disabled={!master || fixedDisc !== undefined}
                options={(master ? discriminators(master) : []).map((f) => ({ value: f.name, label: `${f.title || f.name} (${f.name})` }))}
              />
            </Form.Item>
            <Form.Item name="value" label={t("schema.ext.value")} rules={[{ required: true, message: t("common.required") }]}>
              {disc?.options?.choices ? (
                <Select
                  options={disc.options.choices.map((c) => {
                    const user = siblings.find((s) => s.extends.value === c.value);
                    return {
                      value: c.value,
                      disabled: user !== undefined,
                      label: user ? `${c.label || c.value} (${t("schema.ext.usedBy", { name: user.name })})` : c.label || c.value,
                    };
                  })}
                />
              ) : (
                <Input disabled={!disc} maxLength={64} />
              )}
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}

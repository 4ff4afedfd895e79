/** The record drawer: a form for a new record or an existing one, with the API's errors on their fields. */

import { DeleteOutlined } from "@ant-design/icons";
import { Alert, Button, Descriptions, Drawer, Form, Popconfirm, Space } from "antd";
import { useMemo, useState } from "react";

import { ApiError } from "../../api/client";
import * as endpoints from "../../api/endpoints";
import type { Collection, Field, JSONValue, RecordData } from "../../api/types";
import { fieldType, isWritable } from "../../fields/registry";
import { fieldTitle } from "../../fields/values";
import { useT } from "../../i18n";
import { sameValue, toWrite } from "./values";

interface Props {
  collection: Collection;
  /** null: a new record; undefined: closed. */
  record: RecordData | null | undefined;
  canWrite: (field: Field) => boolean;
  canDelete: boolean;
  onClose: () => void;
  onSaved: (record: RecordData, created: boolean) => void;
  onDeleted: (id: number) => void;
}

function FieldInput({ field, value, onChange, id }: { field: Field; value?: JSONValue; onChange?: (v: JSONValue) => void; id?: string }) {
  const Editor = fieldType(field.type).Editor;
  if (!Editor) return null;
  return <Editor field={field} value={value} onChange={(v) => onChange?.(v)} id={id} />;
}

export function RecordDrawer(props: Props) {
  // A new form for each record: its state starts afresh, with the record's values.
  if (props.record === undefined) return null;
  return <RecordForm key={props.record?.id ?? "new"} {...props} record={props.record} />;
}

function RecordForm({ collection, record, canWrite, canDelete, onClose, onSaved, onDeleted }: Props & { record: RecordData | null }) {
  const t = useT();
  const [form] = Form.useForm<Record<string, JSONValue>>();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const creating = record === null;

  const editable = useMemo(() => collection.fields.filter((f) => isWritable(f) && canWrite(f)), [collection, canWrite]);
  const readOnly = useMemo(
    () => collection.fields.filter((f) => !editable.includes(f) && f.type !== "one_to_many"),
    [collection, editable],
  );

  const initial = useMemo(() => {
    const values: Record<string, JSONValue> = {};
    for (const f of editable) {
      const v = record ? record[f.name] : f.default;
      values[f.name] = v === undefined ? null : v;
    }
    return values;
  }, [record, editable]);

  const save = async () => {
    const values = form.getFieldsValue(true) as Record<string, JSONValue>;
    const body: Record<string, JSONValue> = {};
    for (const f of editable) {
      const v = values[f.name];
      if (creating) {
        if (v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && v.length === 0)) body[f.name] = toWrite(f, v);
      } else if (record && !sameValue(f, v, record[f.name])) {
        body[f.name] = toWrite(f, v);
      }
    }
    setSaving(true);
    setProblem(null);
    form.setFields(editable.map((f) => ({ name: f.name, errors: [] })));
    try {
      if (creating) {
        onSaved(await endpoints.createRecord(collection.name, body), true);
      } else if (record) {
        if (Object.keys(body).length > 0) onSaved(await endpoints.updateRecord(collection.name, record.id, body), false);
        else onClose();
      }
    } catch (e) {
      if (!(e instanceof ApiError)) {
        setProblem(String(e));
        return;
      }
      const known = new Set(editable.map((f) => f.name));
      const messages = e.fieldMessages();
      const onFields = Object.entries(messages).filter(([name]) => known.has(name));
      form.setFields(onFields.map(([name, message]) => ({ name, errors: [message] })));
      if (onFields.length === 0 || onFields.length < Object.keys(messages).length) setProblem(e.message);
      else setProblem(t("record.fixErrors"));
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    if (!record) return;
    try {
      await endpoints.deleteRecord(collection.name, record.id);
      onDeleted(record.id);
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <Drawer
      open
      onClose={onClose}
      size={560}
      title={creating ? t("record.new") : t("record.edit", { id: record?.id ?? "" })}
      extra={
        <Space>
          {!creating && canDelete && (
            <Popconfirm title={t("record.deleteConfirm")} okText={t("common.delete")} cancelText={t("common.cancel")} onConfirm={() => void remove()}>
              <Button danger icon={<DeleteOutlined />}>
                {t("common.delete")}
              </Button>
            </Popconfirm>
          )}
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="primary" loading={saving} onClick={() => void save()} data-testid="record-save">
            {t("common.save")}
          </Button>
        </Space>
      }
    >
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" initialValues={initial} onFinish={() => void save()} requiredMark>
        {editable.map((f) => (
          <Form.Item key={f.name} name={f.name} label={fieldTitle(f)} required={f.required} tooltip={f.description || undefined}>
            <FieldInput field={f} />
          </Form.Item>
        ))}
      </Form>
      {record && readOnly.length > 0 && (
        <Descriptions size="small" column={1} bordered title={t("record.details")}>
          {readOnly.map((f) => (
            <Descriptions.Item key={f.name} label={fieldTitle(f)}>
              {fieldType(f.type).render(record[f.name], f, t)}
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
    </Drawer>
  );
}

/** The record drawer: a form for a new record or an existing one, laid out by field type, with the
 * API's errors on their fields, the fields of the business type the discriminator picks (T-shaped
 * collections), and the record's history. */

import { DeleteOutlined } from "@ant-design/icons";
import { Alert, Button, Drawer, Form, Popconfirm, Space, Tabs, type FormInstance } from "antd";
import { useMemo, useState } from "react";

import { ApiError } from "../../api/client";
import * as endpoints from "../../api/endpoints";
import type { Collection, Field, RecordData } from "../../api/types";
import { isWritable } from "../../fields/registry";
import { useT } from "../../i18n";
import { useCatalog } from "../../kernel/catalog";
import { allowedFields, useSession } from "../../kernel/session";
import { errorPlaces, initialValues, recordBody, type FormExtension, type FormValues } from "./formValues";
import { HistoryList } from "./HistoryList";
import "./record.css";
import { RecordForm } from "./RecordForm";

type FieldData = Parameters<FormInstance<FormValues>["setFields"]>[0][number];

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

export function RecordDrawer(props: Props) {
  // A new form for each record: its state starts afresh, with the record's values.
  if (props.record === undefined) return null;
  return <RecordPanel key={props.record?.id ?? "new"} {...props} record={props.record} />;
}

function RecordPanel({ collection, record, canWrite, canDelete, onClose, onSaved, onDeleted }: Props & { record: RecordData | null }) {
  const t = useT();
  const { user } = useSession();
  const { get } = useCatalog();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [tab, setTab] = useState("form");
  const creating = record === null;

  const editable = useMemo(() => collection.fields.filter((f) => isWritable(f) && canWrite(f)), [collection, canWrite]);
  const extensions: FormExtension[] = useMemo(() => {
    const action = creating ? "create" : "update";
    return (collection.extensions ?? [])
      .map((n) => get(n))
      .filter((c): c is Collection => Boolean(c?.extends))
      .map((c) => {
        const allowed = allowedFields(user, c.name, action);
        // Who may write none of the master's fields writes none of its extension's either.
        const mayWrite = editable.length > 0;
        return { collection: c, editable: c.fields.filter((f) => mayWrite && isWritable(f) && (allowed === null || allowed.has(f.name))) };
      });
  }, [collection, get, user, creating, editable]);
  const initial = useMemo(() => initialValues(editable, extensions, record), [editable, extensions, record]);

  const save = async () => {
    const values = form.getFieldsValue(true) as FormValues;
    const body = recordBody(editable, extensions, values, record);
    setSaving(true);
    setProblem(null);
    // Clear the errors shown by the last try, own fields and extension fields alike.
    form.setFields([
      ...editable.map((f) => ({ name: f.name, errors: [] })),
      ...extensions.flatMap((e) => e.editable.map((f) => ({ name: [e.collection.name, f.name], errors: [] }))),
    ] as FieldData[]);
    try {
      if (creating) {
        onSaved(await endpoints.createRecord(collection.name, body), true);
      } else if (Object.keys(body).length > 0) {
        onSaved(await endpoints.updateRecord(collection.name, record.id, body), false);
      } else {
        onClose();
      }
    } catch (e) {
      if (!(e instanceof ApiError)) {
        setProblem(String(e));
        return;
      }
      const places = errorPlaces(e.errors, editable, extensions);
      const onFields = places.filter((p): p is { name: string[]; message: string } => p.name !== null);
      form.setFields(onFields.map((p) => ({ name: p.name.length === 1 ? p.name[0] : p.name, errors: [p.message] })) as FieldData[]);
      setTab("form");
      if (onFields.length === 0) setProblem(e.message);
      else if (onFields.length < places.length) setProblem(places.filter((p) => p.name === null).map((p) => p.message).join("; "));
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

  const formPane = (
    <>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" initialValues={initial} onFinish={() => void save()} requiredMark>
        <RecordForm collection={collection} record={record} editable={editable} extensions={extensions} />
      </Form>
    </>
  );

  return (
    <Drawer
      open
      onClose={onClose}
      size={720}
      title={creating ? t("record.new") : t("record.edit", { id: record.id })}
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
      {creating ? (
        formPane
      ) : (
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: "form", label: t("form.details"), children: formPane },
            { key: "history", label: t("form.history"), children: <HistoryList collection={collection} id={record.id} />, destroyOnHidden: true },
          ]}
        />
      )}
    </Drawer>
  );
}

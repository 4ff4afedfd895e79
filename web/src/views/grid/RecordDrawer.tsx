/** The record drawer: a form for a new record or an existing one, laid out by field type, with the
 * API's errors on their fields, the fields of the business type the discriminator picks (T-shaped
 * collections), and the record's history. */

import { DeleteOutlined } from "@ant-design/icons";
import { Alert, Button, Drawer, Form, Popconfirm, Space, Tabs } from "antd";
import { useState } from "react";

import * as endpoints from "../../api/endpoints";
import type { Collection, Field, RecordData } from "../../api/types";
import { useT } from "../../i18n";
import { HistoryList } from "./HistoryList";
import "./record.css";
import { RecordForm } from "./RecordForm";
import { useRecordEditor } from "./useRecordEditor";

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
  const editor = useRecordEditor(collection, record, canWrite);
  const { form, editable, extensions, initial, saving, problem, setProblem } = editor;
  const [tab, setTab] = useState("form");
  const creating = record === null;

  const save = () =>
    editor.save(
      (saved, created) => (saved ? onSaved(saved, created) : onClose()),
      () => setTab("form"),
    );

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

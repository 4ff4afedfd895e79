/** The form view: a data-entry form for new records of the collection, with the fields the view
 * chooses, in its order (required fields always); each submission creates a record through the
 * API, the refused values are marked on their fields, and the form starts again for the next. */

import { CheckCircleFilled, UnorderedListOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Empty, Flex, Form, Popover, Result, Typography } from "antd";
import { useCallback, useEffect, useMemo, useState } from "react";
import { Link } from "react-router";

import type { Collection, Field, RecordData } from "../../api/types";
import { isWritable } from "../../fields/registry";
import { useT } from "../../i18n";
import { collectionTitle } from "../../kernel/catalog";
import { allowedFields, can, useSession } from "../../kernel/session";
import { ColumnChooser } from "../grid/ColumnChooser";
import { visibleFields } from "../grid/columns";
import "../grid/record.css";
import { RecordForm } from "../grid/RecordForm";
import { useRecordEditor } from "../grid/useRecordEditor";
import type { ViewHostProps } from "../saved/types";

/** The fields on the form: the chosen ones in their order, then any required field left out. */
export function formFields(offered: Field[], chosen: string[] | null): Field[] {
  const shown: Field[] = visibleFields(offered, chosen);
  return [...shown, ...offered.filter((f) => f.required && !shown.includes(f))];
}

export function FormView({ collection, view, onDraft }: ViewHostProps) {
  const t = useT();
  const { user } = useSession();
  const name = collection.name;
  const creatable = useMemo(() => allowedFields(user, name, "create"), [user, name]);
  const offered = useMemo(
    () => collection.fields.filter((f) => isWritable(f) && (creatable === null || creatable.has(f.name))),
    [collection, creatable],
  );
  const saved = view?.config.fields ?? null;
  const [chosen, setChosen] = useState<string[] | null>(saved);
  const fields = useMemo(() => formFields(offered, chosen), [offered, chosen]);

  // The view's config: the fields, as chosen; dirty when they differ from the saved view's.
  const key = JSON.stringify(chosen);
  useEffect(() => {
    const config = { ...(view?.config ?? {}), ...(chosen ? { fields: chosen } : {}) };
    onDraft?.({ config, dirty: view ? key !== JSON.stringify(saved) : chosen !== null });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` holds `chosen`
  }, [key, view, onDraft]);

  const [created, setCreated] = useState<RecordData | null>(null);
  const [round, setRound] = useState(0);

  if (!can(user, name, "create")) return <Empty description={t("formView.noCreate")} />;

  return (
    <Flex vertical gap={12} style={{ minHeight: 0, overflow: "auto", paddingBottom: 24 }}>
      <Flex gap={8} align="center">
        <Popover
          trigger="click"
          placement="bottomLeft"
          content={
            <>
              <ColumnChooser
                fields={offered}
                value={chosen === null ? null : fields.map((f) => f.name)}
                onChange={setChosen}
                locked={(f) => f.required === true}
              />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t("formView.requiredAlways")}
              </Typography.Text>
            </>
          }
        >
          <Button icon={<UnorderedListOutlined />} data-testid="form-fields-button">
            {t("formView.fields")}
          </Button>
        </Popover>
      </Flex>
      <Card style={{ maxWidth: 760 }} title={view?.name ?? collectionTitle(collection)} data-testid="form-view">
        {created ? (
          <Result
            icon={<CheckCircleFilled />}
            status="success"
            title={t("formView.submitted", { id: created.id })}
            extra={[
              <Button
                key="again"
                type="primary"
                onClick={() => {
                  setCreated(null);
                  setRound((r) => r + 1);
                }}
              >
                {t("formView.another")}
              </Button>,
              <Link key="records" to={`/c/${name}`}>
                <Button>{t("formView.records")}</Button>
              </Link>,
            ]}
          />
        ) : (
          <EntryForm key={round} collection={collection} fields={fields} onCreated={setCreated} />
        )}
      </Card>
    </Flex>
  );
}

function EntryForm({ collection, fields, onCreated }: { collection: Collection; fields: Field[]; onCreated: (record: RecordData) => void }) {
  const t = useT();
  const names = useMemo(() => new Set(fields.map((f) => f.name)), [fields]);
  const canWrite = useCallback((f: Field) => names.has(f.name), [names]);
  const editor = useRecordEditor(collection, null, canWrite);
  // The view's order (the editor keeps the collection's).
  const ordered = useMemo(() => fields.filter((f) => editor.editable.includes(f)), [fields, editor.editable]);
  const submit = () => void editor.save((record) => record && onCreated(record));

  return (
    <>
      <Typography.Paragraph type="secondary">{t("formView.hint")}</Typography.Paragraph>
      {editor.problem && <Alert type="error" showIcon title={editor.problem} style={{ marginBottom: 16 }} />}
      <Form form={editor.form} layout="vertical" initialValues={editor.initial} onFinish={submit} requiredMark>
        <RecordForm collection={collection} record={null} editable={ordered} extensions={editor.extensions} />
        <Button type="primary" htmlType="submit" loading={editor.saving} data-testid="form-submit">
          {t("formView.submit")}
        </Button>
      </Form>
    </>
  );
}

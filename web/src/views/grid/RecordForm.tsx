/** The record form's fields, laid out by type (short values two to a row, long text, lists and
 * files across), then the fields of the business type the discriminator picks, then the
 * read-only values of an existing record. */

import { Col, Descriptions, Divider, Form, Row } from "antd";
import { useMemo } from "react";

import type { Collection, Field, JSONValue, RecordData } from "../../api/types";
import { fieldLayout, fieldType } from "../../fields/registry";
import { fieldTitle } from "../../fields/values";
import { useT } from "../../i18n";
import { activeExtension, type FormExtension, type FormValues } from "./formValues";

function FieldInput({ field, value, onChange, id }: { field: Field; value?: JSONValue; onChange?: (v: JSONValue) => void; id?: string }) {
  const Editor = fieldType(field.type).Editor;
  if (!Editor) return null;
  return <Editor field={field} value={value} onChange={(v) => onChange?.(v)} id={id} />;
}

function FieldGrid({ fields, prefix }: { fields: Field[]; prefix?: string }) {
  return (
    <Row gutter={16}>
      {fields.map((f) => (
        <Col key={f.name} span={fieldLayout(f) === "full" ? 24 : 12}>
          <Form.Item name={prefix ? [prefix, f.name] : f.name} label={fieldTitle(f)} required={f.required} tooltip={f.description || undefined}>
            <FieldInput field={f} />
          </Form.Item>
        </Col>
      ))}
    </Row>
  );
}

interface Props {
  collection: Collection;
  record: RecordData | null;
  editable: Field[];
  extensions: FormExtension[];
}

export function RecordForm({ collection, record, editable, extensions }: Props) {
  const t = useT();
  const form = Form.useFormInstance<FormValues>();
  // Re-render when a discriminator changes (the business type's fields follow it).
  const discriminators = [...new Set(extensions.map((e) => e.collection.extends?.discriminator ?? ""))];
  const watched = Form.useWatch((values: FormValues) => JSON.stringify(discriminators.map((d) => values[d] ?? null)), form);
  const active = useMemo(() => {
    const values: FormValues = {};
    for (const d of discriminators) values[d] = (form.getFieldValue(d) as JSONValue | undefined) ?? (record?.[d] ?? null);
    return activeExtension(extensions, values);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `watched` holds the discriminators' values
  }, [watched, extensions, record]);

  const readOnly = useMemo(
    () => collection.fields.filter((f) => !editable.includes(f) && f.type !== "one_to_many" && f.name !== "id"),
    [collection, editable],
  );
  const extReadOnly = useMemo(() => {
    if (!active || !record) return [];
    return active.collection.fields.filter((f) => !f.system && !active.editable.includes(f));
  }, [active, record]);
  const held = active && record ? record[active.collection.name] : undefined;
  const extValues = held && typeof held === "object" && !Array.isArray(held) ? held : {};

  return (
    <>
      <FieldGrid fields={editable} />
      {active && (active.editable.length > 0 || extReadOnly.length > 0) && (
        <section className="record-extension" data-testid="record-extension" aria-label={active.collection.title || active.collection.name}>
          <Divider titlePlacement="start" style={{ marginTop: 0 }}>
            {t("form.extension", { name: active.collection.title || active.collection.name })}
          </Divider>
          <FieldGrid fields={active.editable} prefix={active.collection.name} />
          {extReadOnly.length > 0 && (
            <Descriptions size="small" column={2} bordered style={{ marginBottom: 16 }}>
              {extReadOnly.map((f) => (
                <Descriptions.Item key={f.name} label={fieldTitle(f)}>
                  {fieldType(f.type).render(extValues[f.name], f, t)}
                </Descriptions.Item>
              ))}
            </Descriptions>
          )}
        </section>
      )}
      {record && readOnly.length > 0 && (
        <Descriptions size="small" column={2} bordered title={t("record.details")}>
          {readOnly.map((f) => (
            <Descriptions.Item key={f.name} label={fieldTitle(f)} span={fieldLayout(f) === "full" ? 2 : 1}>
              {fieldType(f.type).render(record[f.name], f, t)}
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
    </>
  );
}

/** What to do with the selected rows: select every record the filter matches, set one field on
 * all of them (bulk edit), or delete them, each after saying how many records it touches. */

import { CloseOutlined, DeleteOutlined, EditOutlined } from "@ant-design/icons";
import { App as AntApp, Button, Flex, Form, Modal, Select, Typography } from "antd";
import { useState } from "react";

import { ApiError } from "../../api/client";
import * as endpoints from "../../api/endpoints";
import type { Field, JSONValue } from "../../api/types";
import { fieldType } from "../../fields/registry";
import { fieldTitle } from "../../fields/values";
import { useT } from "../../i18n";
import { selectAllMatching, selectedCount, selectionFilter, type Selection } from "./selection";
import { toWrite } from "./values";

interface Props {
  collection: string;
  selection: Selection;
  /** How many records the grid's filter matches (counted). */
  total: number | undefined;
  /** The grid's filter with its quick search, for "every matching record". */
  filter: JSONValue | undefined;
  /** Fields a bulk edit may set. */
  editable: Field[];
  canDelete: boolean;
  onChange: (selection: Selection) => void;
  /** After a bulk write: the grid reloads and the selection is cleared. */
  onDone: () => void;
}

export function SelectionBar({ collection, selection, total, filter, editable, canDelete, onChange, onDone }: Props) {
  const t = useT();
  const { message, modal } = AntApp.useApp();
  const [editing, setEditing] = useState(false);
  const count = selectedCount(selection, total);
  if (count === 0 && !selection.all) return null;

  const failure = (e: unknown) => (e instanceof Error ? e.message : String(e));

  const remove = () => {
    modal.confirm({
      title: t("bulk.deleteTitle", { count }),
      content: t("bulk.deleteBody"),
      okText: t("bulk.deleteOk", { count }),
      okButtonProps: { danger: true },
      cancelText: t("common.cancel"),
      onOk: async () => {
        try {
          const n = await endpoints.bulkDelete(collection, selectionFilter(selection, filter));
          void message.success(t("bulk.deleted", { count: n }));
          onDone();
        } catch (e) {
          void message.error(failure(e));
        }
      },
    });
  };

  return (
    <Flex gap={12} align="center" wrap className="selection-bar" data-testid="selection-bar">
      <Typography.Text strong data-testid="selection-count">
        {t("select.count", { count })}
      </Typography.Text>
      {!selection.all && total !== undefined && total > count && (
        <Button size="small" type="link" onClick={() => onChange(selectAllMatching())} data-testid="select-matching">
          {t("select.allMatching", { count: total })}
        </Button>
      )}
      {editable.length > 0 && (
        <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="bulk-edit">
          {t("bulk.edit")}
        </Button>
      )}
      {canDelete && (
        <Button size="small" danger icon={<DeleteOutlined />} onClick={remove} data-testid="bulk-delete">
          {t("bulk.delete")}
        </Button>
      )}
      <Button size="small" type="text" icon={<CloseOutlined />} onClick={() => onChange({ all: false, ids: new Set(), anchor: null })}>
        {t("select.clear")}
      </Button>
      {editing && (
        <BulkEditModal
          count={count}
          fields={editable}
          onCancel={() => setEditing(false)}
          onApply={async (field, value) => {
            const n = await endpoints.bulkUpdate(collection, selectionFilter(selection, filter), { [field.name]: toWrite(field, value) });
            setEditing(false);
            void message.success(t("bulk.updated", { count: n }));
            onDone();
          }}
          failure={failure}
        />
      )}
    </Flex>
  );
}

function BulkEditModal({
  count,
  fields,
  onCancel,
  onApply,
  failure,
}: {
  count: number;
  fields: Field[];
  onCancel: () => void;
  onApply: (field: Field, value: JSONValue) => Promise<void>;
  failure: (e: unknown) => string;
}) {
  const t = useT();
  const [name, setName] = useState<string | undefined>(undefined);
  const [value, setValue] = useState<JSONValue>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = fields.find((f) => f.name === name);
  const Editor = field ? fieldType(field.type).Editor : undefined;

  const apply = async () => {
    if (!field) return;
    setBusy(true);
    setError(null);
    try {
      await onApply(field, value);
    } catch (e) {
      setError(e instanceof ApiError ? (e.fieldMessages()[field.name] ?? e.message) : failure(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t("bulk.editTitle", { count })}
      okText={t("bulk.apply", { count })}
      cancelText={t("common.cancel")}
      okButtonProps={{ disabled: !field, loading: busy }}
      onOk={() => void apply()}
      onCancel={onCancel}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label={t("bulk.field")}>
          <Select
            aria-label={t("bulk.field")}
            showSearch={{ optionFilterProp: "label" }}
            value={name}
            options={fields.map((f) => ({ value: f.name, label: fieldTitle(f) }))}
            onChange={(n: string) => {
              setName(n);
              setValue(null);
              setError(null);
            }}
          />
        </Form.Item>
        {field && Editor && (
          <Form.Item
            label={t("bulk.value")}
            validateStatus={error ? "error" : undefined}
            help={error ?? t("bulk.valueHint")}
            htmlFor="bulk-value"
          >
            <Editor key={field.name} field={field} value={value} onChange={(v) => (setValue(v), setError(null))} id="bulk-value" status={error ? "error" : undefined} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

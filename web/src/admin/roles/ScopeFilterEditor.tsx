/** A "filter" record scope: the filter builder, conditions on the signed-in user
 * (`{{currentUser.id}}`, …), and JSON for what the builder cannot draw. */

import { CodeOutlined, DeleteOutlined, FilterOutlined, UserOutlined } from "@ant-design/icons";
import { Button, Flex, Input, Select, Space, Typography } from "antd";
import { useState } from "react";

import type { Field, JSONValue } from "../../api/types";
import { fieldTitle } from "../../fields/values";
import { FilterBuilder } from "../../filters/FilterBuilder";
import { useT, type MessageKey } from "../../i18n";
import {
  fromScopeFilter,
  newVariableCondition,
  toScopeFilter,
  variableFields,
  variablesFor,
  type ScopeForm,
  type VariableCondition,
  type VariableKey,
} from "./scopeFilter";

const VARIABLE_LABELS: Record<VariableKey, MessageKey> = {
  "currentUser.id": "admin.scope.var.id",
  "currentUser.email": "admin.scope.var.email",
  "currentUser.name": "admin.scope.var.name",
  "currentUser.department_ids": "admin.scope.var.departments",
  "currentUser.roles": "admin.scope.var.roles",
  now: "admin.scope.var.now",
};

interface Props {
  fields: Field[];
  value: JSONValue;
  onChange: (filter: JSONValue) => void;
}

export function ScopeFilterEditor({ fields, value, onChange }: Props) {
  const t = useT();
  // The form is kept here so that conditions still being filled in survive (the filter drops them).
  const [form, setForm] = useState<ScopeForm | null>(() => fromScopeFilter(value, fields));
  const [json, setJson] = useState<string | null>(() => (form ? null : JSON.stringify(value, null, 2)));
  const [jsonError, setJsonError] = useState(false);
  // The filter last sent or received: another one coming in (a revert, a reload) resets the form.
  const [synced, setSynced] = useState(() => JSON.stringify(value));
  const incoming = JSON.stringify(value);
  if (incoming !== synced) {
    const next = fromScopeFilter(value, fields);
    setSynced(incoming);
    setForm(next);
    setJson(next ? null : JSON.stringify(value, null, 2));
    setJsonError(false);
  }

  const emit = (filter: JSONValue) => {
    setSynced(JSON.stringify(filter));
    onChange(filter);
  };
  const update = (next: ScopeForm) => {
    setForm(next);
    emit(toScopeFilter(next));
  };

  if (json !== null || !form) {
    const text = json ?? JSON.stringify(value, null, 2);
    const back = jsonError ? null : fromScopeFilter(value, fields);
    return (
      <Flex vertical gap={6} data-testid="scope-json">
        <Input.TextArea
          aria-label={t("admin.scope.json")}
          autoSize={{ minRows: 3, maxRows: 12 }}
          value={text}
          status={jsonError ? "error" : undefined}
          style={{ fontFamily: "monospace" }}
          onChange={(e) => {
            setJson(e.target.value);
            try {
              emit(JSON.parse(e.target.value) as JSONValue);
              setJsonError(false);
            } catch {
              setJsonError(true);
            }
          }}
        />
        {jsonError && <Typography.Text type="danger">{t("admin.scope.badJson")}</Typography.Text>}
        <Space>
          <Button
            size="small"
            icon={<FilterOutlined />}
            disabled={!back}
            onClick={() => {
              setForm(back);
              setJson(null);
            }}
          >
            {t("admin.scope.useBuilder")}
          </Button>
          {!back && !jsonError && <Typography.Text type="secondary">{t("admin.scope.builderCannot")}</Typography.Text>}
        </Space>
      </Flex>
    );
  }

  const userFields = variableFields(fields);
  const firstUserField = userFields[0];
  return (
    <Flex vertical gap={8} data-testid="scope-filter">
      <FilterBuilder fields={fields} value={form.group} onChange={(group) => update({ ...form, group })} />
      {form.variables.map((v) => (
        <VariableRow
          key={v.id}
          condition={v}
          fields={userFields}
          onChange={(next) => update({ ...form, variables: form.variables.map((x) => (x.id === v.id ? next : x)) })}
          onRemove={() => update({ ...form, variables: form.variables.filter((x) => x.id !== v.id) })}
        />
      ))}
      <Space wrap>
        <Button
          size="small"
          icon={<UserOutlined />}
          disabled={!firstUserField}
          onClick={() => {
            const c = firstUserField && newVariableCondition(firstUserField);
            if (c) update({ ...form, variables: [...form.variables, c] });
          }}
        >
          {t("admin.scope.addUserCondition")}
        </Button>
        <Button size="small" type="text" icon={<CodeOutlined />} onClick={() => setJson(JSON.stringify(toScopeFilter(form), null, 2))}>
          {t("admin.scope.editJson")}
        </Button>
      </Space>
    </Flex>
  );
}

function VariableRow({
  condition,
  fields,
  onChange,
  onRemove,
}: {
  condition: VariableCondition;
  fields: Field[];
  onChange: (c: VariableCondition) => void;
  onRemove: () => void;
}) {
  const t = useT();
  const field = fields.find((f) => f.name === condition.field);
  const variables = field ? variablesFor(field) : [];
  const variable = variables.find((v) => v.key === condition.variable);
  return (
    <Flex gap={8} align="center" wrap data-testid="scope-variable">
      <Typography.Text type="secondary" style={{ width: 72, flex: "none" }}>
        {t("filter.and")}
      </Typography.Text>
      <Select
        style={{ width: 150 }}
        aria-label={t("filter.field")}
        value={condition.field}
        options={fields.map((f) => ({ value: f.name, label: fieldTitle(f) }))}
        onChange={(name: string) => {
          const next = fields.find((f) => f.name === name);
          const c = next && newVariableCondition(next);
          if (c) onChange({ ...c, id: condition.id });
        }}
      />
      <Select
        style={{ width: 130 }}
        aria-label={t("filter.operator")}
        value={condition.operator}
        options={(variable?.operators ?? []).map((op) => ({ value: op, label: t(`op.${op}` as MessageKey) }))}
        onChange={(operator) => onChange({ ...condition, operator })}
      />
      <Select
        style={{ width: 190 }}
        aria-label={t("admin.scope.variable")}
        value={condition.variable}
        options={variables.map((v) => ({ value: v.key, label: t(VARIABLE_LABELS[v.key]) }))}
        onChange={(key: VariableKey) => {
          const v = variables.find((x) => x.key === key);
          if (!v) return;
          const operator = (v.operators as readonly string[]).includes(condition.operator) ? condition.operator : v.operators[0];
          onChange({ ...condition, variable: key, operator });
        }}
      />
      <Button type="text" aria-label={t("filter.remove")} icon={<DeleteOutlined />} onClick={onRemove} />
    </Flex>
  );
}

/** One collection's rules for a role: the actions it allows, each with a record scope (and its
 * fields), and the readable / writable fields as a matrix. */

import { PlusOutlined } from "@ant-design/icons";
import { Button, Checkbox, Flex, Input, Popover, Select, Space, Switch, Table, Tag, Tooltip, Typography } from "antd";
import { useState } from "react";

import type { Collection, Field } from "../../api/types";
import { fieldType } from "../../fields/registry";
import { fieldTitle } from "../../fields/values";
import { useT, type MessageKey } from "../../i18n";
import {
  CUSTOM_ACTION,
  STANDARD_ACTIONS,
  allows,
  emptyRule,
  fieldAccess,
  hasFieldRules,
  READ_ACTIONS,
  toggleField,
  type Access,
  type ActionRule,
  type ScopeKind,
} from "./permissionsModel";
import { ScopeFilterEditor } from "./ScopeFilterEditor";

const ACTION_LABELS: Record<string, MessageKey> = {
  list: "admin.perm.action.list",
  get: "admin.perm.action.get",
  create: "admin.perm.action.create",
  update: "admin.perm.action.update",
  delete: "admin.perm.action.delete",
  import: "admin.perm.action.import",
  export: "admin.perm.action.export",
};
const ACTION_HINTS: Record<string, MessageKey> = {
  list: "admin.perm.hint.list",
  get: "admin.perm.hint.get",
  create: "admin.perm.hint.create",
  update: "admin.perm.hint.update",
  delete: "admin.perm.hint.delete",
  import: "admin.perm.hint.import",
  export: "admin.perm.hint.export",
};
const SCOPES: { value: ScopeKind; label: MessageKey }[] = [
  { value: "all", label: "admin.perm.scope.all" },
  { value: "own", label: "admin.perm.scope.own" },
  { value: "department", label: "admin.perm.scope.department" },
  { value: "filter", label: "admin.perm.scope.filter" },
];

export interface FieldChoice {
  /** The name in rules: `title`, or `extension.field`. */
  name: string;
  label: string;
  writable: boolean;
}

/** The fields a rule may name, with their titles, from the collection and its extensions. */
export function fieldChoices(collection: Collection, all: readonly Collection[], names: readonly string[]): FieldChoice[] {
  const find = (name: string): { field: Field; label: string } | null => {
    const [head = "", rest] = name.split(".");
    if (!rest) {
      const f = collection.fields.find((x) => x.name === head);
      return f ? { field: f, label: fieldTitle(f) } : null;
    }
    const ext = all.find((c) => c.name === head);
    const f = ext?.fields.find((x) => x.name === rest);
    return ext && f ? { field: f, label: `${ext.title || ext.name} · ${fieldTitle(f)}` } : null;
  };
  return names.map((name) => {
    const found = find(name);
    const writable = found ? !found.field.system && fieldType(found.field.type).writable : false;
    return { name, label: found?.label ?? name, writable };
  });
}

/** Errors for one action's row, by column. */
export type RowErrors = Partial<Record<"scope" | "fields" | "row", string[]>>;

interface Props {
  collection: Collection;
  fields: FieldChoice[];
  rules: Record<string, ActionRule>;
  customActions: string[];
  errors: Record<string, RowErrors>;
  onRule: (action: string, change: Partial<ActionRule>) => void;
  onAllow: (action: string, on: boolean) => void;
  onFieldAccess: (access: Access, field: string, on: boolean) => void;
}

interface Row {
  action: string;
  rule: ActionRule;
  custom: boolean;
}

function Errors({ messages }: { messages: string[] | undefined }) {
  if (!messages?.length) return null;
  return (
    <div role="alert" data-testid="rule-error">
      {messages.map((m) => (
        <Typography.Text key={m} type="danger" style={{ display: "block", fontSize: 12 }}>
          {m}
        </Typography.Text>
      ))}
    </div>
  );
}

export function CollectionRules({ collection, fields, rules, customActions, errors, onRule, onAllow, onFieldAccess }: Props) {
  const t = useT();
  const [newAction, setNewAction] = useState("");
  const [extraActions, setExtraActions] = useState<string[]>([]);
  const names = fields.map((f) => f.name);
  const custom = [...customActions, ...extraActions.filter((a) => !customActions.includes(a))];
  const rows: Row[] = [...STANDARD_ACTIONS, ...custom].map((action) => ({
    action,
    rule: rules[action] ?? emptyRule(),
    custom: !(STANDARD_ACTIONS as readonly string[]).includes(action),
  }));
  const label = (action: string) => (ACTION_LABELS[action] ? t(ACTION_LABELS[action]) : action);
  const newActionValid = CUSTOM_ACTION.test(newAction) && !rows.some((r) => r.action === newAction);

  return (
    <Flex vertical gap={16} data-testid={`rules-${collection.name}`}>
      <Table<Row>
        size="small"
        rowKey="action"
        pagination={false}
        dataSource={rows}
        expandable={{
          showExpandColumn: false,
          expandedRowKeys: rows.filter((r) => r.rule.allowed && r.rule.scope === "filter").map((r) => r.action),
          expandedRowRender: (r) => (
            <div style={{ paddingInlineStart: 40 }} data-testid={`scope-filter-${r.action}`}>
              <Typography.Text type="secondary" style={{ display: "block", marginBottom: 6 }}>
                {t("admin.perm.filterFor", { action: label(r.action) })}
              </Typography.Text>
              <ScopeFilterEditor fields={collection.fields} value={r.rule.filter} onChange={(filter) => onRule(r.action, { filter })} />
              <Errors messages={errors[r.action]?.scope} />
            </div>
          ),
        }}
        columns={[
          {
            title: t("admin.perm.allowed"),
            key: "allowed",
            width: 90,
            render: (_, r) => (
              <Switch
                size="small"
                checked={r.rule.allowed}
                aria-label={t("admin.perm.allow", { action: label(r.action), collection: collection.title || collection.name })}
                data-testid={`allow-${r.action}`}
                onChange={(allowed) => onAllow(r.action, allowed)}
              />
            ),
          },
          {
            title: t("admin.perm.action"),
            key: "action",
            width: 190,
            render: (_, r) => (
              <Space orientation="vertical" size={0}>
                <Tooltip title={ACTION_HINTS[r.action] ? t(ACTION_HINTS[r.action] as MessageKey) : t("admin.perm.hint.custom")}>
                  <span>
                    {label(r.action)} {r.custom && <Tag style={{ marginInlineStart: 4 }}>{t("admin.perm.custom")}</Tag>}
                  </span>
                </Tooltip>
                <Errors messages={errors[r.action]?.row} />
              </Space>
            ),
          },
          {
            title: t("admin.perm.scope"),
            key: "scope",
            render: (_, r) => (
              <Space orientation="vertical" size={2} style={{ width: "100%" }}>
                <Select<ScopeKind>
                  size="small"
                  style={{ width: 260 }}
                  disabled={!r.rule.allowed}
                  aria-label={t("admin.perm.scopeOf", { action: label(r.action) })}
                  data-testid={`scope-${r.action}`}
                  value={r.rule.scope}
                  status={errors[r.action]?.scope ? "error" : undefined}
                  onChange={(scope) => onRule(r.action, { scope })}
                  options={SCOPES.map((s) => ({ value: s.value, label: t(s.label) }))}
                />
                {!(r.rule.allowed && r.rule.scope === "filter") && <Errors messages={errors[r.action]?.scope} />}
              </Space>
            ),
          },
          {
            title: t("admin.perm.fields"),
            key: "fields",
            width: 170,
            render: (_, r) =>
              hasFieldRules(r.action) ? (
                <Space orientation="vertical" size={2}>
                  <FieldsPicker
                    action={label(r.action)}
                    read={READ_ACTIONS.includes(r.action)}
                    rule={r.rule}
                    fields={fields}
                    onChange={(field, on) => onRule(r.action, { fields: toggleField(r.rule, field, on, names).fields })}
                  />
                  <Errors messages={errors[r.action]?.fields} />
                </Space>
              ) : (
                <Typography.Text type="secondary">—</Typography.Text>
              ),
          },
        ]}
      />
      <Space.Compact style={{ maxWidth: 420 }}>
        <Input
          size="small"
          placeholder={t("admin.perm.customPlaceholder")}
          aria-label={t("admin.perm.customName")}
          value={newAction}
          status={newAction && !newActionValid ? "error" : undefined}
          onChange={(e) => setNewAction(e.target.value.trim())}
          onPressEnter={() => {
            if (!newActionValid) return;
            setExtraActions([...extraActions, newAction]);
            onRule(newAction, { allowed: true });
            setNewAction("");
          }}
        />
        <Button
          size="small"
          icon={<PlusOutlined />}
          disabled={!newActionValid}
          onClick={() => {
            setExtraActions([...extraActions, newAction]);
            onRule(newAction, { allowed: true });
            setNewAction("");
          }}
        >
          {t("admin.perm.addCustom")}
        </Button>
      </Space.Compact>
      <FieldMatrix fields={fields} rules={rules} onFieldAccess={onFieldAccess} />
    </Flex>
  );
}

function FieldsPicker({
  action,
  read,
  rule,
  fields,
  onChange,
}: {
  action: string;
  read: boolean;
  rule: ActionRule;
  fields: FieldChoice[];
  onChange: (field: string, on: boolean) => void;
}) {
  const t = useT();
  const shown = read ? fields : fields.filter((f) => f.writable);
  const count = shown.filter((f) => allows(rule, f.name)).length;
  const text = rule.fields === null ? t("admin.perm.allFields") : t("admin.perm.someFields", { n: count, total: shown.length });
  return (
    <Popover
      trigger="click"
      title={read ? t("admin.perm.readableIn", { action }) : t("admin.perm.writableIn", { action })}
      content={
        <Flex vertical gap={4} style={{ maxHeight: 320, overflow: "auto", minWidth: 220 }}>
          {shown.map((f) => (
            <Checkbox key={f.name} checked={allows(rule, f.name)} onChange={(e) => onChange(f.name, e.target.checked)}>
              {f.label}
            </Checkbox>
          ))}
        </Flex>
      }
    >
      <Button size="small" type={rule.fields === null ? "text" : "dashed"} disabled={!rule.allowed}>
        {text}
      </Button>
    </Popover>
  );
}

function FieldMatrix({
  fields,
  rules,
  onFieldAccess,
}: {
  fields: FieldChoice[];
  rules: Record<string, ActionRule>;
  onFieldAccess: (access: Access, field: string, on: boolean) => void;
}) {
  const t = useT();
  const cell = (access: Access, f: FieldChoice) => {
    if (access === "write" && !f.writable) return <Typography.Text type="secondary">—</Typography.Text>;
    const state = fieldAccess(rules, access, f.name);
    return (
      <Checkbox
        checked={state === "on"}
        indeterminate={state === "mixed"}
        aria-label={t(access === "read" ? "admin.perm.readField" : "admin.perm.writeField", { field: f.label })}
        data-testid={`${access}-${f.name}`}
        onChange={(e) => onFieldAccess(access, f.name, e.target.checked)}
      />
    );
  };
  return (
    <div>
      <Typography.Text strong>{t("admin.perm.fieldRules")}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t("admin.perm.fieldRulesHint")}
      </Typography.Paragraph>
      <Table<FieldChoice>
        size="small"
        rowKey="name"
        pagination={false}
        dataSource={fields}
        scroll={fields.length > 12 ? { y: 360 } : undefined}
        data-testid="field-matrix"
        columns={[
          {
            title: t("admin.perm.field"),
            key: "field",
            render: (_, f) => (
              <span>
                {f.label} <Typography.Text type="secondary" style={{ fontSize: 12 }}>{f.name}</Typography.Text>
              </span>
            ),
          },
          { title: t("admin.perm.readable"), key: "read", width: 110, align: "center", render: (_, f) => cell("read", f) },
          { title: t("admin.perm.writable"), key: "write", width: 110, align: "center", render: (_, f) => cell("write", f) },
        ]}
      />
    </div>
  );
}

/** The filter builder: conditions (field, operator, value) in AND / OR groups, nested one level per click. */

import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Flex, Input, InputNumber, Select, Space, Typography } from "antd";

import type { Field, JSONValue } from "../api/types";
import { fieldType, valueKind } from "../fields/registry";
import { fieldTitle } from "../fields/values";
import { useT, type MessageKey } from "../i18n";
import {
  ARITY,
  defaultValue,
  emptyGroup,
  filterableFields,
  newCondition,
  operatorsFor,
  updateItem,
  type Condition,
  type Group,
  type OperatorKey,
} from "./model";

interface Props {
  fields: Field[];
  value: Group;
  onChange: (group: Group) => void;
}

export function FilterBuilder({ fields, value, onChange }: Props) {
  const usable = filterableFields(fields);
  return <GroupEditor group={value} root fields={usable} onChange={onChange} onRemove={() => onChange(emptyGroup())} />;
}

function GroupEditor({
  group,
  root,
  fields,
  onChange,
  onRemove,
}: {
  group: Group;
  root?: boolean;
  fields: Field[];
  onChange: (group: Group) => void;
  onRemove: () => void;
}) {
  const t = useT();
  const first = fields[0];
  const setItem = (id: string, change: (item: Condition | Group) => Condition | Group | null) =>
    onChange(updateItem(group, id, change));
  return (
    <div className={root ? "filter-group" : "filter-group filter-group-nested"} data-testid={root ? "filter-root" : "filter-group"}>
      {group.items.length === 0 && root && <Typography.Text type="secondary">{t("filter.none")}</Typography.Text>}
      {group.items.map((item, index) => (
        <Flex key={item.id} gap={8} align="flex-start" style={{ marginBottom: 8 }}>
          <div style={{ width: 72, flex: "none", paddingTop: 4 }}>
            {index === 0 ? (
              <Typography.Text type="secondary">{t("filter.where")}</Typography.Text>
            ) : index === 1 ? (
              <Select
                size="small"
                value={group.logic}
                aria-label={t("filter.logic")}
                onChange={(logic) => onChange({ ...group, logic })}
                options={[
                  { value: "$and", label: t("filter.and") },
                  { value: "$or", label: t("filter.or") },
                ]}
              />
            ) : (
              <Typography.Text type="secondary">{group.logic === "$and" ? t("filter.and") : t("filter.or")}</Typography.Text>
            )}
          </div>
          {item.type === "group" ? (
            <GroupEditor
              group={item}
              fields={fields}
              onChange={(next) => setItem(item.id, () => next)}
              onRemove={() => setItem(item.id, () => null)}
            />
          ) : (
            <ConditionEditor
              condition={item}
              fields={fields}
              onChange={(next) => setItem(item.id, () => next)}
              onRemove={() => setItem(item.id, () => null)}
            />
          )}
        </Flex>
      ))}
      <Space>
        <Button
          size="small"
          icon={<PlusOutlined />}
          disabled={!first}
          onClick={() => first && onChange({ ...group, items: [...group.items, newCondition(first)] })}
        >
          {t("filter.addCondition")}
        </Button>
        <Button
          size="small"
          type="text"
          icon={<PlusOutlined />}
          disabled={!first}
          onClick={() =>
            first &&
            onChange({
              ...group,
              items: [...group.items, { ...emptyGroup(group.logic === "$and" ? "$or" : "$and"), items: [newCondition(first)] }],
            })
          }
        >
          {t("filter.addGroup")}
        </Button>
        {!root && (
          <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={onRemove}>
            {t("filter.removeGroup")}
          </Button>
        )}
      </Space>
    </div>
  );
}

function ConditionEditor({
  condition,
  fields,
  onChange,
  onRemove,
}: {
  condition: Condition;
  fields: Field[];
  onChange: (c: Condition) => void;
  onRemove: () => void;
}) {
  const t = useT();
  const field = fields.find((f) => f.name === condition.field);
  const operators = field ? operatorsFor(field) : [];
  return (
    <Flex gap={8} align="flex-start" wrap style={{ flex: 1 }} data-testid="filter-condition">
      <Select
        style={{ width: 160 }}
        showSearch={{ optionFilterProp: "label" }}
        aria-label={t("filter.field")}
        value={condition.field}
        options={fields.map((f) => ({ value: f.name, label: fieldTitle(f) }))}
        onChange={(name) => {
          const next = fields.find((f) => f.name === name);
          if (next) onChange({ ...newCondition(next), id: condition.id });
        }}
      />
      <Select
        style={{ width: 150 }}
        aria-label={t("filter.operator")}
        value={condition.operator}
        options={operators.map((op) => ({ value: op, label: t(`op.${op}` as MessageKey) }))}
        onChange={(operator: OperatorKey) => {
          const keep = ARITY[operator] === ARITY[condition.operator];
          onChange({ ...condition, operator, value: keep ? condition.value : defaultValue(operator) });
        }}
      />
      {field && (
        <div style={{ flex: 1, minWidth: 160 }}>
          <ValueInput field={field} condition={condition} onChange={(value) => onChange({ ...condition, value })} />
        </div>
      )}
      <Button type="text" aria-label={t("filter.remove")} icon={<DeleteOutlined />} onClick={onRemove} />
    </Flex>
  );
}

/** The field that edits a filter value: read-only types borrow a writable type's editor. */
export function valueField(field: Field, operator: OperatorKey): Field {
  const kind = valueKind(field);
  const list = ARITY[operator] === "list";
  if (operator === "$dateOn" || operator === "$dateBefore" || operator === "$dateAfter") return { ...field, type: "date" };
  if (field.type === "select") return list ? { ...field, type: "multi_select" } : field;
  if ((field.type === "many_to_one" || field.type === "one_to_many") && (list || kind === "refs")) return { ...field, type: "many_to_many" };
  if (field.type === "one_to_many") return { ...field, type: "many_to_many" };
  if (field.type === "created_at" || field.type === "updated_at") return { ...field, type: "datetime" };
  if (field.type === "created_by" || field.type === "updated_by") return { ...field, type: "integer" };
  if (field.type === "formula") {
    const map: Record<string, string> = { number: "decimal", text: "string", bool: "boolean", date: "date" };
    return { ...field, type: map[kind] ?? "string", options: { scale: 6 } };
  }
  if (kind === "text") return { ...field, type: "string", options: {} };
  return field;
}

function ValueInput({ field, condition, onChange }: { field: Field; condition: Condition; onChange: (v: JSONValue) => void }) {
  const t = useT();
  const arity = ARITY[condition.operator];
  if (arity === "none") return null;
  const vf = valueField(field, condition.operator);
  const kind = valueKind(vf);
  const Editor = fieldType(vf.type).Editor;
  if (arity === "list" && !["multi_select", "many_to_many"].includes(vf.type)) {
    const numeric = kind === "number" || kind === "ref";
    return (
      <Select
        mode="tags"
        style={{ width: "100%" }}
        aria-label={t("filter.value")}
        placeholder={t("filter.valuesPlaceholder")}
        value={Array.isArray(condition.value) ? condition.value.map(String) : []}
        onChange={(vals: string[]) => onChange(numeric ? vals.map(Number).filter((n) => !Number.isNaN(n)) : vals)}
        open={false}
        tokenSeparators={[",", "，"]}
      />
    );
  }
  if (arity === "pair") {
    const pair = Array.isArray(condition.value) ? condition.value : [null, null];
    const set = (i: number, v: JSONValue) => onChange(i === 0 ? [v, pair[1] ?? null] : [pair[0] ?? null, v]);
    return (
      <Flex gap={4} align="center">
        {Editor ? <Editor field={vf} value={pair[0]} onChange={(v) => set(0, v)} /> : <InputNumber onChange={(v) => set(0, v)} />}
        <span>–</span>
        {Editor ? <Editor field={vf} value={pair[1]} onChange={(v) => set(1, v)} /> : <InputNumber onChange={(v) => set(1, v)} />}
      </Flex>
    );
  }
  if (!Editor) {
    return (
      <Input
        aria-label={t("filter.value")}
        value={typeof condition.value === "string" ? condition.value : ""}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return <Editor field={vf} value={condition.value} onChange={onChange} id={`filter-value-${condition.id}`} />;
}

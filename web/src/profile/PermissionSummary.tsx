/** What the signed-in user may do, from `GET /api/me`: per collection, the actions their roles
 * allow together, with each action's record scope and, when limited, its fields. */

import { Alert, Empty, Space, Table, Tag, Tooltip } from "antd";

import type { JSONValue, Permissions, PermissionRule } from "../api/types";
import { useT, type MessageKey, type Translate } from "../i18n";
import { collectionTitle, useCatalog } from "../kernel/catalog";

const ORDER = ["list", "get", "create", "update", "delete", "import", "export"];
const ACTION_LABELS: Record<string, MessageKey> = {
  list: "admin.perm.action.list",
  get: "admin.perm.action.get",
  create: "admin.perm.action.create",
  update: "admin.perm.action.update",
  delete: "admin.perm.action.delete",
  import: "admin.perm.action.import",
  export: "admin.perm.action.export",
};
const SCOPE_LABELS: Record<string, MessageKey> = {
  all: "profile.scope.all",
  own: "profile.scope.own",
  department: "profile.scope.department",
};

/** One scope in words; a filter is "matching a filter" (its JSON in the tooltip). */
export function scopeText(t: Translate, scope: JSONValue): string {
  if (typeof scope === "string") {
    const key = SCOPE_LABELS[scope];
    return key ? t(key) : scope;
  }
  return t("profile.scope.filter");
}

/** Several roles add up: the API gives "all" or the list of their scopes. */
function scopes(rule: PermissionRule): JSONValue[] {
  return Array.isArray(rule.scope) ? rule.scope : [rule.scope];
}

function ActionTag({ action, rule }: { action: string; rule: PermissionRule }) {
  const t = useT();
  const label = ACTION_LABELS[action] ? t(ACTION_LABELS[action]) : action;
  const list = scopes(rule);
  const text = list.map((s) => scopeText(t, s)).join(t("profile.scope.or"));
  const filters = list.filter((s) => typeof s !== "string");
  const fields = rule.fields?.filter((f) => f !== "id");
  const tip = [filters.length ? JSON.stringify(filters.length === 1 ? filters[0] : filters) : "", fields ? t("profile.fieldsList", { fields: fields.join(", ") }) : ""]
    .filter(Boolean)
    .join("\n");
  return (
    <Tooltip title={tip ? <span style={{ whiteSpace: "pre-wrap" }}>{tip}</span> : undefined}>
      <Tag color={list.includes("all") ? "green" : "blue"} data-testid={`perm-${action}`}>
        {label} · {text}
        {fields && ` · ${t("profile.fieldsCount", { count: fields.length })}`}
      </Tag>
    </Tooltip>
  );
}

export function PermissionSummary({ permissions, admin }: { permissions: Permissions; admin: boolean }) {
  const t = useT();
  const { get } = useCatalog();
  if (admin) return <Alert type="info" showIcon title={t("profile.adminAll")} />;
  const rows = Object.entries(permissions).map(([collection, actions]) => ({ collection, actions }));
  if (rows.length === 0) return <Empty description={t("profile.noPermissions")} />;
  const rank = (a: string) => (ORDER.includes(a) ? ORDER.indexOf(a) : ORDER.length);
  return (
    <Table
      size="small"
      rowKey="collection"
      pagination={false}
      dataSource={rows}
      data-testid="permission-summary"
      columns={[
        {
          title: t("profile.collection"),
          key: "collection",
          width: 200,
          render: (_, r) => {
            const c = get(r.collection);
            return c ? collectionTitle(c) : r.collection;
          },
        },
        {
          title: t("profile.actions"),
          key: "actions",
          render: (_, r) => (
            <Space size={[0, 4]} wrap>
              {Object.entries(r.actions)
                .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
                .map(([action, rule]) => (
                  <ActionTag key={action} action={action} rule={rule} />
                ))}
            </Space>
          ),
        },
      ]}
    />
  );
}

/** /admin/audit: the audit log, newest first, filtered by actor, collection, action, source and
 * time (the filters live in the URL), paged with the API's `before` cursor. */

import { LeftOutlined, ReloadOutlined, RightOutlined } from "@ant-design/icons";
import { Alert, Button, DatePicker, Flex, InputNumber, Select, Space, Table, Tag, Tooltip, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useMemo, useState } from "react";
import { useSearchParams } from "react-router";

import * as endpoints from "../../api/endpoints";
import type { AuditEntry, AuditQuery } from "../../api/types";
import { useT, type MessageKey } from "../../i18n";
import { collectionTitle, useCatalog } from "../../kernel/catalog";
import { PageHeader } from "../AdminPage";
import { problemText } from "../errors";
import { formatTime, parseTime } from "../format";
import { useLoad } from "../useLoad";
import { UserName, UserSelect } from "../users/UserPicker";
import { AuditDetail } from "./AuditDetail";

const SOURCES: Record<string, MessageKey> = {
  ui: "admin.audit.source.ui",
  api: "admin.audit.source.api",
  api_key: "admin.audit.source.api_key",
  workflow: "admin.audit.source.workflow",
  cli: "admin.audit.source.cli",
  system: "admin.audit.source.system",
};
/** The action filters offered; a prefix ending in "." matches a family (docs/api.md, "Permissions
 * and the audit log"). The log's other actions show as they are. */
const ACTIONS: Record<string, MessageKey> = {
  "record.": "admin.audit.action.record",
  "record.create": "admin.audit.action.recordCreate",
  "record.update": "admin.audit.action.recordUpdate",
  "record.delete": "admin.audit.action.recordDelete",
  "record.import": "admin.audit.action.recordImport",
  "schema.": "admin.audit.action.schema",
  "role.": "admin.audit.action.role",
  "role.permissions": "admin.audit.action.rolePermissions",
  "user.": "admin.audit.action.user",
  "department.": "admin.audit.action.department",
  "api_key.": "admin.audit.action.apiKey",
  "workflow.": "admin.audit.action.workflow",
  "auth.": "admin.audit.action.auth",
  "auth.login": "admin.audit.action.login",
  "auth.login_failed": "admin.audit.action.loginFailed",
};
const PAGE_SIZES = [25, 50, 100];

const ACTION_COLORS: Record<string, string> = { record: "blue", schema: "purple", role: "magenta", user: "cyan", department: "geekblue", api_key: "gold", auth: "default", workflow: "green" };

/** The API's query from the page's URL (`?actor=1&collection=tickets&action=record.&since=…`). */
export function auditQuery(params: URLSearchParams): AuditQuery {
  const num = (key: string) => {
    const v = params.get(key);
    return v && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  return {
    actor_id: num("actor"),
    collection: params.get("collection") || undefined,
    record_id: num("record"),
    action: params.get("action") || undefined,
    source: params.get("source") || undefined,
    since: params.get("since") || undefined,
    until: params.get("until") || undefined,
    limit: num("size") ?? PAGE_SIZES[0],
  };
}

export function AuditPage() {
  const t = useT();
  const { collections } = useCatalog();
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => auditQuery(params), [params]);
  // The `before` cursor of each page seen, so that "newer" goes back; reset with the filters.
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const [queryKey, setQueryKey] = useState(params.toString());
  if (queryKey !== params.toString()) {
    setQueryKey(params.toString());
    setCursors([undefined]);
  }
  const before = cursors[cursors.length - 1];
  const page = useLoad((signal) => endpoints.searchAudit({ ...query, before }, signal), `${params.toString()}|${before ?? ""}`);

  const set = (key: string, value: string | number | null | undefined) => {
    const next = new URLSearchParams(params);
    if (value === null || value === undefined || value === "") next.delete(key);
    else next.set(key, String(value));
    setParams(next, { replace: true });
  };
  const setRange = (range: [Dayjs | null, Dayjs | null] | null) => {
    const next = new URLSearchParams(params);
    const [from, to] = range ?? [null, null];
    if (from) next.set("since", from.toISOString());
    else next.delete("since");
    if (to) next.set("until", to.toISOString());
    else next.delete("until");
    setParams(next, { replace: true });
  };

  const actionLabel = (a: string) => {
    const key = ACTIONS[a];
    return key ? t(key) : a;
  };
  const sourceLabel = (s: string) => {
    const key = SOURCES[s];
    return key ? t(key) : s;
  };
  const rows = page.data?.data ?? [];

  return (
    <div data-testid="audit-page">
      <PageHeader
        title={t("admin.nav.audit")}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void page.reload()}>
            {t("common.reload")}
          </Button>
        }
      >
        {t("admin.audit.intro")}
      </PageHeader>
      <Flex gap={8} wrap style={{ marginBottom: 12 }} data-testid="audit-filters">
        <UserSelect placeholder={t("admin.audit.actor")} style={{ width: 220 }} value={query.actor_id} onChange={(v) => set("actor", v)} />
        <Select
          allowClear
          showSearch={{ optionFilterProp: "label" }}
          placeholder={t("admin.audit.collection")}
          aria-label={t("admin.audit.collection")}
          style={{ width: 180 }}
          value={query.collection}
          onChange={(v: string | undefined) => set("collection", v)}
          options={collections.map((c) => ({ value: c.name, label: collectionTitle(c) }))}
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: "label" }}
          placeholder={t("admin.audit.action")}
          aria-label={t("admin.audit.action")}
          style={{ width: 220 }}
          value={query.action}
          onChange={(v: string | undefined) => set("action", v)}
          options={Object.keys(ACTIONS).map((a) => ({ value: a, label: actionLabel(a) }))}
        />
        <Select
          allowClear
          placeholder={t("admin.audit.source")}
          aria-label={t("admin.audit.source")}
          style={{ width: 130 }}
          value={query.source}
          onChange={(v: string | undefined) => set("source", v)}
          options={Object.keys(SOURCES).map((s) => ({ value: s, label: sourceLabel(s) }))}
        />
        <DatePicker.RangePicker
          showTime={{ format: "HH:mm" }}
          format="YYYY-MM-DD HH:mm"
          allowEmpty={[true, true]}
          aria-label={t("admin.audit.time")}
          value={[query.since ? parseTime(query.since) : null, query.until ? parseTime(query.until) : null]}
          onChange={(range) => setRange(range)}
        />
        <InputNumber
          min={1}
          placeholder={t("admin.audit.recordId")}
          aria-label={t("admin.audit.recordId")}
          style={{ width: 110 }}
          value={query.record_id ?? null}
          onChange={(v) => set("record", v)}
        />
      </Flex>
      {Boolean(page.error) && <Alert type="error" showIcon title={problemText(page.error)} style={{ marginBottom: 12 }} />}
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        loading={page.loading}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: t("admin.audit.empty") }}
        expandable={{
          expandedRowRender: (entry) => <AuditDetail entry={entry} />,
          rowExpandable: (entry) => Boolean(entry.changes || entry.detail),
          expandRowByClick: true,
        }}
        columns={[
          { title: t("admin.audit.time"), dataIndex: "at", width: 170, render: (at: string) => formatTime(at, true) },
          {
            title: t("admin.audit.actor"),
            key: "actor",
            width: 220,
            ellipsis: true,
            render: (_, e) => e.actor?.email ?? <Typography.Text type="secondary">{t("admin.audit.noActor")}</Typography.Text>,
          },
          { title: t("admin.audit.source"), dataIndex: "source", width: 100, render: (s: string) => <Tag variant="filled">{sourceLabel(s)}</Tag> },
          {
            title: t("admin.audit.action"),
            dataIndex: "action",
            width: 190,
            render: (a: string) => (
              <Tooltip title={a}>
                <Tag color={ACTION_COLORS[a.split(".")[0] ?? ""] ?? "default"}>{actionLabel(a)}</Tag>
              </Tooltip>
            ),
          },
          { title: t("admin.audit.target"), key: "target", render: (_, e) => <Target entry={e} /> },
          {
            title: t("admin.audit.changed"),
            key: "changed",
            ellipsis: true,
            render: (_, e) => <Typography.Text type="secondary">{Object.keys(e.changes ?? {}).join(", ")}</Typography.Text>,
          },
        ]}
      />
      <Flex justify="space-between" align="center" style={{ marginTop: 12 }}>
        <Typography.Text type="secondary">{t("admin.audit.page", { page: cursors.length })}</Typography.Text>
        <Space>
          <Button icon={<LeftOutlined />} disabled={cursors.length < 2} onClick={() => setCursors(cursors.slice(0, -1))}>
            {t("admin.audit.newer")}
          </Button>
          <Button
            disabled={!page.data?.meta.has_more}
            onClick={() => {
              const next = page.data?.meta.next_before;
              if (next) setCursors([...cursors, next]);
            }}
          >
            {t("admin.audit.older")} <RightOutlined />
          </Button>
          <Select
            aria-label={t("admin.audit.pageSize")}
            value={query.limit}
            onChange={(v: number) => set("size", v)}
            options={PAGE_SIZES.map((n) => ({ value: n, label: t("admin.audit.perPage", { count: n }) }))}
            style={{ width: 120 }}
          />
        </Space>
      </Flex>
    </div>
  );
}

function Target({ entry }: { entry: AuditEntry }) {
  const { get } = useCatalog();
  const detail = entry.detail && typeof entry.detail === "object" && !Array.isArray(entry.detail) ? entry.detail : {};
  if (entry.collection) {
    const c = get(entry.collection);
    return (
      <span>
        {c ? collectionTitle(c) : entry.collection}
        {entry.record_id !== null && <Typography.Text type="secondary"> #{entry.record_id}</Typography.Text>}
      </span>
    );
  }
  if (typeof detail.role === "string") return <span>{detail.role}</span>;
  if (entry.action.startsWith("user.") && entry.record_id !== null) return <UserName id={entry.record_id} />;
  if (typeof detail.name === "string") return <span>{detail.name}</span>;
  if (typeof detail.email === "string") return <span>{detail.email}</span>;
  return entry.record_id !== null ? <span>#{entry.record_id}</span> : null;
}

/** One audit entry opened: its details and its changes as a before / after diff. */

import { Descriptions, Empty, Table, Typography, theme } from "antd";

import type { AuditEntry, JSONValue } from "../../api/types";
import { useT } from "../../i18n";
import { diffChanges, showValue, shownPath, type DiffRow } from "./diff";

function Value({ value, tone }: { value: JSONValue | undefined; tone: "before" | "after" }) {
  const { token } = theme.useToken();
  const text = showValue(value);
  if (!text) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <span
      style={{
        padding: "1px 6px",
        borderRadius: 4,
        wordBreak: "break-word",
        background: tone === "before" ? token.colorErrorBg : token.colorSuccessBg,
        textDecoration: tone === "before" ? "line-through" : undefined,
        textDecorationColor: token.colorTextQuaternary,
      }}
    >
      {text}
    </span>
  );
}

export function AuditDetail({ entry }: { entry: AuditEntry }) {
  const t = useT();
  const rows = diffChanges(entry.changes);
  const detail = entry.detail && typeof entry.detail === "object" && !Array.isArray(entry.detail) ? Object.entries(entry.detail) : [];
  return (
    <div data-testid="audit-detail" style={{ display: "grid", gap: 12, padding: "4px 8px" }}>
      {detail.length > 0 && (
        <Descriptions size="small" column={2} bordered items={detail.map(([key, value]) => ({ key, label: key, children: showValue(value) || "—" }))} />
      )}
      {rows.length > 0 ? (
        <Table<DiffRow>
          size="small"
          rowKey="path"
          pagination={false}
          dataSource={rows}
          columns={[
            { title: t("admin.audit.field"), key: "path", width: "32%", render: (_, r) => <Typography.Text strong>{shownPath(r, rows)}</Typography.Text> },
            { title: t("admin.audit.before"), key: "before", render: (_, r) => <Value value={r.before} tone="before" /> },
            { title: t("admin.audit.after"), key: "after", render: (_, r) => <Value value={r.after} tone="after" /> },
          ]}
        />
      ) : (
        detail.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("admin.audit.noChanges")} />
      )}
    </div>
  );
}

/** /admin/api-keys: everyone's API keys (never their secrets); a new key is shown once; revoke. */

import { KeyOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Badge, Button, DatePicker, Form, Input, Modal, Popconfirm, Select, Space, Table, Typography } from "antd";
import type { Dayjs } from "dayjs";
import dayjs from "dayjs";
import { useState } from "react";

import * as endpoints from "../../api/endpoints";
import type { ApiKey, Role } from "../../api/types";
import { useT } from "../../i18n";
import { PageHeader } from "../AdminPage";
import { problemText, showFormErrors } from "../errors";
import { formatTime, parseTime } from "../format";
import { useLoad } from "../useLoad";
import { UserName } from "../users/UserPicker";

type KeyState = "active" | "expired" | "revoked";

export function keyState(key: ApiKey, now: Dayjs = dayjs()): KeyState {
  if (key.revoked) return "revoked";
  if (key.expires_at && parseTime(key.expires_at).isBefore(now)) return "expired";
  return "active";
}

export function ApiKeysPage() {
  const t = useT();
  const { message } = AntApp.useApp();
  const keys = useLoad((signal) => endpoints.listApiKeys(signal));
  const roles = useLoad((signal) => endpoints.listRoles(signal));
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<ApiKey | null>(null);

  const revoke = async (key: ApiKey) => {
    try {
      await endpoints.revokeApiKey(key.id);
      void message.success(t("admin.keys.revoked"));
      await keys.reload();
    } catch (e) {
      void message.error(problemText(e));
    }
  };

  const stateLabel: Record<KeyState, string> = {
    active: t("admin.keys.active"),
    expired: t("admin.keys.expired"),
    revoked: t("admin.keys.revokedState"),
  };
  const rows = [...(keys.data ?? [])].sort((a, b) => b.id - a.id);

  return (
    <div data-testid="api-keys-page">
      <PageHeader
        title={t("admin.nav.apiKeys")}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t("admin.keys.new")}
          </Button>
        }
      >
        {t("admin.keys.intro")}
      </PageHeader>
      {Boolean(keys.error) && <Alert type="error" showIcon title={problemText(keys.error)} style={{ marginBottom: 12 }} />}
      <Table<ApiKey>
        rowKey="id"
        size="middle"
        loading={keys.loading}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t("admin.keys.empty") }}
        columns={[
          {
            title: t("admin.keys.name"),
            key: "name",
            width: 240,
            render: (_, k) => (
              <Space orientation="vertical" size={0}>
                <span>
                  <KeyOutlined /> {k.name}
                </span>
                <Typography.Text type="secondary" style={{ fontSize: 12, fontFamily: "monospace" }}>
                  {k.prefix}…
                </Typography.Text>
              </Space>
            ),
          },
          { title: t("admin.keys.user"), key: "user", render: (_, k) => <UserName id={k.user_id} /> },
          { title: t("admin.keys.role"), dataIndex: "role" },
          { title: t("admin.keys.created"), dataIndex: "created_at", width: 150, render: (v: string | null) => formatTime(v) },
          { title: t("admin.keys.expires"), dataIndex: "expires_at", width: 150, render: (v: string | null) => (v ? formatTime(v) : t("admin.keys.never")) },
          { title: t("admin.keys.lastUsed"), dataIndex: "last_used_at", width: 150, render: (v: string | null) => (v ? formatTime(v) : "—") },
          {
            title: t("admin.users.status"),
            key: "state",
            width: 110,
            render: (_, k) => {
              const s = keyState(k);
              return <Badge status={s === "active" ? "success" : s === "expired" ? "warning" : "default"} text={stateLabel[s]} />;
            },
          },
          {
            title: "",
            key: "actions",
            width: 100,
            align: "end",
            render: (_, k) =>
              !k.revoked && (
                <Popconfirm
                  title={t("admin.keys.revokeConfirm", { name: k.name })}
                  description={t("admin.keys.revokeHint")}
                  okText={t("admin.keys.revoke")}
                  cancelText={t("common.cancel")}
                  okButtonProps={{ danger: true }}
                  onConfirm={() => void revoke(k)}
                >
                  <Button size="small" danger>
                    {t("admin.keys.revoke")}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      {creating && (
        <NewKeyDialog
          roles={roles.data ?? []}
          onClose={() => setCreating(false)}
          onCreated={(key) => {
            setCreating(false);
            setSecret(key);
            void keys.reload();
          }}
        />
      )}
      {secret && <SecretDialog apiKey={secret} onClose={() => setSecret(null)} />}
    </div>
  );
}

function NewKeyDialog({ roles, onClose, onCreated }: { roles: Role[]; onClose: () => void; onCreated: (key: ApiKey) => void }) {
  const t = useT();
  const [form] = Form.useForm<{ name: string; role: string; expires_at: Dayjs | null }>();
  const [saving, setSaving] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const submit = async (v: { name: string; role: string; expires_at: Dayjs | null }) => {
    setSaving(true);
    setProblems([]);
    try {
      onCreated(await endpoints.createApiKey({ name: v.name.trim(), role: v.role, expires_at: v.expires_at ? v.expires_at.toISOString() : null }));
    } catch (e) {
      setProblems(showFormErrors(t, form, e, ["name", "role", "expires_at"]));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open title={t("admin.keys.new")} okText={t("common.create")} cancelText={t("common.cancel")} confirmLoading={saving} onOk={() => form.submit()} onCancel={onClose} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t("admin.keys.newHint")}</Typography.Paragraph>
      {problems.length > 0 && <Alert type="error" showIcon title={problems.join(" ")} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ name: "", role: roles.find((r) => r.name !== "admin")?.name, expires_at: null }} onFinish={(v) => void submit(v)}>
        <Form.Item name="name" label={t("admin.keys.name")} rules={[{ required: true, whitespace: true, message: t("admin.error.required") }]}>
          <Input autoFocus maxLength={200} placeholder={t("admin.keys.namePlaceholder")} />
        </Form.Item>
        <Form.Item name="role" label={t("admin.keys.role")} rules={[{ required: true, message: t("admin.error.required") }]} extra={t("admin.keys.roleHint")}>
          <Select options={roles.map((r) => ({ value: r.name, label: r.title || r.name }))} />
        </Form.Item>
        <Form.Item name="expires_at" label={t("admin.keys.expires")} extra={t("admin.keys.expiresHint")}>
          <DatePicker showTime disabledDate={(d) => d.isBefore(dayjs(), "day")} style={{ width: "100%" }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function SecretDialog({ apiKey, onClose }: { apiKey: ApiKey; onClose: () => void }) {
  const t = useT();
  return (
    <Modal
      open
      title={t("admin.keys.createdTitle", { name: apiKey.name })}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose}>
          {t("admin.keys.stored")}
        </Button>
      }
      maskClosable={false}
    >
      <Alert type="warning" showIcon title={t("admin.keys.once")} style={{ marginBottom: 12 }} />
      <Typography.Paragraph copyable={{ text: apiKey.key ?? "" }} code data-testid="api-key-secret" style={{ wordBreak: "break-all" }}>
        {apiKey.key}
      </Typography.Paragraph>
      <Typography.Text type="secondary">{t("admin.keys.usage")}</Typography.Text>
    </Modal>
  );
}

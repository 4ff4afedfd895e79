/** /admin/roles: the roles (create, retitle, delete all but `admin` and `member`) and, for the one
 * picked, its permissions. */

import { DeleteOutlined, PlusOutlined, SafetyOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Button, Card, Empty, Flex, Form, Input, List, Modal, Popconfirm, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { useNavigate, useParams } from "react-router";

import * as endpoints from "../../api/endpoints";
import type { Role } from "../../api/types";
import { useT } from "../../i18n";
import { PageHeader } from "../AdminPage";
import { problemText, showFormErrors } from "../errors";
import { useLoad } from "../useLoad";
import { RoleEditor } from "./RoleEditor";

export function RolesPage() {
  const t = useT();
  const { message } = AntApp.useApp();
  const { name } = useParams();
  const navigate = useNavigate();
  const roles = useLoad((signal) => endpoints.listRoles(signal));
  const [creating, setCreating] = useState(false);
  const selected = roles.data?.find((r) => r.name === name);

  const remove = async (role: Role) => {
    try {
      await endpoints.deleteRole(role.name);
      void message.success(t("admin.roles.deleted", { name: role.title || role.name }));
      await roles.reload();
      if (name === role.name) await navigate("/admin/roles");
    } catch (e) {
      void message.error(problemText(e));
    }
  };

  return (
    <div data-testid="roles-page">
      <PageHeader title={t("admin.nav.roles")}>{t("admin.roles.intro")}</PageHeader>
      <Flex gap={16} align="flex-start">
        <Card
          size="small"
          title={t("admin.roles.list")}
          style={{ width: 260, flex: "none" }}
          extra={
            <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t("admin.roles.new")}
            </Button>
          }
          loading={roles.loading && !roles.data}
        >
          {Boolean(roles.error) && <Alert type="error" showIcon title={problemText(roles.error)} />}
          <List
            size="small"
            dataSource={roles.data ?? []}
            renderItem={(r) => (
              <List.Item
                data-testid={`role-${r.name}`}
                style={{ cursor: "pointer", fontWeight: r.name === name ? 600 : undefined, paddingInline: 8, borderRadius: 6 }}
                className={r.name === name ? "ant-list-item-selected" : undefined}
                onClick={() => void navigate(`/admin/roles/${r.name}`)}
                extra={
                  !r.builtin && (
                    <Popconfirm
                      title={t("admin.roles.deleteConfirm", { name: r.title || r.name })}
                      description={t("admin.roles.deleteHint")}
                      okText={t("common.delete")}
                      cancelText={t("common.cancel")}
                      okButtonProps={{ danger: true }}
                      onConfirm={() => void remove(r)}
                      onPopupClick={(e) => e.stopPropagation()}
                    >
                      <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t("admin.roles.delete", { name: r.name })} onClick={(e) => e.stopPropagation()} />
                    </Popconfirm>
                  )
                }
              >
                <Space align="start">
                  <SafetyOutlined style={{ marginTop: 4 }} />
                  <div>
                    <div>
                      {r.title || r.name} {r.builtin && <Tag>{t("admin.roles.builtin")}</Tag>}
                    </div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.name}
                    </Typography.Text>
                  </div>
                </Space>
              </List.Item>
            )}
          />
        </Card>
        <div style={{ flex: 1, minWidth: 0 }}>
          {selected ? (
            <RoleDetail key={selected.name} role={selected} onChanged={() => void roles.reload()} />
          ) : (
            <Card size="small">
              <Empty description={name && roles.data ? t("admin.roles.notFound", { name }) : t("admin.roles.pick")} />
            </Card>
          )}
        </div>
      </Flex>
      {creating && (
        <NewRoleDialog
          onClose={() => setCreating(false)}
          onCreated={async (r) => {
            setCreating(false);
            await roles.reload();
            await navigate(`/admin/roles/${r.name}`);
          }}
        />
      )}
    </div>
  );
}

function RoleDetail({ role, onChanged }: { role: Role; onChanged: () => void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const patch = async (body: { title?: string; description?: string | null }) => {
    try {
      await endpoints.updateRole(role.name, body);
      onChanged();
    } catch (e) {
      void message.error(problemText(e));
    }
  };
  return (
    <Card
      size="small"
      title={
        <Space>
          <Typography.Text
            strong
            editable={{ onChange: (title) => title.trim() && title.trim() !== role.title && void patch({ title: title.trim() }), triggerType: ["icon"], text: role.title }}
          >
            {role.title || role.name}
          </Typography.Text>
          <Typography.Text type="secondary" code>
            {role.name}
          </Typography.Text>
        </Space>
      }
    >
      <Typography.Paragraph
        type="secondary"
        editable={{
          onChange: (description) => description !== (role.description ?? "") && void patch({ description: description || null }),
          triggerType: ["icon", "text"],
          text: role.description ?? "",
        }}
      >
        {role.description || t("admin.roles.noDescription")}
      </Typography.Paragraph>
      {role.name === "admin" ? (
        <Alert type="info" showIcon title={t("admin.roles.adminAll")} />
      ) : (
        <RoleEditor role={role} />
      )}
    </Card>
  );
}

function NewRoleDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (role: Role) => Promise<void> }) {
  const t = useT();
  const [form] = Form.useForm<{ name: string; title: string; description: string }>();
  const [saving, setSaving] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const submit = async (v: { name: string; title: string; description: string }) => {
    setSaving(true);
    setProblems([]);
    try {
      const body: { name: string; title?: string; description?: string } = { name: v.name.trim() };
      if (v.title.trim()) body.title = v.title.trim();
      if (v.description.trim()) body.description = v.description.trim();
      await onCreated(await endpoints.createRole(body));
    } catch (e) {
      setProblems(showFormErrors(t, form, e, ["name", "title", "description"]));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open title={t("admin.roles.new")} okText={t("common.create")} cancelText={t("common.cancel")} confirmLoading={saving} onOk={() => form.submit()} onCancel={onClose} destroyOnHidden>
      {problems.length > 0 && <Alert type="error" showIcon title={problems.join(" ")} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ name: "", title: "", description: "" }} onFinish={(v) => void submit(v)}>
        <Form.Item name="title" label={t("admin.roles.title")}>
          <Input
            autoFocus
            maxLength={200}
            onChange={(e) => {
              // Suggest the name from an English title until the name is typed by hand.
              if (!form.isFieldTouched("name")) form.setFieldValue("name", roleName(e.target.value));
            }}
          />
        </Form.Item>
        <Form.Item
          name="name"
          label={t("admin.roles.name")}
          extra={t("admin.roles.nameHint")}
          rules={[
            { required: true, message: t("admin.error.required") },
            { pattern: /^[a-z][a-z0-9_]*$/, message: t("admin.error.invalidName") },
          ]}
        >
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="description" label={t("admin.roles.description")}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** `Night shift` → `night_shift`; nothing for titles without Latin letters. */
export function roleName(title: string): string {
  const name = title
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^[^a-z]+/, "");
  return name.slice(0, 64).replace(/_+$/, "");
}

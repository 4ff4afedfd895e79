/** The dialog that creates a user or changes one: name, email, phone, password, departments, roles
 * and the default role, with the API's errors on their fields. */

import { Alert, Form, Input, Modal, Select, TreeSelect } from "antd";
import { useState } from "react";

import * as endpoints from "../../api/endpoints";
import type { AdminUser, Department, Role, UserInput } from "../../api/types";
import { useT } from "../../i18n";
import { treeOptions } from "../departments/tree";
import { showFormErrors } from "../errors";

interface Values {
  name: string;
  email: string;
  phone: string;
  password: string;
  departments: number[];
  roles: string[];
  default_role: string | null;
}

const FIELDS = ["name", "email", "phone", "password", "departments", "roles", "default_role"];

/** What to send: everything for a new user; for an existing one, only what changed. */
export function userBody(values: Values, user: AdminUser | null): UserInput {
  const roles = values.roles;
  const defaultRole = values.default_role && roles.includes(values.default_role) ? values.default_role : (roles[0] ?? null);
  if (!user) {
    const body: UserInput = { email: values.email.trim(), password: values.password, name: values.name.trim(), departments: values.departments };
    if (values.phone.trim()) body.phone = values.phone.trim();
    if (roles.length) {
      body.roles = roles;
      if (defaultRole) body.default_role = defaultRole;
    }
    return body;
  }
  const body: UserInput = {};
  if (values.name.trim() !== user.name) body.name = values.name.trim();
  if (values.phone.trim() !== (user.phone ?? "")) body.phone = values.phone.trim() || null;
  const sameList = <T,>(a: T[], b: T[]) => a.length === b.length && a.every((x) => b.includes(x));
  if (!sameList(roles, user.roles)) body.roles = roles;
  if (defaultRole !== user.default_role && roles.length) {
    body.roles = roles;
    body.default_role = defaultRole;
  }
  if (!sameList(values.departments, user.departments.map((d) => d.id))) body.departments = values.departments;
  if (values.password) body.password = values.password;
  return body;
}

export function UserForm({
  user,
  roles,
  departments,
  onClose,
  onSaved,
}: {
  /** null: a new user. */
  user: AdminUser | null;
  roles: Role[];
  departments: Department[];
  onClose: () => void;
  onSaved: (user: AdminUser) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const chosen = Form.useWatch("roles", form) ?? user?.roles ?? [];

  const initial: Values = {
    name: user?.name ?? "",
    email: user?.email ?? "",
    phone: user?.phone ?? "",
    password: "",
    departments: user?.departments.map((d) => d.id) ?? [],
    roles: user?.roles ?? [],
    default_role: user?.default_role ?? null,
  };

  const submit = async (values: Values) => {
    setSaving(true);
    setProblems([]);
    try {
      const body = userBody(values, user);
      if (user && Object.keys(body).length === 0) {
        onClose();
        return;
      }
      onSaved(user ? await endpoints.updateUser(user.id, body) : await endpoints.createUser(body));
    } catch (e) {
      setProblems(showFormErrors(t, form, e, FIELDS, { department: "departments" }));
    } finally {
      setSaving(false);
    }
  };

  const roleTitle = (name: string) => roles.find((r) => r.name === name)?.title || name;
  return (
    <Modal
      open
      title={user ? t("admin.users.edit", { name: user.name || user.email }) : t("admin.users.new")}
      okText={user ? t("common.save") : t("common.create")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      width={560}
      destroyOnHidden
    >
      {problems.length > 0 && <Alert type="error" showIcon title={problems.join(" ")} style={{ marginBottom: 12 }} />}
      <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={(v) => void submit(v)} requiredMark="optional">
        <Form.Item name="name" label={t("admin.users.name")}>
          <Input autoFocus={!user} maxLength={200} />
        </Form.Item>
        <Form.Item
          name="email"
          label={t("admin.users.email")}
          rules={[{ required: true, message: t("admin.error.required") }]}
          extra={user ? t("admin.users.emailFixed") : undefined}
        >
          <Input type="email" disabled={user !== null} maxLength={254} autoComplete="off" />
        </Form.Item>
        <Form.Item name="phone" label={t("admin.users.phone")}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item
          name="password"
          label={user ? t("admin.users.newPassword") : t("admin.users.password")}
          rules={user ? [] : [{ required: true, message: t("admin.error.required") }]}
          extra={user ? t("admin.users.newPasswordHint") : t("admin.users.passwordHint")}
        >
          <Input.Password autoComplete="new-password" maxLength={1024} />
        </Form.Item>
        <Form.Item name="departments" label={t("admin.users.departments")}>
          <TreeSelect
            multiple
            treeDefaultExpandAll
            allowClear
            treeData={treeOptions(departments)}
            fieldNames={{ label: "title", value: "value", children: "children" }}
            placeholder={t("admin.users.noDepartment")}
            showSearch={{ treeNodeFilterProp: "title" }}
          />
        </Form.Item>
        <Form.Item name="roles" label={t("admin.users.roles")} extra={t("admin.users.rolesHint")}>
          <Select
            mode="multiple"
            options={roles.map((r) => ({ value: r.name, label: r.title || r.name }))}
            onChange={(next: string[]) => {
              const current = form.getFieldValue("default_role") as string | null;
              if (!current || !next.includes(current)) form.setFieldValue("default_role", next[0] ?? null);
            }}
          />
        </Form.Item>
        <Form.Item name="default_role" label={t("admin.users.defaultRole")} extra={t("admin.users.defaultRoleHint")}>
          <Select disabled={chosen.length < 2} options={chosen.map((r) => ({ value: r, label: roleTitle(r) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** /profile: who is signed in, their roles and what they may do, their password, and their
 * language and theme, kept on the server and applied at sign-in. */

import { LockOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Avatar, Button, Card, Descriptions, Flex, Form, Input, Radio, Space, Tag, Typography } from "antd";
import { useState } from "react";

import * as endpoints from "../api/endpoints";
import type { Preferences as Prefs, Profile } from "../api/types";
import { problemText, showFormErrors } from "../admin/errors";
import { useLoad } from "../admin/useLoad";
import { browserLocale, translator, useI18n, type Locale } from "../i18n";
import { isAdmin, useSession } from "../kernel/session";
import { useThemeMode, type ThemeMode } from "../kernel/theme";
import { PermissionSummary } from "./PermissionSummary";

export function ProfilePage() {
  const { t } = useI18n();
  const { user } = useSession();
  const me = useLoad((signal) => endpoints.profile(signal));
  const profile = me.data ?? user;
  if (!profile) return null;
  const admin = isAdmin(profile);
  const initial = (profile.name || profile.email).slice(0, 1).toUpperCase();

  return (
    <Flex vertical gap={16} style={{ maxWidth: 960 }} data-testid="profile-page">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t("profile.title")}
      </Typography.Title>
      <Card size="small">
        <Flex gap={16} align="flex-start">
          <Avatar size={56} style={{ flex: "none" }}>
            {initial}
          </Avatar>
          <Descriptions
            size="small"
            column={2}
            style={{ flex: 1 }}
            items={[
              { key: "name", label: t("admin.users.name"), children: profile.name || "—" },
              { key: "email", label: t("admin.users.email"), children: profile.email },
              { key: "phone", label: t("admin.users.phone"), children: me.data?.phone || "—" },
              {
                key: "departments",
                label: t("admin.users.departments"),
                children: profile.departments?.length ? profile.departments.map((d) => <Tag key={d.id}>{d.name}</Tag>) : "—",
              },
              {
                key: "roles",
                label: t("admin.users.roles"),
                span: 2,
                children: (
                  <Space size={[0, 4]} wrap data-testid="profile-roles">
                    {profile.roles.map((r) => (
                      <Tag key={r} color={r === "admin" ? "red" : r === profile.default_role ? "blue" : undefined}>
                        {me.data?.role_titles?.[r] ?? r}
                        {r === profile.default_role && profile.roles.length > 1 && ` · ${t("profile.default")}`}
                      </Tag>
                    ))}
                  </Space>
                ),
              },
            ]}
          />
        </Flex>
        {me.data?.api_key != null && <Alert type="info" showIcon title={t("profile.viaApiKey")} style={{ marginTop: 12 }} />}
      </Card>
      <Card size="small" title={t("profile.permissions")}>
        <PermissionSummary permissions={profile.permissions ?? {}} admin={admin} />
      </Card>
      <Flex gap={16} align="flex-start" wrap>
        <Card size="small" title={t("profile.password")} style={{ flex: "1 1 420px" }}>
          <PasswordForm email={profile.email} />
        </Card>
        <Card size="small" title={t("profile.preferences")} style={{ flex: "1 1 320px" }}>
          <Preferences profile={me.data} onSaved={() => void me.reload()} />
        </Card>
      </Flex>
    </Flex>
  );
}

interface PasswordValues {
  current_password: string;
  new_password: string;
  confirm: string;
}

function PasswordForm({ email }: { email: string }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<PasswordValues>();
  const [saving, setSaving] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);

  const submit = async (v: PasswordValues) => {
    setSaving(true);
    setProblems([]);
    try {
      await endpoints.changePassword(v.current_password, v.new_password);
      form.resetFields();
      void message.success(t("profile.passwordChanged"));
    } catch (e) {
      setProblems(showFormErrors(t, form, e, ["current_password", "new_password"]));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form<PasswordValues> form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="password-form" style={{ maxWidth: 420 }}>
      {problems.length > 0 && <Alert type="error" showIcon title={problems.join(" ")} style={{ marginBottom: 12 }} />}
      {/* Lets password managers tie the new password to the account. */}
      <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
      <Form.Item name="current_password" label={t("profile.currentPassword")} rules={[{ required: true, message: t("admin.error.required") }]}>
        <Input.Password autoComplete="current-password" prefix={<LockOutlined />} maxLength={1024} />
      </Form.Item>
      <Form.Item
        name="new_password"
        label={t("profile.newPassword")}
        extra={t("profile.passwordPolicy")}
        rules={[{ required: true, message: t("admin.error.required") }]}
      >
        <Input.Password autoComplete="new-password" prefix={<LockOutlined />} maxLength={1024} />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t("profile.confirmPassword")}
        dependencies={["new_password"]}
        rules={[
          { required: true, message: t("admin.error.required") },
          ({ getFieldValue }) => ({
            validator: (_, value: string) =>
              !value || getFieldValue("new_password") === value ? Promise.resolve() : Promise.reject(new Error(t("profile.mismatch"))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" prefix={<LockOutlined />} maxLength={1024} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={saving}>
        {t("profile.changePassword")}
      </Button>
    </Form>
  );
}

const AUTO = "auto";

/** The language and theme kept with the user; "auto" (null) follows the browser and the system. */
function Preferences({ profile, onSaved }: { profile: Profile | undefined; onSaved: () => void }) {
  const { t, setLocale } = useI18n();
  const { setMode } = useThemeMode();
  const { message } = AntApp.useApp();
  const [saving, setSaving] = useState<keyof Prefs | null>(null);

  const save = async (body: Prefs) => {
    const key = Object.keys(body)[0] as keyof Prefs;
    setSaving(key);
    try {
      const saved = await endpoints.updatePreferences(body);
      let say = t;
      if ("locale" in body) {
        setLocale(saved.locale ?? null);
        say = translator(saved.locale ?? browserLocale(navigator.languages.length ? navigator.languages : [navigator.language]));
      }
      if ("theme" in body) setMode(saved.theme ?? null);
      void message.success(say("profile.preferencesSaved")); // in the language just chosen
      onSaved();
    } catch (e) {
      void message.error(problemText(e));
    } finally {
      setSaving(null);
    }
  };

  return (
    <Flex vertical gap={12}>
      <div>
        <Typography.Text strong style={{ display: "block", marginBottom: 6 }}>
          {t("shell.language")}
        </Typography.Text>
        <Radio.Group
          value={profile ? (profile.locale ?? AUTO) : undefined}
          disabled={!profile || saving === "locale"}
          onChange={(e) => void save({ locale: e.target.value === AUTO ? null : (e.target.value as Locale) })}
          optionType="button"
          options={[
            { value: "zh-CN", label: "简体中文" },
            { value: "en-US", label: "English" },
            { value: AUTO, label: t("profile.followBrowser") },
          ]}
          data-testid="profile-language"
        />
      </div>
      <div>
        <Typography.Text strong style={{ display: "block", marginBottom: 6 }}>
          {t("profile.theme")}
        </Typography.Text>
        <Radio.Group
          value={profile ? (profile.theme ?? AUTO) : undefined}
          disabled={!profile || saving === "theme"}
          onChange={(e) => void save({ theme: e.target.value === AUTO ? null : (e.target.value as ThemeMode) })}
          optionType="button"
          options={[
            { value: "light", label: t("shell.lightTheme") },
            { value: "dark", label: t("shell.darkTheme") },
            { value: AUTO, label: t("profile.followSystem") },
          ]}
          data-testid="profile-theme"
        />
      </div>
      <Typography.Text type="secondary">{t("profile.preferencesHint")}</Typography.Text>
    </Flex>
  );
}

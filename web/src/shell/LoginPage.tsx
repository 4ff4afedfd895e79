/** Sign-in: email and password; afterwards back to the page the user was on. */

import { LockOutlined, MailOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { useState } from "react";
import { Navigate, useLocation, useNavigate } from "react-router";

import { ApiError } from "../api/client";
import { useT } from "../i18n";
import { useSession } from "../kernel/session";
import { ShellControls } from "./ShellControls";

/** Only paths of this app: `next` never sends the user to another site. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/login")) return "/";
  return next;
}

export function LoginPage() {
  const t = useT();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const next = safeNext(new URLSearchParams(location.search).get("next"));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (session.state === "signed-in") return <Navigate to={next} replace />;

  const submit = async (values: { email: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await session.signIn(values.email.trim(), values.password);
      await navigate(next, { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setError(t("login.wrong"));
      else if (e instanceof ApiError && e.status === 429) setError(t("login.tooMany"));
      else setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <div className="login-controls">
        <ShellControls />
      </div>
      <Card className="login-card">
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          Deskbase
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t("login.subtitle")}</Typography.Paragraph>
        {session.expired && !error && (
          <Alert type="warning" showIcon title={t("login.expired")} style={{ marginBottom: 16 }} data-testid="session-expired" />
        )}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        <Form layout="vertical" onFinish={(v: { email: string; password: string }) => void submit(v)} requiredMark={false}>
          <Form.Item name="email" label={t("login.email")} rules={[{ required: true, message: t("login.emailRequired") }]}>
            <Input prefix={<MailOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t("login.password")} rules={[{ required: true, message: t("login.passwordRequired") }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t("login.submit")}
          </Button>
        </Form>
      </Card>
    </div>
  );
}

/** What the administration pages share: the admin-only gate (a 403 page for others), the page
 * heading, and the shell menu's "Administration" group. */

import { ApiOutlined, ApartmentOutlined, AuditOutlined, SafetyOutlined, TeamOutlined } from "@ant-design/icons";
import { Button, Flex, Result, Typography } from "antd";
import type { ReactNode } from "react";
import { Outlet, useNavigate } from "react-router";

import { useT, type Translate } from "../i18n";
import { isAdmin, useSession } from "../kernel/session";

/** The admin routes: administrators see them, anyone else a 403 page (the API refuses them too). */
export function RequireAdmin({ children }: { children?: ReactNode }) {
  const { user } = useSession();
  if (!isAdmin(user)) return <ForbiddenPage />;
  return children ?? <Outlet />;
}

export function ForbiddenPage() {
  const t = useT();
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title="403"
      subTitle={t("admin.forbidden")}
      extra={
        <Button type="primary" onClick={() => void navigate("/")}>
          {t("admin.backHome")}
        </Button>
      }
      data-testid="forbidden"
    />
  );
}

export function PageHeader({ title, extra, children }: { title: string; extra?: ReactNode; children?: ReactNode }) {
  return (
    <Flex vertical gap={4} style={{ marginBottom: 12 }}>
      <Flex align="center" gap={12} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        <Flex gap={8} style={{ marginInlineStart: "auto" }} wrap>
          {extra}
        </Flex>
      </Flex>
      {children && <Typography.Text type="secondary">{children}</Typography.Text>}
    </Flex>
  );
}

export const ADMIN_PAGES = [
  { key: "users", icon: <TeamOutlined />, label: "admin.nav.users" },
  { key: "roles", icon: <SafetyOutlined />, label: "admin.nav.roles" },
  { key: "departments", icon: <ApartmentOutlined />, label: "admin.nav.departments" },
  { key: "api-keys", icon: <ApiOutlined />, label: "admin.nav.apiKeys" },
  { key: "audit", icon: <AuditOutlined />, label: "admin.nav.audit" },
] as const;

/** The shell menu's group (keys are the paths, `admin/users`); null when the collapsed menu hides
 * group titles. */
export function adminMenuGroup(t: Translate, collapsed: boolean) {
  return {
    key: "group:admin",
    type: "group" as const,
    label: collapsed ? null : t("admin.nav.group"),
    children: ADMIN_PAGES.map((p) => ({ key: `admin/${p.key}`, icon: p.icon, label: t(p.label) })),
  };
}

/** The menu key of an admin path (`/admin/roles/agent` → `admin/roles`), or null. */
export function adminMenuKey(path: string): string | null {
  const m = /^\/admin\/([^/]+)/.exec(path);
  return m?.[1] ? `admin/${m[1]}` : null;
}

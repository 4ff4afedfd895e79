/** The app shell: navigation of the collections the user may see, language, theme and the user menu. */

import {
  AppstoreOutlined,
  BarChartOutlined,
  BranchesOutlined,
  BuildOutlined,
  IdcardOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  TableOutlined,
  UserOutlined,
} from "@ant-design/icons";
import { Button, Dropdown, Layout, Menu, Spin, Typography, theme } from "antd";
import { Suspense, useState, type ReactNode } from "react";
import { Navigate, Outlet, useLocation, useNavigate } from "react-router";

import { adminMenuGroup, adminMenuKey } from "../admin/AdminPage";
import { useT, type Translate } from "../i18n";
import { businessTypeTitle, collectionTitle, useCatalog } from "../kernel/catalog";
import { useDashboardList, type DashboardEntry } from "../kernel/dashboards";
import { isAdmin, useSession } from "../kernel/session";
import { QuickSearch } from "./QuickSearch";
import { ShellControls } from "./ShellControls";

/** Pages behind sign-in: without a session, to the sign-in page and back here afterwards. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { state, signedOut } = useSession();
  const location = useLocation();
  if (state === "loading") return <FullPageSpin />;
  if (state === "signed-out") {
    const next = signedOut ? "/" : location.pathname + location.search;
    return <Navigate to={next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return children;
}

export function FullPageSpin() {
  return (
    <div style={{ display: "grid", placeItems: "center", height: "100vh" }}>
      <Spin size="large" />
    </div>
  );
}

export function AppShell() {
  const t = useT();
  const { user, signOut } = useSession();
  const { collections } = useCatalog();
  const navigate = useNavigate();
  const location = useLocation();
  const { token } = theme.useToken();
  const [collapsed, setCollapsed] = useState(false);

  const { entries: dashboards } = useDashboardList();
  const visible = collections.filter((c) => !c.extends);
  const path = selectedKey(location.pathname, new URLSearchParams(location.search).get("type"));
  // The dashboards page without an id shows the first dashboard.
  const selected = path === "dashboard" && dashboards?.[0] ? `dashboard/${dashboards[0].id}` : path;
  const items = [
    {
      key: "group:collections",
      type: "group" as const,
      label: collapsed ? null : t("shell.collections"),
      children: visible.flatMap((c) => [
        { key: `c:${c.name}`, icon: <TableOutlined />, label: collectionTitle(c) },
        // Its business types (extensions), each the master's grid of that type.
        ...collections
          .filter((e) => e.extends?.master === c.name)
          .map((e) => ({ key: `c:${c.name}?type=${e.name}`, icon: <BranchesOutlined />, label: businessTypeTitle(c, e), className: "nav-business-type" })),
      ]),
    },
    { type: "divider" as const },
    ...dashboardItems(dashboards, t, collapsed),
    ...(isAdmin(user) ? [{ key: "schema", icon: <BuildOutlined />, label: t("shell.schema") }] : []),
    ...(isAdmin(user) ? [{ type: "divider" as const }, adminMenuGroup(t, collapsed)] : []),
  ];

  return (
    <Layout style={{ height: "100vh" }}>
      <Layout.Sider
        collapsible
        collapsed={collapsed}
        trigger={null}
        width={220}
        theme="light"
        style={{ borderInlineEnd: `1px solid ${token.colorBorderSecondary}`, overflow: "auto" }}
      >
        <div className="brand" onClick={() => void navigate("/")}>
          <AppstoreOutlined style={{ color: token.colorPrimary, fontSize: 20 }} />
          {!collapsed && <span>Deskbase</span>}
        </div>
        <nav aria-label={t("shell.navigation")}>
          <Menu
            mode="inline"
            selectedKeys={selected ? [selected] : []}
            items={items}
            onClick={({ key }) => {
              void navigate(key.startsWith("c:") ? `/c/${key.slice(2)}` : `/${key}`);
            }}
            style={{ borderInlineEnd: "none" }}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: token.colorBgContainer,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            paddingInline: 12,
            display: "flex",
            alignItems: "center",
            gap: 12,
            height: 52,
            lineHeight: "52px",
          }}
        >
          <Button
            type="text"
            aria-label={collapsed ? t("shell.expandMenu") : t("shell.collapseMenu")}
            icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => setCollapsed(!collapsed)}
          />
          <QuickSearch />
          <div style={{ marginInlineStart: "auto" }}>
            <ShellControls />
          </div>
          <Dropdown
            trigger={["click"]}
            menu={{
              items: [
                { key: "who", label: <Typography.Text type="secondary">{user?.email}</Typography.Text>, disabled: true },
                { type: "divider" },
                { key: "profile", icon: <IdcardOutlined />, label: t("admin.profile") },
                { key: "logout", icon: <LogoutOutlined />, label: t("shell.signOut") },
              ],
              onClick: ({ key }) => {
                if (key === "logout") void signOut();
                if (key === "profile") void navigate("/profile");
              },
            }}
          >
            <Button type="text" icon={<UserOutlined />} data-testid="user-menu">
              {user?.name || user?.email}
            </Button>
          </Dropdown>
        </Layout.Header>
        <Layout.Content style={{ padding: 16, overflow: "auto", display: "flex", flexDirection: "column", minHeight: 0 }}>
          <Suspense fallback={<Spin />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

/** The dashboards, each an entry (`dashboard/{id}`); without any, the dashboards page itself. */
function dashboardItems(dashboards: DashboardEntry[] | null, t: Translate, collapsed: boolean) {
  if (!dashboards || dashboards.length === 0) return [{ key: "dashboard", icon: <BarChartOutlined />, label: t("shell.dashboard") }];
  return [
    {
      key: "group:dashboards",
      type: "group" as const,
      label: collapsed ? null : t("shell.dashboards"),
      children: dashboards.map((d) => ({ key: `dashboard/${d.id}`, icon: <BarChartOutlined />, label: d.name })),
    },
  ];
}

function selectedKey(path: string, type: string | null): string | null {
  const m = /^\/c\/([^/]+)/.exec(path);
  if (m?.[1]) return `c:${decodeURIComponent(m[1])}${type ? `?type=${type}` : ""}`;
  if (path.startsWith("/dashboard/")) return path.slice(1);
  if (path.startsWith("/dashboard")) return "dashboard";
  if (path.startsWith("/schema")) return "schema";
  return adminMenuKey(path);
}

export function HomePage() {
  const t = useT();
  const { collections, loading } = useCatalog();
  const first = collections.find((c) => !c.extends);
  if (loading) return <Spin />;
  if (first) return <Navigate to={`/c/${first.name}`} replace />;
  return (
    <div style={{ padding: 24 }}>
      <Typography.Title level={4}>{t("home.empty")}</Typography.Title>
      <Typography.Paragraph type="secondary">{t("home.emptyHint")}</Typography.Paragraph>
    </div>
  );
}

export function NotFoundPage() {
  const t = useT();
  return (
    <div style={{ padding: 24 }}>
      <Typography.Title level={4}>{t("common.notFound")}</Typography.Title>
    </div>
  );
}

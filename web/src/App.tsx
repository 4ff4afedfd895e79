/** Providers (language, theme, session) and the routes of the app. */

import { App as AntApp, ConfigProvider, theme } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { lazy, useEffect, type ReactNode } from "react";
import { createBrowserRouter, Navigate, Outlet, RouterProvider } from "react-router";

import { RequireAdmin } from "./admin/AdminPage";
import { I18nProvider, useI18n } from "./i18n";
import { CatalogProvider } from "./kernel/catalog";
import { DashboardsProvider } from "./kernel/dashboards";
import { SessionProvider } from "./kernel/session";
import { ThemeModeProvider, useThemeMode } from "./kernel/theme";
import { AppShell, HomePage, NotFoundPage, RequireSession } from "./shell/AppShell";
import { LoginPage } from "./shell/LoginPage";
import { CollectionPage } from "./views/CollectionPage";

// Heavy pages (ECharts, the designer) load on first visit, not with the app.
const DashboardPage = lazy(() => import("./views/dashboard/DashboardPage").then((m) => ({ default: m.DashboardPage })));
const SchemaDesigner = lazy(() => import("./schema/SchemaDesigner").then((m) => ({ default: m.SchemaDesigner })));
// Administration and the profile (web/src/admin, web/src/profile).
const UsersPage = lazy(() => import("./admin/users/UsersPage").then((m) => ({ default: m.UsersPage })));
const RolesPage = lazy(() => import("./admin/roles/RolesPage").then((m) => ({ default: m.RolesPage })));
const DepartmentsPage = lazy(() => import("./admin/departments/DepartmentsPage").then((m) => ({ default: m.DepartmentsPage })));
const ApiKeysPage = lazy(() => import("./admin/apiKeys/ApiKeysPage").then((m) => ({ default: m.ApiKeysPage })));
const AuditPage = lazy(() => import("./admin/audit/AuditPage").then((m) => ({ default: m.AuditPage })));
const ProfilePage = lazy(() => import("./profile/ProfilePage").then((m) => ({ default: m.ProfilePage })));

function Root() {
  return (
    <SessionProvider>
      <Outlet />
    </SessionProvider>
  );
}

function Signed() {
  return (
    <RequireSession>
      <CatalogProvider>
        <DashboardsProvider>
          <AppShell />
        </DashboardsProvider>
      </CatalogProvider>
    </RequireSession>
  );
}

export const routes = [
  {
    element: <Root />,
    children: [
      { path: "/login", element: <LoginPage /> },
      {
        path: "/",
        element: <Signed />,
        children: [
          { index: true, element: <HomePage /> },
          { path: "c/:name", element: <CollectionPage view="grid" /> },
          { path: "c/:name/kanban", element: <CollectionPage view="kanban" /> },
          { path: "c/:name/import", element: <CollectionPage view="import" /> },
          { path: "c/:name/calendar", element: <CollectionPage view="calendar" /> },
          { path: "c/:name/gantt", element: <CollectionPage view="gantt" /> },
          { path: "c/:name/gallery", element: <CollectionPage view="gallery" /> },
          { path: "c/:name/form", element: <CollectionPage view="form" /> },
          { path: "dashboard", element: <DashboardPage /> },
          { path: "dashboard/:id", element: <DashboardPage /> },
          { path: "schema", element: <SchemaDesigner /> },
          { path: "schema/:name", element: <SchemaDesigner /> },
          {
            path: "admin",
            element: <RequireAdmin />,
            children: [
              { index: true, element: <Navigate to="/admin/users" replace /> },
              { path: "users", element: <UsersPage /> },
              { path: "roles", element: <RolesPage /> },
              { path: "roles/:name", element: <RolesPage /> },
              { path: "departments", element: <DepartmentsPage /> },
              { path: "api-keys", element: <ApiKeysPage /> },
              { path: "audit", element: <AuditPage /> },
            ],
          },
          { path: "profile", element: <ProfilePage /> },
          { path: "*", element: <NotFoundPage /> },
        ],
      },
    ],
  },
];

function Themed({ children }: { children: ReactNode }) {
  const { locale } = useI18n();
  const { mode } = useThemeMode();
  useEffect(() => {
    dayjs.locale(locale === "zh-CN" ? "zh-cn" : "en");
    document.documentElement.lang = locale;
    document.documentElement.dataset.theme = mode;
  }, [locale, mode]);
  return (
    <ConfigProvider
      locale={locale === "zh-CN" ? zhCN : enUS}
      theme={{ algorithm: mode === "dark" ? theme.darkAlgorithm : theme.defaultAlgorithm }}
    >
      <AntApp style={{ height: "100%" }}>{children}</AntApp>
    </ConfigProvider>
  );
}

const router = createBrowserRouter(routes);

export function App() {
  return (
    <I18nProvider>
      <ThemeModeProvider>
        <Themed>
          <RouterProvider router={router} />
        </Themed>
      </ThemeModeProvider>
    </I18nProvider>
  );
}

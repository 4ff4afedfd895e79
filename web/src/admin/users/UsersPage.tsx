/** /admin/users: users searched, filtered, sorted and paged by the server (the view lives in the
 * URL), created, changed, deactivated and reactivated. */

import { EditOutlined, PlusOutlined, SearchOutlined, StopOutlined, UndoOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Badge, Button, Input, Popconfirm, Segmented, Select, Space, Table, Tag, Tooltip, TreeSelect, Typography } from "antd";
import type { SorterResult } from "antd/es/table/interface";
import { useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router";

import * as endpoints from "../../api/endpoints";
import type { AdminUser, Role } from "../../api/types";
import { useT } from "../../i18n";
import { useSession } from "../../kernel/session";
import { userDirectory } from "../../kernel/users";
import { PageHeader } from "../AdminPage";
import { treeOptions } from "../departments/tree";
import { problemText } from "../errors";
import { formatTime } from "../format";
import { useLoad } from "../useLoad";
import { UserForm } from "./UserForm";
import { columnOrder, PAGE_SIZES, sortAfter, usersQuery, usersView, viewParams, type SortColumn, type Status, type UsersView } from "./query";

const SEARCH_DELAY_MS = 300;

/** Roles by title; two roles of the same title also show their names. */
export function roleOptions(roles: readonly Role[]): { value: string; label: string }[] {
  const seen = new Map<string, number>();
  for (const r of roles) seen.set(r.title || r.name, (seen.get(r.title || r.name) ?? 0) + 1);
  return roles.map((r) => {
    const title = r.title || r.name;
    return { value: r.name, label: (seen.get(title) ?? 0) > 1 ? `${title} (${r.name})` : title };
  });
}

export function UsersPage() {
  const t = useT();
  const { message } = AntApp.useApp();
  const { user: me } = useSession();
  const [params, setParams] = useSearchParams();
  const view = useMemo(() => usersView(params), [params]);
  const users = useLoad((signal) => endpoints.searchUsers(usersQuery(view), signal), viewParams(view).toString());
  const roles = useLoad((signal) => endpoints.listRoles(signal));
  const departments = useLoad((signal) => endpoints.departmentTree(signal));
  const [text, setText] = useState(view.q);
  const [shownQ, setShownQ] = useState(view.q);
  if (shownQ !== view.q) {
    // The URL's search changed from outside the box (back, a link): show it there.
    setShownQ(view.q);
    if (view.q.trim() !== text.trim()) setText(view.q);
  }
  const [editing, setEditing] = useState<AdminUser | null | undefined>(undefined);

  const show = (change: Partial<UsersView>) => {
    const next = { ...view, page: 1, ...change };
    setParams(viewParams(next), { replace: true });
  };
  // The search box asks the server once typing pauses; a new search starts at page 1.
  useEffect(() => {
    if (text.trim() === view.q.trim()) return;
    const timer = setTimeout(() => setParams(viewParams({ ...view, q: text, page: 1 }), { replace: true }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, view, setParams]);

  const roleTitles = useMemo(() => new Map((roles.data ?? []).map((r) => [r.name, r.title || r.name])), [roles.data]);
  const rows = users.data?.data ?? [];
  const total = users.data?.meta.total ?? 0;
  const filtered = Boolean(view.q || view.status !== "all" || view.role || view.department !== undefined);

  const setActive = async (u: AdminUser, active: boolean) => {
    try {
      await endpoints.updateUser(u.id, { active });
      void message.success(active ? t("admin.users.reactivated") : t("admin.users.deactivated"));
      await users.reload();
    } catch (e) {
      void message.error(problemText(e));
    }
  };

  return (
    <div data-testid="users-page">
      <PageHeader
        title={t("admin.nav.users")}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>
            {t("admin.users.new")}
          </Button>
        }
      />
      <Space style={{ marginBottom: 12 }} wrap>
        <Input
          allowClear
          prefix={<SearchOutlined />}
          placeholder={t("admin.users.search")}
          aria-label={t("admin.users.search")}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onPressEnter={() => show({ q: text })}
          style={{ width: 280 }}
          data-testid="users-search"
        />
        <Segmented<Status>
          value={view.status}
          onChange={(status) => show({ status })}
          options={[
            { value: "all", label: t("admin.users.all") },
            { value: "active", label: t("admin.users.active") },
            { value: "inactive", label: t("admin.users.inactive") },
          ]}
        />
        <Select<string>
          allowClear
          showSearch={{ optionFilterProp: "label" }}
          placeholder={t("admin.users.anyRole")}
          aria-label={t("admin.users.roleFilter")}
          style={{ width: 180 }}
          value={view.role}
          onChange={(role) => show({ role: role || undefined })}
          options={roleOptions(roles.data ?? [])}
          data-testid="users-role-filter"
        />
        <TreeSelect<number>
          allowClear
          treeDefaultExpandAll
          placeholder={t("admin.users.anyDepartment")}
          aria-label={t("admin.users.departmentFilter")}
          style={{ width: 200 }}
          value={view.department}
          onChange={(department) => show({ department: department ?? undefined })}
          treeData={treeOptions(departments.data ?? [])}
          fieldNames={{ label: "title", value: "value", children: "children" }}
          showSearch={{ treeNodeFilterProp: "title" }}
          data-testid="users-department-filter"
        />
      </Space>
      {Boolean(users.error) && <Alert type="error" showIcon title={problemText(users.error)} style={{ marginBottom: 12 }} />}
      <Table<AdminUser>
        rowKey="id"
        size="middle"
        loading={users.loading}
        dataSource={rows}
        locale={filtered ? { emptyText: t("admin.users.noMatch") } : undefined}
        onChange={(pagination, _filters, sorter) => {
          const s: SorterResult<AdminUser> | undefined = Array.isArray(sorter) ? sorter[0] : sorter;
          const sort = sortAfter(s?.columnKey as SortColumn | undefined, s?.order);
          const pageSize = pagination.pageSize ?? view.pageSize;
          const page = sort !== view.sort || pageSize !== view.pageSize ? 1 : (pagination.current ?? 1);
          setParams(viewParams({ ...view, sort, pageSize, page }), { replace: true });
        }}
        pagination={{
          current: view.page,
          pageSize: view.pageSize,
          total,
          showSizeChanger: true,
          pageSizeOptions: [...PAGE_SIZES],
          showTotal: (count) => t("admin.users.count", { count }),
        }}
        columns={[
          {
            title: t("admin.users.name"),
            key: "name",
            width: 280,
            sorter: true,
            sortOrder: columnOrder(view.sort, "name"),
            render: (_, u) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong={u.active} type={u.active ? undefined : "secondary"}>
                  {u.name || "—"}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {u.email}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t("admin.users.phone"), dataIndex: "phone", width: 150, render: (v: string | null) => v ?? "" },
          {
            title: t("admin.users.roles"),
            key: "roles",
            render: (_, u) =>
              u.roles.map((r) => (
                <Tooltip key={r} title={r === u.default_role ? t("admin.users.defaultRole") : undefined}>
                  <Tag color={r === "admin" ? "red" : r === u.default_role ? "blue" : undefined}>{roleTitles.get(r) ?? r}</Tag>
                </Tooltip>
              )),
          },
          {
            title: t("admin.users.departments"),
            key: "departments",
            render: (_, u) => u.departments.map((d) => <Tag key={d.id}>{d.name}</Tag>),
          },
          {
            title: t("admin.users.createdAt"),
            key: "created_at",
            width: 150,
            sorter: true,
            sortDirections: ["descend", "ascend"],
            sortOrder: columnOrder(view.sort, "created_at"),
            render: (_, u) => formatTime(u.created_at),
          },
          {
            title: t("admin.users.status"),
            key: "active",
            width: 120,
            render: (_, u) => <Badge status={u.active ? "success" : "default"} text={u.active ? t("admin.users.active") : t("admin.users.inactive")} />,
          },
          {
            title: "",
            key: "actions",
            width: 210,
            align: "end",
            render: (_, u) => (
              <Space size={4}>
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(u)}>
                  {t("admin.edit")}
                </Button>
                {u.active ? (
                  <Popconfirm
                    title={t("admin.users.deactivateConfirm", { name: u.name || u.email })}
                    description={t("admin.users.deactivateHint")}
                    okText={t("admin.users.deactivate")}
                    cancelText={t("common.cancel")}
                    okButtonProps={{ danger: true }}
                    onConfirm={() => void setActive(u, false)}
                  >
                    <Button size="small" danger icon={<StopOutlined />} disabled={u.id === me?.id}>
                      {t("admin.users.deactivate")}
                    </Button>
                  </Popconfirm>
                ) : (
                  <Button size="small" icon={<UndoOutlined />} onClick={() => void setActive(u, true)}>
                    {t("admin.users.reactivate")}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {editing !== undefined && (
        <UserForm
          user={editing}
          roles={roles.data ?? []}
          departments={departments.data ?? []}
          onClose={() => setEditing(undefined)}
          onSaved={(saved) => {
            setEditing(undefined);
            userDirectory.forget(saved.id); // a new name shows everywhere
            void message.success(editing ? t("admin.users.saved") : t("admin.users.created", { email: saved.email }));
            void users.reload();
          }}
        />
      )}
    </div>
  );
}

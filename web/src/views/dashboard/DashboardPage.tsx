/** Dashboards, stored on the server (`/api/dashboards`): the shared ones and the user's own, one
 * shown at a time; its blocks are arranged on a grid, saved as they change, and refreshed in place
 * (a button, and every minute while the page is visible). */

import { DeleteOutlined, EditOutlined, MoreOutlined, PlusOutlined, ReloadOutlined, ShareAltOutlined, UserOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Button, Checkbox, Dropdown, Empty, Flex, Form, Input, Modal, Select, Spin, Tag, Typography } from "antd";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useNavigate, useParams } from "react-router";

import * as endpoints from "../../api/endpoints";
import type { Dashboard, DashboardBlock } from "../../api/types";
import { useT } from "../../i18n";
import { useCatalog } from "../../kernel/catalog";
import { useDashboardList } from "../../kernel/dashboards";
import { can, isAdmin, useSession } from "../../kernel/session";
import { BlockCard } from "./BlockCard";
import { BlockEditor } from "./BlockEditor";
import "./dashboard.css";
import { DashboardGrid } from "./DashboardGrid";
import { compact, type Item } from "./layout";
import { blockFromForm, forgetLegacy, legacyBlocks, newBlockId } from "./model";
import { useBlockSaver } from "./useBlockSaver";

const REFRESH_MS = 60_000;

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function DashboardPage() {
  const t = useT();
  const { id: param } = useParams();
  const navigate = useNavigate();
  const { user } = useSession();
  const { collections, get, loading: catalogLoading } = useCatalog();
  const { message, modal } = AntApp.useApp();
  const [list, setList] = useState<Dashboard[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<DashboardBlock | null | undefined>(undefined);
  const [naming, setNaming] = useState<"create" | "rename" | null>(null);

  const load = useCallback(async () => {
    try {
      setList(await endpoints.listDashboards());
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  // The navigation lists the dashboards by name: it follows this list.
  const { publish } = useDashboardList();
  useEffect(() => {
    if (list) publish(list);
  }, [list, publish]);

  const replace = useCallback((d: Dashboard) => setList((l) => l?.map((x) => (x.id === d.id ? d : x)) ?? l), []);
  const saver = useBlockSaver(replace, (e) => {
    void message.error(t("dashboards.saveFailed", { message: errorText(e) }));
    void load();
  });

  // Charts kept in this browser by earlier versions become the user's first dashboard.
  const userId = user?.id ?? 0;
  useEffect(() => {
    if (!list || list.length > 0 || catalogLoading || !userId) return;
    const blocks = legacyBlocks(userId, (c) => get(c)?.fields ?? []);
    if (blocks.length === 0) return;
    forgetLegacy(userId);
    endpoints
      .createDashboard({ name: t("dashboards.myDashboard"), blocks })
      .then((d) => setList((l) => [...(l ?? []), d]))
      .catch((e: unknown) => void message.error(errorText(e)));
  }, [list, catalogLoading, userId, get, t, message]);

  // Refresh: the blocks ask again without reloading the page.
  const [tick, setTick] = useState(0);
  const [refreshedAt, setRefreshedAt] = useState(() => new Date());
  const last = useRef(0);
  const refresh = useCallback(() => {
    last.current = Date.now();
    setTick((n) => n + 1);
    setRefreshedAt(new Date());
  }, []);
  useEffect(() => {
    last.current = Date.now();
    const timer = window.setInterval(() => document.visibilityState === "visible" && refresh(), REFRESH_MS);
    const visible = () => document.visibilityState === "visible" && Date.now() - last.current >= REFRESH_MS && refresh();
    document.addEventListener("visibilitychange", visible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", visible);
    };
  }, [refresh]);

  const current = list?.find((d) => String(d.id) === param) ?? (param ? undefined : list?.[0]);
  const editable = Boolean(current && (!current.shared || isAdmin(user)));
  const usable = useMemo(() => collections.filter((c) => can(user, c.name, "list")), [collections, user]);

  const setBlocks = (blocks: DashboardBlock[]) => {
    if (!current) return;
    replace({ ...current, blocks });
    saver.save(current.id, blocks);
  };
  const arrange = (layout: Item[]) => {
    if (!current) return;
    const byId = new Map(layout.map((i) => [i.id, i]));
    setBlocks(current.blocks.map((b) => {
      const i = byId.get(b.id);
      return i ? { ...b, layout: { x: i.x, y: i.y, w: i.w, h: i.h } } : b;
    }));
  };
  const removeBlock = (id: string) => {
    if (!current) return;
    const rest = current.blocks.filter((b) => b.id !== id);
    const packed = new Map(compact(rest.map((b) => ({ id: b.id, ...b.layout }))).map((i) => [i.id, i]));
    setBlocks(rest.map((b) => {
      const i = packed.get(b.id);
      return i ? { ...b, layout: { x: i.x, y: i.y, w: i.w, h: i.h } } : b;
    }));
  };

  const remove = () => {
    if (!current) return;
    modal.confirm({
      title: t("dashboards.deleteConfirm", { name: current.name }),
      okText: t("common.delete"),
      okButtonProps: { danger: true },
      cancelText: t("common.cancel"),
      onOk: async () => {
        try {
          await endpoints.deleteDashboard(current.id);
          setList((l) => l?.filter((d) => d.id !== current.id) ?? l);
          void navigate("/dashboard", { replace: true });
        } catch (e) {
          void message.error(errorText(e));
        }
      },
    });
  };
  const toggleShared = async () => {
    if (!current) return;
    try {
      replace(await endpoints.updateDashboard(current.id, { shared: !current.shared }));
    } catch (e) {
      void message.error(errorText(e));
    }
  };

  if (error && !list) return <Alert type="error" showIcon title={error} action={<Button onClick={() => void load()}>{t("common.reload")}</Button>} />;
  if (!list) return <Spin />;

  const mine = list.filter((d) => !d.shared);
  const shared = list.filter((d) => d.shared);
  const option = (d: Dashboard) => ({ value: String(d.id), label: d.name });

  return (
    <Flex vertical gap={16}>
      <Flex align="center" gap={8} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t("dashboard.title")}
        </Typography.Title>
        {current && (
          <Select
            aria-label={t("dashboards.switch")}
            data-testid="dashboard-switch"
            style={{ minWidth: 220 }}
            value={String(current.id)}
            options={[
              ...(shared.length ? [{ label: t("dashboards.shared"), options: shared.map(option) }] : []),
              ...(mine.length ? [{ label: t("dashboards.mine"), options: mine.map(option) }] : []),
            ]}
            onChange={(id: string) => void navigate(`/dashboard/${id}`)}
          />
        )}
        {current?.shared && <Tag color="blue">{t("dashboards.shared")}</Tag>}
        {current && editable && (
          <Dropdown
            trigger={["click"]}
            menu={{
              items: [
                { key: "rename", icon: <EditOutlined />, label: t("dashboards.rename") },
                ...(isAdmin(user)
                  ? [{ key: "share", icon: current.shared ? <UserOutlined /> : <ShareAltOutlined />, label: t(current.shared ? "dashboards.unshare" : "dashboards.share") }]
                  : []),
                { type: "divider" as const },
                { key: "delete", icon: <DeleteOutlined />, danger: true, label: t("dashboards.delete") },
              ],
              onClick: ({ key }) => {
                if (key === "rename") setNaming("rename");
                if (key === "share") void toggleShared();
                if (key === "delete") remove();
              },
            }}
          >
            <Button icon={<MoreOutlined />} aria-label={t("dashboards.actions")} />
          </Dropdown>
        )}
        <Button icon={<PlusOutlined />} onClick={() => setNaming("create")}>
          {t("dashboards.new")}
        </Button>
        {current && (
          <Flex gap={8} align="center" style={{ marginInlineStart: "auto" }}>
            <Typography.Text type="secondary" data-testid="refreshed-at">
              {t("dashboards.updatedAt", { time: refreshedAt.toLocaleTimeString() })}
            </Typography.Text>
            <Button icon={<ReloadOutlined />} onClick={refresh}>
              {t("common.reload")}
            </Button>
            {editable && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} disabled={usable.length === 0}>
                {t("dashboards.addBlock")}
              </Button>
            )}
          </Flex>
        )}
      </Flex>
      {!current ? (
        <Empty description={param ? t("dashboards.notFound") : t("dashboards.none")}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setNaming("create")}>
            {t("dashboards.new")}
          </Button>
        </Empty>
      ) : current.blocks.length === 0 ? (
        <Empty description={t("dashboard.empty")} />
      ) : (
        <DashboardGrid blocks={current.blocks} editable={editable} onChange={arrange}>
          {(block, size, grab) => (
            <BlockCard
              block={block}
              collection={get(block.collection)}
              tick={tick}
              bodyHeight={size.height}
              editable={editable}
              onGrab={grab}
              onEdit={() => setEditing(block)}
              onRemove={() => removeBlock(block.id)}
            />
          )}
        </DashboardGrid>
      )}
      {editing !== undefined && current && (
        <BlockEditor
          collections={usable}
          block={editing}
          onCancel={() => setEditing(undefined)}
          onSave={(form) => {
            const c = get(form.collection);
            const items = current.blocks.map((b) => ({ id: b.id, ...b.layout }));
            const block = editing ? blockFromForm(form, c, editing.id, items, editing.layout) : blockFromForm(form, c, newBlockId(), items);
            setBlocks(editing ? current.blocks.map((b) => (b.id === block.id ? block : b)) : [...current.blocks, block]);
            setEditing(undefined);
          }}
        />
      )}
      {naming && (
        <NameModal
          title={t(naming === "create" ? "dashboards.new" : "dashboards.rename")}
          initial={naming === "rename" ? (current?.name ?? "") : ""}
          offerShared={naming === "create" && isAdmin(user)}
          onCancel={() => setNaming(null)}
          onSubmit={async (name, share) => {
            if (naming === "rename" && current) {
              replace(await endpoints.updateDashboard(current.id, { name }));
            } else {
              const d = await endpoints.createDashboard({ name, shared: share, blocks: [] });
              setList((l) => [...(l ?? []), d]);
              void navigate(`/dashboard/${d.id}`);
            }
            setNaming(null);
          }}
        />
      )}
    </Flex>
  );
}

function NameModal({
  title,
  initial,
  offerShared,
  onCancel,
  onSubmit,
}: {
  title: string;
  initial: string;
  offerShared: boolean;
  onCancel: () => void;
  onSubmit: (name: string, shared: boolean) => Promise<void>;
}) {
  const t = useT();
  const [name, setName] = useState(initial);
  const [shared, setShared] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async () => {
    if (!name.trim()) {
      setProblem(t("common.required"));
      return;
    }
    setBusy(true);
    try {
      await onSubmit(name.trim(), shared);
    } catch (e) {
      setProblem(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={title} okText={t("common.save")} cancelText={t("common.cancel")} confirmLoading={busy} onCancel={onCancel} onOk={() => void submit()}>
      <Form layout="vertical" component="div">
        <Form.Item label={t("dashboards.name")} htmlFor="dashboard-name" validateStatus={problem ? "error" : undefined} help={problem}>
          <Input id="dashboard-name" autoFocus value={name} maxLength={200} onChange={(e) => setName(e.target.value)} onPressEnter={() => void submit()} />
        </Form.Item>
        {offerShared && (
          <Checkbox checked={shared} onChange={(e) => setShared(e.target.checked)}>
            {t("dashboards.shareWithAll")}
          </Checkbox>
        )}
      </Form>
    </Modal>
  );
}

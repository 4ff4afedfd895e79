/** The view bar above a collection's view: its saved views (shared ones and the user's own) as
 * tabs, the open one marked when its settings changed, and saving, naming, sharing and deleting. */

import { DeleteOutlined, EditOutlined, MoreOutlined, PlusOutlined, SaveOutlined, TeamOutlined, UndoOutlined, UserOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Button, Dropdown, Flex, Tabs, Tag, Tooltip, Typography } from "antd";
import { useState, type ReactNode } from "react";

import type { SavedView } from "../../api/types";
import { useT } from "../../i18n";
import { isAdmin, useSession } from "../../kernel/session";
import { errorText } from "../grid/GridCells";
import type { ViewDraft } from "./types";
import type { SavedViews } from "./useSavedViews";
import "./saved.css";
import { ViewModal } from "./ViewModal";

export interface ViewKindInfo {
  kind: string;
  label: string;
  icon: ReactNode;
}

interface Props {
  saved: SavedViews;
  /** The kind of the page shown (a new view gets it). */
  kind: string;
  kinds: ViewKindInfo[];
  draft: ViewDraft | null;
  /** Open a saved view (null: the page's defaults). */
  onOpen: (view: SavedView | null) => void;
  /** Forget the changes: the view starts again from its saved settings. */
  onDiscard: () => void;
}

type Dialog = { type: "create" } | { type: "rename"; view: SavedView } | null;

/** Whether the user may change or delete the view: their own, or any shared one as an administrator. */
export function mayChange(view: SavedView, admin: boolean): boolean {
  return view.shared ? admin : true;
}

export function ViewBar({ saved, kind, kinds, draft, onOpen, onDiscard }: Props) {
  const t = useT();
  const { message, modal } = AntApp.useApp();
  const { user } = useSession();
  const admin = isAdmin(user);
  const [dialog, setDialog] = useState<Dialog>(null);
  const current = saved.current;
  const leftOutParts = current ? leftOut(current) : [];
  const dirty = draft?.dirty ?? false;
  const icon = (k: string) => kinds.find((x) => x.kind === k)?.icon;
  const known = (k: string) => kinds.some((x) => x.kind === k);

  const saveChanges = async () => {
    if (!current || !draft) return;
    try {
      await saved.update(current.id, { config: draft.config });
      void message.success(t("savedViews.saved", { name: current.name }));
    } catch (e) {
      void message.error(e instanceof Error ? e.message : String(e));
    }
  };

  const remove = (view: SavedView) =>
    modal.confirm({
      title: t("savedViews.deleteTitle", { name: view.name }),
      content: view.shared ? t("savedViews.deleteShared") : undefined,
      okText: t("common.delete"),
      okButtonProps: { danger: true },
      cancelText: t("common.cancel"),
      onOk: async () => {
        try {
          await saved.remove(view.id);
          void message.success(t("savedViews.deleted", { name: view.name }));
          onOpen(null);
        } catch (e) {
          void message.error(e instanceof Error ? e.message : String(e));
        }
      },
    });

  const share = async (view: SavedView, shared: boolean) => {
    try {
      await saved.update(view.id, { shared });
      void message.success(shared ? t("savedViews.nowShared", { name: view.name }) : t("savedViews.nowPersonal", { name: view.name }));
    } catch (e) {
      void message.error(e instanceof Error ? e.message : String(e));
    }
  };

  const tabs = [
    { key: "default", label: <span data-testid="view-tab-default">{t("savedViews.default")}</span> },
    ...saved.views.map((v) => ({
      key: String(v.id),
      disabled: !known(v.kind),
      label: (
        <Tooltip title={known(v.kind) ? (v.shared ? t("savedViews.sharedTip") : t("savedViews.personalTip")) : t("savedViews.unknownKind", { kind: v.kind })}>
          <span data-testid={`view-tab-${v.id}`} className="view-tab">
            {icon(v.kind)} {v.name} {v.shared ? <TeamOutlined className="view-tab-mark" /> : <UserOutlined className="view-tab-mark" />}
            {current?.id === v.id && dirty && <span className="view-dirty" aria-label={t("savedViews.unsaved")} />}
          </span>
        </Tooltip>
      ),
    })),
  ];

  const menu = current && mayChange(current, admin)
    ? [
        { key: "rename", icon: <EditOutlined />, label: t("savedViews.rename"), onClick: () => setDialog({ type: "rename", view: current }) },
        ...(admin
          ? [
              current.shared
                ? { key: "personal", icon: <UserOutlined />, label: t("savedViews.makePersonal"), onClick: () => void share(current, false) }
                : { key: "share", icon: <TeamOutlined />, label: t("savedViews.makeShared"), onClick: () => void share(current, true) },
            ]
          : []),
        { type: "divider" as const },
        { key: "delete", icon: <DeleteOutlined />, danger: true, label: t("savedViews.delete"), onClick: () => remove(current) },
      ]
    : [];

  const actions = (
    <Flex gap={8} align="center">
      {dirty && current && (
        <Tag color="orange" data-testid="view-unsaved">
          {t("savedViews.unsaved")}
        </Tag>
      )}
      {dirty && current && mayChange(current, admin) && (
        <Button size="small" type="primary" icon={<SaveOutlined />} onClick={() => void saveChanges()} data-testid="view-save">
          {t("savedViews.save")}
        </Button>
      )}
      {dirty && (
        <Button size="small" icon={<UndoOutlined />} onClick={onDiscard}>
          {current ? t("savedViews.discard") : t("savedViews.reset")}
        </Button>
      )}
      <Button size="small" icon={<PlusOutlined />} onClick={() => setDialog({ type: "create" })} disabled={Boolean(saved.error)} data-testid="view-new">
        {t("savedViews.new")}
      </Button>
      {menu.length > 0 && (
        <Dropdown trigger={["click"]} menu={{ items: menu }}>
          <Button size="small" icon={<MoreOutlined />} aria-label={t("savedViews.more")} data-testid="view-menu" />
        </Dropdown>
      )}
    </Flex>
  );

  return (
    <div className="view-bar" data-testid="view-bar">
      <Tabs
        size="small"
        activeKey={current ? String(current.id) : "default"}
        items={tabs}
        tabBarExtraContent={{ right: actions }}
        onChange={(key) => onOpen(key === "default" ? null : (saved.views.find((v) => String(v.id) === key) ?? null))}
        style={{ marginBottom: 0 }}
      />
      {saved.error !== null && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t("savedViews.unavailable", { message: errorText(saved.error) })}
        </Typography.Text>
      )}
      {leftOutParts.length > 0 && (
        <Alert
          type="info"
          showIcon
          data-testid="view-left-out"
          title={t("savedViews.leftOut", { parts: leftOutParts.map((part) => t(`savedViews.leftOut.${part}`)).join(t("savedViews.leftOut.separator")) })}
        />
      )}
      {!saved.loading && saved.currentId !== null && !current && saved.error === null && (
        <Alert
          type="warning"
          showIcon
          title={t("savedViews.missing")}
          action={
            <Button size="small" onClick={() => onOpen(null)}>
              {t("savedViews.showDefault")}
            </Button>
          }
        />
      )}
      {dialog?.type === "create" && (
        <ViewModal
          title={t("savedViews.newTitle")}
          okText={t("common.create")}
          canShare={admin}
          onCancel={() => setDialog(null)}
          onSubmit={async ({ name, shared }) => {
            const view = await saved.create({ name, kind, shared, config: draft?.config ?? current?.config ?? {} });
            setDialog(null);
            void message.success(t("savedViews.created", { name: view.name }));
            onOpen(view);
          }}
        />
      )}
      {dialog?.type === "rename" && (
        <ViewModal
          title={t("savedViews.renameTitle")}
          okText={t("common.save")}
          initialName={dialog.view.name}
          canShare={false}
          onCancel={() => setDialog(null)}
          onSubmit={async ({ name }) => {
            await saved.update(dialog.view.id, { name });
            setDialog(null);
          }}
        />
      )}
    </div>
  );
}

const NAMED_PARTS = ["filter", "sort", "fields", "type"] as const;
type LeftOutPart = (typeof NAMED_PARTS)[number] | "layout";

/** What the server left out of a view for this reader, as the parts the notice names (the
 * layout keys — group, kanban, date and card fields — are one part). */
export function leftOut(view: SavedView): LeftOutPart[] {
  const keys = view.left_out ?? [];
  const parts: LeftOutPart[] = NAMED_PARTS.filter((part) => keys.includes(part));
  if (keys.some((k) => !(NAMED_PARTS as readonly string[]).includes(k))) parts.push("layout");
  return parts;
}

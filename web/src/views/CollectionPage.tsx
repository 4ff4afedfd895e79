/** A collection's page: the view bar of its saved views, its views (grid, kanban, …), import, and
 * for administrators a link to its design. */

import { AppstoreOutlined, BuildOutlined, CalendarOutlined, FormOutlined, ImportOutlined, ProjectOutlined, ScheduleOutlined, TableOutlined } from "@ant-design/icons";
import { Button, Flex, Segmented, Spin, Typography } from "antd";
import { lazy, useCallback, useEffect, useState, type ReactNode } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";

import type { Collection, SavedView } from "../api/types";
import { useT, type MessageKey } from "../i18n";
import { businessTypeTitle, collectionTitle, useCatalog } from "../kernel/catalog";
import { can, isAdmin, useSession } from "../kernel/session";
import { NotFoundPage } from "../shell/AppShell";
import { GridView } from "./grid/GridView";
import type { ViewDraft, ViewHostProps } from "./saved/types";
import { useSavedViews } from "./saved/useSavedViews";
import { ViewBar } from "./saved/ViewBar";

const KanbanView = lazy(() => import("./kanban/KanbanView").then((m) => ({ default: m.KanbanView })));
// Boards (web/src/views/{calendar,gantt,gallery}).
const CalendarView = lazy(() => import("./calendar/CalendarView").then((m) => ({ default: m.CalendarView })));
const GanttView = lazy(() => import("./gantt/GanttView").then((m) => ({ default: m.GanttView })));
const GalleryView = lazy(() => import("./gallery/GalleryView").then((m) => ({ default: m.GalleryView })));
const dateFieldCount = (c: Collection) => c.fields.filter((f) => f.type === "date" || f.type === "datetime").length;
const FormView = lazy(() => import("./form/FormView").then((m) => ({ default: m.FormView })));
const ImportWizard = lazy(() => import("../imports/ImportWizard").then((m) => ({ default: m.ImportWizard })));

/** A kind of view a collection's page shows; saved views of that kind open on its route. */
export interface ViewPage {
  /** The saved views' `kind` (`grid`, `kanban`, `calendar`, …). */
  kind: string;
  /** The route under `/c/{name}/` ("" for the grid); App.tsx routes it to `<CollectionPage view={kind} />`. */
  path: string;
  label: MessageKey;
  icon: ReactNode;
  /** Offered for this collection (a kanban needs a select field); always when absent. */
  available?: (collection: Collection) => boolean;
  render: (props: ViewHostProps) => ReactNode;
}

/** The views of a collection's page, in the switcher's order: append an entry to add one. */
export const VIEW_PAGES: ViewPage[] = [
  { kind: "grid", path: "", label: "view.grid", icon: <TableOutlined />, render: (p) => <GridView {...p} /> },
  {
    kind: "kanban",
    path: "kanban",
    label: "view.kanban",
    icon: <ProjectOutlined />,
    available: (c) => c.fields.some((f) => f.type === "select"),
    render: (p) => <KanbanView {...p} />,
  },
  {
    kind: "calendar",
    path: "calendar",
    label: "calendar.view",
    icon: <CalendarOutlined />,
    available: (c) => dateFieldCount(c) >= 1,
    render: (p) => <CalendarView {...p} />,
  },
  {
    kind: "gantt",
    path: "gantt",
    label: "gantt.view",
    icon: <ScheduleOutlined />,
    available: (c) => dateFieldCount(c) >= 2,
    render: (p) => <GanttView {...p} />,
  },
  {
    kind: "gallery",
    path: "gallery",
    label: "gallery.view",
    icon: <AppstoreOutlined />,
    available: (c) => c.fields.some((f) => f.type === "attachment"),
    render: (p) => <GalleryView {...p} />,
  },
  { kind: "form", path: "form", label: "formView.view", icon: <FormOutlined />, render: (p) => <FormView {...p} /> },
];

export type CollectionView = string;

function pathOf(name: string, page: ViewPage | undefined, view: SavedView | null): string {
  const base = page?.path ? `/c/${name}/${page.path}` : `/c/${name}`;
  return view ? `${base}?view=${view.id}` : base;
}

export function CollectionPage({ view }: { view: CollectionView }) {
  const t = useT();
  const { name = "" } = useParams();
  const { get, loading } = useCatalog();
  const { user } = useSession();
  const navigate = useNavigate();
  const collection = get(name);
  const [params] = useSearchParams();
  const saved = useSavedViews(name);
  const typeName = params.get("type") ?? saved.current?.config.type ?? null; // (a view keeps its type)
  const businessType = typeName ? get(typeName) : undefined;
  const [draft, setDraft] = useState<ViewDraft | null>(null);
  const [generation, setGeneration] = useState(0);
  const page = VIEW_PAGES.find((p) => p.kind === view);
  const current = saved.current;

  // A saved view of another kind opens on its own page.
  const misplaced = current && page && current.kind !== page.kind ? VIEW_PAGES.find((p) => p.kind === current.kind) : undefined;
  useEffect(() => {
    if (misplaced && current) void navigate(pathOf(name, misplaced, current), { replace: true });
  }, [misplaced, current, name, navigate]);

  const viewKey = `${name}:${current?.id ?? "-"}:${generation}`;
  useEffect(() => setDraft(null), [viewKey]);
  const onDraft = useCallback((d: ViewDraft) => setDraft(d), []);

  if (!collection) return loading ? <Spin /> : <NotFoundPage />;

  const pages = VIEW_PAGES.filter((p) => !p.available || p.available(collection));
  const options = [
    ...pages.map((p) => ({ value: p.kind, label: t(p.label), icon: p.icon })),
    ...(can(user, name, "import") ? [{ value: "import", label: t("view.import"), icon: <ImportOutlined /> }] : []),
  ];
  const open = (v: SavedView | null) => void navigate(pathOf(name, v ? VIEW_PAGES.find((p) => p.kind === v.kind) : page, v));
  // Wait for the list before showing a view the URL names, so it does not load twice.
  const waiting = saved.currentId !== null && saved.loading;

  return (
    <Flex vertical gap={8} style={{ height: "100%", minHeight: 0 }}>
      <Flex align="center" gap={16} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {collectionTitle(collection)}
          {businessType && <Typography.Text type="secondary" style={{ fontSize: "inherit", fontWeight: "normal" }}>{` · ${businessTypeTitle(collection, businessType)}`}</Typography.Text>}
        </Typography.Title>
        <Segmented
          value={view}
          options={options}
          onChange={(v) => void navigate(v === "import" ? `/c/${name}/import` : pathOf(name, VIEW_PAGES.find((p) => p.kind === v), null))}
        />
        {isAdmin(user) && (
          <Link to={`/schema/${name}`} style={{ marginInlineStart: "auto" }}>
            <Button icon={<BuildOutlined />}>{t("schema.designThis")}</Button>
          </Link>
        )}
      </Flex>
      {page && (
        <ViewBar
          saved={saved}
          kind={page.kind}
          kinds={VIEW_PAGES.map((p) => ({ kind: p.kind, label: t(p.label), icon: p.icon }))}
          draft={draft}
          onOpen={open}
          onDiscard={() => setGeneration((g) => g + 1)}
        />
      )}
      <div style={{ flex: 1, minHeight: 0 }}>
        {page && !waiting && !misplaced && <PageBody key={viewKey} page={page} collection={collection} view={current} onDraft={onDraft} />}
        {page && (waiting || misplaced) && <Spin />}
        {view === "import" && <ImportWizard key={name} collection={collection} />}
        {!page && view !== "import" && <NotFoundPage />}
      </div>
    </Flex>
  );
}

function PageBody({ page, ...props }: ViewHostProps & { page: ViewPage }) {
  return <>{page.render(props)}</>;
}

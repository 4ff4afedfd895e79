/** A collection's page: its views (grid, kanban), import, and for administrators a link to its design. */

import { BuildOutlined, ImportOutlined, ProjectOutlined, TableOutlined } from "@ant-design/icons";
import { Button, Flex, Segmented, Spin, Typography } from "antd";
import { lazy } from "react";
import { Link, useNavigate, useParams } from "react-router";

import { useT } from "../i18n";
import { collectionTitle, useCatalog } from "../kernel/catalog";
import { can, isAdmin, useSession } from "../kernel/session";
import { NotFoundPage } from "../shell/AppShell";
import { GridView } from "./grid/GridView";

const KanbanView = lazy(() => import("./kanban/KanbanView").then((m) => ({ default: m.KanbanView })));
const ImportWizard = lazy(() => import("../imports/ImportWizard").then((m) => ({ default: m.ImportWizard })));

export type CollectionView = "grid" | "kanban" | "import";

export function CollectionPage({ view }: { view: CollectionView }) {
  const t = useT();
  const { name = "" } = useParams();
  const { get, loading } = useCatalog();
  const { user } = useSession();
  const navigate = useNavigate();
  const collection = get(name);
  if (!collection) return loading ? <Spin /> : <NotFoundPage />;

  const hasSelect = collection.fields.some((f) => f.type === "select");
  const options = [
    { value: "grid", label: t("view.grid"), icon: <TableOutlined /> },
    ...(hasSelect ? [{ value: "kanban", label: t("view.kanban"), icon: <ProjectOutlined /> }] : []),
    ...(can(user, name, "import") ? [{ value: "import", label: t("view.import"), icon: <ImportOutlined /> }] : []),
  ];

  return (
    <Flex vertical gap={12} style={{ height: "100%", minHeight: 0 }}>
      <Flex align="center" gap={16} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {collectionTitle(collection)}
        </Typography.Title>
        <Segmented
          value={view}
          options={options}
          onChange={(v) => void navigate(v === "grid" ? `/c/${name}` : `/c/${name}/${v}`)}
        />
        {isAdmin(user) && (
          <Link to={`/schema/${name}`} style={{ marginInlineStart: "auto" }}>
            <Button icon={<BuildOutlined />}>{t("schema.designThis")}</Button>
          </Link>
        )}
      </Flex>
      <div style={{ flex: 1, minHeight: 0 }}>
        {view === "grid" && <GridView key={name} collection={collection} />}
        {view === "kanban" && <KanbanView key={name} collection={collection} />}
        {view === "import" && <ImportWizard key={name} collection={collection} />}
      </div>
    </Flex>
  );
}

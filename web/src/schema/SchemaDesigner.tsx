/** The schema designer (administrators): collections and their fields, changed at once on the server. */

import { DeleteOutlined, EditOutlined, PlusOutlined, TableOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Button, Card, Empty, Flex, List, Popconfirm, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";

import * as endpoints from "../api/endpoints";
import type { Collection, Field } from "../api/types";
import { ChoiceTag } from "../fields/choice";
import { useT } from "../i18n";
import { collectionTitle, useCatalog } from "../kernel/catalog";
import { isAdmin, useSession } from "../kernel/session";
import { FieldModal, typeLabel } from "./FieldModal";
import { ExtensionOf, ExtensionsList } from "./ExtensionsInfo";
import { NewCollectionModal } from "./NewCollectionModal";

export function SchemaDesigner() {
  const t = useT();
  const { user } = useSession();
  const { collections, refresh } = useCatalog();
  const { name } = useParams();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const selected = collections.find((c) => c.name === name);

  if (!isAdmin(user)) return <Alert type="warning" showIcon title={t("schema.adminOnly")} />;

  return (
    <Flex gap={16} style={{ minHeight: 0 }} align="flex-start">
      <Card
        size="small"
        title={t("shell.schema")}
        style={{ width: 300, flex: "none" }}
        extra={
          <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t("schema.newCollection")}
          </Button>
        }
      >
        <List
          size="small"
          dataSource={collections}
          locale={{ emptyText: t("schema.noCollections") }}
          renderItem={(c) => (
            <List.Item
              style={{ cursor: "pointer", fontWeight: c.name === name ? 600 : undefined }}
              onClick={() => void navigate(`/schema/${c.name}`)}
            >
              <Space align="start">
                <TableOutlined style={{ marginTop: 4 }} />
                <div>
                  <div>
                    {collectionTitle(c)} {c.extends && <Tag>{t("schema.extension")}</Tag>}
                  </div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {c.name}
                  </Typography.Text>
                </div>
              </Space>
            </List.Item>
          )}
        />
      </Card>
      <div style={{ flex: 1, minWidth: 0 }}>
        {selected ? (
          <CollectionDesign key={selected.name} collection={selected} collections={collections} onChanged={refresh} />
        ) : (
          <Empty description={t("schema.pick")} />
        )}
      </div>
      {creating && (
        <NewCollectionModal
          collections={collections}
          onClose={() => setCreating(false)}
          onCreated={async (c) => {
            setCreating(false);
            await refresh();
            await navigate(`/schema/${c.name}`);
          }}
        />
      )}
    </Flex>
  );
}

function CollectionDesign({ collection, collections, onChanged }: { collection: Collection; collections: Collection[]; onChanged: () => Promise<void> }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [editing, setEditing] = useState<Field | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const fields = [...collection.fields.filter((f) => !f.system), ...collection.fields.filter((f) => f.system)];

  const dropField = async (f: Field) => {
    try {
      await endpoints.deleteField(collection.name, f.name);
      setError(null);
      void message.success(t("schema.fieldDeleted"));
      await onChanged();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const dropCollection = async () => {
    try {
      await endpoints.deleteCollection(collection.name);
      await onChanged();
      await navigate("/schema");
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <Card
      size="small"
      title={
        <Space>
          <span>{collectionTitle(collection)}</span>
          <Typography.Text type="secondary" code>
            {collection.name}
          </Typography.Text>
        </Space>
      }
      extra={
        <Space>
          <Link to={`/c/${collection.name}`}>
            <Button icon={<TableOutlined />}>{t("schema.openData")}</Button>
          </Link>
          <Popconfirm title={t("schema.deleteCollectionConfirm")} okText={t("common.delete")} cancelText={t("common.cancel")} onConfirm={() => void dropCollection()}>
            <Button danger icon={<DeleteOutlined />}>
              {t("schema.deleteCollection")}
            </Button>
          </Popconfirm>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>
            {t("schema.addField")}
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} closable={{ onClose: () => setError(null) }} />}
      <ExtensionOf collection={collection} collections={collections} />
      <Table<Field>
        size="small"
        rowKey="name"
        pagination={false}
        dataSource={fields}
        data-testid="schema-fields"
        columns={[
          { key: "title", title: t("schema.fieldTitle"), render: (_, f) => f.title || f.name },
          { key: "name", title: t("schema.fieldName"), render: (_, f) => <Typography.Text code style={{ whiteSpace: "nowrap" }}>{f.name}</Typography.Text> },
          {
            key: "type",
            title: t("schema.fieldType"),
            render: (_, f) => (
              <Space size={4}>
                {typeLabel(t, f.type)}
                {f.system && <Tag>{t("schema.system")}</Tag>}
              </Space>
            ),
          },
          {
            key: "flags",
            title: t("schema.flags"),
            render: (_, f) => (
              <Space size={4}>
                {f.required && <Tag color="red">{t("schema.required")}</Tag>}
                {f.unique && <Tag color="purple">{t("schema.unique")}</Tag>}
                {f.indexed && <Tag>{t("schema.indexed")}</Tag>}
              </Space>
            ),
          },
          { key: "options", title: t("schema.options"), render: (_, f) => <OptionsSummary field={f} /> },
          {
            key: "actions",
            width: 100,
            render: (_, f) =>
              f.system ? null : (
                <Space size={0}>
                  <Button type="text" size="small" aria-label={t("schema.editField")} icon={<EditOutlined />} onClick={() => setEditing(f)} />
                  <Popconfirm title={t("schema.deleteFieldConfirm", { name: f.title || f.name })} okText={t("common.delete")} cancelText={t("common.cancel")} onConfirm={() => void dropField(f)}>
                    <Button type="text" size="small" danger aria-label={t("schema.deleteField")} icon={<DeleteOutlined />} />
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      <ExtensionsList collection={collection} collections={collections} />
      {editing !== undefined && (
        <FieldModal
          collection={collection}
          field={editing}
          collections={collections}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            void message.success(t("schema.fieldSaved"));
            void onChanged();
          }}
        />
      )}
    </Card>
  );
}

function OptionsSummary({ field }: { field: Field }) {
  const t = useT();
  const o = field.options ?? {};
  if (o.choices) return <>{o.choices.map((c) => <ChoiceTag key={c.value} field={field} value={c.value} />)}</>;
  if (o.target) return <span>→ {o.target}{o.on_delete ? ` (${t(`schema.onDelete.${o.on_delete}` as Parameters<typeof t>[0])})` : ""}</span>;
  if (o.pattern) return <Typography.Text code>{o.pattern}</Typography.Text>;
  if (o.expression) return <Typography.Text code>{o.expression}</Typography.Text>;
  if (o.scale !== undefined) return <span>{[o.currency, `${o.precision ?? ""},${o.scale}`].filter(Boolean).join(" ")}</span>;
  return null;
}

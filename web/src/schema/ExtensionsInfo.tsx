/** On a collection's design page: a master's business types (extensions), or what an extension extends. */

import { Alert, Space, Table, Typography } from "antd";
import { Link } from "react-router";

import type { Collection } from "../api/types";
import { ChoiceTag } from "../fields/choice";
import { useT } from "../i18n";
import { collectionTitle } from "../kernel/catalog";
import { extensionsOf } from "./NewCollectionModal";

interface Props {
  collection: Collection;
  collections: Collection[];
}

/** Above an extension's fields: its master, discriminator and value. */
export function ExtensionOf({ collection, collections }: Props) {
  const t = useT();
  const ext = collection.extends;
  if (!ext) return null;
  const master = collections.find((c) => c.name === ext.master);
  const disc = master?.fields.find((f) => f.name === ext.discriminator);
  const choice = disc?.options?.choices?.find((c) => c.value === ext.value);
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="extension-of"
      title={
        <span>
          {t("schema.ext.extendsInfo", {
            master: master ? collectionTitle(master) : ext.master,
            field: disc?.title || ext.discriminator,
            value: choice?.label || ext.value,
          })}{" "}
          <Link to={`/schema/${ext.master}`}>{ext.master}</Link>
        </span>
      }
    />
  );
}

/** Below a master's fields: its business types with their discriminator values. */
export function ExtensionsList({ collection, collections }: Props) {
  const t = useT();
  const extensions = extensionsOf(collection.name, collections);
  if (extensions.length === 0) return null;
  const disc = collection.fields.find((f) => f.name === extensions[0]?.extends.discriminator);
  return (
    <div style={{ marginTop: 16 }} data-testid="schema-extensions">
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t("schema.ext.extensions")}{" "}
        {disc && (
          <Typography.Text type="secondary" style={{ fontSize: 13, fontWeight: "normal" }}>
            {t("schema.ext.discriminator")}: <Typography.Text code>{disc.name}</Typography.Text>
          </Typography.Text>
        )}
      </Typography.Title>
      <Table
        size="small"
        rowKey="name"
        pagination={false}
        dataSource={extensions}
        columns={[
          {
            key: "value",
            title: t("schema.ext.value"),
            width: 200,
            render: (_, c) => (disc?.options?.choices ? <ChoiceTag field={disc} value={c.extends.value} /> : <Typography.Text code>{c.extends.value}</Typography.Text>),
          },
          {
            key: "collection",
            title: t("schema.collectionTitle"),
            render: (_, c) => (
              <Space>
                <Link to={`/schema/${c.name}`}>{collectionTitle(c)}</Link>
                <Typography.Text type="secondary" code>
                  {c.name}
                </Typography.Text>
              </Space>
            ),
          },
        ]}
      />
    </div>
  );
}

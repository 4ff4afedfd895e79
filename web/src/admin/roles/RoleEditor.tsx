/** A role's permissions, collection by collection, saved as a whole with
 * `PUT /api/roles/{name}/permissions`; the API's 422 errors land on their rows. */

import { SaveOutlined, SearchOutlined, UndoOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Badge, Button, Collapse, Empty, Flex, Input, Modal, Space, Spin, Tag, Typography } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useBlocker } from "react-router";

import { ApiError } from "../../api/client";
import * as endpoints from "../../api/endpoints";
import type { Collection, FieldErrorItem, Role } from "../../api/types";
import { useT } from "../../i18n";
import { collectionTitle, useCatalog } from "../../kernel/catalog";
import { errorMessage, problemText } from "../errors";
import { useLoad } from "../useLoad";
import { CollectionRules, fieldChoices, type RowErrors } from "./CollectionRules";
import {
  allowAction,
  allowedCount,
  collectionRules,
  customActions,
  fromWire,
  placeError,
  ruleFieldNames,
  setFieldAccess,
  setRule,
  toWire,
  validate,
  type RoleModel,
} from "./permissionsModel";

interface Placed {
  /** collection → action → column → messages */
  rows: Record<string, Record<string, RowErrors>>;
  /** collection → messages about the collection itself */
  collections: Record<string, string[]>;
  other: string[];
}

function placeAll(errors: FieldErrorItem[], text: (e: FieldErrorItem) => string): Placed {
  const out: Placed = { rows: {}, collections: {}, other: [] };
  for (const e of errors) {
    const place = placeError(e.field);
    if (!place) out.other.push(text(e));
    else if (!place.action) (out.collections[place.collection] ??= []).push(text(e));
    else {
      const row = ((out.rows[place.collection] ??= {})[place.action] ??= {});
      (row[place.part ?? "row"] ??= []).push(text(e));
    }
  }
  return out;
}

export function RoleEditor({ role }: { role: Role }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const { collections } = useCatalog();
  const loaded = useLoad((signal) => endpoints.getRolePermissions(role.name, signal), role.name);
  const workflows = useLoad((signal) => endpoints.listWorkflows(signal).catch(() => []));
  const masters = useMemo(() => collections.filter((c) => !c.extends), [collections]);
  const names = useMemo(() => new Map(masters.map((c) => [c.name, ruleFieldNames(c, collections)])), [masters, collections]);

  const [model, setModel] = useState<RoleModel | null>(null);
  const [saved, setSaved] = useState<string>("");
  const [errors, setErrors] = useState<FieldErrorItem[]>([]);
  const [saving, setSaving] = useState(false);
  const [find, setFind] = useState("");
  const [open, setOpen] = useState<string[] | null>(null);

  useEffect(() => {
    if (!loaded.data) return;
    const m = fromWire(loaded.data, (c) => names.get(c));
    setModel(m);
    setSaved(JSON.stringify(toWire(m)));
    setErrors([]);
  }, [loaded.data, names]);

  const dirty = model !== null && JSON.stringify(toWire(model)) !== saved;
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);

  const buttons = useMemo(() => {
    const out = new Map<string, string[]>();
    for (const w of workflows.data ?? []) {
      const { type, collection, name } = w.trigger;
      if (type === "action" && typeof collection === "string" && typeof name === "string") {
        out.set(collection, [...new Set([...(out.get(collection) ?? []), name])]);
      }
    }
    return out;
  }, [workflows.data]);

  const placed = useMemo(() => placeAll(errors, (e) => errorMessage(t, e)), [errors, t]);

  if (loaded.error) return <Alert type="error" showIcon title={problemText(loaded.error)} />;
  if (!model) return <Spin />;

  const change = (next: RoleModel) => {
    setModel(next);
    if (errors.length) setErrors([]);
  };

  const save = async () => {
    const local = validate(model);
    if (local.length) {
      setErrors(local);
      setOpen([...new Set([...(open ?? []), ...local.map((e) => e.field.split(".")[0] ?? "")])]);
      return;
    }
    setSaving(true);
    try {
      const result = await endpoints.putRolePermissions(role.name, toWire(model));
      const m = fromWire(result, (c) => names.get(c));
      setModel(m);
      setSaved(JSON.stringify(toWire(m)));
      setErrors([]);
      void message.success(t("admin.perm.saved"));
    } catch (e) {
      if (e instanceof ApiError && e.errors.length) {
        setErrors(e.errors);
        setOpen([...new Set([...(open ?? []), ...e.errors.map((x) => x.field.split(".")[0] ?? "")])]);
      } else setErrors([{ field: "body", message: problemText(e), code: "error" }]);
    } finally {
      setSaving(false);
    }
  };

  const shown = masters.filter((c) => !find || `${c.name} ${collectionTitle(c)}`.toLowerCase().includes(find.toLowerCase()));
  const defaultOpen = masters.filter((c) => allowedCount(model[c.name]) > 0).map((c) => c.name);
  const errorCount = errors.length;

  return (
    <Flex vertical gap={12} data-testid="permissions-editor">
      <Modal
        open={blocker.state === "blocked"}
        title={t("admin.perm.leaveTitle")}
        okText={t("admin.perm.leave")}
        cancelText={t("admin.perm.stay")}
        okButtonProps={{ danger: true }}
        onOk={() => blocker.proceed?.()}
        onCancel={() => blocker.reset?.()}
      >
        {t("admin.perm.leaveText")}
      </Modal>
      <Flex gap={8} align="center" wrap>
        <Input
          allowClear
          size="middle"
          prefix={<SearchOutlined />}
          placeholder={t("admin.perm.findCollection")}
          aria-label={t("admin.perm.findCollection")}
          value={find}
          onChange={(e) => setFind(e.target.value)}
          style={{ width: 240 }}
        />
        <Space style={{ marginInlineStart: "auto" }}>
          {dirty && <Tag color="orange">{t("admin.perm.unsaved")}</Tag>}
          <Button icon={<UndoOutlined />} disabled={!dirty || saving} onClick={() => void loaded.reload()}>
            {t("admin.perm.revert")}
          </Button>
          <Button type="primary" icon={<SaveOutlined />} loading={saving} disabled={!dirty} onClick={() => void save()} data-testid="save-permissions">
            {t("admin.perm.save")}
          </Button>
        </Space>
      </Flex>
      {errorCount > 0 && (
        <Alert
          type="error"
          showIcon
          title={t("admin.perm.errors", { count: errorCount })}
          description={placed.other.length ? placed.other.join(" ") : undefined}
          data-testid="permissions-errors"
        />
      )}
      {masters.length === 0 ? (
        <Empty description={t("admin.perm.noCollections")} />
      ) : (
        <Collapse
          activeKey={open ?? defaultOpen}
          onChange={(keys) => setOpen(Array.isArray(keys) ? keys : [keys])}
          items={shown.map((c) => ({
            key: c.name,
            label: <PanelLabel collection={c} allowed={allowedCount(model[c.name])} errors={errorsIn(placed, c.name)} />,
            children: (
              <>
                {placed.collections[c.name] && <Alert type="error" showIcon title={placed.collections[c.name]?.join(" ")} style={{ marginBottom: 8 }} />}
                <CollectionRules
                  collection={c}
                  fields={fieldChoices(c, collections, names.get(c.name) ?? [])}
                  rules={collectionRules(model, c.name)}
                  customActions={customActions(model[c.name], buttons.get(c.name) ?? [])}
                  errors={placed.rows[c.name] ?? {}}
                  onRule={(action, ch) => change(setRule(model, c.name, action, ch))}
                  onAllow={(action, on) => change(allowAction(model, c.name, action, on))}
                  onFieldAccess={(access, field, on) => change(setFieldAccess(model, c.name, access, field, on, names.get(c.name) ?? []))}
                />
              </>
            ),
          }))}
        />
      )}
    </Flex>
  );
}

function errorsIn(placed: Placed, coll: string): number {
  const rows = Object.values(placed.rows[coll] ?? {}).flatMap((r) => Object.values(r).flat());
  return rows.length + (placed.collections[coll]?.length ?? 0);
}

function PanelLabel({ collection, allowed, errors }: { collection: Collection; allowed: number; errors: number }) {
  const t = useT();
  return (
    <Flex align="center" gap={8} data-testid={`panel-${collection.name}`}>
      <Typography.Text strong>{collectionTitle(collection)}</Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {collection.name}
      </Typography.Text>
      <span style={{ marginInlineStart: "auto" }} />
      {errors > 0 && <Badge count={errors} title={t("admin.perm.errors", { count: errors })} />}
      {allowed > 0 ? <Tag color="green">{t("admin.perm.actionsAllowed", { count: allowed })}</Tag> : <Tag>{t("admin.perm.noAccess")}</Tag>}
    </Flex>
  );
}

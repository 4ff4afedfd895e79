/** /admin/departments: the department tree; create, rename, move and delete departments. */

import { DeleteOutlined, EditOutlined, PlusOutlined, SwapOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Button, Card, Empty, Form, Input, Modal, Popconfirm, Space, Tag, Tooltip, Tree, TreeSelect, Typography } from "antd";
import { useMemo, useState, type ReactNode } from "react";

import * as endpoints from "../../api/endpoints";
import type { Department } from "../../api/types";
import { useT } from "../../i18n";
import { PageHeader } from "../AdminPage";
import { problemText, showFormErrors } from "../errors";
import { useLoad } from "../useLoad";
import { flatten, subtree, treeOptions } from "./tree";

type Dialog = { kind: "create"; parent: Department | null } | { kind: "rename"; dept: Department } | { kind: "move"; dept: Department };

interface TreeNode {
  key: number;
  title: ReactNode;
  children: TreeNode[];
}

export function DepartmentsPage() {
  const t = useT();
  const { message } = AntApp.useApp();
  const tree = useLoad((signal) => endpoints.departmentTree(signal));
  // Direct members per department, counted by the server (no user list is loaded).
  const counts = useLoad((signal) => endpoints.searchUsers({ counts: "department", page_size: 1 }, signal));
  const [dialog, setDialog] = useState<Dialog | null>(null);

  const members = useMemo(
    () => new Map(Object.entries(counts.data?.meta.counts?.department ?? {}).map(([id, n]) => [Number(id), n])),
    [counts.data],
  );

  const remove = async (d: Department) => {
    try {
      await endpoints.deleteDepartment(d.id);
      void message.success(t("admin.departments.deleted", { name: d.name }));
      await tree.reload();
    } catch (e) {
      void message.error(problemText(e));
    }
  };

  const nodes = (list: readonly Department[]): TreeNode[] =>
    list.map((d) => ({
      key: d.id,
      children: nodes(d.children ?? []),
      title: (
        <Space className="dept-node" data-testid="department" size={8}>
          <span>{d.name}</span>
          {(members.get(d.id) ?? 0) > 0 && (
            <Tag variant="filled" style={{ marginInlineEnd: 0 }}>
              {t("admin.departments.members", { count: members.get(d.id) ?? 0 })}
            </Tag>
          )}
          <Space size={0} className="dept-actions" onClick={(e) => e.stopPropagation()}>
            <Tooltip title={t("admin.departments.addChild")}>
              <Button size="small" type="text" icon={<PlusOutlined />} aria-label={t("admin.departments.addChild")} onClick={() => setDialog({ kind: "create", parent: d })} />
            </Tooltip>
            <Tooltip title={t("admin.departments.rename")}>
              <Button size="small" type="text" icon={<EditOutlined />} aria-label={t("admin.departments.rename")} onClick={() => setDialog({ kind: "rename", dept: d })} />
            </Tooltip>
            <Tooltip title={t("admin.departments.move")}>
              <Button size="small" type="text" icon={<SwapOutlined />} aria-label={t("admin.departments.move")} onClick={() => setDialog({ kind: "move", dept: d })} />
            </Tooltip>
            <Popconfirm
              title={t("admin.departments.deleteConfirm", { name: d.name })}
              description={(d.children ?? []).length ? t("admin.departments.deleteHasChildren") : t("admin.departments.deleteHint")}
              okText={t("common.delete")}
              cancelText={t("common.cancel")}
              okButtonProps={{ danger: true, disabled: (d.children ?? []).length > 0 }}
              onConfirm={() => void remove(d)}
            >
              <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t("common.delete")} />
            </Popconfirm>
          </Space>
        </Space>
      ),
    }));

  const data = tree.data ?? [];
  return (
    <div data-testid="departments-page" style={{ maxWidth: 900 }}>
      <PageHeader
        title={t("admin.nav.departments")}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: "create", parent: null })}>
            {t("admin.departments.new")}
          </Button>
        }
      >
        {t("admin.departments.intro")}
      </PageHeader>
      {Boolean(tree.error) && <Alert type="error" showIcon title={problemText(tree.error)} style={{ marginBottom: 12 }} />}
      <Card size="small" loading={tree.loading && !tree.data}>
        {data.length === 0 ? (
          <Empty description={t("admin.departments.empty")} />
        ) : (
          <Tree<TreeNode> key={flatten(data).length} treeData={nodes(data)} defaultExpandAll blockNode showLine selectable={false} />
        )}
      </Card>
      {dialog && (
        <DepartmentDialog
          dialog={dialog}
          tree={data}
          onClose={() => setDialog(null)}
          onDone={async () => {
            setDialog(null);
            void message.success(t("admin.departments.saved"));
            await tree.reload();
          }}
        />
      )}
    </div>
  );
}

/** The top of the tree, as a choice in the parent picker (departments have positive ids). */
const TOP = 0;

function DepartmentDialog({ dialog, tree, onClose, onDone }: { dialog: Dialog; tree: Department[]; onClose: () => void; onDone: () => Promise<void> }) {
  const t = useT();
  const [form] = Form.useForm<{ name: string; parent: number }>();
  const [saving, setSaving] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const moving = dialog.kind === "move" ? dialog.dept : null;
  const parentOptions = useMemo(
    () => [{ value: TOP, title: t("admin.departments.top"), children: [] }, ...treeOptions(tree, moving ? subtree(tree, moving.id) : new Set())],
    [tree, moving, t],
  );

  const title =
    dialog.kind === "create"
      ? dialog.parent
        ? t("admin.departments.newUnder", { name: dialog.parent.name })
        : t("admin.departments.new")
      : dialog.kind === "rename"
        ? t("admin.departments.renameTitle", { name: dialog.dept.name })
        : t("admin.departments.moveTitle", { name: dialog.dept.name });

  const submit = async ({ name, parent }: { name?: string; parent?: number }) => {
    setSaving(true);
    setProblems([]);
    try {
      if (dialog.kind === "create") await endpoints.createDepartment({ name: name ?? "", parent_id: dialog.parent?.id ?? null });
      else if (dialog.kind === "rename") await endpoints.updateDepartment(dialog.dept.id, { name: name ?? "" });
      else await endpoints.updateDepartment(dialog.dept.id, { parent_id: parent === TOP || parent === undefined ? null : parent });
      await onDone();
    } catch (e) {
      setProblems(showFormErrors(t, form, e, ["name", "parent"], { parent_id: "parent" }));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open title={title} okText={t("common.save")} cancelText={t("common.cancel")} confirmLoading={saving} onOk={() => form.submit()} onCancel={onClose} destroyOnHidden>
      {problems.length > 0 && <Alert type="error" showIcon title={problems.join(" ")} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ name: dialog.kind === "rename" ? dialog.dept.name : "", parent: moving?.parent_id ?? TOP }}
        onFinish={(v) => void submit(v)}
      >
        {dialog.kind !== "move" ? (
          <Form.Item name="name" label={t("admin.departments.name")} rules={[{ required: true, whitespace: true, message: t("admin.error.required") }]}>
            <Input autoFocus maxLength={200} />
          </Form.Item>
        ) : (
          <Form.Item name="parent" label={t("admin.departments.parent")} extra={<Typography.Text type="secondary">{t("admin.departments.moveHint")}</Typography.Text>}>
            <TreeSelect treeData={parentOptions} treeDefaultExpandAll showSearch={{ treeNodeFilterProp: "title" }} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

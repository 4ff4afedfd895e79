/** The dialog that names a view: a new one (personal, or shared for administrators) or a rename. */

import { Alert, Checkbox, Form, Input, Modal } from "antd";
import { useState } from "react";

import { ApiError } from "../../api/client";
import { useT } from "../../i18n";

export interface ViewModalResult {
  name: string;
  shared: boolean;
}

interface Props {
  title: string;
  okText: string;
  initialName?: string;
  /** Offer "shared with everyone" (administrators creating a view). */
  canShare: boolean;
  onCancel: () => void;
  onSubmit: (result: ViewModalResult) => Promise<void>;
}

export function ViewModal({ title, okText, initialName = "", canShare, onCancel, onSubmit }: Props) {
  const t = useT();
  const [form] = Form.useForm<ViewModalResult>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async () => {
    let values: ViewModalResult;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await onSubmit({ name: values.name.trim(), shared: Boolean(values.shared) });
    } catch (e) {
      if (e instanceof ApiError && (e.status === 409 || e.fieldMessages().name)) {
        form.setFields([{ name: "name", errors: [e.status === 409 ? t("savedViews.nameTaken") : (e.fieldMessages().name ?? e.message)] }]);
      } else {
        setProblem(e instanceof ApiError && e.errors.length > 0 ? e.errors.map((x) => `${x.field}: ${x.message}`).join("; ") : e instanceof Error ? e.message : String(e));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={title} okText={okText} cancelText={t("common.cancel")} confirmLoading={busy} onOk={() => void submit()} onCancel={onCancel} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ name: initialName, shared: false }} onFinish={() => void submit()}>
        <Form.Item name="name" label={t("savedViews.name")} rules={[{ required: true, whitespace: true, message: t("savedViews.nameRequired") }]}>
          <Input autoFocus maxLength={100} />
        </Form.Item>
        {canShare && (
          <Form.Item name="shared" valuePropName="checked" extra={t("savedViews.sharedHint")}>
            <Checkbox>{t("savedViews.shared")}</Checkbox>
          </Form.Item>
        )}
      </Form>
      {problem && <Alert type="error" showIcon title={problem} />}
    </Modal>
  );
}

/** The formula field's expression: insert fields and functions at the cursor, checked by the server as you type. */

import { CheckCircleFilled, CloseCircleFilled, LoadingOutlined } from "@ant-design/icons";
import { Flex, Input, Select, Space, Typography, type GetRef } from "antd";
import { useEffect, useRef, useState } from "react";

import { ApiError } from "../api/client";
import type { Collection } from "../api/types";
import { useT, type MessageKey } from "../i18n";
import { FORMULA_FUNCTIONS, formulaFields, insertAt, insertFunction, type Inserted } from "./formula";
import { checkFormula } from "./schemaApi";

/** How long typing must pause before the server checks the expression. */
export const CHECK_DELAY_MS = 400;

type Check = { state: "idle" | "checking" | "ok" } | { state: "error"; message: string };

export function FormulaEditor({
  value = "",
  onChange,
  collection,
  exclude,
  resultType,
}: {
  value?: string;
  onChange?: (value: string) => void;
  collection: Collection;
  exclude?: string;
  resultType: string;
}) {
  const t = useT();
  const area = useRef<GetRef<typeof Input.TextArea>>(null);
  const check = useLiveCheck(collection.name, value, resultType);
  const fields = formulaFields(collection, exclude);

  const insert = (make: (text: string, start: number, end: number) => Inserted) => {
    const el = area.current?.resizableTextArea?.textArea;
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? value.length;
    const next = make(value, start, end);
    onChange?.(next.text);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(next.cursor, next.cursor);
    });
  };

  return (
    <div>
      <Flex gap={8} style={{ marginBottom: 8 }}>
        <Select<string>
          style={{ flex: 1 }}
          value={null}
          placeholder={t("schema.formula.insertField")}
          aria-label={t("schema.formula.insertField")}
          showSearch={{ optionFilterProp: "search" }}
          data-testid="formula-field-picker"
          options={fields.map((f) => ({
            value: f.name,
            search: `${f.title ?? ""} ${f.name}`,
            label: (
              <Space size={6}>
                <span>{f.title || f.name}</span>
                <Typography.Text type="secondary" code>
                  {f.name}
                </Typography.Text>
              </Space>
            ),
          }))}
          onChange={(name) => insert((text, s, e) => insertAt(text, s, e, name))}
        />
        <Select<string>
          style={{ flex: 1 }}
          value={null}
          placeholder={t("schema.formula.insertFunction")}
          aria-label={t("schema.formula.insertFunction")}
          showSearch={{ optionFilterProp: "search" }}
          popupMatchSelectWidth={360}
          data-testid="formula-function-picker"
          options={FORMULA_FUNCTIONS.map((f) => ({
            value: f.name,
            search: f.name,
            label: (
              <div>
                <Typography.Text code>{f.signature}</Typography.Text>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t(`schema.formula.fn.${f.name}` as MessageKey)}
                  </Typography.Text>
                </div>
              </div>
            ),
          }))}
          onChange={(name) => insert((text, s, e) => insertFunction(text, s, e, name))}
        />
      </Flex>
      <Input.TextArea
        ref={area}
        value={value}
        onChange={(e) => onChange?.(e.target.value)}
        autoSize={{ minRows: 2 }}
        style={{ fontFamily: "monospace" }}
        placeholder="price * quantity"
        aria-label={t("schema.expression")}
        status={check.state === "error" ? "error" : undefined}
        spellCheck={false}
      />
      <div data-testid="formula-status" style={{ minHeight: 22, marginTop: 4 }}>
        {check.state === "checking" && (
          <Typography.Text type="secondary">
            <LoadingOutlined /> {t("schema.formula.checking")}
          </Typography.Text>
        )}
        {check.state === "ok" && (
          <Typography.Text type="success">
            <CheckCircleFilled /> {t("schema.formula.valid")}
          </Typography.Text>
        )}
        {check.state === "error" && (
          <Typography.Text type="danger">
            <CloseCircleFilled /> {check.message}
          </Typography.Text>
        )}
      </div>
    </div>
  );
}

/** The server's verdict on `expression`, asked for once typing pauses; stale answers are dropped. */
function useLiveCheck(collection: string, expression: string, resultType: string): Check {
  const [check, setCheck] = useState<Check>({ state: "idle" });
  useEffect(() => {
    if (!expression.trim()) {
      setCheck({ state: "idle" });
      return;
    }
    setCheck({ state: "checking" });
    const abort = new AbortController();
    const timer = setTimeout(() => {
      checkFormula(collection, expression, resultType, abort.signal).then(
        () => setCheck({ state: "ok" }),
        (e: unknown) => {
          if (abort.signal.aborted) return;
          const message =
            e instanceof ApiError ? (e.errors.map((x) => x.message).join("; ") || e.message) : String(e);
          setCheck({ state: "error", message });
        },
      );
    }, CHECK_DELAY_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [collection, expression, resultType]);
  return check;
}

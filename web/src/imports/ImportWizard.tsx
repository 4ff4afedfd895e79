/** The import wizard: pick a CSV or XLSX file, check it (a dry run lists bad rows and shows where
 * each column goes, which the user can change: that checks again), then import it with the same
 * mapping and a progress bar while the job runs. */

import { InboxOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Descriptions, Flex, Form, Progress, Radio, Result, Select, Space, Steps, Table, Typography, Upload } from "antd";
import { useEffect, useRef, useState } from "react";
import { Link } from "react-router";

import * as endpoints from "../api/endpoints";
import type { Collection, ImportRowError, Job } from "../api/types";
import { fieldTitle } from "../fields/values";
import { useT } from "../i18n";
import { refusedHeader, rowsFromHeader } from "./header";
import { mappingJson, retarget, rowsFromResult, type ImportMapping, type MappingRow } from "./mapping";
import { MappingTable } from "./MappingTable";
import { isFinished, useJob } from "./useJob";

type Mode = "all_or_nothing" | "skip_invalid";

export function ImportWizard({ collection }: { collection: Collection }) {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<Mode>("all_or_nothing");
  const [key, setKey] = useState<string | undefined>(undefined);
  const [check, setCheck] = useState<Job | null>(null);
  const [run, setRun] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  /** The mapping the last accepted check ran with (null: the server's automatic one). */
  const [mapping, setMapping] = useState<ImportMapping | null>(null);
  /** The table as the user last changed it, shown while the check it started runs. */
  const [pending, setPending] = useState<MappingRow[] | null>(null);
  /** The CSV's header, read here when the server refused the file's columns before any check. */
  const [draft, setDraft] = useState<MappingRow[] | null>(null);
  const checked = useJob(check);
  /** Counts the calls of start(): only the latest one's answer is used. */
  const calls = useRef(0);
  const imported = useJob(run);

  const keys = collection.fields.filter((f) => f.unique || f.name === "id");
  const done = imported.job?.status === "succeeded";
  const step = done ? 3 : run ? 2 : check || draft ? 1 : 0;

  const start = async (dryRun: boolean, nextMapping: ImportMapping | null = mapping) => {
    if (!file) return;
    const call = ++calls.current;
    setStarting(true);
    setError(null);
    try {
      const job = await endpoints.startImport(collection.name, file, { dryRun, mode, key, mapping: nextMapping });
      // A later change of the mapping started another check: this one is stale.
      if (call !== calls.current) return;
      setMapping(nextMapping);
      if (dryRun) setCheck(job);
      else setRun(job);
    } catch (e) {
      if (call !== calls.current) return;
      // Refused: back to the last check's mapping (before any check, the user's draft stays).
      if (check) setPending(null);
      setError(e instanceof Error ? e.message : String(e));
      const headers = refusedHeader(e);
      if (dryRun && headers && !check && !draft) setDraft(rowsFromHeader(headers, collection));
    } finally {
      if (call === calls.current) setStarting(false);
    }
  };

  const reset = () => {
    calls.current += 1;
    setStarting(false);
    setCheck(null);
    setRun(null);
    setError(null);
    setPending(null);
    setDraft(null);
  };

  const pickFile = (next: File | null) => {
    setFile(next);
    setMapping(null);
    setDraft(null);
  };

  const dry = checked.job;
  const dryDone = dry !== null && isFinished(dry);
  const dryErrors = dry?.error_count ?? 0;
  const canImport = pending === null && dryDone && dry.status !== "cancelled" && (dryErrors === 0 || mode === "skip_invalid") && (dry.result?.rows ?? 0) > 0;
  // The user's last change shows until the check it started has finished.
  const rows = pending ?? (dryDone && dry.result ? rowsFromResult(dry.result, mapping) : draft);
  const dryId = dry?.id;
  useEffect(() => {
    if (dryDone) setPending(null);
  }, [dryId, dryDone]);

  const remap = (column: string, target: string | null) => {
    if (!rows) return;
    const next = retarget(rows, column, target);
    setPending(next);
    void start(true, mappingJson(next));
  };

  return (
    <Card size="small" style={{ maxWidth: 960 }}>
      <Steps
        size="small"
        current={step}
        items={[{ title: t("import.stepFile") }, { title: t("import.stepCheck") }, { title: t("import.stepImport") }]}
        style={{ marginBottom: 24 }}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      {step === 0 && (
        <Flex vertical gap={16}>
          <Upload.Dragger
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            maxCount={1}
            beforeUpload={(f) => {
              pickFile(f);
              return false;
            }}
            onRemove={() => pickFile(null)}
            fileList={file ? [{ uid: "file", name: file.name, status: "done" }] : []}
            data-testid="import-upload"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t("import.drop")}</p>
            <p className="ant-upload-hint">{t("import.dropHint")}</p>
          </Upload.Dragger>
          <Form layout="vertical">
            <Form.Item label={t("import.mode")}>
              <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
                <Space orientation="vertical">
                  <Radio value="all_or_nothing">{t("import.allOrNothing")}</Radio>
                  <Radio value="skip_invalid">{t("import.skipInvalid")}</Radio>
                </Space>
              </Radio.Group>
            </Form.Item>
            <Form.Item label={t("import.key")} extra={t("import.keyHint")}>
              <Select
                allowClear
                style={{ width: 240 }}
                placeholder={t("import.noKey")}
                value={key}
                onChange={(v?: string) => setKey(v)}
                options={keys.map((f) => ({ value: f.name, label: fieldTitle(f) }))}
              />
            </Form.Item>
          </Form>
          <div>
            <Button type="primary" disabled={!file} loading={starting} onClick={() => void start(true)}>
              {t("import.check")}
            </Button>
          </div>
        </Flex>
      )}
      {step === 1 && (
        <Flex vertical gap={16}>
          {!dry && <Alert type="warning" showIcon title={t("imports.mapFirst")} />}
          {rows && (
            <MappingTable
              collection={collection}
              rows={rows}
              errors={dryDone ? (dry.errors ?? []) : []}
              checked={dryDone && pending === null}
              onChange={remap}
            />
          )}
          {!dry ? (
            <div>
              <Button onClick={reset}>{t("import.back")}</Button>
            </div>
          ) : !dryDone ? (
            <JobProgress job={dry} label={t("import.checking")} />
          ) : (
            <>
              <Descriptions size="small" bordered column={3}>
                <Descriptions.Item label={t("import.rows")}>{dry.result?.rows ?? dry.total ?? 0}</Descriptions.Item>
                <Descriptions.Item label={t("import.wouldCreate")}>{dry.result?.created ?? 0}</Descriptions.Item>
                <Descriptions.Item label={t("import.wouldUpdate")}>{dry.result?.updated ?? 0}</Descriptions.Item>
              </Descriptions>
              {dryErrors > 0 ? (
                <Alert
                  type={mode === "skip_invalid" ? "warning" : "error"}
                  showIcon
                  title={t(mode === "skip_invalid" ? "import.errorsSkipped" : "import.errorsBlock", { count: dryErrors })}
                />
              ) : (
                <Alert type="success" showIcon title={t("import.checkOk")} />
              )}
              {(dry.errors?.length ?? 0) > 0 && <RowErrors errors={dry.errors ?? []} />}
              <Space>
                <Button onClick={reset}>{t("import.back")}</Button>
                <Button type="primary" disabled={!canImport} loading={starting} onClick={() => void start(false)}>
                  {t("import.run")}
                </Button>
              </Space>
            </>
          )}
          {checked.error && <Alert type="error" showIcon title={checked.error} />}
        </Flex>
      )}
      {step >= 2 && imported.job && (
        <Flex vertical gap={16}>
          {!isFinished(imported.job) ? (
            <JobProgress job={imported.job} label={t("import.importing")} />
          ) : imported.job.status === "succeeded" ? (
            <Result
              status="success"
              title={t("import.done")}
              subTitle={t("import.doneDetail", { created: imported.job.result?.created ?? 0, updated: imported.job.result?.updated ?? 0, skipped: imported.job.result?.skipped ?? 0 })}
              extra={[
                <Link key="open" to={`/c/${collection.name}`}>
                  <Button type="primary">{t("import.openGrid")}</Button>
                </Link>,
                <Button key="again" onClick={() => { reset(); pickFile(null); }}>
                  {t("import.another")}
                </Button>,
              ]}
            />
          ) : (
            <>
              <Alert type="error" showIcon title={imported.job.message || t("import.failed")} />
              {(imported.job.errors?.length ?? 0) > 0 && <RowErrors errors={imported.job.errors ?? []} />}
              <div>
                <Button onClick={reset}>{t("import.back")}</Button>
              </div>
            </>
          )}
          {imported.error && <Alert type="error" showIcon title={imported.error} />}
        </Flex>
      )}
    </Card>
  );
}

function JobProgress({ job, label }: { job: Job; label: string }) {
  const t = useT();
  const total = job.total ?? 0;
  const done = job.done ?? 0;
  const percent = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0;
  return (
    <div data-testid="import-progress">
      <Typography.Text>{label}</Typography.Text>
      <Progress percent={percent} status="active" />
      <Typography.Text type="secondary">
        {t("import.progress", { done, total, rate: Math.round(job.rate ?? 0) })}
      </Typography.Text>
    </div>
  );
}

function RowErrors({ errors }: { errors: ImportRowError[] }) {
  const t = useT();
  return (
    <Table<ImportRowError>
      size="small"
      data-testid="import-errors"
      rowKey={(e) => `${e.row}:${e.column ?? ""}:${e.code}`}
      dataSource={errors}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      columns={[
        { key: "row", title: t("import.row"), dataIndex: "row", width: 80 },
        { key: "column", title: t("import.column"), dataIndex: "column", width: 160 },
        { key: "field", title: t("import.field"), dataIndex: "field", width: 140 },
        { key: "message", title: t("import.message"), dataIndex: "message" },
      ]}
    />
  );
}

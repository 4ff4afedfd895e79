/** The Gantt view: one row per record that overlaps the window, its bar from the start field to the
 * end field on a day, week or month scale; drag a bar to move the record, its ends to change the
 * start or the end (PATCH; a refusal puts the bar back and says why). */

import { LeftOutlined, RightOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Button, Empty, Flex, Segmented, Select, Spin, Typography, theme } from "antd";
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties } from "react";
import { useSearchParams } from "react-router";

import { ApiError } from "../../api/client";
import * as endpoints from "../../api/endpoints";
import type { RecordData } from "../../api/types";
import { isWritable } from "../../fields/registry";
import { labelField, recordLabel } from "../../fields/relation";
import { fieldTitle } from "../../fields/values";
import { useI18n } from "../../i18n";
import { allowedFields, can, useSession } from "../../kernel/session";
import { dateFields, dateKind, dayOf, daysBetween, parseDay, today } from "../calendar/dates";
import { RANGE_CAP, useRangeRecords } from "../calendar/useRangeRecords";
import { pick, useFieldChoice, useViewDraft } from "../calendar/viewChoice";
import { ViewExportButton } from "../grid/ExportButton";
import { andFilters } from "../grid/query";
import { RecordDrawer } from "../grid/RecordDrawer";
import type { ViewHostProps } from "../saved/types";
import { GanttRow, type Drag } from "./GanttBar";
import "./gantt.css";
import { dragPatch, overlapFilter, spanOf, stepAnchor, ticks, windowFor, windowWidth, type DragMode, type GanttFields, type Zoom } from "./model";

const ZOOMS: Zoom[] = ["day", "week", "month"];

export function GanttView({ collection, view, onDraft }: ViewHostProps) {
  const { t, locale } = useI18n();
  const { message } = AntApp.useApp();
  const { user } = useSession();
  const { token } = theme.useToken();
  const name = collection.name;
  const [params, setParams] = useSearchParams();

  const readable = useMemo(() => allowedFields(user, name, "list"), [user, name]);
  const writable = useMemo(() => allowedFields(user, name, "update"), [user, name]);
  const candidates = useMemo(() => dateFields(collection, readable), [collection, readable]);
  const names = candidates.map((f) => f.name);
  // By default the collection's own first two date fields: the start, then the end.
  const own = candidates.filter((f) => !f.system).map((f) => f.name);
  const savedStart = pick(names, view?.config.start_field, own[0]);
  const savedEnd = pick(names, view?.config.end_field, own.find((n) => n !== savedStart), names.find((n) => n !== savedStart));
  const [startName, setStart] = useFieldChoice(view, "start", names, view?.config.start_field, own[0]);
  const [endName, setEnd] = useFieldChoice(view, "end", names, view?.config.end_field, savedEnd);
  const choice = startName && endName ? { start_field: startName, end_field: endName } : {};
  useViewDraft(view, onDraft, choice, { start_field: savedStart, end_field: savedEnd });
  const startField = candidates.find((f) => f.name === startName);
  const endField = candidates.find((f) => f.name === endName);
  const zoom: Zoom = ZOOMS.find((z) => z === params.get("zoom")) ?? "day";
  const anchor = /^\d{4}-\d{2}-\d{2}$/.test(params.get("date") ?? "") ? (params.get("date") as string) : today();
  const w = useMemo(() => windowFor(zoom, anchor), [zoom, anchor]);
  const width = windowWidth(w);

  const fields: GanttFields | null = useMemo(
    () =>
      startField && endField
        ? {
            start: startField.name,
            startKind: dateKind(startField) ?? "date",
            end: endField.name,
            endKind: dateKind(endField) ?? "date",
          }
        : null,
    [startField, endField],
  );
  const filter = fields ? (andFilters(overlapFilter(fields.start, fields.startKind, fields.end, fields.endKind, w), view?.config.filter) ?? null) : null;
  const records = useRangeRecords(name, filter, fields?.start, view?.config.q);
  const title = labelField(collection, view?.config.title_field);
  const titleField = collection.fields.find((f) => f.name === title);

  const mayUpdate = can(user, name, "update");
  const writes = (f: typeof startField) => Boolean(f && mayUpdate && isWritable(f) && (writable === null || writable.has(f.name)));
  const canMoveStart = writes(startField);
  const canMoveEnd = writes(endField);

  const [drag, setDrag] = useState<Drag | null>(null);
  const [saving, setSaving] = useState<Set<number>>(() => new Set());
  const [drawer, setDrawer] = useState<RecordData | undefined>(undefined);

  const { rows, put } = records;
  const drop = useCallback(
    async (record: RecordData, mode: DragMode, days: number) => {
      if (!fields) return;
      const patch = dragPatch(record, fields, mode, days);
      if (Object.keys(patch).length === 0) return;
      put({ ...record, ...patch });
      setSaving((s) => new Set(s).add(record.id));
      try {
        put(await endpoints.updateRecord(name, record.id, patch));
      } catch (e) {
        put(record);
        const messages = e instanceof ApiError ? e.fieldMessages() : {};
        const text = messages[fields.start] ?? messages[fields.end] ?? (e instanceof Error ? e.message : String(e));
        void message.error(t("gantt.moveFailed", { message: text }));
      } finally {
        setSaving((s) => {
          const next = new Set(s);
          next.delete(record.id);
          return next;
        });
      }
    },
    [fields, name, put, message, t],
  );
  const dropRow = useCallback((record: RecordData, mode: DragMode, days: number) => void drop(record, mode, days), [drop]);

  // Today in view when the window changes.
  const scroller = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const x = daysBetween(w.from, today()) * w.px;
    el.scrollLeft = x > 0 && x < width ? Math.max(0, x - el.clientWidth / 3) : 0;
  }, [w, width]);

  const setParam = (key: string, value: string) =>
    setParams(
      (p) => {
        p.set(key, value);
        return p;
      },
      { replace: true },
    );

  if (!fields || !startField || !endField) return <Empty description={t("gantt.noDateFields")} />;

  const scale = ticks(zoom, w, locale);
  const todayX = daysBetween(w.from, today()) * w.px;
  const fieldOptions = candidates.map((f) => ({ value: f.name, label: fieldTitle(f) }));

  return (
    <Flex vertical gap={12} style={{ height: "100%", minHeight: 0 }}>
      <Flex gap={8} align="center" wrap>
        <Typography.Text>{t("gantt.start")}</Typography.Text>
        <Select style={{ width: 160 }} aria-label={t("gantt.start")} value={fields.start} options={fieldOptions} onChange={setStart} />
        <Typography.Text>{t("gantt.end")}</Typography.Text>
        <Select style={{ width: 160 }} aria-label={t("gantt.end")} value={fields.end} options={fieldOptions} onChange={setEnd} />
        <Segmented
          value={zoom}
          aria-label={t("gantt.zoom")}
          options={ZOOMS.map((z) => ({ value: z, label: t(`gantt.zoom.${z}`) }))}
          onChange={(v) => setParam("zoom", v)}
        />
        <Button onClick={() => setParam("date", today())}>{t("calendar.today")}</Button>
        <Button icon={<LeftOutlined />} aria-label={t("calendar.previous")} onClick={() => setParam("date", stepAnchor(zoom, anchor, -1))} />
        <Button icon={<RightOutlined />} aria-label={t("calendar.next")} onClick={() => setParam("date", stepAnchor(zoom, anchor, 1))} />
        {records.loading && <Spin size="small" />}
        {!canMoveStart && !canMoveEnd && <Typography.Text type="secondary">{t("gantt.readOnly")}</Typography.Text>}
        <span style={{ marginInlineStart: "auto" }}>
          <ViewExportButton collection={collection} filter={filter ?? undefined} q={view?.config.q} sort={fields.start} />
        </span>
      </Flex>
      {records.error !== null && <Alert type="error" showIcon title={records.error} />}
      {records.truncated && <Alert type="info" showIcon title={t("calendar.truncated", { count: RANGE_CAP })} />}
      <div className="gantt" ref={scroller} data-testid="gantt" style={
          {
            "--gantt-bg": token.colorBgContainer,
            "--gantt-line": token.colorBorderSecondary,
            "--gantt-accent": token.colorPrimary,
            "--gantt-today": token.colorError,
          } as CSSProperties
        }>
        <div className="gantt-header">
          <div className="gantt-corner">{titleField ? fieldTitle(titleField) : t("gantt.record")}</div>
          <div className="gantt-scale" style={{ width }}>
            {[scale.top, scale.bottom].map((band, i) => (
              <div key={i} className="gantt-band">
                {band.map((tick) => (
                  <div key={tick.key} className="gantt-tick" style={{ left: tick.left, width: tick.width }}>
                    {tick.label}
                  </div>
                ))}
              </div>
            ))}
          </div>
        </div>
        <div className="gantt-body" style={{ width: width + 240 }}>
          <div className="gantt-grid" style={{ width }}>
            {zoom === "day" &&
              scale.bottom
                .filter((tick) => [0, 6].includes(parseDay(tick.key).day()))
                .map((tick) => <div key={`w${tick.key}`} className="gantt-weekend" style={{ left: tick.left, width: tick.width }} />)}
            {scale.bottom.map((tick) => (
              <div key={tick.key} className="gantt-gridline" style={{ left: tick.left }} />
            ))}
            {todayX >= 0 && todayX < width && <div className="gantt-today" style={{ left: todayX + w.px / 2 }} />}
          </div>
          {rows.map((record) => {
            const span = spanOf(record, fields.start, fields.startKind, fields.end, fields.endKind);
            if (!span) return null;
            return (
              <GanttRow
                key={record.id}
                record={record}
                label={recordLabel(record, title)}
                span={span}
                hasEnd={dayOf(record[fields.end], fields.endKind) !== null}
                window={w}
                width={width}
                drag={drag?.id === record.id ? drag : null}
                saving={saving.has(record.id)}
                canMoveStart={canMoveStart}
                canMoveEnd={canMoveEnd}
                onDrag={setDrag}
                onDrop={dropRow}
                onOpen={setDrawer}
              />
            );
          })}
          {!records.loading && rows.length === 0 && <Empty className="gantt-empty" description={t("gantt.empty")} />}
        </div>
      </div>
      <RecordDrawer
        collection={collection}
        record={drawer}
        canWrite={(f) => mayUpdate && (writable === null || writable.has(f.name))}
        canDelete={can(user, name, "delete")}
        onClose={() => setDrawer(undefined)}
        onSaved={(record) => {
          setDrawer(undefined);
          put(record);
          void message.success(t("record.saved"));
        }}
        onDeleted={(id) => {
          setDrawer(undefined);
          records.remove(id);
          void message.success(t("record.deleted"));
        }}
      />
    </Flex>
  );
}

/** The calendar view: a month or a week of records placed by a date or datetime field (and, with an
 * end field, spread over the days up to their end), loaded for the days on screen only; drag a
 * record to another day to move it (PATCH; a span keeps its length), click it to open it, and add
 * a record on a day. */

import { LeftOutlined, PlusOutlined, RightOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Button, Empty, Flex, Popover, Segmented, Select, Spin, Typography, theme } from "antd";
import { useMemo, useState, type CSSProperties } from "react";
import { useSearchParams } from "react-router";

import { ApiError } from "../../api/client";
import * as endpoints from "../../api/endpoints";
import type { JSONValue, RecordData } from "../../api/types";
import { isWritable } from "../../fields/registry";
import { labelField, recordLabel } from "../../fields/relation";
import { fieldTitle } from "../../fields/values";
import { useI18n } from "../../i18n";
import { allowedFields, can, useSession } from "../../kernel/session";
import { ViewExportButton } from "../grid/ExportButton";
import { RecordDrawer } from "../grid/RecordDrawer";
import { useDrawerRights } from "../grid/useDrawerRights";
import { andFilters } from "../grid/query";
import type { ViewHostProps } from "../saved/types";
import "./calendar.css";
import {
  byDay,
  dateFields,
  dateKind,
  daysBetween,
  onDay,
  parseDay,
  rangeFilter,
  shiftDays,
  spanFilter,
  stepAnchor,
  timeOf,
  today,
  visibleRange,
  type CalendarMode,
  type DateKind,
  type EndField,
  type Placed,
  type WeekStart,
} from "./dates";
import { RANGE_CAP, useRangeRecords } from "./useRangeRecords";
import { pick, useFieldChoice, useViewDraft } from "./viewChoice";

/** Records a month cell lists before "+n more". */
const MONTH_ROWS = 3;

export function CalendarView({ collection, view, onDraft }: ViewHostProps) {
  const { t, locale } = useI18n();
  const { message } = AntApp.useApp();
  const { user } = useSession();
  const { token } = theme.useToken();
  const name = collection.name;
  const [params, setParams] = useSearchParams();

  const readable = useMemo(() => allowedFields(user, name, "list"), [user, name]);
  const writable = useMemo(() => allowedFields(user, name, "update"), [user, name]);
  const drawerRights = useDrawerRights(name);
  const candidates = useMemo(() => dateFields(collection, readable), [collection, readable]);
  const names = candidates.map((f) => f.name);
  const [fieldName, setFieldName] = useFieldChoice(view, "field", names, view?.config.date_field);
  const field = candidates.find((f) => f.name === fieldName);
  // The end is optional: "" (the first choice) is none.
  const endNames = ["", ...names.filter((n) => n !== fieldName)];
  const [endName, setEndName] = useFieldChoice(view, "end", endNames, view?.config.end_field ?? "");
  const endField = endName ? candidates.find((f) => f.name === endName) : undefined;
  const drafted = useMemo(() => (fieldName ? { date_field: fieldName, end_field: endName || undefined } : {}), [fieldName, endName]);
  useViewDraft(view, onDraft, drafted, { date_field: pick(names, view?.config.date_field), end_field: view?.config.end_field });
  const kind: DateKind = (field && dateKind(field)) || "date";
  const end: EndField | null = useMemo(() => (endField ? { field: endField.name, kind: dateKind(endField) ?? "date" } : null), [endField]);
  const mode: CalendarMode = params.get("mode") === "week" ? "week" : "month";
  const anchor = /^\d{4}-\d{2}-\d{2}$/.test(params.get("date") ?? "") ? (params.get("date") as string) : today();
  const weekStart: WeekStart = locale === "zh-CN" ? 1 : 0;
  const range = useMemo(() => visibleRange(mode, anchor, weekStart), [mode, anchor, weekStart]);

  const inRange = field && (end ? spanFilter(field.name, kind, end, range.from, range.to) : rangeFilter(field.name, kind, range.from, range.to));
  const filter = inRange ? (andFilters(inRange, view?.config.filter) ?? null) : null;
  const records = useRangeRecords(name, filter, field?.name, view?.config.q);
  const days = useMemo(() => (field ? byDay(records.rows, field.name, kind, end) : new Map<string, Placed[]>()), [records.rows, field, kind, end]);

  const title = labelField(collection, view?.config.title_field);
  const mayWrite = (f: typeof field) => Boolean(f && can(user, name, "update") && isWritable(f) && (writable === null || writable.has(f.name)));
  const canMove = mayWrite(field) && (!endField || mayWrite(endField));
  const canCreate = can(user, name, "create");
  /** The record being dragged, and the day it was picked up on (a span moves by the difference). */
  const [dragging, setDragging] = useState<{ id: number; from: string } | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const [drawer, setDrawer] = useState<RecordData | null | undefined>(undefined);
  const [newOn, setNewOn] = useState<string | null>(null);

  const setParam = (key: string, value: string) =>
    setParams(
      (p) => {
        p.set(key, value);
        return p;
      },
      { replace: true },
    );

  const move = async (id: number, from: string, day: string) => {
    if (!field) return;
    const record = records.rows.find((r) => r.id === id);
    if (!record) return;
    const shift = daysBetween(from, day);
    if (shift === 0) return;
    const start = shiftDays(record[field.name], kind, shift);
    if (start === null) return;
    const patch: Record<string, JSONValue> = { [field.name]: start };
    const endValue = end ? shiftDays(record[end.field], end.kind, shift) : null;
    if (end && endValue !== null) patch[end.field] = endValue;
    records.put({ ...record, ...patch });
    try {
      records.put(await endpoints.updateRecord(name, id, patch));
    } catch (e) {
      records.put(record);
      const messages = e instanceof ApiError ? e.fieldMessages() : {};
      const text = messages[field.name] ?? (end ? messages[end.field] : undefined) ?? (e instanceof Error ? e.message : String(e));
      void message.error(t("calendar.moveFailed", { message: text }));
    }
  };

  // A new record starts on the day it was added on: the drawer's defaults come from the fields.
  const drawerCollection = useMemo(() => {
    if (newOn === null || !field) return collection;
    const start = onDay(null, kind, newOn);
    return { ...collection, fields: collection.fields.map((f) => (f.name === field.name ? { ...f, default: start } : f)) };
  }, [collection, newOn, field, kind]);

  if (candidates.length === 0 || !field) return <Empty description={t("calendar.noDateField")} />;

  const monthTitle = new Intl.DateTimeFormat(locale, { year: "numeric", month: "long" }).format(parseDay(anchor).toDate());
  const weekTitle = new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric" }).formatRange(
    parseDay(range.from).toDate(),
    parseDay(range.days[range.days.length - 1] ?? range.from).toDate(),
  );
  const weekday = new Intl.DateTimeFormat(locale, { weekday: "short" });
  const month = parseDay(anchor).month();
  const now = today();

  const chip = (day: string) => ({ record, first, last }: Placed) => (
    <div
      key={record.id}
      className={[
        "calendar-item",
        dragging?.id === record.id ? "dragging" : "",
        first ? "" : "continued",
        last ? "" : "continues",
      ].join(" ").trim()}
      draggable={canMove}
      role="button"
      tabIndex={0}
      data-testid={`calendar-item-${record.id}`}
      title={recordLabel(record, title)}
      onDragStart={(e) => {
        e.dataTransfer.setData("text/plain", String(record.id));
        e.dataTransfer.effectAllowed = "move";
        setDragging({ id: record.id, from: day });
      }}
      onDragEnd={() => {
        setDragging(null);
        setOver(null);
      }}
      onClick={() => setDrawer(record)}
      onKeyDown={(e) => e.key === "Enter" && setDrawer(record)}
    >
      {kind === "datetime" && first && <span className="calendar-time">{timeOf(record[field.name])}</span>}
      {recordLabel(record, title)}
    </div>
  );

  return (
    <Flex vertical gap={12} style={{ height: "100%", minHeight: 0 }}>
      <Flex gap={8} align="center" wrap>
        <Typography.Text>{t("calendar.dateField")}</Typography.Text>
        <Select
          style={{ width: 150 }}
          aria-label={t("calendar.dateField")}
          value={field.name}
          options={candidates.map((f) => ({ value: f.name, label: fieldTitle(f) }))}
          onChange={setFieldName}
        />
        <Typography.Text>{t("calendar.endField")}</Typography.Text>
        <Select
          style={{ width: 150 }}
          aria-label={t("calendar.endField")}
          value={endName ?? ""}
          options={endNames.map((n) => ({ value: n, label: n ? fieldTitle(candidates.find((f) => f.name === n) ?? { name: n, type: "date" }) : t("calendar.noEnd") }))}
          onChange={setEndName}
        />
        <Segmented
          value={mode}
          options={[
            { value: "month", label: t("calendar.month") },
            { value: "week", label: t("calendar.week") },
          ]}
          onChange={(v) => setParam("mode", v)}
        />
        <Button onClick={() => setParam("date", today())}>{t("calendar.today")}</Button>
        <Button icon={<LeftOutlined />} aria-label={t("calendar.previous")} onClick={() => setParam("date", stepAnchor(mode, anchor, -1))} />
        <Button icon={<RightOutlined />} aria-label={t("calendar.next")} onClick={() => setParam("date", stepAnchor(mode, anchor, 1))} />
        <Typography.Title level={5} style={{ margin: 0 }} data-testid="calendar-title">
          {mode === "month" ? monthTitle : weekTitle}
        </Typography.Title>
        {records.loading && <Spin size="small" />}
        {!canMove && <Typography.Text type="secondary">{t("calendar.readOnly")}</Typography.Text>}
        <span style={{ marginInlineStart: "auto" }}>
          <ViewExportButton collection={collection} filter={filter ?? undefined} q={view?.config.q} sort={field.name} />
        </span>
      </Flex>
      {records.error !== null && <Alert type="error" showIcon title={records.error} />}
      {records.truncated && <Alert type="info" showIcon title={t("calendar.truncated", { count: RANGE_CAP })} />}
      <div
        className={`calendar calendar-${mode}`}
        data-testid="calendar"
        style={{ "--calendar-line": token.colorBorderSecondary, "--calendar-accent": token.colorPrimary, background: token.colorBgContainer } as CSSProperties}
      >
        {range.days.slice(0, 7).map((day) => (
          <div key={`h${day}`} className="calendar-weekday">
            {weekday.format(parseDay(day).toDate())}
          </div>
        ))}
        {range.days.map((day) => {
          const list = days.get(day) ?? [];
          const shown = mode === "month" ? list.slice(0, list.length > MONTH_ROWS + 1 ? MONTH_ROWS : MONTH_ROWS + 1) : list;
          const hidden = list.length - shown.length;
          const classes = ["calendar-day"];
          if (mode === "month" && parseDay(day).month() !== month) classes.push("outside");
          if (day === now) classes.push("today");
          if (over === day && dragging !== null) classes.push("drop-target");
          return (
            <section
              key={day}
              className={classes.join(" ")}
              data-testid={`calendar-day-${day}`}
              aria-label={day}
              onDragOver={(e) => {
                if (dragging === null) return;
                e.preventDefault();
                e.dataTransfer.dropEffect = "move";
                if (over !== day) setOver(day);
              }}
              onDragLeave={() => over === day && setOver(null)}
              onDrop={(e) => {
                e.preventDefault();
                const picked = dragging;
                setDragging(null);
                setOver(null);
                if (picked !== null) void move(picked.id, picked.from, day);
              }}
            >
              <div className="calendar-day-head">
                <span className="calendar-date">{parseDay(day).date()}</span>
                {canCreate && (
                  <Button
                    className="calendar-add"
                    type="text"
                    size="small"
                    icon={<PlusOutlined />}
                    aria-label={t("calendar.newOn", { day })}
                    onClick={() => {
                      setNewOn(day);
                      setDrawer(null);
                    }}
                  />
                )}
              </div>
              <div className="calendar-items">
                {shown.map(chip(day))}
                {hidden > 0 && (
                  <Popover trigger="click" title={day} content={<div className="calendar-popover">{list.map(chip(day))}</div>}>
                    <Button type="link" size="small" className="calendar-more">
                      {t("calendar.more", { count: hidden })}
                    </Button>
                  </Popover>
                )}
              </div>
            </section>
          );
        })}
      </div>
      <RecordDrawer
        collection={drawerCollection}
        record={drawer}
        canWrite={(f) => drawerRights(f, drawer === null)}
        canDelete={can(user, name, "delete")}
        onClose={() => {
          setDrawer(undefined);
          setNewOn(null);
        }}
        onSaved={(record, created) => {
          setDrawer(undefined);
          setNewOn(null);
          records.put(record);
          void message.success(t(created ? "record.created" : "record.saved"));
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

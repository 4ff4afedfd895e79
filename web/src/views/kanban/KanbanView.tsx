/** The kanban view: one column per choice of a select field (a saved view's `kanban_field`, or the
 * URL's `field`); dragging a card to another column changes the field (PATCH), and moves the card
 * back with the API's message if refused. A saved view's filter and search narrow the cards. */

import { Alert, App as AntApp, Badge, Button, Card, Empty, Flex, Select, Spin, Typography, theme } from "antd";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router";

import { ApiError } from "../../api/client";
import * as endpoints from "../../api/endpoints";
import type { Field, JSONValue, RecordData, ViewConfig } from "../../api/types";
import { ChoiceTag } from "../../fields/choice";
import { fieldType, isWritable } from "../../fields/registry";
import { labelField, recordLabel } from "../../fields/relation";
import { fieldTitle, isEmpty } from "../../fields/values";
import { useT } from "../../i18n";
import { allowedFields, can, useSession } from "../../kernel/session";
import { ViewExportButton } from "../grid/ExportButton";
import { RecordDrawer } from "../grid/RecordDrawer";
import { andFilters } from "../grid/query";
import type { ViewHostProps } from "../saved/types";

const PAGE = 30;
const EMPTY = "__empty";

interface Column {
  rows: RecordData[];
  total: number | undefined;
  cursor: string | null;
  hasMore: boolean;
  loading: boolean;
  error: string | null;
}

const FRESH: Column = { rows: [], total: undefined, cursor: null, hasMore: false, loading: true, error: null };

function columnFilter(field: string, key: string): JSONValue {
  return key === EMPTY ? { [field]: { $empty: true } } : { [field]: { $eq: key } };
}

export function KanbanView({ collection, view, onDraft }: ViewHostProps) {
  const t = useT();
  const { message } = AntApp.useApp();
  const { token } = theme.useToken();
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const name = collection.name;
  const selects = collection.fields.filter((f) => f.type === "select");
  const savedField = selects.find((f) => f.name === view?.config.kanban_field) ?? selects[0];
  // With a saved view the choice is the view's (saved with "save changes"); without, the URL's.
  const [chosen, setChosen] = useState<string | undefined>(view ? savedField?.name : undefined);
  const group: Field | undefined = selects.find((f) => f.name === (view ? chosen : params.get("field"))) ?? savedField;
  const viewFilter = useMemo(() => view?.config.filter, [view]);
  const viewQ = view?.config.q?.trim() || undefined;

  const draftConfig: ViewConfig = useMemo(() => ({ ...(view?.config ?? {}), ...(group ? { kanban_field: group.name } : {}) }), [view, group]);
  const dirty = Boolean(view && group && group.name !== savedField?.name);
  const draftKey = JSON.stringify(draftConfig);
  useEffect(() => {
    onDraft?.({ config: draftConfig, dirty });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `draftKey` holds the config
  }, [draftKey, dirty, onDraft]);
  const keys = useMemo(() => [...(group?.options?.choices ?? []).map((c) => c.value), EMPTY], [group]);
  const [columns, setColumns] = useState<Record<string, Column>>({});
  const [dragging, setDragging] = useState<{ id: number; from: string } | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const [drawer, setDrawer] = useState<RecordData | null | undefined>(undefined);

  const writable = useMemo(() => allowedFields(user, name, "update"), [user, name]);
  const canMove = Boolean(group && can(user, name, "update") && isWritable(group) && (writable === null || writable.has(group.name)));
  const title = labelField(collection, view?.config.title_field);
  const shown = useMemo(
    () =>
      collection.fields
        .filter((f) => !f.system && f.name !== group?.name && f.name !== title && fieldType(f.type).kind !== "json")
        .slice(0, 3),
    [collection, group, title],
  );

  const load = useCallback(
    async (key: string, cursor: string | null) => {
      if (!group) return;
      setColumns((cs) => ({ ...cs, [key]: { ...(cs[key] ?? FRESH), loading: true, error: null } }));
      try {
        const page = await endpoints.listRecords(name, {
          filter: andFilters(viewFilter, columnFilter(group.name, key)),
          q: viewQ,
          pageSize: PAGE,
          cursor: cursor ?? undefined,
          count: cursor === null,
        });
        setColumns((cs) => {
          const prev = cs[key] ?? FRESH;
          return {
            ...cs,
            [key]: {
              rows: cursor === null ? page.data : [...prev.rows, ...page.data],
              total: cursor === null ? page.meta.total : prev.total,
              cursor: page.meta.next_cursor ?? null,
              hasMore: page.meta.has_more,
              loading: false,
              error: null,
            },
          };
        });
      } catch (e) {
        setColumns((cs) => ({ ...cs, [key]: { ...(cs[key] ?? FRESH), loading: false, error: e instanceof Error ? e.message : String(e) } }));
      }
    },
    [group, name, viewFilter, viewQ],
  );

  useEffect(() => {
    for (const key of keys) void load(key, null);
  }, [keys, load]);

  const move = async (id: number, from: string, to: string) => {
    if (!group || from === to) return;
    const card = columns[from]?.rows.find((r) => r.id === id);
    if (!card) return;
    const value = to === EMPTY ? null : to;
    const moved = { ...card, [group.name]: value };
    const shift = (cs: Record<string, Column>, a: string, b: string, record: RecordData) => {
      const src = cs[a] ?? FRESH;
      const dst = cs[b] ?? FRESH;
      return {
        ...cs,
        [a]: { ...src, rows: src.rows.filter((r) => r.id !== id), total: src.total === undefined ? undefined : src.total - 1 },
        [b]: { ...dst, rows: [record, ...dst.rows], total: dst.total === undefined ? undefined : dst.total + 1 },
      };
    };
    setColumns((cs) => shift(cs, from, to, moved));
    try {
      const saved = await endpoints.updateRecord(name, id, { [group.name]: value });
      setColumns((cs) => ({
        ...cs,
        [to]: { ...(cs[to] ?? FRESH), rows: (cs[to] ?? FRESH).rows.map((r) => (r.id === id ? { ...r, ...saved } : r)) },
      }));
    } catch (e) {
      setColumns((cs) => shift(cs, to, from, card));
      const text = e instanceof ApiError ? (e.fieldMessages()[group.name] ?? e.message) : String(e);
      void message.error(t("kanban.moveFailed", { message: text }));
    }
  };

  if (!group) return <Empty description={t("kanban.noSelect")} />;

  return (
    <Flex vertical gap={12} style={{ height: "100%", minHeight: 0 }}>
      <Flex gap={8} align="center">
        <Typography.Text>{t("kanban.groupBy")}</Typography.Text>
        <Select
          style={{ width: 200 }}
          aria-label={t("kanban.groupBy")}
          value={group.name}
          options={selects.map((f) => ({ value: f.name, label: fieldTitle(f) }))}
          onChange={(field: string) => (view ? setChosen(field) : setParams({ field }, { replace: true }))}
        />
        {!canMove && <Typography.Text type="secondary">{t("kanban.readOnly")}</Typography.Text>}
        <span style={{ marginInlineStart: "auto" }}>
          <ViewExportButton collection={collection} filter={viewFilter} q={viewQ} sort={group.name} />
        </span>
      </Flex>
      <div className="kanban" data-testid="kanban">
        {keys.map((key) => {
          const col = columns[key] ?? FRESH;
          return (
            <section
              key={key}
              className={over === key && dragging && dragging.from !== key ? "kanban-column drop-target" : "kanban-column"}
              style={{ background: token.colorFillQuaternary }}
              data-testid={`kanban-column-${key}`}
              aria-label={key === EMPTY ? t("kanban.noValue") : key}
              onDragOver={(e) => {
                if (!dragging) return;
                e.preventDefault();
                e.dataTransfer.dropEffect = "move";
                if (over !== key) setOver(key);
              }}
              onDragLeave={() => over === key && setOver(null)}
              onDrop={(e) => {
                e.preventDefault();
                setOver(null);
                const data = dragging;
                setDragging(null);
                if (data) void move(data.id, data.from, key);
              }}
            >
              <Flex align="center" gap={8} style={{ padding: "10px 12px 0" }}>
                {key === EMPTY ? <Typography.Text type="secondary">{t("kanban.noValue")}</Typography.Text> : <ChoiceTag field={group} value={key} />}
                <Badge count={col.total ?? 0} showZero color={token.colorTextQuaternary} />
              </Flex>
              <div className="kanban-cards">
                {col.error && <Alert type="error" title={col.error} showIcon />}
                {col.rows.map((record) => (
                  <Card
                    key={record.id}
                    size="small"
                    hoverable
                    className={dragging?.id === record.id ? "kanban-card dragging" : "kanban-card"}
                    draggable={canMove}
                    data-testid={`kanban-card-${record.id}`}
                    onDragStart={(e) => {
                      e.dataTransfer.setData("text/plain", String(record.id));
                      e.dataTransfer.effectAllowed = "move";
                      setDragging({ id: record.id, from: key });
                    }}
                    onDragEnd={() => {
                      setDragging(null);
                      setOver(null);
                    }}
                    onClick={() => setDrawer(record)}
                  >
                    <Typography.Text strong>{recordLabel(record, title)}</Typography.Text>
                    {shown.map((f) =>
                      isEmpty(record[f.name]) ? null : (
                        <div key={f.name} className="cell" style={{ fontSize: 12 }}>
                          <Typography.Text type="secondary">{fieldTitle(f)}: </Typography.Text>
                          {fieldType(f.type).render(record[f.name], f, t)}
                        </div>
                      ),
                    )}
                  </Card>
                ))}
                {col.loading && <Spin size="small" />}
                {!col.loading && col.hasMore && (
                  <Button size="small" type="link" onClick={() => void load(key, col.cursor)}>
                    {t("kanban.more")}
                  </Button>
                )}
              </div>
            </section>
          );
        })}
      </div>
      <RecordDrawer
        collection={collection}
        record={drawer}
        canWrite={(f) => can(user, name, "update") && (writable === null || writable.has(f.name))}
        canDelete={can(user, name, "delete")}
        onClose={() => setDrawer(undefined)}
        onSaved={() => {
          setDrawer(undefined);
          void message.success(t("record.saved"));
          for (const key of keys) void load(key, null);
        }}
        onDeleted={() => {
          setDrawer(undefined);
          void message.success(t("record.deleted"));
          for (const key of keys) void load(key, null);
        }}
      />
    </Flex>
  );
}

/** A record's history (`GET /api/data/{c}/{id}/history`): who changed what and when, newest first,
 * each change shown as the field's values before and after. */

import { Alert, Empty, Flex, Spin, Tag, Timeline, Typography } from "antd";
import dayjs from "dayjs";
import { useEffect, useState } from "react";

import * as endpoints from "../../api/endpoints";
import type { Collection, Field, HistoryEntry, JSONValue } from "../../api/types";
import { fieldType } from "../../fields/registry";
import { fieldTitle, isEmpty } from "../../fields/values";
import { useT, type MessageKey } from "../../i18n";
import { useCatalog } from "../../kernel/catalog";

/** Stamps every write changes: left out of updates, which would otherwise all look alike. */
const STAMPS = new Set(["updated_at", "updated_by", "created_at", "created_by"]);

const ACTIONS: Record<string, MessageKey> = {
  "record.create": "history.created",
  "record.update": "history.updated",
  "record.delete": "history.deleted",
  "record.import": "history.imported",
};

/** The history's times carry no offset: they are UTC. */
export function historyTime(at: string): string {
  const d = dayjs(/[zZ]|[+-]\d\d:?\d\d$/.test(at) ? at : `${at}Z`);
  return d.isValid() ? d.format("YYYY-MM-DD HH:mm:ss") : at;
}

/** The fields of the master and its extensions, by the paths the history uses (`ext.field`). */
function useFieldsByPath(collection: Collection): Map<string, Field> {
  const { get } = useCatalog();
  const out = new Map<string, Field>(collection.fields.map((f) => [f.name, f]));
  for (const name of collection.extensions ?? []) {
    const ext = get(name);
    for (const f of ext?.fields ?? []) out.set(`${name}.${f.name}`, { ...f, title: `${ext?.title || name}: ${fieldTitle(f)}` });
  }
  return out;
}

export function HistoryList({ collection, id }: { collection: Collection; id: number }) {
  const t = useT();
  const fields = useFieldsByPath(collection);
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    endpoints
      .recordHistory(collection.name, id, controller.signal)
      .then((list) => setEntries([...list].reverse()))
      .catch((e: unknown) => !controller.signal.aborted && setError(e instanceof Error ? e.message : String(e)));
    return () => controller.abort();
  }, [collection.name, id]);

  if (error) return <Alert type="error" showIcon title={error} />;
  if (entries === null) return <Spin />;
  if (entries.length === 0) return <Empty description={t("history.empty")} />;

  const show = (path: string, value: JSONValue) => {
    if (isEmpty(value)) return <Typography.Text type="secondary">{t("history.emptyValue")}</Typography.Text>;
    const f = fields.get(path);
    return f ? fieldType(f.type).render(value, f, t) : <code>{JSON.stringify(value)}</code>;
  };

  return (
    <div data-testid="history">
    <Timeline
      items={entries.map((e) => {
        const changes = Object.entries(e.changes ?? {}).filter(([path]) => !STAMPS.has(path));
        const who = e.actor?.email ?? t("history.system");
        return {
          key: e.id,
          content: (
            <div data-testid="history-entry">
              <Flex gap={8} wrap align="baseline">
                <Typography.Text strong>{who}</Typography.Text>
                <Typography.Text>{t(ACTIONS[e.action] ?? "history.other", { action: e.action })}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {historyTime(e.at)}
                </Typography.Text>
                {e.source !== "ui" && <Tag variant="filled">{e.source}</Tag>}
              </Flex>
              {changes.length > 0 && (
                <table className="history-changes">
                  <tbody>
                    {changes.map(([path, [before, after]]) => (
                      <tr key={path}>
                        <th scope="row">{fields.get(path) ? fieldTitle(fields.get(path) as Field) : path}</th>
                        {e.action !== "record.create" && <td className={isEmpty(before) ? undefined : "history-before"}>{show(path, before)}</td>}
                        {e.action !== "record.create" && <td aria-hidden>→</td>}
                        <td>{show(path, after)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          ),
        };
      })}
    />
    </div>
  );
}

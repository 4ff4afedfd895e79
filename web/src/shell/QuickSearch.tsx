/** The header's quick search: a word looked up in a few collections at once (`q=`, five records
 * each), opening a record in its drawer or the collection with the search. Ctrl/⌘+K focuses it. */

import { SearchOutlined, TableOutlined } from "@ant-design/icons";
import { Empty, Input, Popover, Spin, Typography, theme, type InputRef } from "antd";
import { useEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type ReactNode } from "react";
import { useLocation, useNavigate } from "react-router";

import * as endpoints from "../api/endpoints";
import type { Collection, RecordData } from "../api/types";
import { labelField, recordLabel } from "../fields/relation";
import { useT } from "../i18n";
import { collectionTitle, useCatalog } from "../kernel/catalog";
import { allowedFields, can, useSession } from "../kernel/session";
import { RecordDrawer } from "../views/grid/RecordDrawer";

/** At most this many collections are asked per search: each is one request (and one FTS query). */
export const MAX_COLLECTIONS = 8;
const PAGE = 5;
const DEBOUNCE_MS = 300;
const RECENT_KEY = "deskbase.recentCollections";
const SEARCHABLE = new Set(["string", "text", "rich_text", "email", "phone", "url", "auto_number"]);

/** Collections the user opened last, most recent first (kept in this browser). */
export function recentCollections(): string[] {
  try {
    const raw = JSON.parse(localStorage.getItem(RECENT_KEY) ?? "[]") as unknown;
    return Array.isArray(raw) ? raw.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

function remember(name: string): void {
  const next = [name, ...recentCollections().filter((n) => n !== name)].slice(0, MAX_COLLECTIONS);
  localStorage.setItem(RECENT_KEY, JSON.stringify(next));
}

/** Which collections to search: those the user may list that have a text field to search (the
 * catalog lists only fields they may read), the one on screen first, then the ones opened last,
 * then the menu's order, at most MAX_COLLECTIONS. */
export function searchTargets(collections: readonly Collection[], mayList: (name: string) => boolean, current: string | null, recent: readonly string[]): Collection[] {
  const usable = collections.filter((c) => !c.extends && mayList(c.name) && c.fields.some((f) => SEARCHABLE.has(f.type)));
  const rank = (c: Collection) => {
    if (c.name === current) return -1;
    const i = recent.indexOf(c.name);
    return i === -1 ? recent.length + usable.indexOf(c) : i;
  };
  return [...usable].sort((a, b) => rank(a) - rank(b)).slice(0, MAX_COLLECTIONS);
}

interface Hits {
  collection: Collection;
  records: RecordData[];
  more: boolean;
}

type Item = { kind: "record"; collection: Collection; record: RecordData } | { kind: "collection"; collection: Collection };

export function QuickSearch() {
  const t = useT();
  const { token } = theme.useToken();
  const { user } = useSession();
  const { collections } = useCatalog();
  const navigate = useNavigate();
  const location = useLocation();
  const input = useRef<InputRef>(null);
  const [q, setQ] = useState("");
  const [open, setOpen] = useState(false);
  const [loading, setLoading] = useState(false);
  const [hits, setHits] = useState<Hits[]>([]);
  const [active, setActive] = useState(0);
  const [drawer, setDrawer] = useState<{ collection: Collection; record: RecordData } | null>(null);

  const current = /^\/c\/([^/?]+)/.exec(location.pathname)?.[1];
  const currentName = current ? decodeURIComponent(current) : null;
  useEffect(() => {
    if (currentName) remember(currentName);
  }, [currentName]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "k") {
        e.preventDefault();
        input.current?.focus({ cursor: "all" });
        setOpen(true);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const term = q.trim();
  useEffect(() => {
    if (term.length < 2) {
      setHits([]);
      setLoading(false);
      return;
    }
    const ctrl = new AbortController();
    setLoading(true);
    const timer = window.setTimeout(() => {
      const targets = searchTargets(collections, (c) => can(user, c, "list"), currentName, recentCollections());
      void Promise.all(
        targets.map((c) =>
          endpoints
            .listRecords(c.name, { q: term, pageSize: PAGE }, ctrl.signal)
            .then((r): Hits => ({ collection: c, records: r.data, more: r.meta.has_more }))
            .catch((): Hits => ({ collection: c, records: [], more: false })),
        ),
      ).then((all) => {
        if (ctrl.signal.aborted) return;
        setHits(all.filter((h) => h.records.length > 0));
        setActive(0);
        setLoading(false);
      });
    }, DEBOUNCE_MS);
    return () => {
      ctrl.abort();
      window.clearTimeout(timer);
    };
  }, [term, collections, user, currentName]);

  const items: Item[] = useMemo(
    () => hits.flatMap((h) => [...h.records.map((record): Item => ({ kind: "record", collection: h.collection, record })), { kind: "collection", collection: h.collection }]),
    [hits],
  );

  const choose = (item: Item | undefined) => {
    if (!item) return;
    setOpen(false);
    input.current?.blur();
    if (item.kind === "record") setDrawer({ collection: item.collection, record: item.record });
    else void navigate(`/c/${encodeURIComponent(item.collection.name)}?q=${encodeURIComponent(term)}`);
  };

  const onKeyDown = (e: ReactKeyboardEvent) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(i + 1, items.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (e.key === "Enter") {
      e.preventDefault();
      choose(items[active]);
    } else if (e.key === "Escape") {
      setOpen(false);
      input.current?.blur();
    }
  };

  let index = -1;
  const row = (item: Item, content: ReactNode) => {
    index += 1;
    const i = index;
    return (
      <div
        key={item.kind === "record" ? `${item.collection.name}:${item.record.id}` : `${item.collection.name}:*`}
        role="option"
        aria-selected={i === active}
        className="quick-search-item"
        data-testid={item.kind === "record" ? "quick-search-record" : "quick-search-collection"}
        onMouseEnter={() => setActive(i)}
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => choose(item)}
        style={{
          padding: "4px 12px",
          cursor: "pointer",
          borderRadius: token.borderRadiusSM,
          background: i === active ? token.controlItemBgActive : undefined,
          overflow: "hidden",
          textOverflow: "ellipsis",
          whiteSpace: "nowrap",
        }}
      >
        {content}
      </div>
    );
  };

  const results =
    term.length < 2 ? (
      <Typography.Text type="secondary" style={{ padding: "4px 12px", display: "block" }}>
        {t("quick.hint")}
      </Typography.Text>
    ) : loading && hits.length === 0 ? (
      <div style={{ padding: 16, textAlign: "center" }}>
        <Spin size="small" />
      </div>
    ) : hits.length === 0 ? (
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("quick.none", { q: term })} />
    ) : (
      hits.map((h) => {
        const label = labelField(h.collection);
        return (
          <div key={h.collection.name} role="group" aria-label={collectionTitle(h.collection)} style={{ marginBottom: 6 }}>
            <Typography.Text type="secondary" style={{ fontSize: 12, padding: "2px 12px", display: "block" }}>
              {collectionTitle(h.collection)}
            </Typography.Text>
            {h.records.map((r) =>
              row(
                { kind: "record", collection: h.collection, record: r },
                <span>
                  {recordLabel(r, label)} <Typography.Text type="secondary">#{r.id}</Typography.Text>
                </span>,
              ),
            )}
            {row(
              { kind: "collection", collection: h.collection },
              <Typography.Link>
                <TableOutlined /> {h.more ? t("quick.allIn", { collection: collectionTitle(h.collection) }) : t("quick.openIn", { collection: collectionTitle(h.collection) })}
              </Typography.Link>,
            )}
          </div>
        );
      })
    );

  const mac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
  return (
    <>
      <Popover
        open={open}
        placement="bottomLeft"
        arrow={false}
        styles={{ container: { padding: 6, width: 420, maxHeight: 480, overflow: "auto" } }}
        content={
          <div role="listbox" aria-label={t("quick.results")} data-testid="quick-search-results">
            {results}
          </div>
        }
      >
        <Input
          ref={input}
          allowClear
          prefix={<SearchOutlined />}
          suffix={!q && <Typography.Text type="secondary" keyboard style={{ fontSize: 11 }}>{mac ? "⌘K" : "Ctrl K"}</Typography.Text>}
          placeholder={t("quick.placeholder")}
          aria-label={t("quick.label")}
          data-testid="quick-search"
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
          style={{ width: 300 }}
        />
      </Popover>
      {drawer && (
        <RecordDrawer
          collection={drawer.collection}
          record={drawer.record}
          canWrite={(f) => can(user, drawer.collection.name, "update") && (allowedFields(user, drawer.collection.name, "update")?.has(f.name) ?? true)}
          canDelete={can(user, drawer.collection.name, "delete")}
          onClose={() => setDrawer(null)}
          onSaved={() => setDrawer(null)}
          onDeleted={() => setDrawer(null)}
        />
      )}
    </>
  );
}

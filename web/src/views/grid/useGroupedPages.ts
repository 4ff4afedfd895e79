/** The grid's records grouped by a field: the groups and their counts from the aggregate API, and
 * each group's records paged by its own cursor, loaded when the group's loader row is drawn.
 * Collapsing a group skips its records, however many, which one list sorted by the field could
 * not do. */

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

import * as endpoints from "../../api/endpoints";
import type { JSONValue, RecordData } from "../../api/types";
import { FRESH_GROUP, groupFilter, groupKey, type GroupInfo, type GroupPage } from "./groups";
import { andFilters } from "./query";
import { PAGE_SIZE, type Query } from "./useRecordPages";

/** At most this many groups (the aggregate API's default cap). */
export const GROUP_LIMIT = 1000;

export interface GroupedPages {
  groups: GroupInfo[];
  pages: Record<string, GroupPage>;
  /** Every record in the groups (the sum of their counts). */
  total: number | undefined;
  /** More groups than GROUP_LIMIT exist; the rest are not shown. */
  truncated: boolean;
  loading: boolean;
  error: unknown;
  /** Changes with each new query: loaders drawn before it ask again. */
  epoch: number;
  arrivedAt: number | null;
  /** Loads the group's next page (its first, the first time). */
  loadGroup: (key: string) => void;
  reload: () => void;
  replace: (record: RecordData) => void;
  remove: (id: number) => void;
}

interface State {
  key: string;
  epoch: number;
  groups: GroupInfo[];
  truncated: boolean;
  loading: boolean;
  error: unknown;
  pages: Record<string, GroupPage>;
  arrivedAt: number | null;
}

function fresh(key: string, epoch: number, grouped: boolean): State {
  return { key, epoch, groups: [], truncated: false, loading: grouped, error: null, pages: {}, arrivedAt: null };
}

/** `countFilter`: the list's filter with its quick search written as a filter (the aggregate API
 * takes no `q`), so the counts match the records listed. */
export function useGroupedPages(collection: string, field: string | null, query: Query, countFilter: JSONValue | undefined): GroupedPages {
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify([collection, field, query, countFilter, generation]);
  const [state, setState] = useState<State>(() => fresh(key, 0, field !== null));
  // A new query starts afresh in this very render, so that no loader drawn with it asks for a
  // page with the old query's cursor.
  let current = state;
  if (state.key !== key) {
    current = fresh(key, state.epoch + 1, field !== null);
    setState(current);
  }

  // What the loaders' calls read; layout effects run before any loader's (passive) effect.
  const latest = useRef({ collection, field, query, state: current });
  useLayoutEffect(() => {
    latest.current = { collection, field, query, state };
  });

  useEffect(() => {
    if (field === null) return;
    const controller = new AbortController();
    endpoints
      .aggregate(collection, { groupBy: [field], measures: ["count"], filter: countFilter, limit: GROUP_LIMIT + 1 }, controller.signal)
      .then((rows) => {
        const groups = rows.slice(0, GROUP_LIMIT).map((r) => {
          const value = r[field] ?? null;
          return { key: groupKey(value), value, count: typeof r.count === "number" ? r.count : 0 };
        });
        setState((s) => (s.key === key ? { ...s, groups, truncated: rows.length > GROUP_LIMIT, loading: false } : s));
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setState((s) => (s.key === key ? { ...s, loading: false, error } : s));
      });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` holds the query
  }, [key]);

  const loadGroup = useCallback((gk: string) => {
    const { collection: c, field: f, query: q, state: s } = latest.current;
    const group = s.groups.find((g) => g.key === gk);
    const page = s.pages[gk] ?? FRESH_GROUP;
    if (!f || !group || page.loading || !page.hasMore) return;
    const mine = s.key;
    const cursor = page.cursor;
    // Marked at once: another call before the next render must not ask for the same page.
    const marked = { ...page, loading: true, started: true, error: null };
    latest.current = { ...latest.current, state: { ...s, pages: { ...s.pages, [gk]: marked } } };
    const set = (change: (p: GroupPage) => GroupPage) =>
      setState((st) => (st.key === mine ? { ...st, pages: { ...st.pages, [gk]: change(st.pages[gk] ?? FRESH_GROUP) } } : st));
    set((p) => ({ ...p, loading: true, started: true, error: null }));
    endpoints
      .listRecords(c, {
        filter: andFilters(q.filter, groupFilter(f, group.value)),
        sort: q.sort,
        q: q.q,
        appends: q.appends?.length ? q.appends : undefined,
        pageSize: PAGE_SIZE,
        cursor: cursor ?? undefined,
      })
      .then((answer) => {
        setState((st) => {
          if (st.key !== mine) return st;
          const prev = st.pages[gk] ?? FRESH_GROUP;
          const next: GroupPage = {
            rows: cursor === null ? answer.data : [...prev.rows, ...answer.data],
            cursor: answer.meta.next_cursor ?? null,
            hasMore: answer.meta.has_more,
            loading: false,
            started: true,
            error: null,
          };
          return { ...st, pages: { ...st.pages, [gk]: next }, arrivedAt: performance.now() };
        });
      })
      .catch((error: unknown) => set((p) => ({ ...p, loading: false, error })));
  }, []);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const mapRows = useCallback(
    (change: (rows: RecordData[]) => RecordData[]) =>
      setState((st) => {
        const pages: Record<string, GroupPage> = {};
        for (const [k, p] of Object.entries(st.pages)) pages[k] = { ...p, rows: change(p.rows) };
        return { ...st, pages };
      }),
    [],
  );
  const replace = useCallback((record: RecordData) => mapRows((rows) => rows.map((r) => (r.id === record.id ? record : r))), [mapRows]);
  const remove = useCallback((id: number) => mapRows((rows) => rows.filter((r) => r.id !== id)), [mapRows]);

  const total = field === null || current.loading ? undefined : current.groups.reduce((n, g) => n + g.count, 0);
  return {
    groups: current.groups,
    pages: current.pages,
    total,
    truncated: current.truncated,
    loading: current.loading,
    error: current.error,
    epoch: current.epoch,
    arrivedAt: current.arrivedAt,
    loadGroup,
    reload,
    replace,
    remove,
  };
}

/** Pages of a collection's records, fetched with keyset cursors as the grid scrolls. */

import { useCallback, useEffect, useRef, useState } from "react";

import * as endpoints from "../../api/endpoints";
import type { JSONValue, RecordData } from "../../api/types";

export const PAGE_SIZE = 100;

export interface Query {
  filter?: JSONValue | undefined;
  sort?: string | undefined;
  q?: string | undefined;
  appends?: string[];
}

export interface RecordPages {
  rows: RecordData[];
  total: number | undefined;
  hasMore: boolean;
  loading: boolean;
  error: unknown;
  /** When the last page arrived (performance.now()), to measure how long it takes to show. */
  arrivedAt: number | null;
  loadMore: () => void;
  reload: () => void;
  replace: (record: RecordData) => void;
  remove: (id: number) => void;
  prepend: (record: RecordData) => void;
}

interface State {
  rows: RecordData[];
  total: number | undefined;
  cursor: string | null;
  hasMore: boolean;
  loading: boolean;
  error: unknown;
  arrivedAt: number | null;
}

const INITIAL: State = { rows: [], total: undefined, cursor: null, hasMore: false, loading: true, error: null, arrivedAt: null };

/** `enabled` false: nothing is fetched (the grid is grouped and pages each group itself). */
export function useRecordPages(collection: string, query: Query, enabled = true): RecordPages {
  const [state, setState] = useState<State>(INITIAL);
  const [generation, setGeneration] = useState(0);
  const inflight = useRef<AbortController | null>(null);
  const key = JSON.stringify([collection, query, enabled]);
  const current = useRef({ collection, query });
  useEffect(() => {
    current.current = { collection, query };
  });

  const fetchPage = useCallback((cursor: string | null) => {
    inflight.current?.abort();
    const controller = new AbortController();
    inflight.current = controller;
    const { collection: c, query: q } = current.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    endpoints
      .listRecords(
        c,
        {
          filter: q.filter,
          sort: q.sort,
          q: q.q,
          appends: q.appends?.length ? q.appends : undefined,
          pageSize: PAGE_SIZE,
          cursor: cursor ?? undefined,
          count: cursor === null,
        },
        controller.signal,
      )
      .then((page) => {
        if (controller.signal.aborted) return;
        setState((s) => ({
          rows: cursor === null ? page.data : [...s.rows, ...page.data],
          total: cursor === null ? page.meta.total : s.total,
          cursor: page.meta.next_cursor ?? null,
          hasMore: page.meta.has_more,
          loading: false,
          error: null,
          arrivedAt: performance.now(),
        }));
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setState((s) => ({ ...s, loading: false, error, hasMore: false }));
      });
  }, []);

  useEffect(() => {
    setState(enabled ? INITIAL : { ...INITIAL, loading: false });
    if (!enabled) return;
    fetchPage(null);
    return () => inflight.current?.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` holds `enabled` and the query
  }, [key, generation, fetchPage]);

  // The latest state, for loadMore (scroll events come faster than renders).
  const latest = useRef(state);
  useEffect(() => {
    latest.current = state;
  });
  const loadMore = useCallback(() => {
    const s = latest.current;
    if (s.loading || !s.hasMore || !s.cursor) return;
    latest.current = { ...s, loading: true };
    fetchPage(s.cursor);
  }, [fetchPage]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const replace = useCallback(
    (record: RecordData) => setState((s) => ({ ...s, rows: s.rows.map((r) => (r.id === record.id ? record : r)) })),
    [],
  );
  const remove = useCallback(
    (id: number) =>
      setState((s) => ({
        ...s,
        rows: s.rows.filter((r) => r.id !== id),
        total: s.total === undefined ? undefined : s.total - 1,
      })),
    [],
  );
  const prepend = useCallback(
    (record: RecordData) =>
      setState((s) => ({ ...s, rows: [record, ...s.rows], total: s.total === undefined ? undefined : s.total + 1 })),
    [],
  );

  return {
    rows: state.rows,
    total: state.total,
    hasMore: state.hasMore,
    loading: state.loading,
    error: state.error,
    arrivedAt: state.arrivedAt,
    loadMore,
    reload,
    replace,
    remove,
    prepend,
  };
}

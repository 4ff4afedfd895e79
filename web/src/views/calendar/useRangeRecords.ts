/** The records of a visible range (a month, a week, a Gantt window): every page of a filtered list,
 * fetched by cursor up to a cap, fetched again when the range or the filter changes. */

import { useCallback, useEffect, useRef, useState } from "react";

import * as endpoints from "../../api/endpoints";
import type { JSONValue, RecordData } from "../../api/types";

const PAGE_SIZE = 500;
/** More than this in one range is more than a calendar can show: the user narrows it. */
export const RANGE_CAP = 2000;

export interface RangeRecords {
  rows: RecordData[];
  loading: boolean;
  error: string | null;
  /** True when the range holds more than RANGE_CAP records (the first ones are shown). */
  truncated: boolean;
  reload: () => void;
  /** Replaces a record in place (after a save), or adds it. */
  put: (record: RecordData) => void;
  remove: (id: number) => void;
}

/** `filter` null: nothing to load (no field chosen yet); `q` a saved view's quick search. */
export function useRangeRecords(collection: string, filter: JSONValue | null, sort?: string, q?: string): RangeRecords {
  const [rows, setRows] = useState<RecordData[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [truncated, setTruncated] = useState(false);
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify([collection, filter, sort, q]);
  const query = useRef({ collection, filter, sort, q });
  useEffect(() => {
    query.current = { collection, filter, sort, q };
  });

  useEffect(() => {
    const { collection: c, filter: f, sort: s, q: words } = query.current;
    if (f === null) {
      setRows([]);
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    void (async () => {
      const all: RecordData[] = [];
      let cursor: string | undefined;
      try {
        for (;;) {
          const page = await endpoints.listRecords(c, { filter: f, sort: s, q: words, pageSize: PAGE_SIZE, cursor }, controller.signal);
          all.push(...page.data);
          cursor = page.meta.next_cursor ?? undefined;
          if (!page.meta.has_more || !cursor || all.length >= RANGE_CAP) {
            setTruncated(page.meta.has_more);
            break;
          }
        }
        if (controller.signal.aborted) return;
        setRows(all.slice(0, RANGE_CAP));
        setLoading(false);
      } catch (e) {
        if (controller.signal.aborted) return;
        setError(e instanceof Error ? e.message : String(e));
        setLoading(false);
      }
    })();
    return () => controller.abort();
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const put = useCallback(
    (record: RecordData) =>
      setRows((rs) => (rs.some((r) => r.id === record.id) ? rs.map((r) => (r.id === record.id ? record : r)) : [...rs, record])),
    [],
  );
  const remove = useCallback((id: number) => setRows((rs) => rs.filter((r) => r.id !== id)), []);
  return { rows, loading, error, truncated, reload, put, remove };
}

/** Saves a dashboard's blocks as they change: one PATCH at a time, the latest blocks of each
 * dashboard only (a drag that ends while an earlier save runs is saved right after it). */

import { useCallback, useEffect, useRef } from "react";

import * as endpoints from "../../api/endpoints";
import type { Dashboard, DashboardBlock } from "../../api/types";

export interface BlockSaver {
  save: (dashboard: number, blocks: DashboardBlock[]) => void;
}

export function useBlockSaver(onSaved: (d: Dashboard) => void, onError: (e: unknown) => void): BlockSaver {
  const pending = useRef(new Map<number, DashboardBlock[]>());
  const busy = useRef(false);
  const handlers = useRef({ onSaved, onError });
  useEffect(() => {
    handlers.current = { onSaved, onError };
  });

  const flush = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    try {
      for (;;) {
        const next = pending.current.entries().next();
        if (next.done) break;
        const [id, blocks] = next.value;
        pending.current.delete(id);
        try {
          const saved = await endpoints.updateDashboard(id, { blocks });
          // A newer change waits: showing this answer would undo it on screen for a moment.
          if (!pending.current.has(id)) handlers.current.onSaved(saved);
        } catch (e) {
          handlers.current.onError(e);
        }
      }
    } finally {
      busy.current = false;
    }
  }, []);

  const save = useCallback(
    (dashboard: number, blocks: DashboardBlock[]) => {
      pending.current.set(dashboard, blocks);
      void flush();
    },
    [flush],
  );
  return { save };
}

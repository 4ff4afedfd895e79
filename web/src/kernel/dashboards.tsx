/** The dashboards the user may see, by name, for the navigation: read when the signed-in app
 * mounts, then kept up to date by the dashboards page as it creates, renames and deletes them. */

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";

import * as endpoints from "../api/endpoints";
import type { Dashboard } from "../api/types";

export interface DashboardEntry {
  id: number;
  name: string;
  shared: boolean;
}

interface DashboardList {
  /** null until read (or when it could not be). */
  entries: DashboardEntry[] | null;
  publish: (list: readonly Dashboard[]) => void;
}

const DashboardsContext = createContext<DashboardList>({ entries: null, publish: () => undefined });

const entry = ({ id, name, shared }: Dashboard): DashboardEntry => ({ id, name, shared });

export function DashboardsProvider({ children }: { children: ReactNode }) {
  const [entries, setEntries] = useState<DashboardEntry[] | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    endpoints.listDashboards(controller.signal).then(
      (list) => setEntries(list.map(entry)),
      () => undefined, // the navigation then offers the dashboards page alone
    );
    return () => controller.abort();
  }, []);
  const publish = useCallback((list: readonly Dashboard[]) => {
    const next = list.map(entry);
    // Blocks change often; the names seldom: the navigation re-renders only for the latter.
    setEntries((prev) => (prev !== null && JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
  }, []);
  const value = useMemo(() => ({ entries, publish }), [entries, publish]);
  return <DashboardsContext.Provider value={value}>{children}</DashboardsContext.Provider>;
}

export function useDashboardList(): DashboardList {
  return useContext(DashboardsContext);
}

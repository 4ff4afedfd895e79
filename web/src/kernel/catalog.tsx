/** The collections the user may see (GET /api/collections), shared by the shell and the views. */

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";

import * as endpoints from "../api/endpoints";
import type { Collection } from "../api/types";

interface Catalog {
  collections: Collection[];
  loading: boolean;
  error: Error | null;
  get: (name: string) => Collection | undefined;
  refresh: () => Promise<void>;
}

const CatalogContext = createContext<Catalog | null>(null);

export function CatalogProvider({ children }: { children: ReactNode }) {
  const [collections, setCollections] = useState<Collection[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error | null>(null);

  const refresh = useCallback(async () => {
    try {
      setCollections(await endpoints.listCollections());
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const value = useMemo(() => {
    const byName = new Map(collections.map((c) => [c.name, c]));
    return { collections, loading, error, get: (name: string) => byName.get(name), refresh };
  }, [collections, loading, error, refresh]);
  return <CatalogContext.Provider value={value}>{children}</CatalogContext.Provider>;
}

export function useCatalog(): Catalog {
  const ctx = useContext(CatalogContext);
  if (!ctx) throw new Error("useCatalog outside CatalogProvider");
  return ctx;
}

export function collectionTitle(c: Collection): string {
  return c.title || c.name;
}

/** A business type's name: the label of its discriminator's value on the master (a select's
 * choice), else the extension's title. */
export function businessTypeTitle(master: Collection, extension: Collection): string {
  const ext = extension.extends;
  const field = ext ? master.fields.find((f) => f.name === ext.discriminator) : undefined;
  const choice = field?.options?.choices?.find((c) => c.value === ext?.value);
  return choice?.label || choice?.value || collectionTitle(extension);
}

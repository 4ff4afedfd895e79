/** A collection's saved views (`GET /api/collections/{c}/views`): the list, the one the URL names
 * (`?view=`), and creating, changing and deleting them. */

import { useCallback, useEffect, useState } from "react";
import { useSearchParams } from "react-router";

import * as endpoints from "../../api/endpoints";
import type { SavedView, ViewConfig } from "../../api/types";

export interface SavedViews {
  views: SavedView[];
  loading: boolean;
  error: unknown;
  /** The id in the URL, and its view once the list is here (null: none, or not one of the list). */
  currentId: number | null;
  current: SavedView | null;
  create: (body: { name: string; kind: string; shared: boolean; config: ViewConfig }) => Promise<SavedView>;
  update: (id: number, body: { name?: string; shared?: boolean; config?: ViewConfig }) => Promise<SavedView>;
  remove: (id: number) => Promise<void>;
}

export function viewIdOf(raw: string | null): number | null {
  return raw && /^\d+$/.test(raw) ? Number(raw) : null;
}

export function useSavedViews(collection: string): SavedViews {
  const [params] = useSearchParams();
  const currentId = viewIdOf(params.get("view"));
  const [views, setViews] = useState<SavedView[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    endpoints
      .listViews(collection, controller.signal)
      .then((list) => {
        setViews(list);
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        setViews([]);
        setError(e);
        setLoading(false);
      });
    return () => controller.abort();
  }, [collection]);

  const create = useCallback(
    async (body: { name: string; kind: string; shared: boolean; config: ViewConfig }) => {
      const view = await endpoints.createView(collection, body);
      setViews((vs) => [...vs, view]);
      return view;
    },
    [collection],
  );
  const update = useCallback(async (id: number, body: { name?: string; shared?: boolean; config?: ViewConfig }) => {
    const view = await endpoints.updateView(id, body);
    setViews((vs) => vs.map((v) => (v.id === id ? view : v)));
    return view;
  }, []);
  const remove = useCallback(async (id: number) => {
    await endpoints.deleteView(id);
    setViews((vs) => vs.filter((v) => v.id !== id));
  }, []);

  const current = currentId === null ? null : (views.find((v) => v.id === currentId) ?? null);
  return { views, loading, error, currentId, current, create, update, remove };
}

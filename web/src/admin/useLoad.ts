/** Loads something from the API when its key changes, cancelling the previous request. */

import { useCallback, useEffect, useRef, useState } from "react";

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Fetch again (after a change); resolves when the new data is in. */
  reload: () => Promise<void>;
}

export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, key: string = ""): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const loader = useRef(load);
  useEffect(() => {
    loader.current = load;
  });
  const current = useRef<AbortController | null>(null);

  const run = useCallback(async () => {
    current.current?.abort();
    const ctrl = new AbortController();
    current.current = ctrl;
    setLoading(true);
    try {
      const value = await loader.current(ctrl.signal);
      if (ctrl.signal.aborted) return;
      setData(value);
      setError(null);
    } catch (e) {
      if (ctrl.signal.aborted) return;
      setError(e);
    } finally {
      if (!ctrl.signal.aborted) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void run();
    return () => current.current?.abort();
  }, [run, key]);

  return { data, error, loading, reload: run };
}

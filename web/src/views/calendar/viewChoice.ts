/** The fields a calendar, Gantt or gallery is set to (date, start, end, title, cover), as the
 * kanban keeps its own: with a saved view open, held here from the view's config (and reported as
 * a draft, for the view bar's "save changes"); without one, kept in the URL. */

import { useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router";

import type { SavedView, ViewConfig } from "../../api/types";
import type { ViewDraft } from "../saved/types";

/** The first of `candidates` that `allowed` holds, else the first allowed (undefined if none). */
export function pick(allowed: string[], ...candidates: (string | null | undefined)[]): string | undefined {
  for (const name of candidates) if (name && allowed.includes(name)) return name;
  return allowed[0];
}

/** `[value, set]` of one choice: `saved` is the view's config value, `fallback` the default. */
export function useFieldChoice(
  view: SavedView | null,
  param: string,
  allowed: string[],
  saved: string | undefined,
  fallback?: string,
): [string | undefined, (value: string) => void] {
  const [params, setParams] = useSearchParams();
  const initial = pick(allowed, saved, fallback);
  const [chosen, setChosen] = useState<string | undefined>(initial);
  if (view) return [pick(allowed, chosen, initial), setChosen];
  const set = (value: string) =>
    setParams(
      (p) => {
        p.set(param, value);
        return p;
      },
      { replace: true },
    );
  return [pick(allowed, params.get(param), fallback), set];
}

/** Reports the view's config with the current choices (an undefined one is left out); dirty when a
 * saved view's choices changed. */
export function useViewDraft(view: SavedView | null, onDraft: ((d: ViewDraft) => void) | undefined, current: ViewConfig, saved: ViewConfig): void {
  const config = useMemo(() => {
    const out: ViewConfig = { ...(view?.config ?? {}), ...current };
    for (const [k, v] of Object.entries(current)) if (v === undefined) delete out[k as keyof ViewConfig];
    return out;
  }, [view, current]);
  const dirty = Boolean(view) && Object.entries(current).some(([k, v]) => v !== saved[k as keyof ViewConfig]);
  const key = JSON.stringify(config);
  useEffect(() => {
    onDraft?.({ config, dirty });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` holds the config
  }, [key, dirty, onDraft]);
}

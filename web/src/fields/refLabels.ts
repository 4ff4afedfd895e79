/** Names of related records shown by id alone (a list without `appends`, a history entry, a
 * kanban card): asked for in one request per collection and moment, and kept for the page's life. */

import { useEffect, useState } from "react";

import * as endpoints from "../api/endpoints";
import { recordLabel } from "./labels";

const known = new Map<string, string>();
const waiting = new Map<string, { label: string | null; ids: Set<number>; listeners: Set<() => void> }>();

const keyOf = (target: string, id: number) => `${target}\u0000${id}`;

function flush(target: string) {
  const batch = waiting.get(target);
  waiting.delete(target);
  if (!batch) return;
  const ids = [...batch.ids].slice(0, 500);
  const done = () => batch.listeners.forEach((l) => l());
  endpoints
    .listRecords(target, { filter: { id: { $in: ids } }, pageSize: ids.length })
    .then((page) => {
      for (const r of page.data) known.set(keyOf(target, r.id), recordLabel(r, batch.label));
    })
    .catch(() => undefined)
    .finally(() => {
      // Ids not found (or not readable) keep showing as #id, without asking again.
      for (const id of ids) if (!known.has(keyOf(target, id))) known.set(keyOf(target, id), `#${id}`);
      done();
    });
}

function request(target: string, label: string | null, ids: number[], listener: () => void): void {
  let batch = waiting.get(target);
  if (!batch) {
    batch = { label, ids: new Set(), listeners: new Set() };
    waiting.set(target, batch);
    queueMicrotask(() => flush(target));
  }
  for (const id of ids) batch.ids.add(id);
  batch.listeners.add(listener);
}

/** The labels of `ids` in `target` (by `label`, its naming field), `#id` until they arrive. */
export function useRefLabels(target: string | undefined, label: string | null, ids: number[]): Map<number, string> {
  const [, setTick] = useState(0);
  const missing = target ? ids.filter((id) => !known.has(keyOf(target, id))) : [];
  const key = missing.join(",");
  useEffect(() => {
    if (!target || missing.length === 0) return;
    let live = true;
    request(target, label, missing, () => live && setTick((n) => n + 1));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` holds the missing ids
  }, [target, label, key]);
  const out = new Map<number, string>();
  for (const id of ids) out.set(id, (target && known.get(keyOf(target, id))) || `#${id}`);
  return out;
}

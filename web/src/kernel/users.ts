/** Names and avatars of users, for anyone signed in (`GET /api/users/lookup`): the ids asked for
 * in one render are fetched together, and remembered for the life of the page. */

import { useEffect, useSyncExternalStore } from "react";

import { lookupUsers } from "../api/endpoints";
import type { UserRef } from "../api/types";

/** The API's limit of ids per lookup. */
export const LOOKUP_BATCH = 200;

type Fetch = (ids: number[]) => Promise<UserRef[]>;

export class UserDirectory {
  /** null: no such user (or the lookup failed: not asked again until `forget`). */
  private readonly known = new Map<number, UserRef | null>();
  private readonly asked = new Set<number>();
  private queued: number[] = [];
  private readonly listeners = new Set<() => void>();
  private version = 0;

  constructor(
    private readonly fetch: Fetch,
    private readonly schedule: (run: () => void) => void = (run) => void setTimeout(run, 0),
  ) {}

  /** The user, null if there is none, undefined while unknown (then ask with `request`). */
  get(id: number): UserRef | null | undefined {
    return this.known.get(id);
  }

  /** Fetch `id` with the others asked for before the next turn of the event loop. */
  request(id: number): void {
    if (this.known.has(id) || this.asked.has(id)) return;
    this.asked.add(id);
    this.queued.push(id);
    if (this.queued.length === 1) this.schedule(() => void this.flush());
  }

  /** Forget one user (renamed, say) or everyone; they are fetched again when next asked for. */
  forget(id?: number): void {
    if (id === undefined) this.known.clear();
    else this.known.delete(id);
    this.changed();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): number => this.version;

  async flush(): Promise<void> {
    const ids = this.queued;
    this.queued = [];
    const batches: number[][] = [];
    for (let i = 0; i < ids.length; i += LOOKUP_BATCH) batches.push(ids.slice(i, i + LOOKUP_BATCH));
    await Promise.all(
      batches.map(async (batch) => {
        let found: UserRef[] = [];
        try {
          found = await this.fetch(batch);
        } catch {
          // Shown as "#id"; a page that needs it again can `forget` and ask anew.
        }
        const byId = new Map(found.map((u) => [u.id, u]));
        for (const id of batch) {
          this.known.set(id, byId.get(id) ?? null);
          this.asked.delete(id);
        }
      }),
    );
    this.changed();
  }

  private changed(): void {
    this.version += 1;
    for (const listener of this.listeners) listener();
  }
}

/** The app's directory. */
export const userDirectory = new UserDirectory((ids) => lookupUsers(ids));

/** The user with this id: undefined while it loads, null if there is none. */
export function useUserRef(id: number | null | undefined, directory: UserDirectory = userDirectory): UserRef | null | undefined {
  useSyncExternalStore(directory.subscribe, directory.snapshot);
  useEffect(() => {
    if (id !== null && id !== undefined) directory.request(id);
  }, [id, directory]);
  return id === null || id === undefined ? undefined : directory.get(id);
}

/** How to show a user: their name, else `#id`. */
export function userLabel(id: number, ref: UserRef | null | undefined): string {
  return ref?.name || `#${id}`;
}

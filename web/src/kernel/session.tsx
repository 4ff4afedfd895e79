/** Who is signed in: the token, the user from /api/me, sign-in (which applies the user's
 * language and theme) and sign-out. */

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";

import { getToken, onSessionEnded, setToken } from "../api/client";
import * as endpoints from "../api/endpoints";
import type { Profile, User } from "../api/types";
import { useI18n } from "../i18n";
import { useThemeMode } from "./theme";

export type SessionState = "loading" | "signed-in" | "signed-out";

interface Session {
  state: SessionState;
  user: User | null;
  /** True when the last session ended by itself (expired or signed out elsewhere). */
  expired: boolean;
  /** True after the user signed out here (the sign-in page then forgets the last page). */
  signedOut: boolean;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  reload: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [state, setState] = useState<SessionState>(() => (getToken() ? "loading" : "signed-out"));
  const [expired, setExpired] = useState(false);
  const [signedOut, setSignedOut] = useState(false);

  const reload = useCallback(async () => {
    if (!getToken()) {
      setState("signed-out");
      return;
    }
    try {
      setUser(await endpoints.me());
      setState("signed-in");
    } catch {
      // A 401 has already cleared the token; anything else leaves the user to sign in again.
      setUser(null);
      setState("signed-out");
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  useEffect(
    () =>
      onSessionEnded(() => {
        setUser(null);
        setExpired(true);
        setState("signed-out");
      }),
    [],
  );

  // The user's preferences kept on the server win over this browser's at sign-in.
  const { setLocale } = useI18n();
  const { setMode } = useThemeMode();
  const signIn = useCallback(
    async (email: string, password: string) => {
      const { token } = await endpoints.login(email, password);
      setToken(token);
      setExpired(false);
      setSignedOut(false);
      const me: Profile = await endpoints.profile();
      if (me.locale) setLocale(me.locale);
      if (me.theme) setMode(me.theme);
      setUser(me);
      setState("signed-in");
    },
    [setLocale, setMode],
  );

  const signOut = useCallback(async () => {
    try {
      await endpoints.logout();
    } finally {
      setToken(null);
      setUser(null);
      setExpired(false);
      setSignedOut(true);
      setState("signed-out");
    }
  }, []);

  const value = useMemo(
    () => ({ state, user, expired, signedOut, signIn, signOut, reload }),
    [state, user, expired, signedOut, signIn, signOut, reload],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error("useSession outside SessionProvider");
  return ctx;
}

export function isAdmin(user: User | null): boolean {
  return user?.roles.includes("admin") ?? false;
}

/** Whether the user may do `action` on `collection` (administrators may do everything). */
export function can(user: User | null, collection: string, action: string): boolean {
  if (!user) return false;
  if (isAdmin(user)) return true;
  return Boolean(user.permissions?.[collection]?.[action]);
}

/** The fields the user may use for `action`, or null for all of them. */
export function allowedFields(user: User | null, collection: string, action: string): Set<string> | null {
  if (!user || isAdmin(user)) return null;
  const fields = user.permissions?.[collection]?.[action]?.fields;
  return fields ? new Set(fields) : null;
}

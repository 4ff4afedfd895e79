/** Light or dark, remembered per browser; the initial choice follows the system's. */

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";

export type ThemeMode = "light" | "dark";
const STORAGE_KEY = "deskbase.theme";

interface Theme {
  mode: ThemeMode;
  /** null forgets this browser's choice: the system's theme again. */
  setMode: (mode: ThemeMode | null) => void;
}

const ThemeContext = createContext<Theme | null>(null);

function initialMode(): ThemeMode {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === "light" || saved === "dark") return saved;
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export function ThemeModeProvider({ children }: { children: ReactNode }) {
  const [mode, setState] = useState<ThemeMode>(initialMode);
  const setMode = useCallback((choice: ThemeMode | null) => {
    if (choice) localStorage.setItem(STORAGE_KEY, choice);
    else localStorage.removeItem(STORAGE_KEY);
    setState(choice ?? initialMode());
  }, []);
  const value = useMemo(() => ({ mode, setMode }), [mode, setMode]);
  return <ThemeContext.Provider value={value}>{children}</ThemeContext.Provider>;
}

export function useThemeMode(): Theme {
  const ctx = useContext(ThemeContext);
  if (!ctx) throw new Error("useThemeMode outside ThemeModeProvider");
  return ctx;
}

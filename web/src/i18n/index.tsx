/** The interface language: a typed dictionary per locale, switchable, defaulting to the browser's. */

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";

import { en, type MessageKey } from "./en";
import { zh } from "./zh";

export type Locale = "zh-CN" | "en-US";
export type { MessageKey };

export const LOCALES: readonly Locale[] = ["zh-CN", "en-US"];
const DICTIONARIES: Record<Locale, Record<MessageKey, string>> = { "zh-CN": zh, "en-US": en };
const STORAGE_KEY = "deskbase.locale";

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** `{name}` placeholders are replaced by `params.name`; unknown ones are left as they are. A
 * template `one|other` (English plurals) picks `one` when `params.count` is 1, else `other`. */
export function format(template: string, params?: Params): string {
  if (!params) return template;
  if (typeof params.count === "number" && template.includes("|")) {
    const [one = "", other = one] = template.split("|");
    template = params.count === 1 ? one : other;
  }
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return name === "count" && typeof value === "number" ? value.toLocaleString("en-US") : String(value);
  });
}

export function translator(locale: Locale): Translate {
  const dict = DICTIONARIES[locale];
  return (key, params) => format(dict[key], params);
}

/** The first of the browser's languages that we have: any `zh*` is Simplified Chinese. */
export function browserLocale(languages: readonly string[]): Locale {
  for (const lang of languages) {
    const lower = lang.toLowerCase();
    if (lower.startsWith("zh")) return "zh-CN";
    if (lower.startsWith("en")) return "en-US";
  }
  return "en-US";
}

function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === "zh-CN" || saved === "en-US") return saved;
  return browserLocale(navigator.languages.length ? navigator.languages : [navigator.language]);
}

interface I18n {
  locale: Locale;
  /** null forgets this browser's choice: the browser's language again. */
  setLocale: (locale: Locale | null) => void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children, locale: fixed }: { children: ReactNode; locale?: Locale }) {
  const [locale, setState] = useState<Locale>(() => fixed ?? initialLocale());
  const setLocale = useCallback((choice: Locale | null) => {
    if (choice) localStorage.setItem(STORAGE_KEY, choice);
    else localStorage.removeItem(STORAGE_KEY);
    const next = choice ?? initialLocale();
    document.documentElement.lang = next;
    setState(next);
  }, []);
  const value = useMemo(() => ({ locale, setLocale, t: translator(locale) }), [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error("useI18n outside I18nProvider");
  return ctx;
}

export function useT(): Translate {
  return useI18n().t;
}

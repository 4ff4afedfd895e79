/** Rendering a component the way the app does: language, theme and session providers. */

import { render, type RenderResult } from "@testing-library/react";
import { App as AntApp } from "antd";
import type { ReactElement, ReactNode } from "react";
import { MemoryRouter } from "react-router";

import { I18nProvider, type Locale } from "../i18n";
import { SessionProvider } from "../kernel/session";
import { ThemeModeProvider } from "../kernel/theme";

/** Renders `ui` inside the app's providers; `rerender` keeps them. */
export function renderApp(ui: ReactElement, { locale = "en-US", path = "/" }: { locale?: Locale; path?: string } = {}): RenderResult {
  function Providers({ children }: { children: ReactNode }) {
    return (
      <I18nProvider locale={locale}>
        <ThemeModeProvider>
          <MemoryRouter initialEntries={[path]}>
            <SessionProvider>
              <AntApp>{children}</AntApp>
            </SessionProvider>
          </MemoryRouter>
        </ThemeModeProvider>
      </I18nProvider>
    );
  }
  return render(ui, { wrapper: Providers });
}

interface FakeResponse {
  status: number;
  body?: unknown;
}

/** A stand-in for the server in component tests: answers each request with `respond(method, url, body)`
 * and records the calls. (The browser tests in e2e/ run against the real server.) */
export function fakeServer(respond: (method: string, url: string, body: unknown) => FakeResponse) {
  const calls: { method: string; url: string; body: unknown }[] = [];
  const fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const method = init?.method ?? "GET";
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const body: unknown = typeof init?.body === "string" ? JSON.parse(init.body) : undefined;
    calls.push({ method, url, body });
    const answer = respond(method, url, body);
    const type = answer.status >= 400 ? "application/problem+json" : "application/json";
    return Promise.resolve(
      new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
        status: answer.status,
        headers: { "Content-Type": type },
      }),
    );
  };
  return { fetch, calls };
}

/** The one way to call the API: bearer token, problem+json errors, and a signal when the session ends. */

import type { FieldErrorItem } from "./types";

const TOKEN_KEY = "deskbase.token";

/** An API error, read from its RFC 9457 problem+json body. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: FieldErrorItem[];
  /** The whole problem body, with the members particular to an error (an import's `columns`). */
  readonly problem: Readonly<Record<string, unknown>>;

  constructor(status: number, code: string, detail: string, errors: FieldErrorItem[] = [], problem: Record<string, unknown> = {}) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.errors = errors;
    this.problem = problem;
  }

  /** The message of each field's first error, by field path. */
  fieldMessages(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.errors) {
      if (!(e.field in out)) out[e.field] = e.message;
    }
    return out;
  }
}

type Listener = () => void;
const sessionEnded = new Set<Listener>();

/** Called when a request with a token answers 401: the session expired or was ended elsewhere. */
export function onSessionEnded(listener: Listener): () => void {
  sessionEnded.add(listener);
  return () => sessionEnded.delete(listener);
}

export function getToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  form?: FormData;
  signal?: AbortSignal;
}

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function send(method: string, path: string, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { "X-Deskbase-Client": "web", Accept: "application/json" };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (opts.form) body = opts.form;
  else if (opts.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(opts.body);
  }
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = body;
  if (opts.signal) init.signal = opts.signal;
  const resp = await fetch(buildUrl(path, opts.query), init);
  if (!resp.ok) throw await toError(resp, token !== null);
  return resp;
}

async function toError(resp: Response, hadToken: boolean): Promise<ApiError> {
  let code = "http_error";
  let detail = resp.statusText || `HTTP ${resp.status}`;
  let errors: FieldErrorItem[] = [];
  let problem: Record<string, unknown> = {};
  try {
    const body = (await resp.json()) as { code?: string; detail?: string; errors?: FieldErrorItem[] } | null;
    if (body && typeof body === "object") {
      problem = body;
      code = body.code ?? code;
      detail = body.detail ?? detail;
      errors = body.errors ?? [];
    }
  } catch {
    // Not JSON (a proxy's error page): keep the status line.
  }
  if (resp.status === 401 && hadToken) {
    setToken(null);
    for (const listener of [...sessionEnded]) listener();
  }
  return new ApiError(resp.status, code, detail, errors, problem);
}

export async function api<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const resp = await send(method, path, opts);
  if (resp.status === 204) return undefined as T;
  return (await resp.json()) as T;
}

/** A download (export): the body as a Blob and the file name the server suggests. */
export async function download(path: string, query?: Query): Promise<{ blob: Blob; filename: string }> {
  const resp = await send("GET", path, query ? { query } : {});
  const disposition = resp.headers.get("Content-Disposition") ?? "";
  const match = /filename\*=UTF-8''([^;]+)/i.exec(disposition) ?? /filename="?([^";]+)"?/i.exec(disposition);
  const filename = match?.[1] ? decodeURIComponent(match[1]) : "export";
  return { blob: await resp.blob(), filename };
}

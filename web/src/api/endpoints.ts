/** Typed calls of the routes the web app uses. */

import { api, type Query } from "./client";
import type {
  AggregateRow,
  Collection,
  Field,
  Job,
  JSONValue,
  ListResponse,
  RecordData,
  User,
} from "./types";

interface One<T> {
  data: T;
}

export async function login(email: string, password: string): Promise<{ token: string; user: User }> {
  return api("POST", "/api/auth/login", { body: { email, password } });
}

export async function logout(): Promise<void> {
  await api<unknown>("POST", "/api/auth/logout");
}

export async function me(): Promise<User> {
  return (await api<One<User>>("GET", "/api/me")).data;
}

export async function listCollections(): Promise<Collection[]> {
  return (await api<One<Collection[]>>("GET", "/api/collections")).data;
}

export async function getCollection(name: string): Promise<Collection> {
  return (await api<One<Collection>>("GET", `/api/collections/${encodeURIComponent(name)}`)).data;
}

export async function createCollection(body: {
  name: string;
  title?: string;
  fields: Field[];
}): Promise<Collection> {
  return (await api<One<Collection>>("POST", "/api/collections", { body })).data;
}

export async function updateCollection(name: string, body: { title?: string; description?: string }): Promise<void> {
  await api<unknown>("PATCH", `/api/collections/${encodeURIComponent(name)}`, { body });
}

export async function deleteCollection(name: string): Promise<void> {
  await api<unknown>("DELETE", `/api/collections/${encodeURIComponent(name)}`);
}

export async function addField(collection: string, field: Field): Promise<Field> {
  return (await api<One<Field>>("POST", `/api/collections/${encodeURIComponent(collection)}/fields`, { body: field }))
    .data;
}

export async function updateField(collection: string, name: string, body: Partial<Field>): Promise<Field> {
  const path = `/api/collections/${encodeURIComponent(collection)}/fields/${encodeURIComponent(name)}`;
  return (await api<One<Field>>("PATCH", path, { body })).data;
}

export async function deleteField(collection: string, name: string): Promise<void> {
  const path = `/api/collections/${encodeURIComponent(collection)}/fields/${encodeURIComponent(name)}`;
  await api<unknown>("DELETE", path);
}

export interface ListParams {
  filter?: JSONValue | undefined;
  sort?: string | undefined;
  q?: string | undefined;
  cursor?: string | undefined;
  pageSize?: number;
  count?: boolean;
  fields?: string[];
  appends?: string[];
}

export function listQuery(params: ListParams): Query {
  return {
    filter: params.filter === undefined ? undefined : JSON.stringify(params.filter),
    sort: params.sort,
    q: params.q?.trim(),
    cursor: params.cursor,
    page_size: params.pageSize,
    count: params.count ? "true" : undefined,
    fields: params.fields?.join(","),
    appends: params.appends?.join(","),
  };
}

export async function listRecords(collection: string, params: ListParams, signal?: AbortSignal): Promise<ListResponse> {
  const opts = signal ? { query: listQuery(params), signal } : { query: listQuery(params) };
  return api<ListResponse>("GET", `/api/data/${encodeURIComponent(collection)}`, opts);
}

export async function getRecord(collection: string, id: number, appends?: string[]): Promise<RecordData> {
  const query = appends?.length ? { appends: appends.join(",") } : {};
  return (await api<One<RecordData>>("GET", `/api/data/${encodeURIComponent(collection)}/${id}`, { query })).data;
}

export async function createRecord(collection: string, values: Record<string, JSONValue>): Promise<RecordData> {
  return (await api<One<RecordData>>("POST", `/api/data/${encodeURIComponent(collection)}`, { body: values })).data;
}

export async function updateRecord(
  collection: string,
  id: number,
  values: Record<string, JSONValue>,
): Promise<RecordData> {
  const path = `/api/data/${encodeURIComponent(collection)}/${id}`;
  return (await api<One<RecordData>>("PATCH", path, { body: values })).data;
}

export async function deleteRecord(collection: string, id: number): Promise<void> {
  await api<unknown>("DELETE", `/api/data/${encodeURIComponent(collection)}/${id}`);
}

export async function aggregate(
  collection: string,
  params: { groupBy: string[]; measures: string[]; filter?: JSONValue; order?: string; limit?: number },
  signal?: AbortSignal,
): Promise<AggregateRow[]> {
  const query: Query = {
    group_by: params.groupBy.join(","),
    measures: params.measures.join(","),
    filter: params.filter === undefined ? undefined : JSON.stringify(params.filter),
    order: params.order,
    limit: params.limit,
  };
  const path = `/api/data/${encodeURIComponent(collection)}/aggregate`;
  return (await api<One<AggregateRow[]>>("GET", path, signal ? { query, signal } : { query })).data;
}

export interface ImportOptions {
  dryRun: boolean;
  mode: "all_or_nothing" | "skip_invalid";
  key?: string | undefined;
}

export async function startImport(collection: string, file: File, options: ImportOptions): Promise<Job> {
  const form = new FormData();
  form.set("file", file);
  form.set("dry_run", options.dryRun ? "true" : "false");
  form.set("mode", options.mode);
  if (options.key) form.set("key", options.key);
  const path = `/api/data/${encodeURIComponent(collection)}/import`;
  return (await api<{ job: Job }>("POST", path, { form })).job;
}

export async function getJob(id: number): Promise<Job> {
  return (await api<One<Job>>("GET", `/api/jobs/${id}`)).data;
}

/** Typed calls of the routes the web app uses. */

import { api, download, type Query } from "./client";
import type {
  AdminUser,
  AggregateRow,
  ApiKey,
  Attachment,
  AuditPage,
  AuditQuery,
  BlockQuery,
  Collection,
  Dashboard,
  DashboardBlock,
  Department,
  Field,
  HistoryEntry,
  Job,
  JSONValue,
  ListResponse,
  Permissions,
  Preferences,
  Profile,
  RecordData,
  Role,
  SavedView,
  User,
  UserInput,
  UserListPage,
  UserListQuery,
  UserRef,
  ViewConfig,
  WorkflowSummary,
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
  /** `{"column header": field path}`; null ignores a column (docs/api.md "Import"). */
  mapping?: Record<string, string | null> | null | undefined;
}

export async function startImport(collection: string, file: File, options: ImportOptions): Promise<Job> {
  const form = new FormData();
  form.set("file", file);
  form.set("dry_run", options.dryRun ? "true" : "false");
  form.set("mode", options.mode);
  if (options.key) form.set("key", options.key);
  if (options.mapping) form.set("mapping", JSON.stringify(options.mapping));
  const path = `/api/data/${encodeURIComponent(collection)}/import`;
  return (await api<{ job: Job }>("POST", path, { form })).job;
}

export async function getJob(id: number): Promise<Job> {
  return (await api<One<Job>>("GET", `/api/jobs/${id}`)).data;
}

// ---- Boards: dashboards (`/api/dashboards`) and their blocks' aggregates (notes/views-contract.md).
// Maintained with web/src/views/{calendar,gantt,gallery,dashboard}.

export async function listDashboards(signal?: AbortSignal): Promise<Dashboard[]> {
  return (await api<One<Dashboard[]>>("GET", "/api/dashboards", signal ? { signal } : {})).data;
}

export async function createDashboard(body: { name: string; shared?: boolean; blocks?: DashboardBlock[] }): Promise<Dashboard> {
  return (await api<One<Dashboard>>("POST", "/api/dashboards", { body })).data;
}

export async function updateDashboard(
  id: number,
  body: { name?: string; shared?: boolean; blocks?: DashboardBlock[]; position?: number },
): Promise<Dashboard> {
  return (await api<One<Dashboard>>("PATCH", `/api/dashboards/${id}`, { body })).data;
}

export async function deleteDashboard(id: number): Promise<void> {
  await api<unknown>("DELETE", `/api/dashboards/${id}`);
}

/** A dashboard block's aggregate: its query as the aggregate route's comma-separated parameters. */
export async function aggregateBlock(collection: string, query: BlockQuery, signal?: AbortSignal): Promise<AggregateRow[]> {
  const params: Query = {
    group_by: query.group_by.join(","),
    measures: query.measures.join(","),
    filter: query.filter === null ? undefined : JSON.stringify(query.filter),
    order: query.order.join(","),
    limit: query.limit,
    tz: query.tz,
  };
  const path = `/api/data/${encodeURIComponent(collection)}/aggregate`;
  return (await api<One<AggregateRow[]>>("GET", path, signal ? { query: params, signal } : { query: params })).data;
}

// ---- end of boards

// ---- Grid, saved views and the record form: bulk writes, export, attachments, history and
// saved views (notes/views-contract.md). Maintained with web/src/views/{grid,kanban,saved}.

/** `POST /api/data/{c}/bulk-update`: as `PATCH /api/data/{c}?filter=`, the filter in the body (a selection of
 * thousands of ids does not fit in a URL); one transaction. */
export async function bulkUpdate(collection: string, filter: JSONValue, values: Record<string, JSONValue>): Promise<number> {
  const path = `/api/data/${encodeURIComponent(collection)}/bulk-update`;
  return (await api<One<{ updated: number }>>("POST", path, { body: { filter, values } })).data.updated;
}

/** `POST /api/data/{c}/bulk-delete`: as `DELETE ?filter=`, the filter in the body; one transaction. */
export async function bulkDelete(collection: string, filter: JSONValue): Promise<number> {
  const path = `/api/data/${encodeURIComponent(collection)}/bulk-delete`;
  return (await api<One<{ deleted: number }>>("POST", path, { body: { filter } })).data.deleted;
}

export interface ExportParams {
  format: "csv" | "xlsx";
  filter?: JSONValue | undefined;
  sort?: string | undefined;
  fields?: string[] | undefined;
}

/** `GET /api/data/{c}/export`, fetched with the session's token: the file and its name. */
export async function exportRecords(collection: string, params: ExportParams): Promise<{ blob: Blob; filename: string }> {
  return download(`/api/data/${encodeURIComponent(collection)}/export`, {
    format: params.format,
    filter: params.filter === undefined ? undefined : JSON.stringify(params.filter),
    sort: params.sort,
    fields: params.fields?.join(","),
  });
}

export async function uploadAttachment(file: File, signal?: AbortSignal): Promise<Attachment> {
  const form = new FormData();
  form.set("file", file);
  return (await api<One<Attachment>>("POST", "/api/attachments", signal ? { form, signal } : { form })).data;
}

/** An attachment's bytes (the route needs the token, so an `<img src>` cannot fetch it). */
export async function fetchAttachment(id: number): Promise<Blob> {
  return (await download(`/api/attachments/${id}`)).blob;
}

export async function recordHistory(collection: string, id: number, signal?: AbortSignal): Promise<HistoryEntry[]> {
  const path = `/api/data/${encodeURIComponent(collection)}/${id}/history`;
  return (await api<One<HistoryEntry[]>>("GET", path, signal ? { signal } : {})).data;
}

export async function listViews(collection: string, signal?: AbortSignal): Promise<SavedView[]> {
  const path = `/api/collections/${encodeURIComponent(collection)}/views`;
  return (await api<One<SavedView[]>>("GET", path, signal ? { signal } : {})).data;
}

export async function createView(
  collection: string,
  body: { name: string; kind: string; shared: boolean; config: ViewConfig },
): Promise<SavedView> {
  return (await api<One<SavedView>>("POST", `/api/collections/${encodeURIComponent(collection)}/views`, { body })).data;
}

export async function updateView(
  id: number,
  body: { name?: string; shared?: boolean; config?: ViewConfig; position?: number },
): Promise<SavedView> {
  return (await api<One<SavedView>>("PATCH", `/api/views/${id}`, { body })).data;
}

export async function deleteView(id: number): Promise<void> {
  await api<unknown>("DELETE", `/api/views/${id}`);
}
// ---- end of grid and saved views

// ---- Administration and profile: users, roles and their permissions, departments, API keys,
// the audit log, and the signed-in user's password (docs/api.md). Maintained with
// web/src/{admin,profile}.

/** A page of the users matching `query` (administrators), with `meta.total`. */
export async function searchUsers(query: UserListQuery, signal?: AbortSignal): Promise<UserListPage> {
  const q: Query = { ...query };
  return api<UserListPage>("GET", "/api/users", signal ? { query: q, signal } : { query: q });
}

/** Id, name and avatar of these users (anyone signed in); unknown ids are left out. */
export async function lookupUsers(ids: readonly number[], signal?: AbortSignal): Promise<UserRef[]> {
  const query: Query = { ids: ids.join(",") };
  return (await api<One<UserRef[]>>("GET", "/api/users/lookup", signal ? { query, signal } : { query })).data;
}

/** Users whose name holds every word of `q`, by name (anyone signed in; for pickers). */
export async function findUsers(q: string, opts: { active?: boolean; limit?: number; signal?: AbortSignal } = {}): Promise<UserRef[]> {
  const query: Query = { q, active: opts.active, limit: opts.limit };
  return (await api<One<UserRef[]>>("GET", "/api/users/lookup", opts.signal ? { query, signal: opts.signal } : { query })).data;
}

export async function createUser(body: UserInput): Promise<AdminUser> {
  return (await api<One<AdminUser>>("POST", "/api/users", { body })).data;
}

export async function updateUser(id: number, body: UserInput): Promise<AdminUser> {
  return (await api<One<AdminUser>>("PATCH", `/api/users/${id}`, { body })).data;
}

export async function listRoles(signal?: AbortSignal): Promise<Role[]> {
  return (await api<One<Role[]>>("GET", "/api/roles", signal ? { signal } : {})).data;
}

export async function createRole(body: { name: string; title?: string; description?: string }): Promise<Role> {
  return (await api<One<Role>>("POST", "/api/roles", { body })).data;
}

export async function updateRole(name: string, body: { title?: string; description?: string | null }): Promise<Role> {
  return (await api<One<Role>>("PATCH", `/api/roles/${encodeURIComponent(name)}`, { body })).data;
}

export async function deleteRole(name: string): Promise<void> {
  await api<unknown>("DELETE", `/api/roles/${encodeURIComponent(name)}`);
}

export async function getRolePermissions(name: string, signal?: AbortSignal): Promise<Permissions> {
  const path = `/api/roles/${encodeURIComponent(name)}/permissions`;
  return (await api<One<Permissions>>("GET", path, signal ? { signal } : {})).data;
}

/** Replaces the role's permissions as a whole; a 422 lists every problem by path (`tickets.list.scope`). */
export async function putRolePermissions(name: string, body: Permissions): Promise<Permissions> {
  return (await api<One<Permissions>>("PUT", `/api/roles/${encodeURIComponent(name)}/permissions`, { body })).data;
}

export async function departmentTree(signal?: AbortSignal): Promise<Department[]> {
  return (await api<One<Department[]>>("GET", "/api/departments", signal ? { signal } : {})).data;
}

export async function createDepartment(body: { name: string; parent_id?: number | null }): Promise<Department> {
  return (await api<One<Department>>("POST", "/api/departments", { body })).data;
}

/** Rename or move (`parent_id`: null for the top). */
export async function updateDepartment(id: number, body: { name?: string; parent_id?: number | null }): Promise<Department> {
  return (await api<One<Department>>("PATCH", `/api/departments/${id}`, { body })).data;
}

export async function deleteDepartment(id: number): Promise<void> {
  await api<unknown>("DELETE", `/api/departments/${id}`);
}

export async function listApiKeys(signal?: AbortSignal): Promise<ApiKey[]> {
  return (await api<One<ApiKey[]>>("GET", "/api/api-keys", signal ? { signal } : {})).data;
}

/** A new key: the answer holds its secret (`key`), shown this once. */
export async function createApiKey(body: { name: string; role: string; expires_at?: string | null }): Promise<ApiKey> {
  return (await api<One<ApiKey>>("POST", "/api/api-keys", { body })).data;
}

export async function revokeApiKey(id: number): Promise<void> {
  await api<unknown>("DELETE", `/api/api-keys/${id}`);
}

export async function searchAudit(query: AuditQuery, signal?: AbortSignal): Promise<AuditPage> {
  const q: Query = { ...query };
  return api<AuditPage>("GET", "/api/audit", signal ? { query: q, signal } : { query: q });
}

export async function listWorkflows(signal?: AbortSignal): Promise<WorkflowSummary[]> {
  return (await api<One<WorkflowSummary[]>>("GET", "/api/workflows", signal ? { signal } : {})).data;
}

export async function profile(signal?: AbortSignal): Promise<Profile> {
  return (await api<One<Profile>>("GET", "/api/me", signal ? { signal } : {})).data;
}

/** Your language and theme, kept on the server (null: the browser's); answers like `profile`. */
export async function updatePreferences(body: Preferences): Promise<Profile> {
  return (await api<One<Profile>>("PATCH", "/api/me", { body })).data;
}

/** Your own password; your other sessions end. Policy problems are 422 on `new_password`. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await api<unknown>("POST", "/api/me/password", { body: { current_password: currentPassword, new_password: newPassword } });
}
// ---- end of administration and profile

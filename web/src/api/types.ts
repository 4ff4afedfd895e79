/** Wire formats of the Deskbase API (docs/api.md), as the web app reads them. */

export type JSONValue = string | number | boolean | null | JSONValue[] | { [key: string]: JSONValue };

export interface Choice {
  value: string;
  label?: string | null;
  color?: string | null;
}

export interface FieldOptions {
  max_length?: number;
  precision?: number;
  scale?: number;
  currency?: string;
  choices?: Choice[];
  pattern?: string;
  expression?: string;
  result_type?: string;
  target?: string;
  on_delete?: string;
  inverse?: string;
  title_field?: string | null;
  [key: string]: unknown;
}

export interface Field {
  name: string;
  type: string;
  title?: string | null;
  description?: string | null;
  required?: boolean;
  unique?: boolean;
  indexed?: boolean;
  default?: JSONValue;
  options?: FieldOptions;
  system?: boolean;
}

export interface Extends {
  master: string;
  discriminator: string;
  value: string;
}

export interface Collection {
  name: string;
  title?: string | null;
  description?: string | null;
  extends?: Extends | null;
  extensions?: string[];
  fields: Field[];
}

export type RecordData = { id: number } & { [field: string]: JSONValue };

export interface ListMeta {
  page?: number;
  page_size: number;
  has_more: boolean;
  next_cursor?: string | null;
  total?: number;
}

export interface ListResponse {
  data: RecordData[];
  meta: ListMeta;
}

export interface PermissionRule {
  scope: JSONValue;
  fields?: string[];
}

/** Per collection, per action (`list`, `create`, …): the rule in force for the current user. */
export type Permissions = Record<string, Record<string, PermissionRule>>;

export interface User {
  id: number;
  email: string;
  name?: string | null;
  roles: string[];
  default_role?: string | null;
  departments?: { id: number; name: string }[];
  permissions?: Permissions;
}

export interface FieldErrorItem {
  field: string;
  message: string;
  code: string;
  index?: number;
}

export interface ImportRowError {
  row: number;
  column?: string | null;
  field?: string | null;
  message: string;
  code: string;
}

export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export interface ImportResult {
  rows: number;
  created: number;
  updated: number;
  skipped: number;
  dry_run: boolean;
  committed: boolean;
  /** Column header -> field path, for the columns that are imported. */
  mapping?: Record<string, string>;
  ignored?: { column: string; reason: string }[];
}

export interface Job {
  id: number;
  kind: string;
  status: JobStatus;
  collection?: string | null;
  total?: number | null;
  done?: number | null;
  errors?: ImportRowError[];
  error_count?: number;
  rate?: number | null;
  result?: ImportResult | null;
  message?: string | null;
}

export type AggregateRow = Record<string, JSONValue>;

// ---- Boards: dashboards and their blocks (notes/views-contract.md).
// Maintained with web/src/views/{calendar,gantt,gallery,dashboard}.

export type BlockType = "number" | "bar" | "line" | "pie" | "funnel" | "sankey";

/** What `GET /api/data/{c}/aggregate` takes, as lists instead of comma strings. */
export interface BlockQuery {
  group_by: string[];
  measures: string[];
  filter: JSONValue | null;
  order: string[];
  limit: number | null;
  tz: string | null;
}

/** A block's place on the dashboard's 12-column grid (`h` in grid rows). */
export interface BlockLayout {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface DashboardBlock {
  id: string;
  type: BlockType;
  title: string;
  collection: string;
  query: BlockQuery;
  layout: BlockLayout;
}

export interface Dashboard {
  id: number;
  name: string;
  shared: boolean;
  owner_id: number | null;
  position: number;
  blocks: DashboardBlock[];
  created_at?: string;
  updated_at?: string;
}

// ---- end of boards

// ---- Grid, saved views and the record form (notes/views-contract.md, docs/api.md).
// Maintained with web/src/views/{grid,kanban,saved} and web/src/fields.

/** A saved view's settings; every key is optional (an unknown one is a 422 at `config.<key>`). */
export interface ViewConfig {
  filter?: JSONValue;
  sort?: string;
  q?: string;
  /** Visible fields in display order (field names or `ext.field` paths). */
  fields?: string[];
  /** Column widths in px (40–1000). */
  widths?: Record<string, number>;
  group_by?: string;
  kanban_field?: string;
  date_field?: string;
  start_field?: string;
  end_field?: string;
  title_field?: string;
  cover_field?: string;
  /** A business type (an extension collection): the view shows the master's records of it. */
  type?: string;
}

export interface SavedView {
  id: number;
  collection: string;
  name: string;
  kind: string;
  shared: boolean;
  owner_id: number | null;
  position: number;
  config: ViewConfig;
  /** The config keys left out for this reader (fields removed, or hidden from their role). */
  left_out?: string[];
  created_at?: string;
  updated_at?: string;
}

/** An uploaded file (`POST /api/attachments`), as attachment fields hold them. */
export interface Attachment {
  id: number;
  filename: string;
  size: number;
  mime_type: string;
  url: string;
}

/** One entry of a record's history (`GET /api/data/{c}/{id}/history`), oldest first. */
export interface HistoryEntry {
  id: number;
  at: string;
  actor: { id: number; email: string } | null;
  source: string;
  action: string;
  collection: string;
  record_id: number | null;
  changes: Record<string, [JSONValue, JSONValue]> | null;
  detail: JSONValue;
}
// ---- end of grid and saved views

// ---- Administration and profile: users, roles, departments, API keys, permissions, the audit
// log and the signed-in user (docs/api.md). Maintained with web/src/{admin,profile}.

/** A user as administrators see them (`GET /api/users`); `roles` lists the default role first. */
export interface AdminUser {
  id: number;
  email: string;
  name: string;
  phone: string | null;
  avatar: string | null;
  active: boolean;
  roles: string[];
  default_role: string | null;
  departments: { id: number; name: string }[];
  locale: LocaleCode | null;
  theme: ThemeName | null;
  created_at: string | null;
}

/** A language of the interface, as the API stores it (the same values as i18n's `Locale`). */
export type LocaleCode = "zh-CN" | "en-US";
export type ThemeName = "light" | "dark";

/** `GET /api/users` parameters (docs/api.md, "Sign-in, users, …"); `sort` like `name` or `-created_at`. */
export interface UserListQuery {
  q?: string | undefined;
  active?: boolean | undefined;
  role?: string | undefined;
  department?: number | undefined;
  sort?: string | undefined;
  page?: number | undefined;
  page_size?: number | undefined;
  /** `role,department`: `meta.counts` of the matching users. */
  counts?: string | undefined;
}

export interface UserListPage {
  data: AdminUser[];
  meta: { page: number; page_size: number; total: number; has_more: boolean; counts?: Record<string, Record<string, number>> };
}

/** What anyone signed in may know of a user (`GET /api/users/lookup`). */
export interface UserRef {
  id: number;
  name: string;
  avatar: string | null;
}

/** The signed-in user's preferences (`PATCH /api/me`); null follows the browser. */
export interface Preferences {
  locale?: LocaleCode | null;
  theme?: ThemeName | null;
}

/** `POST /api/users` (all of it) and `PATCH /api/users/{id}` (any of it but `email`). */
export interface UserInput {
  email?: string;
  password?: string;
  name?: string;
  phone?: string | null;
  roles?: string[];
  default_role?: string | null;
  departments?: number[];
  active?: boolean;
}

/** `GET /api/me`: the user, with what only the signed-in user sees. */
export interface Profile extends User {
  phone?: string | null;
  avatar?: string | null;
  active?: boolean;
  api_key?: number | null;
  /** The title of each role in `roles`. */
  role_titles?: Record<string, string>;
  locale?: LocaleCode | null;
  theme?: ThemeName | null;
}

export interface Role {
  name: string;
  title: string;
  description: string | null;
  builtin: boolean;
  created_at: string | null;
  updated_at: string | null;
}

/** A department of the tree (`GET /api/departments`): the top ones carry their `children`. */
export interface Department {
  id: number;
  name: string;
  parent_id: number | null;
  position: number;
  children?: Department[];
}

export interface ApiKey {
  id: number;
  name: string;
  user_id: number;
  role: string;
  prefix: string;
  created_at: string | null;
  expires_at: string | null;
  last_used_at: string | null;
  revoked: boolean;
  /** The secret: only in the answer to its creation. */
  key?: string;
}

/** An entry of the audit log (`GET /api/audit`). */
export interface AuditEntry {
  id: number;
  at: string;
  actor: { id: number; email: string } | null;
  source: string;
  action: string;
  collection: string | null;
  record_id: number | null;
  changes: Record<string, [JSONValue, JSONValue]> | null;
  detail: JSONValue;
}

export interface AuditQuery {
  actor_id?: number | undefined;
  collection?: string | undefined;
  record_id?: number | undefined;
  action?: string | undefined;
  source?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  before?: number | undefined;
  limit?: number | undefined;
}

export interface AuditPage {
  data: AuditEntry[];
  meta: { has_more: boolean; next_before: number | null };
}

/** What the permissions editor reads of a workflow: action-button triggers name custom actions. */
export interface WorkflowSummary {
  id: number;
  name: string;
  enabled: boolean;
  trigger: { type: string; collection?: string; name?: string; [key: string]: JSONValue | undefined };
}
// ---- end of administration and profile

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

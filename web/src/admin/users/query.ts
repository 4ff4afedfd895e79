/** The users page's search, filters, sort and page, kept in its URL (`?q=ann&role=agent&page=2`)
 * and turned into a `GET /api/users` query: the server searches and pages. */

import type { UserListQuery } from "../../api/types";

export type Status = "all" | "active" | "inactive";
export type SortColumn = "name" | "created_at";
export type SortOrder = "ascend" | "descend";

export const PAGE_SIZES = [20, 50, 100, 200] as const;
/** Newest first: a user just created is on top. */
export const DEFAULT_SORT = "-created_at";

export interface UsersView {
  q: string;
  status: Status;
  role: string | undefined;
  department: number | undefined;
  sort: string;
  page: number;
  pageSize: number;
}

const positive = (raw: string | null): number | undefined => (raw && /^\d{1,9}$/.test(raw) && Number(raw) > 0 ? Number(raw) : undefined);

/** The view in a URL; anything unknown falls back to the default. */
export function usersView(params: URLSearchParams): UsersView {
  const status = params.get("status");
  const size = positive(params.get("size"));
  const sort = params.get("sort");
  return {
    q: params.get("q") ?? "",
    status: status === "active" || status === "inactive" ? status : "all",
    role: params.get("role") || undefined,
    department: positive(params.get("department")),
    sort: sort && /^-?(name|created_at)$/.test(sort) ? sort : DEFAULT_SORT,
    page: positive(params.get("page")) ?? 1,
    pageSize: size && (PAGE_SIZES as readonly number[]).includes(size) ? size : PAGE_SIZES[0],
  };
}

/** The URL of a view: defaults are left out. */
export function viewParams(view: UsersView): URLSearchParams {
  const out = new URLSearchParams();
  if (view.q.trim()) out.set("q", view.q.trim());
  if (view.status !== "all") out.set("status", view.status);
  if (view.role) out.set("role", view.role);
  if (view.department !== undefined) out.set("department", String(view.department));
  if (view.sort !== DEFAULT_SORT) out.set("sort", view.sort);
  if (view.page !== 1) out.set("page", String(view.page));
  if (view.pageSize !== PAGE_SIZES[0]) out.set("size", String(view.pageSize));
  return out;
}

/** The API's query for a view. */
export function usersQuery(view: UsersView): UserListQuery {
  return {
    q: view.q.trim() || undefined,
    active: view.status === "all" ? undefined : view.status === "active",
    role: view.role,
    department: view.department,
    sort: view.sort,
    page: view.page,
    page_size: view.pageSize,
  };
}

/** How a column shows the view's sort (antd's `sortOrder`). */
export function columnOrder(sort: string, column: SortColumn): SortOrder | null {
  if (sort === column) return "ascend";
  if (sort === `-${column}`) return "descend";
  return null;
}

/** The sort after a click on a column's sorter (no order: back to the default). */
export function sortAfter(column: SortColumn | undefined, order: SortOrder | null | undefined): string {
  if (!column || !order) return DEFAULT_SORT;
  return order === "descend" ? `-${column}` : column;
}

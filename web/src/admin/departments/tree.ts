/** The department tree (`GET /api/departments`) walked for the pickers and the move dialog. */

import type { Department } from "../../api/types";

export interface TreeOption {
  value: number;
  title: string;
  disabled?: boolean;
  children: TreeOption[];
}

/** Every department, parents before children, with its depth and the names from the top. */
export function flatten(tree: readonly Department[]): { dept: Department; depth: number; path: string[] }[] {
  const out: { dept: Department; depth: number; path: string[] }[] = [];
  const walk = (nodes: readonly Department[], depth: number, above: string[]) => {
    for (const d of nodes) {
      const path = [...above, d.name];
      out.push({ dept: d, depth, path });
      walk(d.children ?? [], depth + 1, path);
    }
  };
  walk(tree, 0, []);
  return out;
}

/** `id` and every department below it. */
export function subtree(tree: readonly Department[], id: number): Set<number> {
  const found = flatten(tree).find((x) => x.dept.id === id);
  const out = new Set<number>();
  if (!found) return out;
  for (const { dept } of flatten([found.dept])) out.add(dept.id);
  return out;
}

/** TreeSelect data; `disabled` departments stay visible but cannot be picked (a move under itself). */
export function treeOptions(tree: readonly Department[], disabled: ReadonlySet<number> = new Set()): TreeOption[] {
  return tree.map((d) => ({
    value: d.id,
    title: d.name,
    disabled: disabled.has(d.id),
    children: treeOptions(d.children ?? [], disabled),
  }));
}

/** "Parent / Child" for each department id. */
export function pathNames(tree: readonly Department[]): Map<number, string> {
  return new Map(flatten(tree).map(({ dept, path }) => [dept.id, path.join(" / ")]));
}

import { describe, expect, it } from "vitest";

import type { Department } from "../../api/types";
import { flatten, pathNames, subtree, treeOptions } from "./tree";

const tree: Department[] = [
  {
    id: 1,
    name: "Support",
    parent_id: null,
    position: 0,
    children: [
      { id: 2, name: "Level 1", parent_id: 1, position: 0, children: [{ id: 4, name: "Night", parent_id: 2, position: 0, children: [] }] },
      { id: 3, name: "Level 2", parent_id: 1, position: 1, children: [] },
    ],
  },
  { id: 5, name: "Legal", parent_id: null, position: 1, children: [] },
];

describe("department tree", () => {
  it("flattens parents first, with depths", () => {
    expect(flatten(tree).map((x) => [x.dept.id, x.depth])).toEqual([
      [1, 0],
      [2, 1],
      [4, 2],
      [3, 1],
      [5, 0],
    ]);
  });

  it("finds a department and everything below it", () => {
    expect([...subtree(tree, 2)].sort()).toEqual([2, 4]);
    expect([...subtree(tree, 1)].sort()).toEqual([1, 2, 3, 4]);
    expect(subtree(tree, 99).size).toBe(0);
  });

  it("disables the departments a move may not go under", () => {
    const opts = treeOptions(tree, subtree(tree, 2));
    expect(opts[0]?.disabled).toBe(false);
    expect(opts[0]?.children[0]).toMatchObject({ value: 2, disabled: true });
    expect(opts[0]?.children[0]?.children[0]).toMatchObject({ value: 4, disabled: true });
  });

  it("names departments by their path", () => {
    expect(pathNames(tree).get(4)).toBe("Support / Level 1 / Night");
  });
});

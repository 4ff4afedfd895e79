import { describe, expect, it } from "vitest";

import { clampItem, collides, compact, placeItem, placeNew, rowsOf, type Item } from "./layout";

const at = (items: Item[]) => Object.fromEntries(items.map((i) => [i.id, [i.x, i.y, i.w, i.h]]));

describe("dashboard layout", () => {
  it("packs blocks up, leaving none overlapping", () => {
    const packed = compact([
      { id: "a", x: 0, y: 3, w: 6, h: 2 },
      { id: "b", x: 6, y: 9, w: 6, h: 4 },
      { id: "c", x: 0, y: 10, w: 12, h: 2 },
    ]);
    expect(at(packed)).toEqual({ a: [0, 0, 6, 2], b: [6, 0, 6, 4], c: [0, 4, 12, 2] });
    expect(packed.some((p) => packed.some((q) => collides(p, q)))).toBe(false);
    expect(rowsOf(packed)).toBe(6);
  });

  it("moves a block to a free place in another column", () => {
    const items = [
      { id: "a", x: 0, y: 0, w: 6, h: 4 },
      { id: "b", x: 0, y: 4, w: 6, h: 4 },
    ];
    expect(at(placeItem(items, { id: "b", x: 6, y: 0, w: 6, h: 4 }))).toEqual({ a: [0, 0, 6, 4], b: [6, 0, 6, 4] });
  });

  it("swaps two blocks when one is dragged over the other", () => {
    const items = [
      { id: "a", x: 0, y: 0, w: 6, h: 2 },
      { id: "b", x: 0, y: 2, w: 6, h: 2 },
    ];
    // a dropped over the lower half of b: b moves up above it.
    expect(at(placeItem(items, { id: "a", x: 0, y: 3, w: 6, h: 2 }))).toEqual({ b: [0, 0, 6, 2], a: [0, 2, 6, 2] });
    // b dragged up onto a: a moves down below it.
    expect(at(placeItem(items, { id: "b", x: 0, y: 0, w: 6, h: 2 }))).toEqual({ b: [0, 0, 6, 2], a: [0, 2, 6, 2] });
  });

  it("pushes the blocks a resized block now covers down", () => {
    const items = [
      { id: "a", x: 0, y: 0, w: 6, h: 2 },
      { id: "b", x: 6, y: 0, w: 6, h: 2 },
      { id: "c", x: 0, y: 2, w: 12, h: 2 },
    ];
    expect(at(placeItem(items, { id: "a", x: 0, y: 0, w: 8, h: 3 }))).toEqual({ a: [0, 0, 8, 3], b: [6, 3, 6, 2], c: [0, 5, 12, 2] });
  });

  it("keeps blocks inside the grid", () => {
    expect(clampItem({ id: "a", x: 10, y: -2, w: 6, h: 30 })).toEqual({ id: "a", x: 6, y: 0, w: 6, h: 20 });
    expect(clampItem({ id: "a", x: -1, y: 1.4, w: 0, h: 0 })).toEqual({ id: "a", x: 0, y: 1, w: 1, h: 1 });
  });

  it("puts a new block in the first free place", () => {
    const items = [
      { id: "a", x: 0, y: 0, w: 6, h: 4 },
      { id: "b", x: 0, y: 4, w: 12, h: 2 },
    ];
    expect(placeNew(items, 6, 4)).toEqual({ x: 6, y: 0 });
    expect(placeNew(items, 3, 2)).toEqual({ x: 6, y: 0 });
    expect(placeNew([...items, { id: "c", x: 6, y: 0, w: 6, h: 4 }], 6, 4)).toEqual({ x: 0, y: 6 });
    expect(placeNew([], 12, 4)).toEqual({ x: 0, y: 0 });
  });
});

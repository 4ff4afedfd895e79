import { describe, expect, it } from "vitest";

import {
  headerState,
  isSelected,
  NO_SELECTION,
  selectAllMatching,
  selectedCount,
  selectionFilter,
  toggleLoaded,
  toggleRow,
  type Selection,
} from "./selection";

const order = [10, 11, 12, 13, 14, 15];

describe("selection model", () => {
  it("toggles single rows and remembers the last one as the anchor", () => {
    let s = toggleRow(NO_SELECTION, 12, order, false);
    expect(isSelected(s, 12)).toBe(true);
    expect(s.anchor).toBe(12);
    s = toggleRow(s, 12, order, false);
    expect(isSelected(s, 12)).toBe(false);
    expect(selectedCount(s, 100)).toBe(0);
  });

  it("selects a range with shift-click, in the rows' shown order, either way", () => {
    let s = toggleRow(NO_SELECTION, 14, order, false);
    s = toggleRow(s, 11, order, true);
    expect([...s.ids].sort()).toEqual([11, 12, 13, 14]);
    // A shift-click on a selected row clears the range up to it.
    s = toggleRow(s, 12, order, true);
    expect([...s.ids].sort()).toEqual([13, 14]);
  });

  it("a shift-click without an anchor (or on a row no longer shown) toggles one row", () => {
    const s = toggleRow(NO_SELECTION, 13, order, true);
    expect([...s.ids]).toEqual([13]);
    const t = toggleRow({ ...s, anchor: 99 }, 10, order, true);
    expect([...t.ids].sort()).toEqual([10, 13]);
  });

  it("the header checkbox selects the loaded rows, or clears", () => {
    const s = toggleLoaded(NO_SELECTION, order);
    expect(headerState(s, order)).toBe("all");
    expect(headerState(toggleRow(s, 10, order, false), order)).toBe("some");
    expect(toggleLoaded(s, order)).toBe(NO_SELECTION);
    expect(headerState(NO_SELECTION, order)).toBe("none");
  });

  it("'all matching' counts the total less the rows left out, and ranges leave rows out", () => {
    let s: Selection = selectAllMatching();
    expect(selectedCount(s, 3000)).toBe(3000);
    expect(isSelected(s, 12345)).toBe(true);
    s = toggleRow(s, 11, order, false);
    expect(isSelected(s, 11)).toBe(false);
    expect(selectedCount(s, 3000)).toBe(2999);
    s = toggleRow(s, 13, order, true); // 11..13 take 13's new state: unselected
    expect(selectedCount(s, 3000)).toBe(2997);
    expect(headerState(s, order)).toBe("some");
  });
});

describe("selection filter (bulk writes)", () => {
  it("sends every picked id at once", () => {
    const ids = Array.from({ length: 2005 }, (_, i) => i + 1);
    const s = ids.reduce<Selection>((acc, id) => toggleRow(acc, id, [], false), NO_SELECTION);
    expect(selectionFilter(s, { status: "open" })).toEqual({ id: { $in: ids } });
  });

  it("'all matching' is the grid's filter less the rows left out, never an empty filter", () => {
    expect(selectionFilter(selectAllMatching(), { status: "open" })).toEqual({ status: "open" });
    expect(selectionFilter(selectAllMatching(), undefined)).toEqual({ id: { $notEmpty: true } });
    const s = toggleRow(selectAllMatching(), 7, [], false);
    expect(selectionFilter(s, { status: "open" })).toEqual({ $and: [{ status: "open" }, { id: { $notIn: [7] } }] });
    expect(selectionFilter(s, undefined)).toEqual({ id: { $notIn: [7] } });
  });
});

import { describe, expect, it } from "vitest";

import { clampStart, nearLoadedEnd, nextStart, WINDOW_EDGE, WINDOW_ROWS, WINDOW_STEP } from "./rowWindow";

const PAGE = 100;

describe("the window of rows the table holds", () => {
  it("stays put while the viewport is inside it", () => {
    expect(nextStart(0, 1000, { first: 400, last: 420 }, PAGE, true)).toBe(0);
    expect(nextStart(500, 5000, { first: 800, last: 820 }, PAGE, true)).toBe(500);
  });

  it("at the loaded end with room for the next page, stays and asks for it", () => {
    expect(nextStart(0, 1000, { first: 975, last: 995 }, PAGE, true)).toBe(0);
    expect(nearLoadedEnd(0, 1000, { first: 975, last: 995 })).toBe(true);
    expect(nearLoadedEnd(0, 1000, { first: 900, last: 920 })).toBe(false);
  });

  it("moves on when the next page would not fit, keeping the rows on screen in it", () => {
    const visible = { first: WINDOW_ROWS - 30, last: WINDOW_ROWS - 5 };
    const next = nextStart(0, WINDOW_ROWS, visible, PAGE, true);
    expect(next).toBe(WINDOW_STEP);
    expect(next).toBeLessThanOrEqual(visible.first);
    // Once moved, the page fits: the window stays and the page is asked for.
    const moved = { first: visible.first - WINDOW_STEP, last: visible.last - WINDOW_STEP };
    expect(nextStart(next, WINDOW_ROWS, moved, PAGE, true)).toBe(next);
    expect(nearLoadedEnd(next, WINDOW_ROWS, moved)).toBe(true);
  });

  it("does not move on at the end of everything", () => {
    expect(nextStart(0, WINDOW_ROWS, { first: WINDOW_ROWS - 30, last: WINDOW_ROWS - 5 }, PAGE, false)).toBe(0);
  });

  it("moves on when rows are loaded past it (the user scrolled back down)", () => {
    expect(nextStart(1000, 10_000, { first: WINDOW_ROWS - 30, last: WINDOW_ROWS - 5 }, PAGE, true)).toBe(1000 + WINDOW_STEP);
  });

  it("moves back near its start while rows lie before it, never before the first row", () => {
    expect(nextStart(1000, 10_000, { first: 5, last: 25 }, PAGE, true)).toBe(1000 - WINDOW_STEP);
    expect(nextStart(200, 10_000, { first: 5, last: 25 }, PAGE, true)).toBe(0);
    expect(nextStart(0, 10_000, { first: 0, last: 20 }, PAGE, true)).toBe(0);
  });

  it("never moves past the rows on screen when the window is short", () => {
    // A page as long as the window: it never fits, and the viewport's first row stays in the window.
    expect(nextStart(0, 300, { first: 100, last: 290 }, WINDOW_ROWS, true)).toBe(100 - WINDOW_EDGE);
  });

  it("starts at the top again when the rows were reloaded under it", () => {
    expect(clampStart(1500, 100)).toBe(0);
    expect(clampStart(1500, 4000)).toBe(1500);
    expect(clampStart(0, 0)).toBe(0);
  });
});

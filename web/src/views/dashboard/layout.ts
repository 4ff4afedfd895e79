/** The dashboard's grid: 12 columns, rows of fixed height. Blocks never overlap and float up to the
 * top (vertical compaction); a block that is moved or resized takes its place and pushes the
 * others out of the way, so a drag over a block swaps the two. */

export const COLS = 12;
export const MAX_H = 20;

export interface Item {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export function collides(a: Item, b: Item): boolean {
  return a.id !== b.id && a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** An item within the grid: 1–12 columns wide, 1–20 rows high, not past the right edge. */
export function clampItem(item: Item): Item {
  const w = Math.min(COLS, Math.max(1, Math.round(item.w)));
  const h = Math.min(MAX_H, Math.max(1, Math.round(item.h)));
  const x = Math.min(COLS - w, Math.max(0, Math.round(item.x)));
  return { ...item, x, y: Math.max(0, Math.round(item.y)), w, h };
}

function byPosition(a: Item, b: Item): number {
  return a.y - b.y || a.x - b.x;
}

/** The first row at or below `item.y` where it overlaps none of `placed`. */
function settle(item: Item, placed: Item[]): Item {
  const p = { ...item };
  for (;;) {
    const hit = placed.find((q) => collides(p, q));
    if (!hit) return p;
    p.y = hit.y + hit.h;
  }
}

/** Every item moved up as far as it goes, top to bottom (`first` wins ties of position). */
export function compact(items: Item[], first?: string): Item[] {
  const sorted = [...items].sort((a, b) => byPosition(a, b) || (a.id === first ? -1 : b.id === first ? 1 : 0));
  const placed: Item[] = [];
  for (const item of sorted) placed.push(settle({ ...item, y: 0 }, placed));
  return placed;
}

/** `target` (an item of `items` at a new place or size) put there, the others made room for. An
 * item it lands on from below moves up above it when there is room, else down below it. */
export function placeItem(items: Item[], target: Item): Item[] {
  const moved = clampItem(target);
  const placed: Item[] = [moved];
  const others = items.filter((i) => i.id !== moved.id).sort(byPosition);
  for (const other of others) {
    let p = { ...other };
    if (collides(p, moved) && p.y < moved.y) {
      const above = { ...p, y: moved.y - p.h };
      if (above.y >= 0 && !placed.some((q) => collides(above, q))) p = above;
    }
    placed.push(settle(p, placed));
  }
  return compact(placed, moved.id);
}

/** Where a new w×h item goes: the first free place, top to bottom and left to right. */
export function placeNew(items: Item[], w: number, h: number): { x: number; y: number } {
  const width = Math.min(COLS, Math.max(1, w));
  const bottom = items.reduce((m, i) => Math.max(m, i.y + i.h), 0);
  for (let y = 0; y <= bottom; y++) {
    for (let x = 0; x + width <= COLS; x++) {
      const probe = { id: "\u0000new", x, y, w: width, h };
      if (!items.some((i) => collides(probe, i))) return { x, y };
    }
  }
  return { x: 0, y: bottom };
}

/** Rows the grid needs to hold every item. */
export function rowsOf(items: Item[]): number {
  return items.reduce((m, i) => Math.max(m, i.y + i.h), 0);
}

export function sameLayout(a: Item[], b: Item[]): boolean {
  const byId = new Map(b.map((i) => [i.id, i]));
  return a.length === b.length && a.every((i) => {
    const j = byId.get(i.id);
    return j !== undefined && j.x === i.x && j.y === i.y && j.w === i.w && j.h === i.h;
  });
}

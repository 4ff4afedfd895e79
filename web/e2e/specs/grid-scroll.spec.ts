import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { expect, test, unique } from "../fixtures/test";

declare global {
  interface Window {
    /** Set by the grid (src/views/grid/GridView.tsx): ms from each page's arrival to its rows on screen. */
    __deskbaseGridRenders?: number[];
  }
}

// Rows to scroll through (10,000 a request); DESKBASE_E2E_ROWS=100000 for the figures of
// docs/benchmarks-web.md, a smaller default to keep `make test` quick.
const ROWS = Number(process.env.DESKBASE_E2E_ROWS ?? 3000);
const out = resolve(dirname(fileURLToPath(import.meta.url)), "../../test-results/grid-render.json");

test("the grid scrolls through every record page by page, each page shown quickly", async ({ signedIn: page, api, shot }) => {
  test.setTimeout(180_000 + ROWS * 5);
  const name = unique("many");
  await api.createCollection(name, "Many rows", [
    { name: "title", type: "string", title: "Title" },
    { name: "status", type: "select", title: "Status", options: { choices: [{ value: "open", color: "blue" }, { value: "closed", color: "gray" }] } },
    { name: "amount", type: "decimal", title: "Amount", options: { precision: 12, scale: 2 } },
    { name: "due", type: "date", title: "Due" },
  ]);
  for (let start = 0; start < ROWS; start += 10_000) {
    const batch = Array.from({ length: Math.min(10_000, ROWS - start) }, (_, i) => ({
      title: `Row ${start + i + 1}`,
      status: (start + i) % 3 === 0 ? "closed" : "open",
      amount: `${((start + i) % 1000) + 0.5}`,
      due: `2026-${String(((start + i) % 12) + 1).padStart(2, "0")}-15`,
    }));
    await api.createRecords(name, batch);
  }

  await page.goto(`/c/${name}`);
  await expect(page.getByTestId("record-count")).toHaveText(`${ROWS.toLocaleString("en-US")} records`);
  await expect(page.getByTestId("grid").getByText("Row 1", { exact: true })).toBeVisible();

  // Scroll to the bottom until the last record shows: every page comes by its cursor.
  const holder = page.locator("[data-testid=grid] .ant-table-tbody-virtual-holder");
  const last = page.getByTestId("grid").getByText(`Row ${ROWS}`, { exact: true });
  const started = Date.now();
  while (!(await last.isVisible())) {
    await holder.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await page.waitForTimeout(50);
    if (Date.now() - started > ROWS * 5) throw new Error("the last record never showed");
  }
  const scrollMs = Date.now() - started;
  await holder.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await page.waitForTimeout(200);
  await shot(page, "grid-6-scrolled-to-the-end");

  // Back up: the table holds a window of the loaded rows, which moves back as the view nears its
  // start; the rows on screen stay in order, none skipped (checked over the last 3,000 rows, a
  // few moves of the window), then on to the first record.
  const onScreen = () =>
    holder.evaluate((el) => {
      const box = el.getBoundingClientRect();
      return [...el.querySelectorAll("[data-row-key]")]
        .map((row) => ({ rect: row.getBoundingClientRect(), n: Number(/Row (\d+)/.exec(row.textContent ?? "")?.[1]) }))
        .filter(({ rect }) => rect.bottom > box.top + 1 && rect.top < box.bottom - 1)
        .sort((a, b) => a.rect.top - b.rect.top)
        .map(({ n }) => n);
    });
  const first = page.getByTestId("grid").getByText("Row 1", { exact: true });
  const upFrom = Date.now();
  for (let top = ROWS; top > ROWS - 3000 && !(await first.isVisible()); ) {
    await holder.evaluate((el) => el.scrollBy({ top: -el.clientHeight * 3 }));
    await page.waitForTimeout(20);
    const shown = await onScreen();
    expect(shown.length).toBeGreaterThan(5);
    expect(shown, "the rows on screen follow each other").toEqual(shown.map((_, i) => (shown[0] ?? 0) + i));
    expect(shown[0] ?? 0, "the view moved up").toBeLessThan(top);
    top = shown[0] ?? 0;
  }
  while (!(await first.isVisible())) {
    await holder.evaluate((el) => el.scrollTo({ top: 0 }));
    await page.waitForTimeout(20);
    if (Date.now() - upFrom > 120_000) throw new Error("the first record never showed again");
  }

  const renders = await page.evaluate(() => window.__deskbaseGridRenders ?? []);
  const sorted = [...renders].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  const figures = { rows: ROWS, pages: renders.length, scrollMs, renderMs: { first: renders[0] ?? 0, median: pct(50), p95: pct(95), max: pct(100) } };
  writeFileSync(out, JSON.stringify(figures, null, 2));
  console.log(`grid: ${JSON.stringify(figures)}`);
  expect(renders.length).toBeGreaterThanOrEqual(Math.ceil(ROWS / 100));
  // The budget is 100 ms (issue 6); a loaded CI machine gets some slack before this fails.
  expect(pct(50)).toBeLessThan(100);
  expect(pct(95)).toBeLessThan(250);
});

import { readFileSync } from "node:fs";

import { expect, test, unique } from "../fixtures/test";
import { GridTools } from "../pages/gridTools";

test("a record shows on its day, moves when dragged, and a new one starts on its day", async ({ signedIn: page, api, shot }) => {
  const name = unique("meetings");
  await api.createCollection(name, "Meetings", [
    { name: "title", type: "string", title: "Title", required: true },
    { name: "held_on", type: "date", title: "Date" },
    { name: "room", type: "string", title: "Room" },
  ]);
  const [review] = await api.createRecords(name, [
    { title: "Quarterly review", held_on: "2026-11-10", room: "A" },
    { title: "Budget call", held_on: "2026-11-12" },
    { title: "Team lunch", held_on: "2026-11-12" },
    { title: "Last year's party", held_on: "2025-12-18" },
    { title: "Not planned yet" },
  ]);
  const id = review?.id ?? 0;

  // The list asks for the days on screen only (1 November, a Sunday, to 5 December 2026).
  const lists: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes(`/api/data/${name}?`)) lists.push(decodeURIComponent(r.url()));
  });
  await page.goto(`/c/${name}/calendar?date=2026-11-15`);
  await expect(page.getByTestId("calendar-title")).toHaveText("November 2026");
  const item = page.getByTestId(`calendar-item-${id}`);
  await expect(page.getByTestId("calendar-day-2026-11-10").getByTestId(`calendar-item-${id}`)).toBeVisible();
  await expect(page.getByTestId("calendar-day-2026-11-12").locator(".calendar-item")).toHaveCount(2);
  await expect(page.getByText("Last year's party")).toHaveCount(0);
  expect(lists.some((u) => u.includes('"$gte":"2026-11-01"') && u.includes('"$lt":"2026-12-06"'))).toBe(true);
  await shot(page, "calendar-1-month");

  // Drag the review to the 19th: saved through the API, and still there after a reload.
  await item.dragTo(page.getByTestId("calendar-day-2026-11-19"));
  await expect(page.getByTestId("calendar-day-2026-11-19").getByTestId(`calendar-item-${id}`)).toBeVisible();
  await expect(page.getByTestId("calendar-day-2026-11-10").locator(".calendar-item")).toHaveCount(0);
  await expect.poll(async () => (await api.record(name, id)).held_on).toBe("2026-11-19");
  await page.reload();
  await expect(page.getByTestId("calendar-day-2026-11-19").getByTestId(`calendar-item-${id}`)).toBeVisible();
  await shot(page, "calendar-2-moved");

  // Add a record on the 24th: the drawer opens with that date.
  const day24 = page.getByTestId("calendar-day-2026-11-24");
  await day24.hover();
  await day24.getByRole("button", { name: "New record on 2026-11-24" }).click();
  const drawer = page.locator(".ant-drawer");
  await expect(drawer.getByLabel("Date")).toHaveValue("2026-11-24");
  await drawer.getByLabel("Title").fill("Board meeting");
  await drawer.getByTestId("record-save").click();
  await expect(day24.getByText("Board meeting")).toBeVisible();
  await expect.poll(async () => (await api.list(name, { filter: JSON.stringify({ title: "Board meeting" }) }))[0]?.held_on).toBe("2026-11-24");

  // Clicking a record opens it.
  await page.getByTestId(`calendar-item-${id}`).click();
  await expect(drawer.getByLabel("Title")).toHaveValue("Quarterly review");
  await shot(page, "calendar-3-drawer");
  await drawer.getByRole("button", { name: "Cancel" }).click();

  // The week of the 15th (Sunday to Saturday) lists its records by day.
  await page.locator(".ant-segmented").getByText("Week", { exact: true }).click();
  await expect(page.getByTestId("calendar-title")).toHaveText("Nov 15 – 21, 2026");
  await expect(page.getByTestId("calendar-day-2026-11-12")).toHaveCount(0);
  await expect(page.getByTestId("calendar-day-2026-11-19").getByTestId(`calendar-item-${id}`)).toBeVisible();
  await shot(page, "calendar-4-week");

  // In Chinese, weeks start on Monday.
  await page.evaluate(() => localStorage.setItem("deskbase.locale", "zh-CN"));
  await page.goto(`/c/${name}/calendar?date=2026-11-15`);
  await expect(page.getByTestId("calendar-title")).toHaveText("2026年11月");
  await expect(page.locator(".calendar-weekday").first()).toHaveText("周一");
  await expect(page.getByTestId("calendar-day-2026-10-26")).toBeVisible();
  await shot(page, "calendar-5-zh");
});

test("with an end field, a record spans its days, and dragging it keeps its length", async ({ signedIn: page, api, shot }) => {
  const name = unique("trips");
  await api.createCollection(name, "Trips", [
    { name: "title", type: "string", title: "Title", required: true },
    { name: "starts", type: "date", title: "Starts" },
    { name: "ends", type: "date", title: "Ends" },
  ]);
  const [trip, before] = await api.createRecords(name, [
    { title: "Shanghai visit", starts: "2026-11-10", ends: "2026-11-12" },
    // Started in October, ends in the first week on screen: asked for, and shown on its last days.
    { title: "Long audit", starts: "2026-10-20", ends: "2026-11-02" },
    { title: "Day trip", starts: "2026-11-20" },
  ]);
  const id = trip?.id ?? 0;
  await page.goto(`/c/${name}/calendar?date=2026-11-15&end=ends`);
  await expect(page.getByLabel("End field")).toBeVisible();
  const on = (day: string) => page.getByTestId(`calendar-day-${day}`).getByTestId(`calendar-item-${id}`);
  for (const day of ["2026-11-10", "2026-11-11", "2026-11-12"]) await expect(on(day)).toBeVisible();
  await expect(on("2026-11-13")).toHaveCount(0);
  await expect(on("2026-11-11")).toHaveClass(/continued/);
  await expect(page.getByTestId("calendar-day-2026-11-02").getByTestId(`calendar-item-${before?.id ?? 0}`)).toBeVisible();
  await expect(page.getByTestId("calendar-day-2026-11-20").getByText("Day trip")).toBeVisible();
  await shot(page, "calendar-6-spans");

  // Export: the records on screen, the one of last year's left out.
  await api.createRecords(name, [{ title: "Last year's trip", starts: "2025-11-10", ends: "2025-11-11" }]);
  const download = await new GridTools(page).export("CSV");
  const text = readFileSync(await download.path(), "utf8");
  for (const title of ["Shanghai visit", "Long audit", "Day trip"]) expect(text).toContain(title);
  expect(text).not.toContain("Last year's trip");

  // Drag its middle day from the 11th to the 18th: both ends move by a week.
  await on("2026-11-11").dragTo(page.getByTestId("calendar-day-2026-11-18"));
  await expect.poll(async () => {
    const r = await api.record(name, id);
    return [r.starts, r.ends];
  }).toEqual(["2026-11-17", "2026-11-19"]);
  for (const day of ["2026-11-17", "2026-11-18", "2026-11-19"]) await expect(on(day)).toBeVisible();
  await expect(on("2026-11-10")).toHaveCount(0);

  // Without an end, the record shows on its first day alone.
  await page.getByLabel("End field").click();
  await page.locator(".ant-select-dropdown:visible").getByTitle("(none: one day)").click();
  await expect(on("2026-11-17")).toBeVisible();
  await expect(on("2026-11-18")).toHaveCount(0);
});

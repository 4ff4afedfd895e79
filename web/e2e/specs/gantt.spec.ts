import { expect, test, unique } from "../fixtures/test";
import { day, dragBy } from "../pages/boards";

test("Gantt bars move and stretch by dragging, and the dates are saved", async ({ signedIn: page, api, shot }) => {
  const name = unique("plan");
  await api.createCollection(name, "Rollout plan", [
    { name: "title", type: "string", title: "Task", required: true },
    { name: "starts", type: "date", title: "Starts" },
    { name: "ends", type: "date", title: "Ends" },
  ]);
  const [move, stretch] = await api.createRecords(name, [
    { title: "Order the new switches", starts: day(0), ends: day(3) },
    { title: "Cable the second floor", starts: day(2), ends: day(6) },
    { title: "Train the help desk", starts: day(-3), ends: day(1) },
    { title: "Go live", starts: day(8) },
    { title: "Far in the future", starts: day(200), ends: day(210) },
  ]);
  const moveId = move?.id ?? 0;
  const stretchId = stretch?.id ?? 0;

  await page.goto(`/c/${name}`);
  await page.locator(".ant-segmented").getByText("Gantt", { exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/c/${name}/gantt`));
  const bar = page.getByTestId(`gantt-bar-${moveId}`);
  await expect(bar).toBeVisible();
  await expect(page.locator(".gantt-row")).toHaveCount(4); // the window's records only
  await expect(bar).toHaveAttribute("data-start", day(0));
  await shot(page, "gantt-1-days");

  // Drag the whole bar two days later (40 px a day at the day scale).
  await dragBy(page, bar.locator(".gantt-bar-label"), 80, 0);
  await expect(bar).toHaveAttribute("data-start", day(2));
  await expect.poll(async () => {
    const r = await api.record(name, moveId);
    return [r.starts, r.ends];
  }).toEqual([day(2), day(5)]);

  // Drag the end of another bar one day later, and its start two days earlier.
  const other = page.getByTestId(`gantt-bar-${stretchId}`);
  const box = await other.boundingBox();
  await dragBy(page, other, 40, 0, { x: (box?.width ?? 0) - 3, y: 10 });
  await expect.poll(async () => (await api.record(name, stretchId)).ends).toBe(day(7));
  await dragBy(page, other, -80, 0, { x: 3, y: 10 });
  await expect.poll(async () => (await api.record(name, stretchId)).starts).toBe(day(0));
  await expect(other).toHaveAttribute("data-end", day(7));
  await shot(page, "gantt-2-dragged");

  // Saved, not only drawn; the week scale shows the same bars.
  await page.reload();
  await expect(page.getByTestId(`gantt-bar-${moveId}`)).toHaveAttribute("data-end", day(5));
  await page.locator(".ant-segmented").getByText("Weeks", { exact: true }).click();
  await expect(page.getByTestId(`gantt-bar-${stretchId}`)).toBeVisible();
  await shot(page, "gantt-3-weeks");

  // A click opens the record.
  await page.getByTestId(`gantt-bar-${moveId}`).click();
  await expect(page.locator(".ant-drawer").getByLabel("Task")).toHaveValue("Order the new switches");
});

import { seedTickets } from "../fixtures/api";
import { pick } from "../pages/antd";
import { BoardsApi, dragBy } from "../pages/boards";
import { expect, test, unique } from "../fixtures/test";

test("a server-stored dashboard: bar, funnel and number blocks, refreshed in place, arranged by dragging", async ({
  signedIn: page,
  api,
  baseURL,
  shot,
}) => {
  const name = unique("charts");
  const title = `Tickets ${name}`; // the tests share a server: pick this one by its own title
  const board = `Support ${name}`;
  await seedTickets(api, name, title);
  await page.goto("/dashboard");

  await page.getByRole("button", { name: "New dashboard" }).first().click();
  const naming = page.getByRole("dialog", { name: "New dashboard" });
  await naming.getByLabel("Name").fill(board);
  await naming.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/dashboard\/\d+$/);
  await expect(page.getByText("No charts yet")).toBeVisible();
  // The navigation lists it by name, selected.
  const entry = page.getByRole("navigation", { name: "Main navigation" }).getByRole("menuitem", { name: board });
  await expect(entry).toBeVisible();
  await expect(entry).toHaveClass(/ant-menu-item-selected/);

  const dialog = page.getByRole("dialog", { name: "Add block" });
  const addBlock = async (type: string, fill: () => Promise<void>) => {
    await page.getByRole("button", { name: "Add block" }).click();
    await dialog.locator(".ant-segmented").getByText(type, { exact: true }).click();
    await pick(page, dialog.getByLabel("Collection"), title, { search: true });
    await fill();
    await dialog.getByRole("button", { name: "Add", exact: true }).click();
    await expect(dialog).toBeHidden();
  };

  await addBlock("Bar", async () => {
    await pick(page, dialog.getByLabel("Group by"), "Status");
    await pick(page, dialog.getByLabel("Measure"), "Sum of Hours");
    await dialog.getByLabel("Title").fill("Hours by status");
  });
  const bar = page.getByTestId("chart-card").filter({ hasText: "Hours by status" });
  const barChart = bar.getByTestId("chart");
  // Three bars (To do 7, Doing 3, Done 2) with their values, and the choice labels on the axis.
  await expect(barChart.locator("svg text").filter({ hasText: /^7$/ }).first()).toBeVisible();
  await expect(barChart.locator("svg text").filter({ hasText: "To do" }).first()).toBeVisible();

  await addBlock("Funnel", async () => {
    await pick(page, dialog.getByLabel("Group by"), "Status");
    await dialog.getByLabel("Title").fill("Tickets by status");
  });
  const funnel = page.getByTestId("chart-card").filter({ hasText: "Tickets by status" });
  await expect(funnel.getByTestId("chart").locator("svg text").filter({ hasText: "To do: 2" })).toBeVisible();

  await addBlock("Number", async () => {
    await dialog.getByRole("button", { name: "Add condition" }).click();
    const condition = dialog.getByTestId("filter-condition");
    await pick(page, condition.getByLabel("Field"), "Status");
    await pick(page, condition.locator("input").last(), "Done");
    await dialog.getByLabel("Title").fill("Done tickets");
  });
  const number = page.getByTestId("chart-card").filter({ hasText: "Done tickets" });
  await expect(number.getByTestId("number-value")).toContainText("2");
  await shot(page, "dashboard-1-blocks");

  // Data changes show on refresh, without reloading the page.
  await api.createRecords(name, [{ title: "Badge printer", status: "doing", hours: 30 }]);
  await page.getByRole("button", { name: "Refresh" }).click();
  await expect(barChart.locator("svg text").filter({ hasText: /^33$/ }).first()).toBeVisible();
  await expect(funnel.getByTestId("chart").locator("svg text").filter({ hasText: "Doing: 2" })).toBeVisible();

  // Move the number block up to the top left corner: the bar chart makes room below it.
  const blocks = page.getByTestId("dashboard-block");
  const numberBlock = blocks.filter({ hasText: "Done tickets" });
  const barBlock = blocks.filter({ hasText: "Hours by status" });
  await expect(numberBlock).toHaveAttribute("data-layout", "0,4,3,2");
  const from = await numberBlock.boundingBox();
  const to = await barBlock.boundingBox();
  await dragBy(page, numberBlock.locator(".dashboard-card-head"), (to?.x ?? 0) - (from?.x ?? 0), (to?.y ?? 0) - (from?.y ?? 0), { x: 40, y: 20 });
  await expect(numberBlock).toHaveAttribute("data-layout", "0,0,3,2");
  await expect(barBlock).toHaveAttribute("data-layout", "0,2,6,4");
  // Widen it by one column from its corner.
  const grid = await page.getByTestId("dashboard-grid").boundingBox();
  const column = ((grid?.width ?? 0) + 16) / 12;
  await dragBy(page, numberBlock.getByTestId("block-resize"), column, 0);
  await expect(numberBlock).toHaveAttribute("data-layout", "0,0,4,2");

  const boards = await BoardsApi.open(baseURL ?? "", api.token);
  await expect
    .poll(async () => (await boards.dashboards()).find((d) => d.name === board)?.blocks.find((b) => b.title === "Done tickets")?.layout)
    .toEqual({ x: 0, y: 0, w: 4, h: 2 });
  await boards.dispose();
  await shot(page, "dashboard-2-arranged");

  // Stored on the server: a reload shows the same dashboard, blocks where they were left.
  await page.reload();
  await expect(page.getByTestId("dashboard-switch")).toContainText(board);
  await expect(page.getByTestId("chart-card")).toHaveCount(3);
  await expect(numberBlock).toHaveAttribute("data-layout", "0,0,4,2");
  await expect(funnel.getByTestId("chart").locator("svg")).toBeVisible();
  await expect(barChart.locator("svg text").filter({ hasText: /^33$/ }).first()).toBeVisible();
  await shot(page, "dashboard-3-reloaded");

  // Edit a block: the bar becomes a Sankey from status to hours.
  await bar.getByRole("button", { name: "Edit block" }).click();
  const edit = page.getByRole("dialog", { name: "Edit block" });
  await edit.locator(".ant-segmented").getByText("Sankey", { exact: true }).click();
  await pick(page, edit.getByLabel("To (target)"), "Hours");
  await edit.getByRole("button", { name: "Save" }).click();
  const sankey = bar.getByTestId("chart");
  await expect(sankey.locator("svg text").filter({ hasText: "To do" }).first()).toBeVisible();
  await expect(sankey.locator("svg text").filter({ hasText: /^30$/ })).toBeVisible(); // Doing → 30 hours
  await page.waitForTimeout(1500); // the links grow in
  await shot(page, "dashboard-4-sankey");

  await page.evaluate(() => localStorage.setItem("deskbase.theme", "dark"));
  await page.reload();
  await expect(page.getByTestId("chart-card")).toHaveCount(3);
  await expect(funnel.getByTestId("chart").locator("svg")).toBeVisible();
  await page.waitForTimeout(1500);
  await shot(page, "dashboard-5-dark");
});

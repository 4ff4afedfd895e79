import { seedTickets } from "../fixtures/api";
import { pick } from "../pages/antd";
import { expect, test, unique } from "../fixtures/test";

test("a dashboard bar chart over the aggregate API, then a pie", async ({ signedIn: page, api, shot }) => {
  const name = unique("charts");
  const title = `Tickets ${name}`; // the tests share a server: pick this one by its own title
  await seedTickets(api, name, title);
  await page.goto("/dashboard");
  await expect(page.getByText("No charts yet")).toBeVisible();

  await page.getByRole("button", { name: "Add chart" }).click();
  const dialog = page.getByRole("dialog", { name: "Add chart" });
  await pick(page, dialog.getByLabel("Collection"), title, { search: true });
  await pick(page, dialog.getByLabel("Group by"), "Status");
  await pick(page, dialog.getByLabel("Measure"), "Sum of Hours");
  await dialog.getByLabel("Title").fill("Hours by status");
  await dialog.getByRole("button", { name: "Add" }).click();

  const card = page.getByTestId("chart-card").filter({ hasText: "Hours by status" });
  const chart = card.getByTestId("chart");
  await expect(chart.locator("svg")).toBeVisible();
  // Three bars (To do 7, Doing 3, Done 2) with their values, and the choice labels on the axis.
  await expect(chart.locator("svg text").filter({ hasText: /^7$/ }).first()).toBeVisible();
  await expect(chart.locator("svg text").filter({ hasText: "To do" }).first()).toBeVisible();
  await expect(chart.locator("svg text").filter({ hasText: "Done" }).first()).toBeVisible();
  await expect(chart.locator("svg path[fill]:not([fill='none'])").first()).toBeVisible();
  await shot(page, "dashboard-1-bar");

  // Data changes show on refresh, without reloading the page.
  await api.createRecords(name, [{ title: "Badge printer", status: "doing", hours: 30 }]);
  await page.getByRole("button", { name: "Refresh" }).click();
  await expect(chart.locator("svg text").filter({ hasText: /^33$/ }).first()).toBeVisible();

  await page.getByRole("button", { name: "Add chart" }).click();
  await pick(page, dialog.getByLabel("Collection"), title, { search: true });
  await dialog.getByText("Pie").click();
  await dialog.getByRole("button", { name: "Add" }).click();
  await expect(page.getByTestId("chart-card")).toHaveCount(2);
  await expect(page.getByTestId("chart-card").nth(1).getByTestId("chart").locator("svg")).toBeVisible();
  await shot(page, "dashboard-2-bar-and-pie");

  // Charts are kept for this user in this browser.
  await page.reload();
  await expect(page.getByTestId("chart-card")).toHaveCount(2);
});

import { pick } from "../pages/antd";
import { GridPage } from "../pages/grid";
import { SchemaPage } from "../pages/schema";
import { expect, test, unique } from "../fixtures/test";

test("design a collection with five field types, then add, edit, filter, sort and search records", async ({
  signedIn: page,
  api,
  shot,
}) => {
  const name = unique("assets");
  const schema = new SchemaPage(page);
  await schema.createCollection("Office assets", name);
  await schema.addField({ title: "Asset", name: "asset", type: "Single line text", required: true, unique: true });
  await schema.addField({ title: "State", name: "state", type: "Single select", choices: ["In use", "Spare", "Broken"] });
  await schema.addField({ title: "Quantity", name: "quantity", type: "Integer" });
  await schema.addField({ title: "Bought on", name: "bought_on", type: "Date" });
  await schema.addField({ title: "Insured", name: "insured", type: "Checkbox" });
  await shot(page, "grid-1-schema-designer");

  // The collection shows up in the navigation; its grid is empty.
  await page.getByRole("navigation").getByText("Office assets").click();
  const grid = new GridPage(page);
  await expect(grid.grid.getByText("No records")).toBeVisible();

  // A new record: saving it without its required field shows the API's error on that field.
  await page.getByRole("button", { name: "New record" }).click();
  const drawer = page.getByRole("dialog", { name: "New record" });
  await drawer.getByLabel("Quantity").fill("3");
  await drawer.getByTestId("record-save").click();
  await expect(drawer.getByText("this field is required")).toBeVisible();
  await shot(page, "grid-2-required-error");
  await drawer.getByLabel("Asset").fill("Laptop ThinkPad X1");
  await pick(page, drawer.getByLabel("State"), "In use");
  await drawer.getByLabel("Bought on").fill("2026-03-15");
  await drawer.getByLabel("Bought on").press("Enter");
  await drawer.getByLabel("Insured").check();
  await drawer.getByTestId("record-save").click();
  await expect(drawer).toBeHidden();
  await expect(grid.cell("Laptop ThinkPad X1", "state")).toHaveText("In use");
  await expect(grid.cell("Laptop ThinkPad X1", "bought_on")).toHaveText("2026-03-15");
  await expect(grid.cell("Laptop ThinkPad X1", "insured")).toHaveText("Yes");

  await api.createRecords(name, [
    { asset: "Monitor Dell 27", state: "spare", quantity: 12 },
    { asset: "Projector Epson", state: "broken", quantity: 1 },
    { asset: "Laptop MacBook Air", state: "spare", quantity: 5 },
  ]);
  await page.getByRole("button", { name: "Refresh" }).click();
  await expect(page.getByTestId("record-count")).toHaveText("4 records");

  // Inline edit: double-click, type, Enter; the server has the new value.
  await grid.cell("Laptop ThinkPad X1", "quantity").dblclick();
  await grid.editor().fill("7");
  await grid.editor().press("Enter");
  await expect(grid.cell("Laptop ThinkPad X1", "quantity")).toHaveText("7");
  const [saved] = await api.list(name, { filter: JSON.stringify({ asset: "Laptop ThinkPad X1" }) });
  expect(saved?.quantity).toBe(7);

  // An inline edit the API refuses keeps the editor open with its message.
  await grid.cell("Projector Epson", "asset").dblclick();
  await grid.editor().fill("Monitor Dell 27");
  await grid.editor().press("Enter");
  const tip = page.locator(".ant-tooltip").filter({ hasText: /unique|already|exists/i });
  await expect(tip).toBeVisible();
  await page.waitForTimeout(300); // the tooltip's entrance, for the screenshot
  await shot(page, "grid-3-inline-error");
  await grid.editor().press("Escape");
  await expect(grid.cell("Projector Epson", "asset")).toHaveText("Projector Epson");

  // Filter: State is Spare.
  await grid.addFilter("State", "is", { pick: "Spare" });
  await expect(page.getByTestId("record-count")).toHaveText("2 records");
  expect((await grid.column("asset")).sort()).toEqual(["Laptop MacBook Air", "Monitor Dell 27"]);
  await shot(page, "grid-4-filtered");

  // Sort by Quantity, descending (two clicks on the header), within the filter.
  await grid.grid.getByRole("columnheader", { name: "Quantity" }).click();
  await expect.poll(() => grid.column("quantity")).toEqual(["5", "12"]);
  await grid.grid.getByRole("columnheader", { name: "Quantity" }).click();
  await expect.poll(() => grid.column("quantity")).toEqual(["12", "5"]);

  // Quick search narrows the filtered list further.
  await page.getByLabel("Search", { exact: true }).fill("macbook");
  await expect(page.getByTestId("record-count")).toHaveText("1 record");
  await expect(grid.row("Laptop MacBook Air")).toBeVisible();
  await shot(page, "grid-5-search");
});

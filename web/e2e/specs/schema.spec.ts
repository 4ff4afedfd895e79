import { pick } from "../pages/antd";
import { expect, test, unique } from "../fixtures/test";

test("a formula is checked while typing, built with the field and function pickers, then saved", async ({ signedIn: page, api, shot }) => {
  const name = unique("lines");
  await api.createCollection(name, `Order lines ${name}`, [
    { name: "price", title: "Unit price", type: "decimal" },
    { name: "qty", title: "Quantity", type: "integer" },
  ]);
  await page.goto(`/schema/${name}`);
  await page.getByRole("button", { name: "Add field" }).click();
  const dialog = page.getByRole("dialog", { name: "Add field" });
  await dialog.getByLabel("Title").fill("Total");
  await pick(page, dialog.getByLabel("Type"), "Formula", { search: true });

  // A misspelt field: the server's message shows under the editor.
  const expression = dialog.getByRole("textbox", { name: "Expression" });
  const status = dialog.getByTestId("formula-status");
  await expression.fill("price * qtty");
  await expect(status).toContainText("unknown field 'qtty'");
  await shot(page, "schema-1-formula-error");
  await expression.fill("price *");
  await expect(status).toContainText("invalid expression");

  // Rebuilt with the pickers: a function (cursor lands inside it), typed text, a field.
  await expression.fill("");
  await expect(status).toBeEmpty();
  await pick(page, dialog.getByTestId("formula-function-picker"), "round(number, digits)");
  await expect(expression).toHaveValue("round()");
  await page.keyboard.type("price * ");
  await pick(page, dialog.getByTestId("formula-field-picker"), "Quantity");
  await expect(expression).toHaveValue("round(price * qty)");
  await page.keyboard.type(", 2");
  await expect(expression).toHaveValue("round(price * qty, 2)");
  await expect(status).toContainText("Valid formula");
  await shot(page, "schema-2-formula-valid");

  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("schema-fields").getByText("round(price * qty, 2)")).toBeVisible();
  const [created] = await api.createRecords(name, [{ price: 2.35, qty: 3 }]);
  expect((await api.record(name, created?.id ?? 0)).total).toBe(7.05);
});

test("a new collection created as a business type of a master is tagged and listed on the master", async ({ signedIn: page, api, shot }) => {
  const master = unique("tickets");
  const ext = unique("repairs");
  await api.createCollection(master, `Tickets ${master}`, [
    { name: "subject", type: "string" },
    {
      name: "kind",
      title: "Kind",
      type: "select",
      options: { choices: [{ value: "repair", label: "Repair" }, { value: "it", label: "IT request" }] },
    },
  ]);
  await page.goto("/schema");
  await page.getByRole("button", { name: "New collection" }).click();
  const dialog = page.getByRole("dialog", { name: "New collection" });
  await dialog.getByLabel("Title").fill("Repair details");
  await dialog.getByLabel("Name (used in the API)").fill(ext);
  await dialog.getByLabel("Business type: extend another collection").check();
  await pick(page, dialog.getByLabel("Master collection"), master, { search: true });
  await expect(dialog.getByLabel("Type field of the master")).toBeVisible();
  await expect(dialog.getByText("Kind (kind)")).toBeVisible();
  await pick(page, dialog.getByLabel("Type", { exact: true }), "Repair");
  await shot(page, "schema-3-new-extension");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(page).toHaveURL(new RegExp(`/schema/${ext}$`));

  const item = page.locator(".ant-list-item").filter({ hasText: ext });
  await expect(item.getByText("extension", { exact: true })).toBeVisible();
  await expect(page.getByTestId("extension-of")).toContainText("records whose Kind is Repair");
  await shot(page, "schema-4-extension-page");

  // The master lists its business types with their values; a taken value cannot be picked again.
  await page.locator(".ant-list-item").filter({ hasText: master }).click();
  const extensions = page.getByTestId("schema-extensions");
  await expect(extensions.getByRole("row").filter({ hasText: ext })).toContainText("Repair");
  await shot(page, "schema-5-master-extensions");
  await page.getByRole("button", { name: "New collection" }).click();
  await dialog.getByLabel("Business type: extend another collection").check();
  await pick(page, dialog.getByLabel("Master collection"), master, { search: true });
  await dialog.getByLabel("Type", { exact: true }).click();
  await expect(page.locator(".ant-select-item-option-disabled")).toContainText(`used by ${ext}`);
});

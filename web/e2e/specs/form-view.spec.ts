import { seedTickets } from "../fixtures/api";
import { expect, test, unique } from "../fixtures/test";
import { ViewBarPage } from "../pages/gridTools";

test("a form view adds records one after the other, with the fields it is saved with", async ({ signedIn: page, api, shot }) => {
  const name = unique("intake");
  await seedTickets(api, name);
  await page.goto(`/c/${name}/form`);
  const form = page.getByTestId("form-view");
  await expect(form).toBeVisible();
  for (const label of ["Title", "Status", "Hours", "Due"]) await expect(form.getByLabel(label, { exact: true })).toBeVisible();

  // Leave out "Due" and try to leave out the required "Title": it stays.
  await page.getByTestId("form-fields-button").click();
  const chooser = page.getByTestId("column-chooser");
  await chooser.getByTestId("column-item-due").getByRole("checkbox").uncheck();
  await expect(chooser.getByTestId("column-item-title").getByRole("checkbox")).toBeDisabled();
  await expect(page.getByText("Required fields are always on the form.")).toBeVisible();
  await page.getByTestId("form-fields-button").click();
  await expect(form.getByLabel("Due", { exact: true })).toHaveCount(0);
  await expect(form.getByLabel("Title", { exact: true })).toBeVisible();

  // Submitted without a title: the API's refusal shows on the field; nothing is added.
  await form.getByLabel("Hours", { exact: true }).fill("3");
  await page.getByTestId("form-submit").click();
  await expect(form.locator(".ant-form-item-explain-error")).toBeVisible();
  expect(await api.list(name, { page_size: "50" })).toHaveLength(5);

  await form.getByLabel("Title", { exact: true }).fill("Submitted from the form");
  await page.getByTestId("form-submit").click();
  await expect(page.getByText(/^Record \d+ added$/)).toBeVisible();
  await shot(page, "form-view-1-submitted");
  const added = (await api.list(name, { page_size: "50" })).find((r) => r.title === "Submitted from the form");
  expect(added?.hours).toBe(3);

  // The next one starts empty.
  await page.getByRole("button", { name: "Add another" }).click();
  await expect(form.getByLabel("Title", { exact: true })).toHaveValue("");

  // Saved as a view: its fields come back with it.
  const bar = new ViewBarPage(page);
  await bar.saveAs("Intake form");
  await expect(page).toHaveURL(/\/form\?view=\d+$/);
  await page.reload();
  await expect(page.getByTestId("form-view").getByLabel("Title", { exact: true })).toBeVisible();
  await expect(page.getByTestId("form-view").getByLabel("Due", { exact: true })).toHaveCount(0);
  await shot(page, "form-view-2-saved-view");
});
